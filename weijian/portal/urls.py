from django.urls import path

from weijian.portal import views

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
]
