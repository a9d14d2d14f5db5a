from django.urls import path

from weijian.portal import supervision_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization, name="organization"),
    path(
        "organizations/<int:pk>/departments/",
        views.organization_departments,
        name="organization_departments",
    ),
    path(
        "organizations/<int:pk>/leaders/", views.organization_leaders, name="organization_leaders"
    ),
    path("organizations/<int:pk>/hours/", views.organization_hours, name="organization_hours"),
    # 双随机、一公开 and the institution directory (一户一档, public part)
    path("inspections/", supervision_views.inspection_plans, name="inspection_plans"),
    path("inspections/<int:pk>/", supervision_views.inspection_plan, name="inspection_plan"),
    path("institutions/", supervision_views.institution_list, name="institution_list"),
    path("institutions/<int:pk>/", supervision_views.institution, name="institution"),
]
