"""A 临江-like bureau built through the registry services, as seed 000 describes it: plates,
rank, duties, departments with aliases, staffing, leaders with their division of work, office
hours in two seasons (秋冬 10-01 to 04-30, 春夏 05-01 to 09-30), contact details.

Also a user of the bureau with a phone number and a leader's private note: personal data
that must never reach the portal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.orgs import services
from weijian.orgs.models import Department, DepartmentKind, Organization, OrganizationKind, Region

SOURCE = "test"
T = datetime.time
BUREAU = "临江市卫生健康和医疗保障局"
STAFF_PHONE = "13904396688"
PRIVATE_NOTE = "家庭住址：临江市某小区"

DUTIES = [
    "贯彻落实国民健康、医疗保险、生育保险、医疗救助等卫生健康和医疗保障制度的法律法规及政策规定。",
    "协调推进深化医药卫生体制改革，贯彻落实深化医药卫生体制改革重大方针政策，研究提出具体措施。",
    "组织落实疾病预防控制规划、国家免疫规划以及严重危害人民健康的公共卫生问题的干预措施。",
]
DEPARTMENTS: list[tuple[str, list[str], str, str]] = [
    (
        "办公室",
        ["人事科", "安全生产科"],
        DepartmentKind.INTERNAL,
        "负责机关日常运转，承担机关安全、保密、政务公开、外事等工作。",
    ),
    (
        "医政医管与体制改革科",
        ["中医药管理科"],
        DepartmentKind.INTERNAL,
        "拟订医疗机构及医务人员、医疗技术应用、医疗质量和安全等行业管理政策。",
    ),
    (
        "疾病预防控制科",
        ["职业健康与食品科", "政策法规科"],
        DepartmentKind.INTERNAL,
        "拟订全市重大疾病防治规划、免疫规划。",
    ),
    ("妇幼健康与家庭发展科", [], DepartmentKind.INTERNAL, "拟订妇幼卫生健康政策、标准和规范。"),
    ("基金监管科", [], DepartmentKind.INTERNAL, "组织实施医疗保障基金监督管理。"),
    ("待遇保障科", [], DepartmentKind.INTERNAL, "拟订全市医疗保障筹资和待遇政策。"),
    ("机关党组织", [], DepartmentKind.PARTY, "负责机关及所属单位的党群工作。"),
]


@dataclass
class Linjiang:
    bureau: Organization
    departments: dict[str, Department]
    liaisons: dict[str, Organization]
    staff: User


def _org(name: str, parent: Organization | None, kind: str = OrganizationKind.HEALTH_AUTHORITY):
    # A transactional test (the browser's) may run after another has flushed the seeded regions.
    region = Region.objects.filter(code="220681").first()
    return services.organization_insert(
        name=name, kind=kind, parent=parent, region=region, source=SOURCE
    )


def _leader(bureau, order, name, titles, grade="", **division):
    post = services.post_save(
        actor=None,
        organization=bureau,
        person_name=name,
        titles=titles,
        grade=grade,
        order=order,
        source=SOURCE,
    )
    services.leader_assignment_save(actor=None, post=post, source=SOURCE, **division)
    return post


def build_linjiang() -> Linjiang:
    bureau = _org(BUREAU, None)
    services.organization_details_update(
        actor=None,
        organization=bureau,
        plates=["临江市中医药管理局", "临江市疾病预防控制局"],
        rank="正科级",
        address="临江市建国街道文化路1号",
        postcode="134600",
        phone="0439—5258178",
        website="https://wjj.linjiang.example.cn/",
        publishes=True,
        source=SOURCE,
    )
    for number, text in enumerate(DUTIES, start=1):
        services.duty_save(actor=None, organization=bureau, number=number, text=text, source=SOURCE)
    services.duty_save(
        actor=None,
        organization=bureau,
        number=1,
        kind="transformation",
        text="更加注重预防为主和健康促进，推进卫生健康公共资源向基层延伸。",
        source=SOURCE,
    )
    departments = {
        name: services.department_save(
            actor=None,
            organization=bureau,
            name=name,
            aliases=aliases,
            kind=kind,
            duties=duties,
            order=order,
            source=SOURCE,
        )
        for order, (name, aliases, kind, duties) in enumerate(DEPARTMENTS)
    }
    services.staffing_save(
        actor=None,
        organization=bureau,
        administrative=16,
        posts=[("局长", 1), ("副局长", 3), ("内设机构领导职数", 7)],
        source=SOURCE,
    )
    liaisons = {
        name: _org(name, bureau, OrganizationKind.HOSPITAL)
        for name in ["临江市人民医院", "临江市疾病预防控制中心", "临江市妇幼保健计划生育服务中心"]
    }
    _leaders(bureau, departments, liaisons)
    services.office_hours_save(
        actor=None,
        organization=bureau,
        season="春夏",
        start=(5, 1),
        end=(9, 30),
        morning=(T(8, 30), T(11, 30)),
        afternoon=(T(13, 30), T(17)),
        source=SOURCE,
    )
    services.office_hours_save(
        actor=None,
        organization=bureau,
        season="秋冬",
        start=(10, 1),
        end=(4, 30),
        morning=(T(8, 30), T(11, 30)),
        afternoon=(T(13), T(16, 30)),
        source=SOURCE,
    )
    staff = make_user("linjiang_clerk", bureau, Role.STAFF, full_name="林办事")
    staff.phone = STAFF_PHONE
    staff.save(update_fields=["phone"])
    return Linjiang(bureau, departments, liaisons, staff)


def _leaders(bureau, departments, liaisons):
    d, o = departments, liaisons
    chief = _leader(
        bureau,
        1,
        "梁  东",
        ["党组书记", "局长"],
        "一级主任科员",
        responsibilities="主持市卫生健康和医疗保障局全面工作。",
    )
    chief.person.note = PRIVATE_NOTE
    chief.person.save(update_fields=["note"])
    _leader(
        bureau,
        2,
        "高彦",
        ["党组成员", "副局长"],
        "三级主任科员",
        responsibilities="负责财务、统计、绩效考核、政务公开、妇幼健康服务工作。",
        supervised=[d["办公室"], d["妇幼健康与家庭发展科"]],
        liaison_organizations=[o["临江市妇幼保健计划生育服务中心"]],
        unresolved={"supervises": ["直属机关党委", "宣传科(内设科室)"]},
    )
    _leader(
        bureau,
        3,
        "史秀娟",
        ["党组成员", "副局长", "疾病预防控制局专职局长"],
        responsibilities="负责疾病预防控制、卫生应急、卫生监督执法工作。",
        supervised=[d["疾病预防控制科"]],
        liaison_organizations=[o["临江市人民医院"], o["临江市疾病预防控制中心"]],
    )
    _leader(
        bureau,
        4,
        "张纯波",
        [],
        "二级主任科员",
        responsibilities="人事、党风廉政建设、医保基金监督管理工作。",
        supervised=[d["基金监管科"], d["待遇保障科"]],
        assisted=[d["办公室"]],
    )


@pytest.fixture
def linjiang(db) -> Linjiang:
    return build_linjiang()
