"""URLs of the inspections pages: recording, photos, rectification, publication, the summary."""

from django.urls import URLPattern, path

from weijian.supervision.views import inspections as views

urlpatterns: list[URLPattern] = [
    path("inspections/", views.my_inspections, name="my_inspections"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/record/", views.inspection_record, name="inspection_record"),
    path("inspections/<int:pk>/photos/", views.inspection_photo_add, name="inspection_photo_add"),
    path(
        "inspections/<int:pk>/rectification/",
        views.inspection_rectification,
        name="inspection_rectification",
    ),
    path("inspections/<int:pk>/publish/", views.inspection_publish, name="inspection_publish"),
    path("inspection-photos/<int:pk>/", views.inspection_photo, name="inspection_photo"),
    path(
        "inspection-photos/<int:pk>/delete/",
        views.inspection_photo_delete,
        name="inspection_photo_delete",
    ),
    path("inspections/plans/<int:pk>/", views.plan_inspections, name="plan_inspections"),
    path("inspections/plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("summary/", views.annual_summary, name="annual_summary"),
    path("summary/export/", views.annual_summary_export, name="annual_summary_export"),
]
