"""A small scenario counted by hand, for the dashboard and self-assessment tests.

The plan of `factories` (owner: the commission) plus task 三 "推进信息化建设": the district
湘东区卫生健康委员会 (a second county-level unit under the commission) is responsible for 三
and for 二; 三's lead is written as 规划发展与信息化科, a department of the commission that no
organization stands for (so only the district reports 三). Monthly cycle, due on the 30th.

Expected each month: county 一, 一.1, 二 (3); hospital 一.2, 二 (2); district 二, 三 (2): 7.

- 2024-01: nobody submits.
- 2024-02: the county submits its 3 on time (一.1 = 3.0, not met; 二 = 78, met); the district
  its 2 on time (二 = 77, met within 5 %); the hospital nothing.
- 2024-03: the county submits its 3 on time and they are accepted (一.1 = 4.0, met; 二 = 79,
  met); the hospital submits its 2 late, 一.2 滞后 (一.2 = 12 against ≤ 10, not met; 二 = 70,
  not met); the district nothing.

By hand, March: expected 7, submitted 5, on time 3, accepted 3, late 2, missing 2, lagging 1.
Latest values up to March: 一.1 county 4.0 (met); 一.2 hospital 12 (not met); 二 county 79,
hospital 70, district 77 from February (met 2 of 3, mean 75.33).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from weijian.accounts.roles import Role
from weijian.conftest import World, make_org, make_user
from weijian.orgs.models import (
    Department,
    LeaderAssignment,
    Organization,
    Person,
    Post,
)
from weijian.plans.models import Assignment, AssignmentRole
from weijian.reporting.models import ProgressReport, ReportStatus, TargetValue, TaskStatus
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.tests.factories import TASKS, Reporting, make_cycle, make_plan, task_node

DISTRICT = "湘东区卫生健康委员会"
DEPARTMENT = "规划发展与信息化科"
PERIODS = ("2024-01", "2024-02", "2024-03")


def scenario_tasks() -> list[dict[str, Any]]:
    first, second = TASKS
    second = {**second, "responsible": [*second["responsible"], DISTRICT]}
    third = task_node("三", "推进信息化建设", responsible=[DISTRICT])
    return [first, second, third]


@dataclass
class Scenario:
    reporting: Reporting
    district: Organization

    @property
    def world(self) -> World:
        return self.reporting.world

    def rows(self, organization: Organization, key: str) -> Any:
        return ProgressReport.objects.filter(
            cycle=self.reporting.cycle, organization=organization, period=key
        )


def at(day: int, month: int) -> datetime.datetime:
    return datetime.datetime(2024, month, day, 10, 0, tzinfo=SHANGHAI)


def submit(
    scenario: Scenario,
    organization: Organization,
    key: str,
    *,
    on_time: bool,
    values: dict[str, float],
    status: str = ReportStatus.SUBMITTED,
    lagging: str = "",
) -> None:
    """What the submission (and review) services leave behind, written directly."""
    month = int(key[-2:])
    moment = at(20, month) if on_time else at(5, month + 1)
    rows = scenario.rows(organization, key)
    rows.update(
        status=status,
        on_time=on_time,
        first_submitted_at=moment,
        submitted_at=moment,
        task_status=TaskStatus.IN_PROGRESS,
        percent=60,
        progress="按计划推进。",
    )
    if lagging:
        rows.filter(task__path=lagging).update(
            task_status=TaskStatus.LAGGING, percent=20, shortfall_reason="设备采购延误。"
        )
    for path, value in values.items():
        report = rows.get(task__path=path)
        target = scenario.reporting.target(path)
        TargetValue.objects.create(report=report, target=target, value=value)


def build(world: World, *, districts: int = 0, months: tuple[str, ...] = PERIODS) -> Scenario:
    """The scenario; `districts` adds that many more districts responsible for 二 (they never
    report) and `months` the periods opened, for the query-count tests."""
    district = make_org(DISTRICT, world.commission, region_code="360313")
    extra = [make_org(f"第{n}区卫生健康委员会", world.commission) for n in range(districts)]
    tasks = scenario_tasks()
    tasks[1]["responsible"] = [*tasks[1]["responsible"], *(o.name for o in extra)]
    plan = make_plan(world, tasks)
    third = plan.tasks.get(path="三")
    Assignment.objects.create(task=third, role=AssignmentRole.LEAD, raw_name=DEPARTMENT)
    reporting = Reporting(
        world=world,
        plan=plan,
        cycle=make_cycle(plan),
        county_reporter=world.county_reporter,
        county_staff=make_user("county_staff", world.county, Role.STAFF, full_name="郑科员"),
        hospital_reporter=make_user(
            "hospital_reporter", world.hospital, Role.REPORTER, full_name="钱填报"
        ),
    )
    for key in months:
        reporting.open(key)
    found = Scenario(reporting, district)
    if "2024-02" in months:
        submit(found, world.county, "2024-02", on_time=True, values={"一.1": 3.0, "二": 78})
        submit(found, district, "2024-02", on_time=True, values={"二": 77})
    if "2024-03" in months:
        submit(
            found,
            world.county,
            "2024-03",
            on_time=True,
            values={"一.1": 4.0, "二": 79},
            status=ReportStatus.ACCEPTED,
        )
        submit(
            found,
            world.hospital,
            "2024-03",
            on_time=False,
            values={"一.2": 12, "二": 70},
            lagging="一.2",
        )
    return found


def make_leader_division(
    world: World,
    *,
    units: Sequence[Organization] = (),
    departments: Sequence[str] = (),
    name: str = "",
) -> LeaderAssignment:
    """The world's leader (刘领导) as a registry person with a current post at the commission
    and his division of work: 联系单位 `units`, 分管科室 `departments`."""
    person = Person.objects.create(name=name or world.leader.full_name)
    post = Post.objects.create(
        person=person, organization=world.commission, titles=["副主任"], order=2
    )
    assignment = LeaderAssignment.objects.create(post=post)
    assignment.liaison_organizations.set(units)
    for department in departments:
        found, _ = Department.objects.get_or_create(organization=world.commission, name=department)
        assignment.supervised_departments.add(found)
    return assignment
