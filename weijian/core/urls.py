from django.urls import path

from weijian.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("workdays/", views.workday_list, name="workday_list"),
    path("workdays/years/", views.workday_year_create, name="workday_year_create"),
    path("workdays/overrides/", views.workday_override_save, name="workday_override_save"),
    path(
        "workdays/overrides/<int:pk>/delete/",
        views.workday_override_delete,
        name="workday_override_delete",
    ),
]
