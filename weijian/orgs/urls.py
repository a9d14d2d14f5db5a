from django.urls import path

from weijian.orgs import import_views, views
from weijian.orgs.registry_views import committees, exports, people, structure

app_name = "orgs"
urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("new/", views.organization_create, name="organization_create"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("import/", import_views.profile_import, name="profile_import"),
    path("import/<str:token>/", import_views.profile_import_preview, name="profile_import_preview"),
    # The registry inside an organization.
    path("<int:pk>/profile/", structure.organization_profile, name="organization_profile"),
    path("<int:pk>/profile/export/", exports.organization_export, name="organization_export"),
    path("<int:pk>/details/", structure.organization_details_edit, name="organization_details"),
    path("<int:org_pk>/departments/new/", structure.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", structure.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", structure.department_delete, name="department_delete"),
    path("<int:org_pk>/duties/new/", structure.duty_create, name="duty_create"),
    path("duties/<int:pk>/edit/", structure.duty_edit, name="duty_edit"),
    path("duties/<int:pk>/delete/", structure.duty_delete, name="duty_delete"),
    path(
        "<int:org_pk>/boundaries/new/", structure.duty_boundary_create, name="duty_boundary_create"
    ),
    path("boundaries/<int:pk>/edit/", structure.duty_boundary_edit, name="duty_boundary_edit"),
    path(
        "boundaries/<int:pk>/delete/", structure.duty_boundary_delete, name="duty_boundary_delete"
    ),
    path("<int:org_pk>/staffing/", structure.staffing_edit, name="staffing_edit"),
    path("<int:org_pk>/hours/new/", structure.office_hours_create, name="office_hours_create"),
    path("hours/<int:pk>/edit/", structure.office_hours_edit, name="office_hours_edit"),
    path("hours/<int:pk>/delete/", structure.office_hours_delete, name="office_hours_delete"),
    # People.
    path("<int:org_pk>/posts/new/", people.post_create, name="post_create"),
    path("posts/<int:pk>/edit/", people.post_edit, name="post_edit"),
    path("posts/<int:pk>/end/", people.post_end, name="post_end"),
    path(
        "posts/<int:pk>/assignment/", people.leader_assignment_edit, name="leader_assignment_edit"
    ),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    # Committees.
    path("committees/", committees.committee_list, name="committee_list"),
    path("<int:org_pk>/committees/new/", committees.committee_create, name="committee_create"),
    path("committees/<int:pk>/", committees.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/edit/", committees.committee_edit, name="committee_edit"),
    path("committees/<int:pk>/delete/", committees.committee_delete, name="committee_delete"),
    path("committees/<int:pk>/export/", exports.committee_export, name="committee_export"),
    path(
        "committees/<int:pk>/members/new/",
        committees.committee_member_create,
        name="committee_member_create",
    ),
    path("members/<int:pk>/edit/", committees.committee_member_edit, name="committee_member_edit"),
    path(
        "members/<int:pk>/delete/",
        committees.committee_member_delete,
        name="committee_member_delete",
    ),
]
