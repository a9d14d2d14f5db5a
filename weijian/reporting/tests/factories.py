"""Test-data builders of the reporting app: a plan of the commission with tasks, units and
targets, a monthly cycle on it, opened periods and a unit's report filled in.

The plan (owned by 萍乡市卫生健康委员会):
  一    总体任务              牵头 莲花县卫健委
  一.1  提高医师数量          牵头 莲花县卫健委        每千人口执业医师数 ≥ 3.5人（2030年）
  一.2  降低孕产妇死亡率      牵头 莲花县人民医院，配合 莲花县卫健委
                                                       孕产妇死亡率 ≤ 10/10万（2025年）
  二    推进全民健康生活方式  责任 莲花县卫健委、莲花县人民医院
                                                       人均预期寿命 ≈ 78岁（2030年）
So the county reports 一, 一.1 and 二 (three tasks), the hospital 一.2 and 二.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.conftest import World, make_user
from weijian.orgs.models import Organization
from weijian.plans.models import Plan, Target, Task
from weijian.plans.services import plan_import_apply
from weijian.reporting.models import (
    ProgressReport,
    ReportingCycle,
    ReportStatus,
    ReviewAction,
    ReviewStep,
    TaskStatus,
)
from weijian.reporting.services.expected import open_period
from weijian.reporting.services.submission import Draft

COUNTY = "莲花县卫生健康委员会"
HOSPITAL = "莲花县人民医院"


def task_node(path: str, title: str, **fields: Any) -> dict[str, Any]:
    """A task of a parsed plan (the shape of `ParsedPlan.to_json()`)."""
    return {
        "label": path.rsplit(".", 1)[-1],
        "path": path,
        "title": title,
        "text": fields.pop("text", ""),
        "lead": fields.pop("lead", []),
        "partners": fields.pop("partners", []),
        "responsible": fields.pop("responsible", []),
        "targets": fields.pop("targets", []),
        "children": fields.pop("children", []),
    }


def target(indicator: str, comparator: str, value: float, unit: str, year: int) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "comparator": comparator,
        "value": value,
        "unit": unit,
        "year": year,
        "text": "",
    }


TASKS = [
    task_node(
        "一",
        "总体任务",
        lead=[COUNTY],
        children=[
            task_node(
                "一.1",
                "提高医师数量",
                text="到2030年每千人口执业医师数达到3.5人以上。",
                lead=[COUNTY],
                targets=[target("每千人口执业医师数", ">=", 3.5, "人", 2030)],
            ),
            task_node(
                "一.2",
                "降低孕产妇死亡率",
                lead=[HOSPITAL],
                partners=[COUNTY],
                targets=[target("孕产妇死亡率", "<=", 10, "/10万", 2025)],
            ),
        ],
    ),
    task_node(
        "二",
        "推进全民健康生活方式",
        responsible=[COUNTY, HOSPITAL],
        targets=[target("人均预期寿命", "~", 78, "岁", 2030)],
    ),
]


def make_plan(world: World, tasks: list[dict[str, Any]] | None = None) -> Plan:
    parsed = {
        "plan": {"title": "健康萍乡行动方案", "document_number": "萍卫发〔2024〕1号", "year": 2024},
        "tasks": tasks or TASKS,
        "units": [],
        "warnings": [],
    }
    return plan_import_apply(parsed=parsed, owner=world.commission, actor=None, source="test")


def make_cycle(plan: Plan, **fields: Any) -> ReportingCycle:
    values: dict[str, Any] = {
        "name": "月度进展填报",
        "frequency": "month",
        "due_day": 30,
        "starts_on": datetime.date(2024, 1, 1),
    }
    values.update(fields)
    return ReportingCycle.objects.create(plan=plan, **values)


@dataclass
class Reporting:
    """The world plus a plan, its monthly cycle and the units' reporters."""

    world: World
    plan: Plan
    cycle: ReportingCycle
    county_reporter: User  # 填报员 of the county (the world's)
    county_staff: User  # 科室人员 of the county
    hospital_reporter: User

    def task(self, path: str) -> Task:
        return Task.objects.get(plan=self.plan, path=path)

    def target(self, path: str) -> Target:
        return Target.objects.get(task__plan=self.plan, task__path=path)

    def open(self, key: str) -> list[ProgressReport]:
        open_period(self.cycle, self.cycle.period(key))
        return list(
            ProgressReport.objects.filter(cycle=self.cycle, period=key).order_by(
                "organization_id", "task__order"
            )
        )

    def reports(self, organization: Organization, key: str) -> list[ProgressReport]:
        return list(
            ProgressReport.objects.filter(
                cycle=self.cycle, organization=organization, period=key
            ).order_by("task__order")
        )


def make_reporting(world: World, **cycle_fields: Any) -> Reporting:
    plan = make_plan(world)
    return Reporting(
        world=world,
        plan=plan,
        cycle=make_cycle(plan, **cycle_fields),
        county_reporter=world.county_reporter,
        county_staff=make_user("county_staff", world.county, Role.STAFF, full_name="郑科员"),
        hospital_reporter=make_user(
            "hospital_reporter", world.hospital, Role.REPORTER, full_name="钱填报"
        ),
    )


def good_draft(report: ProgressReport, **fields: Any) -> Draft:
    """A draft of the report's task that passes submission: in progress, every target met."""
    values = {target.pk: met_value(target) for target in report.task.targets.all()}
    data: dict[str, Any] = {
        "task_status": TaskStatus.IN_PROGRESS,
        "percent": 60,
        "progress": f"{report.task.title}按计划推进。",
        "next_steps": "继续推进。",
        "values": values,
    }
    data.update(fields)
    return Draft(**data)


def met_value(target: Target) -> float:
    """A value that meets the target."""
    if target.comparator == "<=":
        return target.value - 1
    if target.comparator == "~":
        return target.value
    return target.value + 1


def mark_returned(
    reporting: Reporting, organization: Organization, key: str, *, reason: str, by: User
) -> None:
    """What the review service does when a reviewer returns a unit's report (for the tests of
    the unit's side; the review workflow has its own)."""
    ProgressReport.objects.filter(
        cycle=reporting.cycle, organization=organization, period=key
    ).update(status=ReportStatus.RETURNED, return_reason=reason)
    ReviewStep.objects.create(
        cycle=reporting.cycle,
        organization=organization,
        period=key,
        action=ReviewAction.RETURN,
        reason=reason,
        actor=by,
        actor_organization=by.organization,
    )
