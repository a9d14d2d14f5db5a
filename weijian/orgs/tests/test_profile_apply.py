"""Applying a parsed profile: names resolve through aliases, unknown units are proposed and
flagged, a re-import updates in place, and a bad item rolls the whole import back."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from weijian.core.models import AuditEvent
from weijian.orgs.importers.profile_apply import apply_profile, plan_profile
from weijian.orgs.models import (
    Committee,
    CommitteeMember,
    Department,
    Duty,
    Organization,
    Post,
)

PROFILE = {
    "organization": {
        "name": "清河县卫生健康局",
        "plates": ["清河县中医药管理局"],
        "rank": "正科级",
    },
    "duties": [
        {"number": 1, "text": "贯彻执行卫生健康法律法规。", "kind": "duty"},
        {"number": 2, "text": "负责疾病预防控制工作。", "kind": "duty"},
        {"number": 1, "text": "推进简政放权。", "kind": "transformation"},
    ],
    "boundaries": [{"with": "清河县市场监督管理局", "text": "食品安全标准由本局负责制定。"}],
    "departments": [
        {"name": "办公室", "aliases": ["人事科"], "duties": "负责机关日常运转。"},
        {"name": "医政医管股", "aliases": [], "duties": "负责医疗机构管理。"},
    ],
    "staffing": {
        "administrative": 12,
        "posts": [{"title": "局长", "count": 1}, {"title": "副局长", "count": 2}],
    },
    "leaders": [
        {
            "name": "赵  平",
            "titles": ["党组书记", "局长"],
            "responsibilities": "主持全面工作。",
            "supervises": ["人事科"],
            "assists": [],
            "liaisons": ["清河县人民医院", "某未知中心"],
            "liaison_regions": ["莲花县", "不存在的乡"],
        }
    ],
    "committees": [
        {
            "name": "清河县深化医改领导小组",
            "kind": "领导小组",
            "members": [{"role": "组长", "name": "赵平", "post": "局长"}],
            "member_organizations": ["清河县财政局"],
            "subgroups": [
                {
                    "name": "医疗服务组",
                    "kind": "工作推进组",
                    "members": [],
                    "member_organizations": [],
                }
            ],
        }
    ],
    "office_hours": [
        {
            "season": "春夏",
            "from": "05-01",
            "to": "09-30",
            "sessions": [["08:00", "12:00"], ["14:30", "17:30"]],
        },
        {
            "season": "秋冬",
            "from": "10-01",
            "to": "04-30",
            "sessions": [["08:30", "12:00"], ["14:00", "17:00"]],
        },
    ],
    "warnings": [],
}


@pytest.fixture
def county_hospital(world):
    from weijian.conftest import make_org

    return make_org("清河县人民医院", world.county)


def test_a_profile_is_applied_through_the_services(world, county_hospital):
    plan = plan_profile(PROFILE, organization=world.county, user=world.commission_admin)
    assert plan.liaisons_new == ["某未知中心"]
    assert list(plan.liaisons_found) == ["清河县人民医院"]
    assert plan.regions_missing == ["不存在的乡"]
    assert any("某未知中心" in note for note in plan.notes())

    result = apply_profile(PROFILE, plan, actor=world.commission_admin)
    county = result.organization
    assert county == world.county
    assert county.plates == ["清河县中医药管理局"] and county.rank == "正科级"
    assert Department.objects.filter(organization=county).count() == 2
    assert Duty.objects.filter(organization=county).count() == 3
    post = Post.objects.get(organization=county)
    assert post.person.name == "赵平"
    assignment = post.assignment
    assert [d.name for d in assignment.supervised_departments.all()] == ["办公室"]  # via its alias
    liaisons = {o.name for o in assignment.liaison_organizations.all()}
    assert liaisons == {"清河县人民医院", "某未知中心"}
    new_unit = Organization.objects.get(name="某未知中心")
    assert new_unit.parent == county  # proposed as new, created below the profile's body
    assert [r.code for r in assignment.liaison_regions.all()] == ["360321"]
    assert assignment.unresolved == {"liaison_regions": ["不存在的乡"]}
    group = Committee.objects.get(name="清河县深化医改领导小组")
    assert group.subgroups.get().name == "医疗服务组"
    assert county.office_hours.count() == 2
    assert (
        AuditEvent.objects.filter(action="department.save", actor=world.commission_admin).count()
        == 2
    )


def test_a_reimport_updates_in_place(world, county_hospital):
    for _ in range(2):
        apply_profile(
            PROFILE, plan_profile(PROFILE, organization=world.county), actor=world.commission_admin
        )
    assert Department.objects.filter(organization=world.county).count() == 2
    assert Duty.objects.filter(organization=world.county).count() == 3
    assert Post.objects.filter(organization=world.county).count() == 1
    assert CommitteeMember.objects.count() == 2
    assert world.county.office_hours.count() == 2
    assert world.county.duty_boundaries.count() == 1


def test_a_bad_item_rolls_everything_back(world):
    broken: dict[str, Any] = copy.deepcopy(PROFILE)
    broken["duties"].append({"number": 3, "text": "", "kind": "duty"})
    with pytest.raises(ValidationError):
        apply_profile(
            broken, plan_profile(broken, organization=world.county), actor=world.commission_admin
        )
    assert not Department.objects.exists()
    assert not Duty.objects.exists()
    assert not AuditEvent.objects.filter(action="department.save").exists()


def test_without_an_organization_a_new_root_is_created(world):
    result = apply_profile(PROFILE, plan_profile(PROFILE), actor=None, source="import_profile")
    assert result.organization.name == "清河县卫生健康局"
    assert result.organization.parent is None
    event = AuditEvent.objects.filter(action="department.save").first()
    assert event is not None and event.actor_username == "import_profile"


def test_abbreviated_region_names_resolve_when_only_one_fits():
    from weijian.orgs.importers.profile_apply import _is_abbreviation

    assert _is_abbreviation("陈旗", "陈巴尔虎旗")
    assert _is_abbreviation("新右旗", "新巴尔虎右旗")
    assert not _is_abbreviation("新右旗", "新巴尔虎左旗")
    assert _is_abbreviation("扎兰屯", "扎兰屯市")
    assert _is_abbreviation("莫旗", "莫力达瓦达斡尔族自治旗")
    assert not _is_abbreviation("海拉尔", "满洲里市")


def test_a_roster_without_a_body_name_needs_a_target(world):
    roster = {"organization": {"name": ""}, "committees": [{"name": "某领导小组", "members": []}]}
    with pytest.raises(ValidationError, match="未能从文中识别单位名称"):
        apply_profile(roster, plan_profile(roster), actor=None, source="test")
    assert not Organization.objects.filter(name="").exists()


def test_a_notice_resolves_against_the_organizations_existing_records(world, county_hospital):
    from weijian.orgs import services

    services.department_save(
        actor=None, organization=world.county, name="办公室", aliases=["人事股"], source="test"
    )
    notice = {
        "organization": {"name": ""},
        "leaders": [
            {
                "name": "李明",
                "titles": ["副局长", "三级主任科员"],
                "notes": ["挂职"],
                "supervises": ["人事股"],
                "liaisons": ["县人民医院", "全县各乡镇卫生院"],
            }
        ],
        "office_hours": [{"season": "秋冬", "sessions": [["08:30", "12:00"], ["14:00", "17:00"]]}],
    }
    plan = plan_profile(notice, organization=world.county, user=world.commission_admin)
    assert plan.collectives == ["全县各乡镇卫生院"]
    assert plan.default_seasons == ["秋冬"]
    apply_profile(notice, plan, actor=world.commission_admin)
    post = Post.objects.get(person__name="李明")
    assert post.titles == ["副局长（挂职）"] and post.grade == "三级主任科员"
    assert [d.name for d in post.assignment.supervised_departments.all()] == ["办公室"]
    assert [o.name for o in post.assignment.liaison_organizations.all()] == ["莲花县人民医院"]
    assert post.assignment.unresolved == {"liaisons": ["全县各乡镇卫生院"]}
    assert not Organization.objects.filter(name__contains="各乡镇").exists()
    hours = world.county.office_hours.get()
    assert (hours.start_month, hours.start_day, hours.end_month, hours.end_day) == (10, 1, 4, 30)


def test_contact_details_and_a_short_self_name(world):
    profile = {
        "organization": {
            "name": "区卫生健康委",
            "address": "某路1号",
            "postcode": "400010",
            "phone": "023-63000000",
            "website": "www.example.gov.cn/wsj",
        }
    }
    with pytest.raises(ValidationError, match="不完整"):
        apply_profile(profile, plan_profile(profile), actor=None, source="test")
    apply_profile(
        profile, plan_profile(profile, organization=world.elsewhere), actor=None, source="t"
    )
    world.elsewhere.refresh_from_db()
    assert world.elsewhere.address == "某路1号" and world.elsewhere.postcode == "400010"
    assert world.elsewhere.website == "http://www.example.gov.cn/wsj"


def test_a_roster_updates_the_committee_whose_name_contains_its_own(world):
    from weijian.orgs import services

    services.committee_save(
        actor=None,
        host=world.commission,
        name="萍乡市卫生局深化医改领导小组",
        kind="领导小组",
        source="t",
    )
    roster = {
        "organization": {"name": ""},
        "committees": [
            {
                "name": "深化医改领导小组",
                "members": [{"role": "组长", "name": "黄强", "post": "市长"}],
            }
        ],
    }
    apply_profile(
        roster, plan_profile(roster, organization=world.commission), actor=None, source="t"
    )
    assert Committee.objects.filter(host=world.commission).count() == 1
    assert CommitteeMember.objects.get().person_name == "黄强"


def test_a_different_body_is_flagged_and_the_import_is_audited(world):
    plan = plan_profile(PROFILE, organization=world.hospital)
    assert plan.notes()[0] == "文中的单位是“清河县卫生健康局”，将导入到“莲花县人民医院”，请确认"
    result = apply_profile(PROFILE, plan, actor=world.commission_admin, filename="清河.txt")
    event = AuditEvent.objects.get(action="profile.import")
    assert event.summary["file"] == "清河.txt"
    assert event.summary["counts"]["departments"] == 2
    assert event.object_id == str(result.organization.pk)
    assert (
        plan_profile(
            {"organization": {"name": "区卫生健康委"}}, organization=world.elsewhere
        ).notes()
        == []
    )
