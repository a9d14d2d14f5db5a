"""The organization page and the edit pages of its structure, over HTTP: who gets in, what
they see, what an editor can change, and what a refused change leaves behind (nothing)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.orgs import services
from weijian.orgs.models import (
    Committee,
    CommitteeMember,
    Department,
    Duty,
    DutyBoundary,
    OfficeHours,
    Post,
    StaffingQuota,
)
from weijian.orgs.tests.registry_helpers import build_bureau, build_committee, signed_in, url

pytestmark = pytest.mark.django_db


def _objects(world):
    """One of every kind of registry object in the county, by the URL argument views take."""
    bureau = build_bureau(world)
    group = build_committee(world)
    post = bureau.leaders[0]
    return {
        "org": world.county.pk,
        "department": bureau.departments[0].pk,
        "duty": Duty.objects.filter(organization=world.county)[0].pk,
        "boundary": DutyBoundary.objects.get(organization=world.county).pk,
        "hours": OfficeHours.objects.get(organization=world.county).pk,
        "post": post.pk,
        "person": post.person_id,
        "committee": group.pk,
        "member": CommitteeMember.objects.filter(committee=group)[0].pk,
    }


READ_VIEWS = [
    ("organization_profile", "org"),
    ("organization_export", "org"),
    ("person_detail", "person"),
    ("committee_detail", "committee"),
    ("committee_export", "committee"),
]
WRITE_VIEWS = [
    ("organization_details", "org"),
    ("department_create", "org"),
    ("department_edit", "department"),
    ("duty_create", "org"),
    ("duty_edit", "duty"),
    ("duty_boundary_create", "org"),
    ("duty_boundary_edit", "boundary"),
    ("staffing_edit", "org"),
    ("office_hours_create", "org"),
    ("office_hours_edit", "hours"),
    ("post_create", "org"),
    ("post_edit", "post"),
    ("post_end", "post"),
    ("leader_assignment_edit", "post"),
    ("committee_create", "org"),
    ("committee_edit", "committee"),
    ("committee_member_create", "committee"),
    ("committee_member_edit", "member"),
]
DELETE_VIEWS = [
    ("department_delete", "department"),
    ("duty_delete", "duty"),
    ("duty_boundary_delete", "boundary"),
    ("office_hours_delete", "hours"),
    ("committee_delete", "committee"),
    ("committee_member_delete", "member"),
]
ALL_VIEWS = READ_VIEWS + WRITE_VIEWS + DELETE_VIEWS


def _counts():
    models = [Department, Duty, DutyBoundary, OfficeHours, Post, Committee, CommitteeMember]
    return {model.__name__: model._default_manager.count() for model in models}


@pytest.mark.parametrize(("name", "kind"), ALL_VIEWS)
def test_anonymous_is_sent_to_log_in(client, world, name, kind):
    target = url(name, _objects(world)[kind])
    response = client.post(target) if (name, kind) in DELETE_VIEWS else client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]


@pytest.mark.parametrize(("name", "kind"), ALL_VIEWS)
def test_outsider_gets_404_and_changes_nothing(client, world, name, kind):
    target = url(name, _objects(world)[kind])
    before = _counts()
    signed_in(client, world.outsider)
    if (name, kind) not in DELETE_VIEWS:
        assert client.get(target).status_code == 404
    assert client.post(target, {"name": "改名", "text": "x", "number": 9}).status_code == 404
    assert _counts() == before
    if kind != "person":  # registry_selectors.person_get scopes before it looks: no audit row
        assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).exists()


@pytest.mark.parametrize("who", ["county_reporter", "leader", "inspector"])
@pytest.mark.parametrize(("name", "kind"), WRITE_VIEWS + DELETE_VIEWS)
def test_readers_get_403_on_write_views(client, world, who, name, kind):
    target = url(name, _objects(world)[kind])
    before = _counts()
    signed_in(client, getattr(world, who))
    if (name, kind) not in DELETE_VIEWS:
        assert client.get(target).status_code == 403
    assert client.post(target, {"name": "改名"}).status_code == 403
    assert _counts() == before


@pytest.mark.parametrize(("name", "kind"), READ_VIEWS)
def test_readers_may_read_and_the_auditor_may_not(client, world, name, kind):
    target = url(name, _objects(world)[kind])
    assert signed_in(client, world.county_reporter).get(target).status_code == 200
    assert signed_in(client, world.auditor).get(target).status_code == 403


def test_get_on_a_delete_view_is_refused(client, world):
    objects = _objects(world)
    signed_in(client, world.commission_admin)
    assert client.get(url("department_delete", objects["department"])).status_code == 405
    assert Department.objects.filter(pk=objects["department"]).exists()


def test_delete_buttons_ask_for_confirmation(client, world):
    objects = _objects(world)
    page = signed_in(client, world.commission_admin).get(
        url("department_edit", objects["department"])
    )
    assert 'data-confirm="确认删除内设机构“办公室”' in page.content.decode()
    page = client.get(url("post_end", objects["post"]))
    assert 'data-confirm="确认免去领导0的局长职务？"' in page.content.decode()


# The organization page.


def test_profile_shows_structure_staffing_and_division(client, world):
    bureau = build_bureau(world)
    page = signed_in(client, world.county_reporter).get(
        url("organization_profile", world.county.pk)
    )
    html = page.content.decode()
    for text in [
        "莲花县中医药管理局",
        "正科级",
        "人事科、安全生产科",
        "贯彻执行卫生健康法律法规。",
        "更加注重预防为主。",
        "与莲花县医疗保障局的有关职责分工",
        "行政编制：16名",
        "负责工作1",
        "08:30—12:00",
        "10月1日—4月30日",
    ]:
        assert text in html, text
    assert "修改概况" not in html  # a reporter reads only
    assert page.context["duties"][0].text == "贯彻执行卫生健康法律法规。"
    assert [d.text for d in page.context["transformations"]] == ["更加注重预防为主。"]
    assert bureau.leaders[1].person.name in html


def test_matrices_mark_supervised_assisted_and_liaised(client, world):
    bureau = build_bureau(world)
    page = signed_in(client, world.commission_admin).get(
        url("organization_profile", world.county.pk)
    )
    supervision = [(post.person.name, marks) for post, marks in page.context["supervision"]]
    assert supervision == [("领导0", ["分管", ""]), ("领导1", ["协助", "分管"])]
    liaison = [(post.person.name, marks) for post, marks in page.context["liaison"]]
    assert liaison == [("领导0", [False]), ("领导1", [True])]
    html = page.content.decode()
    matrix = html[html.index('id="supervision-matrix"') : html.index('id="liaison-matrix"')]
    assert matrix.count('text-bg-primary">分管') == 2 and matrix.count('text-bg-info">协助') == 1
    assert "莲花县人民医院" in html[html.index('id="liaison-matrix"') :]
    assert bureau.departments[1].name in matrix


def test_staffing_warning_when_leaders_exceed_the_quota(client, world):
    build_bureau(world, leaders=3)  # two 副局长 on one post
    page = signed_in(client, world.commission_admin).get(
        url("organization_profile", world.county.pk)
    )
    assert "超职数配备：副局长：核定1名，实有2名" in page.content.decode()


def _profile_queries(client, world):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("organization_profile", world.county.pk)).status_code == 200
    return len(queries)


def test_profile_runs_a_constant_number_of_queries(client, world):
    """2 departments and 2 leaders, then 10 and 10 with more duties and liaisons: same count."""
    bureau = build_bureau(world, departments=2, leaders=2)
    signed_in(client, world.commission_admin)
    client.get(url("organization_profile", world.county.pk))  # warm the session
    small = _profile_queries(client, world)
    for index in range(2, 10):
        department = Department.objects.create(organization=world.county, name=f"科{index}")
        Duty.objects.create(organization=world.county, department=department, number=1, text="x")
    for index in range(2, 10):
        post = services.post_save(
            actor=None, organization=world.county, person_name=f"副职{index}", titles=["副局长"]
        )
        services.leader_assignment_save(
            actor=None,
            post=post,
            supervised=[Department.objects.get(name=f"科{index}")],
            assisted=bureau.departments[:1],
            liaison_organizations=[world.hospital, world.commission],
        )
    assert _profile_queries(client, world) == small


# Details, departments, duties, boundaries, staffing, office hours.


def test_editor_updates_the_details(client, world):
    response = signed_in(client, world.commission_admin).post(
        url("organization_details", world.county.pk),
        {
            "plates": "莲花县中医药管理局、莲花县疾病预防控制局",
            "rank": "正科级",
            "postcode": "337100",
            "website": "https://lh.example.cn",
            "publishes": "on",
        },
    )
    assert response.status_code == 302
    world.county.refresh_from_db()
    assert world.county.plates == ["莲花县中医药管理局", "莲花县疾病预防控制局"]
    assert world.county.publishes
    assert AuditEvent.objects.filter(
        action="organization.details", object_id=str(world.county.pk)
    ).exists()


def test_details_refuse_a_bad_postcode_and_dates(client, world):
    response = signed_in(client, world.commission_admin).post(
        url("organization_details", world.county.pk),
        {"postcode": "33710", "opened_on": "2020-01-02", "closed_on": "2019-01-01"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "邮政编码应为6位数字" in html and "撤销日期不能早于成立日期" in html
    assert not AuditEvent.objects.filter(action="organization.details").exists()


def test_staff_member_creates_edits_and_deletes_a_department(client, world):
    staff = make_user("keshi", world.county, Role.STAFF)
    signed_in(client, staff)
    response = client.post(
        url("department_create", world.county.pk),
        {"name": "医政医管科", "aliases": "中医科、科教科", "kind": "内设机构", "order": 1},
    )
    assert response.status_code == 302
    department = Department.objects.get(organization=world.county, name="医政医管科")
    assert department.aliases == ["中医科", "科教科"]
    response = client.post(
        url("department_edit", department.pk),
        {
            "name": "医政医管科",
            "aliases": "中医科",
            "kind": "内设机构",
            "duties": "负责医疗机构管理。",
            "order": 2,
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.aliases == ["中医科"] and department.order == 2
    assert client.post(url("department_delete", department.pk)).status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()
    actions = list(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert actions.count("department.save") == 2 and "department.delete" in actions


def test_an_alias_used_by_another_department_is_refused_by_name(client, world):
    build_bureau(world)
    signed_in(client, world.commission_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        url("department_create", world.county.pk),
        {"name": "综合科", "aliases": "人事科", "kind": "内设机构", "order": 3},
    )
    assert response.status_code == 200
    assert "“人事科”已是“办公室”的名称或别名" in response.content.decode()
    assert not Department.objects.filter(name="综合科").exists()
    assert AuditEvent.objects.count() == before


def test_editor_adds_numbered_duties_and_a_taken_number_is_refused(client, world):
    bureau = build_bureau(world)
    signed_in(client, world.commission_admin)
    response = client.post(
        url("duty_create", world.county.pk),
        {"kind": "duty", "number": 2, "text": "负责疾病预防控制。"},
    )
    assert response.status_code == 302
    response = client.post(
        url("duty_create", world.county.pk), {"kind": "duty", "number": 2, "text": "重复"}
    )
    assert "本单位的主要职责已有第2条" in response.content.decode()
    department = bureau.departments[0]
    response = client.post(
        url("duty_create", world.county.pk),
        {"department": department.pk, "kind": "duty", "number": 2, "text": "负责文电会务。"},
    )
    assert response.status_code == 302
    assert Duty.objects.filter(department=department, number=2).exists()
    assert Duty.objects.filter(text="重复").count() == 0


def test_editor_edits_and_deletes_a_duty(client, world):
    build_bureau(world)
    duty = Duty.objects.get(organization=world.county, kind="duty", number=1)
    signed_in(client, world.commission_admin)
    response = client.post(
        url("duty_edit", duty.pk), {"kind": "duty", "number": 5, "text": "改写。"}
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.number, duty.text) == (5, "改写。")
    client.post(url("duty_delete", duty.pk))
    assert not Duty.objects.filter(pk=duty.pk).exists()
    assert AuditEvent.objects.filter(action="duty.delete", object_id=str(duty.pk)).exists()


def test_a_department_of_another_organization_is_not_a_choice(client, world):
    other = Department.objects.create(organization=world.hospital, name="医务科")
    response = signed_in(client, world.commission_admin).post(
        url("duty_create", world.county.pk),
        {"department": other.pk, "kind": "duty", "number": 1, "text": "x"},
    )
    assert response.status_code == 200
    assert not Duty.objects.exists()


def test_editor_keeps_duty_boundaries(client, world):
    signed_in(client, world.commission_admin)
    response = client.post(
        url("duty_boundary_create", world.county.pk),
        {"other": world.hospital.pk, "text": "院内感染由医院负责。", "order": 0},
    )
    assert response.status_code == 302
    boundary = DutyBoundary.objects.get(organization=world.county)
    assert (boundary.other_name, boundary.other) == ("莲花县人民医院", world.hospital)
    client.post(
        url("duty_boundary_edit", boundary.pk),
        {"other_name": "莲花县医疗保障局", "text": "改。", "order": 1},
    )
    boundary.refresh_from_db()
    assert boundary.other_name == "莲花县医疗保障局" and boundary.other is None
    response = client.post(url("duty_boundary_create", world.county.pk), {"text": "无对方"})
    assert "请填写对方单位" in response.content.decode()
    client.post(url("duty_boundary_delete", boundary.pk))
    assert not DutyBoundary.objects.exists()


def test_staffing_lines_are_saved(client, world):
    response = signed_in(client, world.commission_admin).post(
        url("staffing_edit", world.county.pk),
        {"administrative": 16, "posts": "局长 1\n副局长：3\n\n科级领导职数14名", "note": ""},
    )
    assert response.status_code == 302
    quota = StaffingQuota.objects.get(organization=world.county)
    assert quota.administrative == 16
    assert [(p.title, p.count) for p in quota.posts.all()] == [
        ("局长", 1),
        ("副局长", 3),
        ("科级领导职数", 14),
    ]
    assert AuditEvent.objects.filter(action="staffing.save").count() == 1


def test_staffing_errors_name_their_lines_and_nothing_is_written(client, world):
    response = signed_in(client, world.commission_admin).post(
        url("staffing_edit", world.county.pk),
        {"administrative": 16, "posts": "局长 1\n副局长\n局长 2"},
    )
    html = response.content.decode()
    assert "第2行“副局长”无法识别，应写作“职务 职数”" in html
    assert "第3行：职务“局长”与第1行重复" in html
    assert not StaffingQuota.objects.exists()


def test_editor_keeps_office_hours(client, world):
    signed_in(client, world.commission_admin)
    response = client.post(
        url("office_hours_create", world.county.pk),
        {
            "season": "春夏",
            "start": "5-1",
            "end": "9月30日",
            "morning_start": "08:30",
            "morning_end": "12:00",
            "afternoon_start": "15:00",
            "afternoon_end": "18:00",
        },
    )
    assert response.status_code == 302
    hours = OfficeHours.objects.get(organization=world.county)
    assert (hours.start_month, hours.start_day, hours.end_month, hours.end_day) == (5, 1, 9, 30)
    response = client.post(
        url("office_hours_edit", hours.pk),
        {"season": "全年", "morning_start": "08:30", "morning_end": "12:00"},
    )
    assert response.status_code == 302
    hours.refresh_from_db()
    assert hours.start_month is None and hours.afternoon_start is None
    client.post(url("office_hours_delete", hours.pk))
    assert not OfficeHours.objects.exists()
    assert AuditEvent.objects.filter(action="office_hours.delete").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "13-40", "end": "9-30"}, "起始日期“13月40日”不是有效日期"),
        ({"start": "五月一日"}, "请按“月-日”填写"),
        ({"start": "5-1"}, "起止日期须同时填写"),
        ({"afternoon_start": "11:00", "afternoon_end": "17:00"}, "上午须早于下午"),
        ({"afternoon_start": "14:00"}, "下午的开始和结束时间须同时填写"),
    ],
)
def test_office_hours_errors_are_in_chinese_and_nothing_is_written(client, world, data, message):
    form = {"season": "春夏", "morning_start": "08:30", "morning_end": "12:00", **data}
    response = signed_in(client, world.commission_admin).post(
        url("office_hours_create", world.county.pk), form
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OfficeHours.objects.exists()
