"""The services that keep unit aliases and collective units: what they write, the event each
leaves, the rules they refuse with a Chinese message, and who may use them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weijian.accounts.roles import Role
from weijian.conftest import make_org, make_user
from weijian.core import audit
from weijian.core.models import AuditEvent
from weijian.orgs.models import Organization
from weijian.plans import units_services as services
from weijian.plans.models import CollectiveUnit, OrganizationAlias

D = datetime.date


@pytest.fixture
def county_staff(world):
    return make_user("county_staff", world.county, Role.STAFF)


@pytest.fixture
def district(world):
    """A sibling of the county, under the commission."""
    return make_org("安源区卫生健康委员会", world.commission)


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- aliases ----------------------------------------------------------------------------------


def test_creating_an_alias_writes_it_and_its_event(world):
    alias = services.alias_create(
        actor=world.staff,
        organization=world.commission,
        name=" 市卫计委 ",
        valid_from=D(2013, 3, 1),
        valid_to=D(2019, 1, 31),
    )
    stored = OrganizationAlias.objects.get()
    assert stored.pk == alias.pk
    assert (stored.organization, stored.name) == (world.commission, "市卫计委")
    assert (stored.valid_from, stored.valid_to) == (D(2013, 3, 1), D(2019, 1, 31))
    [event] = events("unit_alias.create")
    assert (event.actor, event.organization, event.object_id) == (
        world.staff,
        world.commission,
        str(alias.pk),
    )
    assert event.summary == {
        "organization": world.commission.name,
        "organization_id": world.commission.pk,
        "name": "市卫计委",
        "valid_from": "2013-03-01",
        "valid_to": "2019-01-31",
    }
    assert audit.ACTION_LABELS["unit_alias.create"] == "新增单位别名"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写别名"),
        ({"name": "卫" * 201}, "name", "别名不能超过200个字"),
        (
            {"name": "市卫计委", "valid_from": D(2019, 2, 1), "valid_to": D(2019, 1, 31)},
            "valid_to",
            "停用日期不能早于启用日期",
        ),
        (
            {"name": "萍乡市卫生健康委员会"},
            "name",
            "“萍乡市卫生健康委员会”是该单位的名称或加挂牌子，系统已能识别，无需登记为别名",
        ),
        ({"name": "市卫计委", "organization": None}, "organization", "请选择单位"),
    ],
)
def test_a_bad_alias_is_refused_with_the_field_named(world, fields, field, message):
    arguments = {"organization": world.commission, **fields}
    with pytest.raises(ValidationError) as caught:
        services.alias_create(actor=world.staff, **arguments)
    assert messages(caught.value) == {field: [message]}
    assert not OrganizationAlias.objects.exists()
    assert not events("unit_alias.create")


def test_the_same_name_for_the_same_organization_may_not_overlap_in_time(world):
    services.alias_create(
        actor=world.staff, organization=world.commission, name="市卫计委", valid_to=D(2019, 1, 31)
    )
    for start, end in [(None, None), (D(2019, 1, 31), None), (D(2010, 1, 1), D(2012, 1, 1))]:
        with pytest.raises(ValidationError) as caught:
            services.alias_create(
                actor=world.staff,
                organization=world.commission,
                name="市　卫计委",  # written with a space: the same name
                valid_from=start,
                valid_to=end,
            )
        assert messages(caught.value) == {
            "valid_from": [
                "“萍乡市卫生健康委员会”已有别名“市卫计委”（有效期 不限 至 2019-01-31），"
                "与本条的有效期重叠"
            ]
        }
    # the day after is free, and so is the same name for another organization
    services.alias_create(
        actor=world.staff, organization=world.commission, name="市卫计委", valid_from=D(2019, 2, 1)
    )
    services.alias_create(actor=world.staff, organization=world.county, name="市卫计委")
    assert OrganizationAlias.objects.count() == 3
    assert len(events("unit_alias.create")) == 3


def test_an_alias_is_kept_only_by_staff_over_its_organization(world, county_staff):
    for who, organization in [
        (world.leader, world.commission),  # a reader
        (world.commission_admin, world.county),  # a system administrator keeps no plans data
        (county_staff, world.commission),  # above him
        (world.outsider, world.county),  # another tree
    ]:
        with pytest.raises(PermissionDenied):
            services.alias_create(actor=who, organization=organization, name="卫计委")
        denied = AuditEvent.objects.filter(action="access.denied", actor=who, success=False)
        assert denied.count() == 1, who
    assert not OrganizationAlias.objects.exists()
    # his own organization and the hospital below it are his to keep
    services.alias_create(actor=county_staff, organization=world.county, name="县卫计委")
    services.alias_create(actor=county_staff, organization=world.hospital, name="县医院")
    assert OrganizationAlias.objects.count() == 2


def test_updating_an_alias_records_what_changed(world, county_staff):
    alias = services.alias_create(actor=world.staff, organization=world.county, name="县卫计委")
    services.alias_update(
        actor=county_staff,
        alias=alias,
        organization=world.county,
        name="县卫计委",
        valid_to=D(2019, 2, 28),
    )
    alias.refresh_from_db()
    assert alias.valid_to == D(2019, 2, 28)
    [event] = events("unit_alias.update")
    assert event.summary == {"name": "县卫计委", "changes": {"valid_to": [None, "2019-02-28"]}}
    # nothing changed: no event
    services.alias_update(
        actor=county_staff,
        alias=alias,
        organization=world.county,
        name="县卫计委",
        valid_to=D(2019, 2, 28),
    )
    assert len(events("unit_alias.update")) == 1


def test_an_alias_does_not_overlap_itself_but_does_its_siblings(world):
    old = services.alias_create(
        actor=world.staff, organization=world.county, name="县卫计委", valid_to=D(2019, 1, 31)
    )
    new = services.alias_create(
        actor=world.staff, organization=world.county, name="县卫计委", valid_from=D(2019, 2, 1)
    )
    services.alias_update(
        actor=world.staff,
        alias=old,
        organization=world.county,
        name="县卫计委",
        valid_from=D(2013, 1, 1),
        valid_to=D(2019, 1, 31),
    )
    with pytest.raises(ValidationError) as caught:
        services.alias_update(
            actor=world.staff,
            alias=new,
            organization=world.county,
            name="县卫计委",
            valid_from=D(2019, 1, 1),
        )
    assert "与本条的有效期重叠" in messages(caught.value)["valid_from"][0]
    new.refresh_from_db()
    assert new.valid_from == D(2019, 2, 1)


def test_moving_an_alias_needs_the_right_over_both_organizations(world, county_staff):
    alias = services.alias_create(actor=world.staff, organization=world.county, name="县卫计委")
    with pytest.raises(PermissionDenied):
        services.alias_update(
            actor=county_staff, alias=alias, organization=world.commission, name="县卫计委"
        )
    alias.refresh_from_db()
    assert alias.organization == world.county
    services.alias_update(
        actor=world.staff, alias=alias, organization=world.hospital, name="县卫计委"
    )
    alias.refresh_from_db()
    assert alias.organization == world.hospital
    change = events("unit_alias.update")[0].summary["changes"]
    assert change == {"organization": [world.county.name, world.hospital.name]}


def test_deleting_an_alias(world, county_staff):
    alias = services.alias_create(actor=world.staff, organization=world.commission, name="市卫计委")
    with pytest.raises(PermissionDenied):
        services.alias_delete(actor=county_staff, alias=alias)
    assert OrganizationAlias.objects.filter(pk=alias.pk).exists()
    pk = alias.pk
    services.alias_delete(actor=world.staff, alias=alias)
    assert not OrganizationAlias.objects.exists()
    [event] = events("unit_alias.delete")
    assert event.object_id == str(pk)
    assert event.summary == {
        "organization": world.commission.name,
        "name": "市卫计委",
        "valid_from": None,
        "valid_to": None,
    }


def test_ensuring_an_alias_skips_a_name_the_organization_already_has(world):
    made = services.alias_ensure(actor=world.staff, organization=world.county, name="县卫计委")
    assert made is not None and (made.valid_from, made.valid_to) == (None, None)
    assert (
        services.alias_ensure(actor=world.staff, organization=world.county, name="县卫计委") is None
    )
    # one with dates counts too: the name is known, whatever its period
    services.alias_create(
        actor=world.staff, organization=world.commission, name="市卫计委", valid_to=D(2019, 1, 31)
    )
    assert (
        services.alias_ensure(actor=world.staff, organization=world.commission, name="市卫计委")
        is None
    )
    assert OrganizationAlias.objects.count() == 2
    assert len(events("unit_alias.create")) == 2


# --- collective units -------------------------------------------------------------------------


def test_creating_a_collective_writes_it_its_members_and_its_event(world, district):
    collective = services.collective_create(
        actor=world.staff, name="各县（区）卫生健康委", members=[world.county, district]
    )
    stored = CollectiveUnit.objects.get()
    assert stored.name == "各县（区）卫生健康委"
    assert set(stored.members.all()) == {world.county, district}
    [event] = events("collective_unit.create")
    assert (event.object_id, event.actor, event.organization) == (
        str(collective.pk),
        world.staff,
        world.commission,
    )
    assert event.summary == {
        "name": "各县（区）卫生健康委",
        "members": [world.county.name, district.name],
    }


def test_a_bad_collective_is_refused_with_the_field_named(world):
    services.collective_create(actor=world.staff, name="各县（区）人民政府", members=[world.county])
    cases = [
        ("", [world.county], "name", "请填写名称"),
        ("各县（区）", [], "members", "请至少选择一个包含单位"),
        (
            "各县〔区〕人民政府",  # the same wording, other brackets
            [world.county],
            "name",
            "已有名为“各县（区）人民政府”的泛指单位，请勿重复登记",
        ),
    ]
    for name, members, field, message in cases:
        with pytest.raises(ValidationError) as caught:
            services.collective_create(actor=world.staff, name=name, members=members)
        assert messages(caught.value) == {field: [message]}
    assert CollectiveUnit.objects.count() == 1


def test_a_collectives_members_must_all_be_in_the_actors_subtree(world, county_staff, district):
    for who, members in [
        (county_staff, [world.county, district]),  # the district is his sibling
        (world.staff, [world.county, world.elsewhere]),  # another tree
        (world.leader, [world.county]),  # a reader
    ]:
        with pytest.raises(PermissionDenied):
            services.collective_create(actor=who, name="各县（区）", members=members)
    assert not CollectiveUnit.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied", success=False).count() == 3
    services.collective_create(
        actor=county_staff, name="县直各医疗机构", members=[world.county, world.hospital]
    )
    assert CollectiveUnit.objects.count() == 1


def test_updating_a_collective_records_its_name_and_members(world, district):
    collective = services.collective_create(
        actor=world.staff, name="各县（区）卫生健康委", members=[world.county]
    )
    services.collective_update(
        actor=world.staff,
        collective=collective,
        name="各县（区）卫健委",
        members=[world.county, district],
    )
    collective.refresh_from_db()
    assert collective.name == "各县（区）卫健委"
    assert set(collective.members.all()) == {world.county, district}
    [event] = events("collective_unit.update")
    assert event.summary == {
        "name": "各县（区）卫健委",
        "changes": {
            "name": ["各县（区）卫生健康委", "各县（区）卫健委"],
            "members": [[world.county.name], [world.county.name, district.name]],
        },
    }
    services.collective_update(
        actor=world.staff,
        collective=collective,
        name="各县（区）卫健委",
        members=[district, world.county],
    )
    assert len(events("collective_unit.update")) == 1  # the same members: no event


def test_a_collective_with_a_member_outside_the_actors_subtree_is_not_his(
    world, county_staff, district
):
    collective = services.collective_create(
        actor=world.staff, name="各县（区）卫生健康委", members=[world.county, district]
    )
    with pytest.raises(PermissionDenied):
        services.collective_update(
            actor=county_staff, collective=collective, name="各县（区）", members=[world.county]
        )
    with pytest.raises(PermissionDenied):
        services.collective_delete(actor=county_staff, collective=collective)
    collective.refresh_from_db()
    assert collective.name == "各县（区）卫生健康委" and collective.members.count() == 2
    # adding a member outside his subtree to his own collective is refused as well
    own = services.collective_create(actor=county_staff, name="县直单位", members=[world.hospital])
    with pytest.raises(PermissionDenied):
        services.collective_update(
            actor=county_staff, collective=own, name="县直单位", members=[world.hospital, district]
        )
    assert list(own.members.all()) == [world.hospital]


def test_deleting_a_collective(world):
    collective = services.collective_create(
        actor=world.staff, name="各县（区）卫生健康委", members=[world.county]
    )
    services.collective_delete(actor=world.staff, collective=collective)
    assert not CollectiveUnit.objects.exists()
    assert Organization.objects.filter(pk=world.county.pk).exists()  # the member stays
    [event] = events("collective_unit.delete")
    assert event.summary == {"name": "各县（区）卫生健康委", "members": [world.county.name]}


def test_a_collective_without_members_is_kept_at_the_top_only(world, county_staff):
    empty = CollectiveUnit.objects.create(name="各乡镇人民政府")
    with pytest.raises(PermissionDenied):
        services.collective_delete(actor=county_staff, collective=empty)
    services.collective_delete(actor=world.staff, collective=empty)
    assert not CollectiveUnit.objects.exists()
