"""The demo world `load_demo` builds from the seeds' facts: 临江 in full, 渝中's duties and
departments, the 萍乡 leading group and joint meeting, the 呼伦贝尔 leading group with its office,
task groups and contact regions; loaded twice without changing anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.urls import reverse

from weijian.accounts.demo import DEMO_PASSWORD
from weijian.accounts.models import User
from weijian.core.models import AuditEvent
from weijian.orgs.demo_data import bodies
from weijian.orgs.models import (
    Committee,
    CommitteeMember,
    Department,
    Duty,
    DutyBoundary,
    LeaderAssignment,
    OfficeHours,
    Organization,
    Person,
    Post,
    StaffingPost,
)

COUNTED: list[type[Model]] = [
    Organization,
    Department,
    Duty,
    DutyBoundary,
    StaffingPost,
    Person,
    Post,
    LeaderAssignment,
    Committee,
    CommitteeMember,
    OfficeHours,
    User,
    AuditEvent,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


@pytest.fixture
def demo(settings, capsys) -> dict[str, Any]:
    """Load twice; hand back the counts after each run and the first run's output."""
    settings.DEMO = True
    call_command("load_demo")
    first = _counts()
    output = capsys.readouterr().out
    call_command("load_demo")
    return {"first": first, "second": _counts(), "output": output}


@pytest.mark.django_db
def test_a_second_run_changes_nothing(demo):
    assert demo["second"] == demo["first"]
    assert demo["first"]["Organization"] == 28


@pytest.mark.django_db
def test_linjiang_in_full(demo):
    bureau = Organization.objects.get(name="临江市卫生健康和医疗保障局", parent=None)
    assert bureau.region_id == "220681" and bureau.publishes
    assert bureau.plates == ["临江市中医药管理局", "临江市疾病预防控制局"]
    assert (bureau.rank, bureau.postcode, bureau.phone) == ("正科级", "134600", "0439-5258178")
    assert bureau.duties.filter(kind="duty").count() == 18

    departments = bureau.departments.exclude(kind="内设科室")
    assert departments.count() == 7
    assert departments.filter(kind="机关党组织").get().name == "机关党组织"
    assert departments.get(name="办公室").aliases == ["人事科", "安全生产科"]
    assert departments.get(name="疾病预防控制科").aliases == ["职业健康与食品科", "政策法规科"]
    assert all(d.duties for d in departments)
    assert set(bureau.departments.filter(kind="内设科室").values_list("name", flat=True)) == {
        "宣传科",
        "爱卫办",
        "基层卫生科",
        "党风政风室",
    }

    assert bureau.staffing.administrative == 16
    assert dict(bureau.staffing.posts.values_list("title", "count")) == {
        "局长": 1,
        "副局长": 3,
        "疾病预防控制局专职局长": 1,
        "内设机构领导": 7,
    }

    posts = bureau.posts.filter(end_on=None).select_related("person", "assignment")
    assert [p.person.name for p in posts] == [
        "梁东",
        "高彦",
        "王文飞",
        "史秀娟",
        "陈航宇",
        "孟庆林",
        "张纯波",
        "郑涛",
    ]
    by_name = {p.person.name: p for p in posts}
    assert by_name["梁东"].titles == ["党组书记", "局长"]
    assert by_name["梁东"].grade == "一级主任科员"
    assert all(p.assignment.responsibilities for p in posts)
    assert all(p.assignment.unresolved == {} for p in posts)

    def supervised(name: str) -> set[str]:
        return {d.name for d in by_name[name].assignment.supervised_departments.all()}

    def liaisons(name: str) -> set[str]:
        return {o.name for o in by_name[name].assignment.liaison_organizations.all()}

    # 高彦 supervises 办公室(人事科、安全生产科), 直属机关党委 (the party organisation), …
    assert supervised("高彦") == {"办公室", "机关党组织", "宣传科", "妇幼健康与家庭发展科"}
    assert supervised("张纯波") == {"办公室", "党风政风室", "基金监管科", "待遇保障科"}
    assert supervised("郑涛") == {"医政医管与体制改革科"}
    assert liaisons("史秀娟") == {"临江市人民医院", "临江市疾病预防控制中心", "临江市结核病防治所"}
    assert liaisons("王文飞") == {"临江友谊老年病医院", "三公里便民医院"}
    units = Organization.objects.filter(parent=bureau)
    assert units.count() == 11 and all(u.region_id == "220681" for u in units)
    assert units.get(name="临江市疾病预防控制中心").plates == ["临江市卫生监督所"]

    seasons = {h.season: h for h in bureau.office_hours.all()}
    assert set(seasons) == {"春夏", "秋冬"}
    assert (seasons["秋冬"].start_month, seasons["秋冬"].end_month) == (10, 4)
    assert str(seasons["秋冬"].afternoon_start) == "13:00:00"
    assert str(seasons["春夏"].afternoon_end) == "17:00:00"


