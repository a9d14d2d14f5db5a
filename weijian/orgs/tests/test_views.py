"""Organization pages over HTTP: who gets in, what they see, what they can change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.orgs.models import Organization, OrganizationKind, Region

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"orgs:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "needs_pk"),
    [
        ("organization_list", False),
        ("organization_detail", True),
        ("organization_create", False),
        ("organization_edit", True),
    ],
)
def test_anonymous_is_sent_to_log_in(client, county, name, needs_pk):
    target = url(name, county.pk) if needs_pk else url(name)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["organization_detail", "organization_edit"])
def test_outsider_gets_404(client, outsider, county, name):
    response = signed_in(client, outsider).get(url(name, county.pk))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=outsider).exists()


def test_outsider_cannot_post_an_edit(client, outsider, county):
    response = signed_in(client, outsider).post(
        url("organization_edit", county.pk), {"name": "x", "kind": "other", "is_active": "on"}
    )
    assert response.status_code == 404
    county.refresh_from_db()
    assert county.name == "安源区卫生健康委员会"


def test_non_admin_gets_403_on_create_and_edit(client, staff, county):
    signed_in(client, staff)
    assert client.get(url("organization_create")).status_code == 403
    assert client.get(url("organization_edit", county.pk)).status_code == 403
    response = client.post(url("organization_create"), {"name": "x", "kind": "other"})
    assert response.status_code == 403
    assert not Organization.objects.filter(name="x").exists()


class TestList:
    def test_shows_only_the_subtree(
        self, client, county_admin, city, county, clinic, hospital, other
    ):
        response = signed_in(client, county_admin).get(url("organization_list"))
        assert response.status_code == 200
        shown = set(response.context["page"].object_list)
        assert shown == {county, clinic}
        assert "萍乡市人民医院" not in response.text
        assert "呼伦贝尔市卫生健康委员会" not in response.text

    def test_search_by_name(self, client, admin, county, clinic, hospital):
        response = signed_in(client, admin).get(url("organization_list"), {"q": "医院"})
        assert list(response.context["page"].object_list) == [hospital]

    def test_new_button_only_for_system_admin(self, client, admin, staff):
        create = url("organization_create")
        assert create in signed_in(client, admin).get(url("organization_list")).text
        assert create not in signed_in(client, staff).get(url("organization_list")).text

    def test_staff_sees_the_list_read_only(self, client, staff, city, county):
        response = signed_in(client, staff).get(url("organization_list"))
        assert set(response.context["page"].object_list) == {city, county}

    def test_paginated_by_50(self, client, admin, make_org, city):
        for n in range(60):
            make_org(f"卫生院{n:02d}", city, OrganizationKind.PRIMARY_CARE)
        response = signed_in(client, admin).get(url("organization_list"))
        assert len(response.context["page"].object_list) == 50
        second = client.get(url("organization_list"), {"page": 2})
        assert len(second.context["page"].object_list) == 11

    def test_queries_do_not_grow_with_rows(self, client, admin, make_org, city):
        region = Region.objects.get(code="360302")
        signed_in(client, admin)

        def queries_for(total):
            while Organization.objects.filter(parent=city).count() < total:
                n = Organization.objects.count()
                make_org(f"卫生院{n:03d}", city, OrganizationKind.PRIMARY_CARE, region=region)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url("organization_list"))
            assert response.status_code == 200
            return len(queries)

        assert queries_for(3) == queries_for(30)


class TestDetail:
    def test_shows_fields_children_and_users_count(
        self, client, admin, staff, city, county, hospital
    ):
        response = signed_in(client, admin).get(url("organization_detail", city.pk))
        assert response.status_code == 200
        assert set(response.context["children"]) == {county, hospital}
        assert response.context["users_count"] == 2
        assert "安源区卫生健康委员会" in response.text
        assert url("organization_edit", city.pk) in response.text

    def test_staff_sees_no_edit_link(self, client, staff, county):
        response = signed_in(client, staff).get(url("organization_detail", county.pk))
        assert response.status_code == 200
        assert url("organization_edit", county.pk) not in response.text


class TestCreate:
    def test_admin_creates_below_a_unit_in_scope(self, client, admin, county):
        response = signed_in(client, admin).post(
            url("organization_create"),
            {
                "name": "安源区疾病预防控制中心",
                "kind": "public_health",
                "parent": county.pk,
                "region": "360302",
            },
        )
        created = Organization.objects.get(name="安源区疾病预防控制中心")
        assert response.status_code == 302
        assert response["Location"] == url("organization_detail", created.pk)
        assert created.path == f"{county.path}{created.pk:08d}/"
        assert created.region_id == "360302"
        assert AuditEvent.objects.filter(action="organization.create", actor=admin).exists()

    def test_parent_choices_are_limited_to_the_scope(
        self, client, county_admin, city, county, clinic, other
    ):
        response = signed_in(client, county_admin).get(url("organization_create"))
        choices = set(response.context["form"].fields["parent"].queryset)
        assert choices == {county, clinic}

    def test_parent_outside_the_scope_is_rejected(self, client, county_admin, city):
        response = signed_in(client, county_admin).post(
            url("organization_create"), {"name": "越权单位", "kind": "other", "parent": city.pk}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["parent"]
        assert not Organization.objects.filter(name="越权单位").exists()

    def test_unknown_region_code_is_a_form_error(self, client, admin, city):
        response = signed_in(client, admin).post(
            url("organization_create"),
            {"name": "某单位", "kind": "other", "parent": city.pk, "region": "999999"},
        )
        assert response.context["form"].errors["region"] == ["系统中没有这个区划代码。"]

    def test_duplicate_name_is_shown_on_the_form(self, client, admin, county, clinic):
        response = signed_in(client, admin).post(
            url("organization_create"), {"name": clinic.name, "kind": "other", "parent": county.pk}
        )
        assert response.status_code == 200
        assert "已有名为" in str(response.context["form"].errors["name"])


class TestEdit:
    def test_admin_edits_and_moves(self, client, admin, county, clinic, hospital):
        response = signed_in(client, admin).post(
            url("organization_edit", county.pk),
            {"name": "安源区卫健委", "kind": county.kind, "parent": hospital.pk, "is_active": "on"},
        )
        assert response.status_code == 302
        county.refresh_from_db()
        clinic.refresh_from_db()
        assert county.name == "安源区卫健委"
        assert county.parent == hospital
        assert clinic.path == f"{hospital.path}{county.pk:08d}/{clinic.pk:08d}/"
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"organization.update", "organization.move"} <= actions

    def test_own_subtree_is_not_offered_as_parent(
        self, client, admin, city, county, clinic, hospital
    ):
        response = signed_in(client, admin).get(url("organization_edit", county.pk))
        assert set(response.context["form"].fields["parent"].queryset) == {city, hospital}

    def test_moving_under_its_own_child_is_rejected(self, client, admin, county, clinic):
        response = signed_in(client, admin).post(
            url("organization_edit", county.pk),
            {"name": county.name, "kind": county.kind, "parent": clinic.pk, "is_active": "on"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["parent"]
        clinic.refresh_from_db()
        assert clinic.is_within(county)

    def test_top_of_own_scope_has_no_parent_field(self, client, county_admin, county):
        response = signed_in(client, county_admin).get(url("organization_edit", county.pk))
        assert "parent" not in response.context["form"].fields
        response = client.post(
            url("organization_edit", county.pk),
            {"name": "安源区卫生健康局", "kind": county.kind, "is_active": "on"},
        )
        assert response.status_code == 302
        county.refresh_from_db()
        assert county.name == "安源区卫生健康局"
