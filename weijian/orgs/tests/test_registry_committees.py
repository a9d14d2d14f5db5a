"""Committees over HTTP: the scoped list, the roster page, and an editor's changes."""

from __future__ import annotations

import pytest

from weijian.conftest import make_org
from weijian.core.models import AuditEvent
from weijian.orgs import services
from weijian.orgs.models import Committee, CommitteeMember
from weijian.orgs.tests.registry_helpers import build_committee, signed_in, url

pytestmark = pytest.mark.django_db


def test_list_shows_only_committees_in_scope_and_paginates(client, world):
    build_committee(world)
    services.committee_save(
        actor=None, host=world.elsewhere, name="渝中区领导小组", kind="领导小组"
    )
    for index in range(55):
        services.committee_save(
            actor=None, host=world.hospital, name=f"小组{index:02d}", kind="工作推进组"
        )
    page = signed_in(client, world.county_reporter).get(url("committee_list"))
    html = page.content.decode()
    assert "莲花县深化医改领导小组" in html and "渝中区" not in html
    assert "医改联席会议" not in html  # sub-groups show on their committee's page
    assert page.context["page"].paginator.count == 56 and "第 1 / 2 页" in html
    outsider = signed_in(client, world.outsider).get(url("committee_list")).content.decode()
    assert "渝中区领导小组" in outsider and "莲花县" not in outsider


def test_committee_page_shows_roster_office_and_subgroups(client, world):
    group = build_committee(world)
    page = signed_in(client, world.county_reporter).get(url("committee_detail", group.pk))
    roster = page.context["roster"]
    assert [(label, [m.person_name for m in members]) for label, members in roster.groups] == [
        ("组长", ["刘县长"]),
        ("副组长", ["王副县长"]),
        ("成员", ["陈主任"]),
    ]
    assert [m.person_name for m in roster.office] == ["陈主任"]
    (meeting,) = roster.subgroups
    assert meeting.committee.name == "医改联席会议"
    assert [m.organization_name for m in meeting.member_organizations] == ["莲花县财政局"]
    html = page.content.decode()
    for text in [
        "办公室设在县卫生健康委员会",
        "办公室主任：",
        "每半年1次",
        "李联络（预算股股长）",
        "召集人",
    ]:
        assert text in html, text
    assert "新增成员" not in html  # a reporter reads only


def test_editor_creates_edits_and_deletes_a_committee(client, world):
    signed_in(client, world.commission_admin)
    response = client.post(
        url("committee_create", world.county.pk),
        {"name": "疾病预防控制领导小组", "kind": "领导小组", "meeting_rule": "每月1次", "order": 0},
    )
    committee = Committee.objects.get(name="疾病预防控制领导小组")
    assert response["Location"] == url("committee_detail", committee.pk)
    response = client.post(
        url("committee_create", world.county.pk) + f"?parent={committee.pk}",
        {"name": "办公室", "kind": "办公室", "parent": committee.pk, "order": 0},
    )
    sub = Committee.objects.get(parent=committee)
    client.post(
        url("committee_edit", committee.pk),
        {"name": "疾病预防控制工作领导小组", "kind": "领导小组", "order": 1},
    )
    committee.refresh_from_db()
    assert committee.name == "疾病预防控制工作领导小组" and committee.meeting_rule == ""
    response = client.post(url("committee_delete", committee.pk))
    assert response["Location"] == url("committee_list")
    assert not Committee.objects.filter(pk__in=[committee.pk, sub.pk]).exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("committee.save") == 3 and "committee.delete" in actions


def test_a_taken_committee_name_is_refused(client, world):
    build_committee(world)
    response = signed_in(client, world.commission_admin).post(
        url("committee_create", world.county.pk),
        {"name": "莲花县深化医改领导小组", "kind": "领导小组", "order": 0},
    )
    assert (
        "莲花县卫生健康委员会已有名为“莲花县深化医改领导小组”的同级机构"
        in response.content.decode()
    )
    assert Committee.objects.filter(name="莲花县深化医改领导小组").count() == 1


def test_parent_choices_are_the_hosts_top_level_committees(client, world):
    group = build_committee(world)
    other = services.committee_save(
        actor=None, host=world.hospital, name="医院小组", kind="领导小组"
    )
    signed_in(client, world.commission_admin)
    response = client.post(
        url("committee_create", world.county.pk),
        {"name": "推进组", "kind": "工作推进组", "parent": other.pk, "order": 0},
    )
    assert response.status_code == 200 and not Committee.objects.filter(name="推进组").exists()
    # A committee with sub-groups cannot become one.
    page = client.get(url("committee_edit", group.pk))
    assert list(page.context["form"].fields["parent"].queryset) == []


def test_editor_adds_edits_and_deletes_members(client, world):
    group = build_committee(world)
    finance = make_org("莲花县财政局", world.county)
    signed_in(client, world.commission_admin)
    response = client.post(
        url("committee_member_create", group.pk),
        {"role": "成员单位", "organization": finance.pk, "liaison_name": "张  三", "order": 9},
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get(committee=group, role="成员单位")
    assert (member.organization_name, member.organization, member.liaison_name) == (
        "莲花县财政局",
        finance,
        "张三",
    )
    client.post(
        url("committee_member_edit", member.pk),
        {
            "role": "成员单位",
            "organization_name": "莲花县财政局",
            "liaison_name": "李四",
            "order": 9,
        },
    )
    member.refresh_from_db()
    assert member.liaison_name == "李四" and member.organization is None
    client.post(url("committee_member_delete", member.pk))
    assert not CommitteeMember.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(action="committee_member.delete").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "成员"}, "请填写姓名或单位"),
        ({"role": "成员单位", "person_name": "张三"}, "成员单位须写明单位名称"),
    ],
)
def test_member_errors_are_in_chinese(client, world, data, message):
    group = build_committee(world)
    before = CommitteeMember.objects.count()
    response = signed_in(client, world.commission_admin).post(
        url("committee_member_create", group.pk), {"order": 0, **data}
    )
    assert message in response.content.decode()
    assert CommitteeMember.objects.count() == before
