"""Organization writes: paths, moves, audit events and who may make them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weijian.core.models import AuditEvent
from weijian.orgs import services
from weijian.orgs.models import OrganizationKind, Region

pytestmark = pytest.mark.django_db


def events(action):
    return AuditEvent.objects.filter(action=action)


def create(actor, parent, name="安源区妇幼保健院", **fields):
    return services.organization_create(
        actor=actor, name=name, kind=OrganizationKind.HOSPITAL, parent=parent, **fields
    )


def reload(*organizations):
    for organization in organizations:
        organization.refresh_from_db()


class TestCreate:
    def test_path_and_depth_follow_the_parent(self, admin, county):
        organization = create(admin, county, region=Region.objects.get(code="360302"))
        organization.refresh_from_db()
        assert organization.path == f"{county.path}{organization.pk:08d}/"
        assert organization.depth == county.depth + 1 == 2
        assert organization.region_id == "360302"

    def test_writes_an_event_with_the_new_values(self, admin, county):
        organization = create(admin, county)
        event = events("organization.create").get()
        assert event.actor == admin
        assert event.object_id == str(organization.pk)
        assert event.summary["changes"]["name"] == [None, "安源区妇幼保健院"]
        assert event.summary["changes"]["parent"] == [None, county.pk]

    def test_name_must_be_unique_under_the_parent(self, admin, county, clinic):
        with pytest.raises(ValidationError) as error:
            create(admin, county, name=clinic.name)
        assert "已有名为" in str(error.value)

    def test_staff_without_the_role_is_refused(self, staff, city):
        with pytest.raises(PermissionDenied):
            create(staff, city)
        assert not events("organization.create").exists()
        assert events("access.denied").filter(actor=staff).exists()

    def test_admin_below_the_parent_is_refused(self, county_admin, city):
        with pytest.raises(PermissionDenied):
            create(county_admin, city)

    def test_admin_of_another_tree_is_refused(self, outsider, county):
        with pytest.raises(PermissionDenied):
            create(outsider, county)


class TestInsert:
    def test_creates_a_root_without_an_actor(self):
        root = services.organization_insert(
            name="临江市卫生健康和医疗保障局",
            kind=OrganizationKind.HEALTH_AUTHORITY,
            parent=None,
            region=Region.objects.get(code="220681"),
            source="manage.py",
        )
        root.refresh_from_db()
        assert (root.path, root.depth) == (f"{root.pk:08d}/", 0)
        event = events("organization.create").get()
        assert (event.actor, event.organization, event.summary["source"]) == (
            None,
            root,
            "manage.py",
        )

    def test_root_names_are_unique_too(self, city):
        with pytest.raises(ValidationError):
            services.organization_insert(
                name=city.name, kind=city.kind, parent=None, source="manage.py"
            )

    def test_child_gets_its_path(self, county):
        child = services.organization_insert(
            name="安源区人民医院", kind=OrganizationKind.HOSPITAL, parent=county, source="demo"
        )
        assert child.path == f"{county.path}{child.pk:08d}/"
        assert child.depth == 2


class TestUpdate:
    def test_changes_fields_and_records_only_what_changed(self, admin, hospital):
        services.organization_update(
            actor=admin,
            organization=hospital,
            name="萍乡市第一人民医院",
            kind=hospital.kind,
            region=Region.objects.get(code="360302"),
            is_active=False,
        )
        hospital.refresh_from_db()
        assert (hospital.name, hospital.is_active, hospital.region_id) == (
            "萍乡市第一人民医院",
            False,
            "360302",
        )
        assert events("organization.update").get().summary["changes"] == {
            "is_active": [True, False],
            "name": ["萍乡市人民医院", "萍乡市第一人民医院"],
            "region": [None, "360302"],
        }

    def test_no_change_writes_no_event(self, admin, hospital):
        services.organization_update(
            actor=admin,
            organization=hospital,
            name=hospital.name,
            kind=hospital.kind,
            region=None,
            is_active=True,
        )
        assert not events("organization.update").exists()

    def test_out_of_scope_actor_is_refused(self, county_admin, hospital):
        with pytest.raises(PermissionDenied):
            services.organization_update(
                actor=county_admin,
                organization=hospital,
                name="x",
                kind=hospital.kind,
                region=None,
                is_active=True,
            )
        hospital.refresh_from_db()
        assert hospital.name == "萍乡市人民医院"


class TestMove:
    def test_moves_the_whole_subtree(self, admin, city, county, clinic, hospital):
        services.organization_move(actor=admin, organization=county, new_parent=hospital)
        reload(county, clinic)
        assert county.parent == hospital
        assert county.path == f"{hospital.path}{county.pk:08d}/"
        assert clinic.path == f"{county.path}{clinic.pk:08d}/"
        assert (county.depth, clinic.depth) == (2, 3)
        assert clinic.is_within(hospital)

    def test_moving_up_reduces_depth(self, admin, city, county, clinic):
        services.organization_move(actor=admin, organization=clinic, new_parent=city)
        clinic.refresh_from_db()
        assert clinic.path == f"{city.path}{clinic.pk:08d}/"
        assert clinic.depth == 1

    def test_subtree_paths_change_in_one_update(self, admin, make_org, county, clinic, hospital):
        posts = [make_org(f"卫生室{n}", clinic, OrganizationKind.PRIMARY_CARE) for n in range(5)]
        with CaptureQueriesContext(connection) as queries:
            services.organization_move(actor=admin, organization=county, new_parent=hospital)
        path_updates = [
            query["sql"]
            for query in queries
            if query["sql"].startswith('UPDATE "orgs_organization"') and '"path"' in query["sql"]
        ]
        assert len(path_updates) == 1
        reload(*posts)
        assert all(post.path.startswith(hospital.path) and post.depth == 4 for post in posts)

    def test_writes_an_event(self, admin, city, county, clinic, hospital):
        old_path = county.path
        services.organization_move(actor=admin, organization=county, new_parent=hospital)
        event = events("organization.move").get()
        assert event.summary["subtree_size"] == 2
        assert event.summary["changes"] == {
            "parent": [city.pk, hospital.pk],
            "path": [old_path, f"{hospital.path}{county.pk:08d}/"],
        }

    @pytest.mark.parametrize("target", ["county", "clinic"])
    def test_refuses_moving_under_itself_or_its_subtree(
        self, request, admin, county, clinic, target
    ):
        with pytest.raises(ValidationError) as error:
            services.organization_move(
                actor=admin, organization=county, new_parent=request.getfixturevalue(target)
            )
        assert "自身或其下级单位" in str(error.value)
        clinic.refresh_from_db()
        assert clinic.is_within(county)
        assert not events("organization.move").exists()

    def test_refuses_a_name_taken_under_the_new_parent(self, admin, make_org, county, hospital):
        make_org(county.name, hospital)
        with pytest.raises(ValidationError):
            services.organization_move(actor=admin, organization=county, new_parent=hospital)

    def test_new_parent_outside_the_actor_subtree_is_refused(self, county_admin, clinic, hospital):
        with pytest.raises(PermissionDenied):
            services.organization_move(actor=county_admin, organization=clinic, new_parent=hospital)
        clinic.refresh_from_db()
        assert clinic.parent_id != hospital.pk

    def test_non_admin_is_refused(self, staff, county, hospital):
        with pytest.raises(PermissionDenied):
            services.organization_move(actor=staff, organization=county, new_parent=hospital)

    def test_admin_of_another_tree_is_refused(self, outsider, other, county):
        with pytest.raises(PermissionDenied):
            services.organization_move(actor=outsider, organization=county, new_parent=other)
