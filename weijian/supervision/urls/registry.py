"""URLs of the registry pages: institutions (一户一档), practitioners and the Excel imports."""

from django.urls import URLPattern, path

from weijian.supervision.views import practitioners, registry, registry_imports

urlpatterns: list[URLPattern] = [
    path("institutions/", registry.institution_list, name="institution_list"),
    path("institutions/export/", registry.institution_export, name="institution_export"),
    path("institutions/new/", registry.institution_create, name="institution_create"),
    path("institutions/<int:pk>/", registry.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", registry.institution_edit, name="institution_edit"),
    path("practitioners/", practitioners.practitioner_list, name="practitioner_list"),
    path("practitioners/export/", practitioners.practitioner_export, name="practitioner_export"),
    path("practitioners/new/", practitioners.practitioner_create, name="practitioner_create"),
    path(
        "practitioners/<int:pk>/",
        practitioners.practitioner_detail,
        name="practitioner_detail",
    ),
    path(
        "practitioners/<int:pk>/edit/",
        practitioners.practitioner_edit,
        name="practitioner_edit",
    ),
    path(
        "practitioners/<int:pk>/reveal-id/",
        practitioners.practitioner_reveal_id,
        name="practitioner_reveal_id",
    ),
    path(
        "practitioners/<int:pk>/sites/new/",
        practitioners.practice_site_add,
        name="practice_site_add",
    ),
    path("practice-sites/<int:pk>/end/", practitioners.practice_site_end, name="practice_site_end"),
    path("imports/<str:kind>/", registry_imports.import_upload, name="registry_import"),
    path(
        "imports/<str:kind>/template/",
        registry_imports.import_template,
        name="registry_import_template",
    ),
    path(
        "imports/<str:kind>/<str:token>/",
        registry_imports.import_preview,
        name="registry_import_preview",
    ),
    path(
        "imports/<str:kind>/<str:token>/cancel/",
        registry_imports.import_cancel,
        name="registry_import_cancel",
    ),
]
