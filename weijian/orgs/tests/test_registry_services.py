"""The registry's rules, enforced by its services: unique names and aliases, normalised names,
the staffing check, access, and an audit event for every change."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.orgs import services
from weijian.orgs.models import Department, Duty, DutyKind, Post
from weijian.orgs.names import normalize_name, normalize_person
from weijian.orgs.registry_selectors import organization_profile, staffing_warnings


def test_names_are_normalised():
    assert normalize_person("梁  东") == "梁东"
    assert normalize_person("梁\u3000东") == "梁东"
    assert normalize_name(" 办公室(人事科) ") == "办公室（人事科）"
    assert normalize_name("卫生健康 监督所") == "卫生健康监督所"
    assert normalize_name("１２３４５ABC") == "12345ABC"


def test_department_names_and_aliases_are_unique_within_the_organization(world):
    office = services.department_save(
        actor=world.commission_admin,
        organization=world.commission,
        name="办公室",
        aliases=["人事科", "安全生产科", "人事科"],
    )
    assert office.aliases == ["人事科", "安全生产科"]
    with pytest.raises(ValidationError, match="“人事科”已是“办公室”的名称或别名"):
        services.department_save(
            actor=world.commission_admin, organization=world.commission, name="人事科"
        )
    with pytest.raises(ValidationError, match="已是“办公室”"):
        services.department_save(
            actor=world.commission_admin,
            organization=world.commission,
            name="医政科",
            aliases=["安全生产科"],
        )
    # Another organization may use the same names.
    services.department_save(actor=world.commission_admin, organization=world.county, name="办公室")
    assert Department.objects.filter(name="办公室").count() == 2
    # Renaming a department to its own alias is no clash with itself.
    services.department_save(
        actor=world.commission_admin,
        organization=world.commission,
        name="办公室",
        aliases=["人事科"],
        department=office,
    )
    office.refresh_from_db()
    assert office.aliases == ["人事科"]
    events = AuditEvent.objects.filter(action="department.save")
    assert events.count() == 3
    newest = events.first()
    assert newest is not None
    assert newest.summary["changes"]["aliases"] == [["人事科", "安全生产科"], ["人事科"]]


def test_writes_are_refused_outside_the_editors_scope(world):
    with pytest.raises(PermissionDenied):
        services.department_save(actor=world.outsider, organization=world.commission, name="外人科")
    with pytest.raises(PermissionDenied):
        services.department_save(actor=world.county_reporter, organization=world.county, name="科")
    assert not Department.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").count() == 2


def test_a_county_staff_member_keeps_his_own_registry(world):
    staff = make_user("county_staff", world.county, "科室人员")
    services.duty_save(
        actor=staff, organization=world.county, number=1, text="贯彻执行卫生健康法规。"
    )
    with pytest.raises(PermissionDenied):
        services.duty_save(actor=staff, organization=world.commission, number=1, text="越权。")
    assert Duty.objects.get().organization == world.county


def test_duties_are_numbered_once_per_kind(world):
    save = services.duty_save
    save(actor=world.commission_admin, organization=world.commission, number=1, text="甲")
    save(
        actor=world.commission_admin,
        organization=world.commission,
        number=1,
        text="转变",
        kind=DutyKind.TRANSFORMATION,
    )
    with pytest.raises(ValidationError):
        save(actor=world.commission_admin, organization=world.commission, number=1, text="乙")
    assert Duty.objects.count() == 2


def leader(world, name, titles, order):
    return services.post_save(
        actor=world.commission_admin,
        organization=world.commission,
        person_name=name,
        titles=titles,
        order=order,
    )


def test_staffing_warns_where_filled_posts_exceed_the_quota(world):
    services.staffing_save(
        actor=world.commission_admin,
        organization=world.commission,
        administrative=16,
        posts=[("局长", 1), ("副局长", 3)],
    )
    leader(world, "梁  东", ["党组书记", "局长"], 1)
    for order, name in enumerate(["甲一", "乙二", "丙三", "丁四"], start=2):
        leader(world, name, ["副局长"], order)
    profile = organization_profile(organization=world.commission)
    assert staffing_warnings(profile=profile) == ["副局长：核定3名，实有4名"]
    assert [post.person.name for post in profile.leaders][0] == "梁东"


def test_leader_assignment_resolves_within_the_organization(world):
    office = services.department_save(
        actor=world.commission_admin, organization=world.commission, name="办公室"
    )
    county_office = services.department_save(
        actor=world.commission_admin, organization=world.county, name="办公室"
    )
    post = leader(world, "梁东", ["局长"], 1)
    with pytest.raises(ValidationError, match="不属于本单位"):
        services.leader_assignment_save(
            actor=world.commission_admin, post=post, supervised=[county_office]
        )
    services.leader_assignment_save(
        actor=world.commission_admin,
        post=post,
        responsibilities="负责全面工作。",
        supervised=[office],
        liaison_organizations=[world.hospital],
        unresolved={"liaisons": ["某不存在的单位"], "supervises": []},
    )
    profile = organization_profile(organization=world.commission)
    assert profile.supervision_matrix() == [(post, ["分管"])]
    assert profile.liaison_matrix() == [(post, [True])]
    assert post.assignment.unresolved == {"liaisons": ["某不存在的单位"]}


def test_post_history_keeps_ended_posts(world):
    post = leader(world, "梁东", ["副局长"], 1)
    services.post_save(
        actor=world.commission_admin,
        organization=world.commission,
        person_name="梁东",
        titles=["局长"],
        start_on=datetime.date(2024, 1, 1),
    )
    services.post_end(actor=world.commission_admin, post=post, end_on=datetime.date(2023, 12, 31))
    assert Post.objects.filter(person__name="梁东").count() == 2
    assert [p.title_text for p in organization_profile(organization=world.commission).leaders] == [
        "局长"
    ]
    assert AuditEvent.objects.filter(action="post.end").exists()


def test_office_hours_are_validated(world):
    noon, morning = datetime.time(12), datetime.time(8, 30)
    with pytest.raises(ValidationError, match="起止时间"):
        services.office_hours_save(
            actor=world.commission_admin,
            organization=world.commission,
            season="全年",
            morning=(noon, morning),
        )
    with pytest.raises(ValidationError, match="不是有效日期"):
        services.office_hours_save(
            actor=world.commission_admin,
            organization=world.commission,
            season="春夏",
            morning=(morning, noon),
            start=(2, 30),
            end=(9, 30),
        )
    hours = services.office_hours_save(
        actor=world.commission_admin,
        organization=world.commission,
        season="秋冬",
        morning=(morning, datetime.time(11, 30)),
        afternoon=(datetime.time(13), datetime.time(16, 30)),
        start=(10, 1),
        end=(4, 30),
    )
    assert (hours.start_month, hours.end_month) == (10, 4)


def test_committee_roster_with_subgroups_and_member_organizations(world):
    group = services.committee_save(
        actor=world.commission_admin,
        host=world.commission,
        name="深化医改领导小组",
        kind="领导小组",
    )
    task = services.committee_save(
        actor=world.commission_admin,
        host=world.commission,
        name="公立医院改革组",
        kind="工作推进组",
        parent=group,
    )
    services.committee_member_save(
        actor=world.commission_admin,
        committee=group,
        role="组长",
        person_name="梁 东",
        post_text="局长",
    )
    services.committee_member_save(
        actor=world.commission_admin,
        committee=task,
        role="成员单位",
        organization=world.hospital,
        liaison_name="王五",
    )
    with pytest.raises(ValidationError, match="姓名、职务或成员单位"):
        services.committee_member_save(actor=world.commission_admin, committee=group, role="成员")
    from weijian.orgs.registry_selectors import committee_roster

    roster = committee_roster(committee=group)
    assert [m.person_name for m in roster.members] == ["梁东"]
    assert [
        (r.committee.name, [m.organization_name for m in r.members]) for r in roster.subgroups
    ] == [("公立医院改革组", ["莲花县人民医院"])]


def test_liaison_organizations_must_lie_in_the_editors_scope(world):
    post = leader(world, "梁东", ["局长"], 1)
    with pytest.raises(ValidationError, match="不在您管理范围内的单位：渝中区卫生健康委员会"):
        services.leader_assignment_save(
            actor=world.commission_admin, post=post, liaison_organizations=[world.elsewhere]
        )


def test_a_specialised_post_does_not_fill_the_plain_title(world):
    services.staffing_save(
        actor=None,
        organization=world.commission,
        administrative=16,
        posts=[("局长", 1), ("市疾病预防控制局专职局长", 1)],
        source="t",
    )
    leader(world, "梁东", ["局长"], 1)
    leader(world, "史秀娟", ["副局长", "疾病预防控制局专职局长"], 2)
    leader(world, "陈航宇", ["局长（挂职）"], 3)
    assert staffing_warnings(profile=organization_profile(organization=world.commission)) == []