@pytest.mark.django_db
def test_yuzhong_duties_boundaries_and_departments(demo):
    commission = Organization.objects.get(name="渝中区卫生健康委员会", parent=None)
    assert commission.region_id == "500103" and commission.publishes
    assert commission.duties.filter(kind="duty").count() == 16
    assert commission.duties.filter(kind="transformation").count() == 4
    assert commission.duty_boundaries.count() == 4
    assert "重庆市渝中区医疗保障局" in {b.other_name for b in commission.duty_boundaries.all()}
    assert commission.departments.count() == 11
    assert commission.departments.get(name="医政管理科").aliases == ["行政审批科"]
    assert commission.staffing.administrative == 24
    assert dict(commission.staffing.posts.values_list("title", "count")) == {
        "主任": 1,
        "副主任": 3,
        "科级领导": 14,
    }
    assert commission.website == "http://www.cqyz.gov.cn/bm_229/qwsjkw/"


@pytest.mark.django_db
def test_pingxiang_leading_group_and_joint_meeting(demo):
    host = Organization.objects.get(name="萍乡市卫生健康委员会", parent=None)
    group = Committee.objects.get(host=host, kind="领导小组")
    roles = list(group.members.values_list("role", "person_name"))
    assert roles[0] == ("组长", "黄强")
    assert [name for role, name in roles if role == "副组长"] == ["贺飞", "彭文华"]
    assert len([1 for role, _ in roles if role == "成员"]) == 33
    assert ("办公室主任", "彭文华") in roles
    assert group.members.get(person_name="欧阳海涛").post_text == "市委网信办副主任"
    assert group.members.get(person_name="欧阳海涛").organization_name == "市委网信办"

    meeting = Committee.objects.get(host=host, kind="联席会议")
    units = meeting.members.filter(role="成员单位")
    assert units.count() == 33
    assert [u.organization_name for u in units[:1]] == ["市卫健委"]
    assert meeting.meeting_rule == "每半年1次"


@pytest.mark.django_db
def test_hulunbuir_leading_group_office_task_groups_and_contact_regions(demo):
    commission = Organization.objects.get(name="呼伦贝尔市卫生健康委员会", parent=None)
    assert commission.region_id == "150700"
    counties = Organization.objects.filter(parent=commission)
    assert counties.count() == 4
    assert all(c.region is not None and c.region.parent_id == "150700" for c in counties)

    group = Committee.objects.get(host=commission, parent=None)
    assert group.kind == "领导小组" and group.office_location == "市卫生局办公室"
    assert group.members.get(role="办公室主任").person_name == "谢福林"
    assert group.members.filter(role="成员").count() == 25
    subgroups = list(group.subgroups.all())
    assert len(subgroups) == 5 and {s.kind for s in subgroups} == {"工作推进组"}
    reform = group.subgroups.get(name="推进公立医院改革工作推进组")
    assert reform.members.get(role="组长").person_name == "相林扎布"
    assert reform.members.filter(role="成员单位").count() == 8

    regions = {
        p.person.name: {r.name for r in p.assignment.liaison_regions.all()}
        for p in commission.posts.select_related("person", "assignment")
    }
    assert regions["孙泽成"] == {"扎兰屯市", "阿荣旗", "莫力达瓦达斡尔族自治旗"}
    assert regions["谢福林"] == {"鄂温克族自治旗", "新巴尔虎右旗"}
    assigned = LeaderAssignment.objects.filter(post__organization=commission)
    assert all(a.unresolved == {} for a in assigned)
    codes = set(assigned.values_list("liaison_regions__code", flat=True))
    assert len(codes) == 13 and all(code.startswith("1507") for code in codes)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["linjiang", "linjiang_staff", "hulunbuir"])
def test_demo_users_of_the_new_bodies_sign_in(demo, client, username):
    assert username in demo["output"]
    user = User.objects.get(username=username)
    assert user.organization.name in {body.name for body in bodies()}
    client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert client.get("/office/").status_code == 200


@pytest.mark.django_db
def test_demo_texts_are_short_paraphrases():
    """Duty and responsibility texts are the demo's own short wording, not the seeds'."""
    for body in bodies():
        profile = body.profile
        texts = [d["text"] for d in profile["duties"]]
        texts += [b["text"] for b in profile["boundaries"]]
        texts += [d["duties"] for d in profile["departments"] if d["duties"]]
        texts += [leader["responsibilities"] for leader in profile["leaders"]]
        groups = list(profile["committees"])
        while groups:
            group = groups.pop()
            texts.append(group["duties"])
            groups += group["subgroups"]
        for text in texts:
            assert 4 <= len(text) <= 30, text
