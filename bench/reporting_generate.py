"""Fill a throwaway database with a reporting plan at city or province scale: an owner, its
reporting units, a plan whose tasks spread over them, a monthly cycle and its progress reports.

    DEBUG=1 .venv/bin/python bench/reporting_generate.py [--preset city|province]
        [--units N] [--tasks 200] [--tasks-per-unit 3] [--months 36] [--start 2023-01]

Presets: city = 150 units, province = 3 000 units. Every unit leads or is responsible for
--tasks-per-unit tasks, so a period expects units × tasks-per-unit reports (province: ≈ 9 000
a month, 324 000 over 36 months; --tasks-per-unit 10 gives over a million).

The database comes from BENCH_DATABASE_URL (default: a SQLite file under /tmp), never from
DATABASE_URL. The script migrates it and refuses to run when the bench owner already exists:
start from an empty database (or one that only holds bench/generate.py's data).

The first period is opened with `services.expected.open_period`, the way the application does
it, and the generated rows are checked against it (same task × unit pairs, same period bounds
and due moment); the rows themselves are inserted with bulk_create in batches. Statuses are
drawn with fixed shares (`OUTCOMES`); a submitted report of a task with a target carries one
`TargetValue` per target.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from common import setup_django  # noqa: E402 (bench/ is run as scripts)

if TYPE_CHECKING:
    from weijian.orgs.models import Organization
    from weijian.plans.models import Plan, Target
    from weijian.reporting.models import ProgressReport, ReportingCycle, TargetValue
    from weijian.reporting.periods import Period

OWNER = "某省卫生健康委员会（填报基准）"
PLAN_TITLE = "基准测试：卫生健康重点任务实施方案"
CYCLE_NAME = "月度进展填报"
SOURCE = "bench/reporting_generate.py"
PRESETS = {"city": 150, "province": 3000}
SECTIONS = 10  # top-level parts of the plan; the tasks hang under them
UNITS_PER_BUREAU = 20  # one county bureau per this many units; the rest are institutions
TARGET_SHARE = 0.3  # of the tasks carry a quantitative target

# (outcome, share): what a unit did with an expected report.
OUTCOMES: Sequence[tuple[str, float]] = (
    ("accepted", 0.45),  # submitted on time, accepted
    ("on_time", 0.20),  # submitted or approved on time, still under review
    ("late", 0.12),  # submitted after the due moment
    ("returned", 0.05),  # submitted, returned for changes
    ("missing", 0.18),  # pending or draft at the due moment
)
TASK_STATUSES: Sequence[tuple[str, float]] = (
    ("in_progress", 0.70),
    ("done", 0.12),
    ("lagging", 0.10),
    ("not_started", 0.08),
)
COMPARATORS = (">=", ">=", "<=", "=", "~")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="province")
    parser.add_argument("--units", type=int, help="reporting units (overrides the preset)")
    parser.add_argument("--tasks", type=int, default=200, help="reportable tasks in the plan")
    parser.add_argument("--tasks-per-unit", type=int, default=3, help="tasks each unit reports")
    parser.add_argument("--months", type=int, default=36, help="monthly periods with reports")
    parser.add_argument("--start", default="2023-01", help="first period, YYYY-MM")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--batch", type=int, default=5000, help="rows per INSERT")
    args = parser.parse_args(argv)
    args.units = args.units or PRESETS[args.preset]
    if args.units < 1 or args.tasks < 1 or args.months < 1:
        parser.error("--units, --tasks and --months must be at least 1")
    if not 1 <= args.tasks_per_unit <= args.tasks:
        parser.error("--tasks-per-unit must be between 1 and --tasks")
    return args


# --- organizations, plan, cycle ---------------------------------------------------------------


def parse_period(key: str) -> Period:
    from weijian.reporting.periods import Period

    return Period.parse(key)


def create_level(
    orgs: list[Organization], parents: dict[int, Organization], batch: int
) -> list[Any]:
    """Insert one level of the tree, then set path and depth from the parents'."""
    from weijian.orgs.models import Organization

    created = Organization.objects.bulk_create(orgs, batch_size=batch)
    if any(org.pk is None for org in created):
        sys.exit("this database backend does not return primary keys from bulk_create")
    for org in created:
        parent = parents[org.parent_id or 0]
        org.path, org.depth = parent.path + org.segment(), parent.depth + 1
    Organization.objects.bulk_update(created, ["path", "depth"], batch_size=500)
    return created


def generate_units(args: argparse.Namespace, rng: random.Random) -> tuple[Organization, list[Any]]:
    """The owner, county bureaus under it (one per UNITS_PER_BUREAU units) and institutions
    under the bureaus; returns the owner and the reporting units (bureaus and institutions)."""
    from weijian.orgs.models import Organization, OrganizationKind

    owner = Organization.objects.create(name=OWNER, kind=OrganizationKind.HEALTH_AUTHORITY)
    owner.path, owner.depth = owner.segment(), 0
    owner.save(update_fields=["path", "depth"])
    bureau_count = max(1, args.units // UNITS_PER_BUREAU)
    bureaus = create_level(
        [
            Organization(
                name=f"第{i:03d}县卫生健康局",
                kind=OrganizationKind.HEALTH_AUTHORITY,
                parent=owner,
            )
            for i in range(1, bureau_count + 1)
        ],
        {owner.pk: owner},
        args.batch,
    )
    kinds = [
        OrganizationKind.HOSPITAL,
        OrganizationKind.PRIMARY_CARE,
        OrganizationKind.PRIMARY_CARE,
        OrganizationKind.PUBLIC_HEALTH,
    ]
    institutions = []
    for k in range(1, args.units - bureau_count + 1):
        kind = rng.choice(kinds)
        bureau = bureaus[k % bureau_count]
        institutions.append(Organization(name=f"{kind.label}{k:05d}", kind=kind, parent=bureau))
    created = create_level(institutions, {b.pk: b for b in bureaus}, args.batch)
    return owner, [*bureaus, *created]


def generate_plan(
    args: argparse.Namespace, rng: random.Random, owner: Organization, units: list[Any]
) -> tuple[Plan, dict[int, list[Target]]]:
    """The plan: SECTIONS parts, --tasks tasks under them, each unit assigned to
    --tasks-per-unit of them (the first as lead, the others as responsible unit); a share of
    the tasks carries a target. Returns the plan and the targets by task."""
    from weijian.plans.models import Assignment, AssignmentRole, Indicator, Plan, Target, Task

    start = parse_period(args.start)
    plan = Plan.objects.create(
        title=PLAN_TITLE, owner=owner, start_year=start.year, end_year=start.year + 3
    )
    numerals = "一二三四五六七八九十"
    sections = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                label=f"{numerals[i % 10]}、",
                path=str(i + 1),
                title=f"第{i + 1}部分",
                order=i * (args.tasks + 1),
            )
            for i in range(SECTIONS)
        ]
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                parent=sections[i % SECTIONS],
                label=f"{i // SECTIONS + 1}.",
                path=f"{i % SECTIONS + 1}.{i // SECTIONS + 1}",
                title=f"重点任务{i + 1:03d}",
                text=f"推进重点任务{i + 1:03d}，按期完成年度目标。",
                order=(i % SECTIONS) * (args.tasks + 1) + i // SECTIONS + 1,
            )
            for i in range(args.tasks)
        ],
        batch_size=args.batch,
    )
    assignments = []
    for unit in units:
        for n, task in enumerate(rng.sample(tasks, args.tasks_per_unit)):
            role = AssignmentRole.LEAD if n == 0 else AssignmentRole.RESPONSIBLE
            assignments.append(
                Assignment(
                    task=task, role=role, organization=unit, raw_name=unit.name, confidence=1
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=args.batch)
    targets: dict[int, list[Target]] = {}
    with_target = rng.sample(tasks, round(len(tasks) * TARGET_SHARE))
    for n, task in enumerate(with_target, start=1):
        indicator, _ = Indicator.objects.get_or_create(
            name=f"基准指标{n:03d}", defaults={"unit": "%", "higher_is_better": n % 4 != 2}
        )
        comparator = COMPARATORS[n % len(COMPARATORS)]
        if comparator == "<=" or (comparator == "=" and not indicator.higher_is_better):
            value = 10.0
        else:
            value = 90.0
        target = Target.objects.create(
            task=task,
            indicator=indicator,
            comparator=comparator,
            value=value,
            unit="%",
            year=start.year + 2,
            text=f"{indicator.name}{comparator}{value:g}%",
        )
        targets[task.pk] = [target]
    return plan, targets


def generate_cycle(args: argparse.Namespace, plan: Plan) -> ReportingCycle:
    from weijian.reporting.models import ReportingCycle

    first = parse_period(args.start)
    last = first
    for _ in range(args.months - 1):
        last = last.next()
    return ReportingCycle.objects.create(
        plan=plan,
        name=CYCLE_NAME,
        frequency="month",
        due_rule="days_after",
        days_after=10,
        starts_on=first.start,
        ends_on=last.end,
    )


# --- the reports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What open_period made for the first period, to compare the generated rows with."""

    pairs: frozenset[tuple[int, int]]
    period_start: datetime.date
    period_end: datetime.date
    due_at: datetime.datetime


def opened_shape(cycle: ReportingCycle, period: Period) -> Shape:
    """Open the period as the application does, note what it created, and remove it again."""
    from weijian.reporting.models import ProgressReport
    from weijian.reporting.services.expected import open_period

    opened = open_period(cycle, period, source=SOURCE)
    rows = ProgressReport.objects.filter(cycle=cycle, period=period.key)
    pairs = frozenset(rows.values_list("task_id", "organization_id"))
    first = rows.first()
    if first is None or opened.created != len(pairs):
        sys.exit(f"open_period created {opened.created} reports for {period.key}: check the plan")
    shape = Shape(pairs, first.period_start, first.period_end, first.due_at)
    rows.delete()
    return shape


def check_shape(reports: list[ProgressReport], shape: Shape) -> None:
    pairs = frozenset((r.task_id, r.organization_id) for r in reports)
    problems = []
    if pairs != shape.pairs:
        problems.append(f"{len(pairs ^ shape.pairs)} task × unit pairs differ")
    for name in ("period_start", "period_end", "due_at"):
        if {getattr(r, name) for r in reports} != {getattr(shape, name)}:
            problems.append(f"{name} differs")
    if problems:
        sys.exit("the generated reports do not match open_period: " + "; ".join(problems))


def expected_pairs(plan: Plan) -> list[tuple[int, int]]:
    """The plan's (task, unit) pairs: every assignment is a lead or responsible one."""
    from weijian.plans.models import Assignment

    found = Assignment.objects.filter(task__plan=plan, organization__isnull=False)
    return sorted(set(found.values_list("task_id", "organization_id")))


def period_reports(
    cycle: ReportingCycle,
    period: Period,
    pairs: list[tuple[int, int]],
    rng: random.Random,
) -> list[ProgressReport]:
    from weijian.reporting.models import ProgressReport, ReportStatus

    due_at = cycle.due_at(period)
    names = [name for name, _ in OUTCOMES]
    shares = [share for _, share in OUTCOMES]
    statuses = [name for name, _ in TASK_STATUSES]
    status_shares = [share for _, share in TASK_STATUSES]
    outcomes = rng.choices(names, shares, k=len(pairs))
    reports = []
    for (task_id, org_id), outcome in zip(pairs, outcomes, strict=True):
        report = ProgressReport(
            cycle=cycle,
            task_id=task_id,
            organization_id=org_id,
            period=period.key,
            period_start=period.start,
            period_end=period.end,
            due_at=due_at,
        )
        if outcome == "missing":
            report.status = ReportStatus.DRAFT if rng.random() < 0.3 else ReportStatus.PENDING
        else:
            late = outcome == "late"
            offset = datetime.timedelta(hours=rng.randrange(1, 24 * (5 if late else 9)))
            report.submitted_at = due_at + offset if late else due_at - offset
            report.first_submitted_at = report.submitted_at
            report.on_time = not late
            report.status = {
                "accepted": ReportStatus.ACCEPTED,
                "returned": ReportStatus.RETURNED,
            }.get(outcome, rng.choice([ReportStatus.SUBMITTED, ReportStatus.APPROVED]))
            report.task_status = rng.choices(statuses, status_shares)[0]
            report.percent = rng.randrange(0, 101)
            report.progress = "按计划推进，本月完成阶段性工作。"
            if report.task_status == "lagging":
                report.shortfall_reason = "资金未到位，进度滞后。"
            if outcome == "returned":
                report.return_reason = "进展描述不具体，请补充数据。"
        reports.append(report)
    return reports


def target_values(
    reports: list[ProgressReport], targets: dict[int, list[Target]], rng: random.Random
) -> list[TargetValue]:
    """One value per target of each submitted report: about 70 % meet it, 5 % left empty."""
    from weijian.reporting.models import TargetValue

    values = []
    for report in reports:
        if report.on_time is None:
            continue
        for target in targets.get(report.task_id, ()):
            draw = rng.random()
            value: float | None
            if draw < 0.05:
                value = None
            elif draw < 0.75:
                value = target.value + (rng.uniform(-0.5, 0.5) if target.comparator in "=~" else 0)
                value += (
                    rng.uniform(0, 5)
                    * (1 if target.comparator == ">=" else -1)
                    * (target.comparator in "<=>=")
                )
            else:
                value = target.value * (0.7 if target.comparator == ">=" else 1.4)
            values.append(TargetValue(report=report, target=target, value=value))
    return values


def generate_reports(
    args: argparse.Namespace,
    rng: random.Random,
    cycle: ReportingCycle,
    targets: dict[int, list[Target]],
) -> tuple[int, int]:
    from tqdm import tqdm

    from weijian.reporting.models import ProgressReport, TargetValue

    first = parse_period(args.start)
    shape = opened_shape(cycle, first)
    pairs = expected_pairs(cycle.plan)
    reports_written = values_written = 0
    period = first
    with tqdm(total=len(pairs) * args.months, unit="report", unit_scale=True) as bar:
        for month in range(args.months):
            reports = period_reports(cycle, period, pairs, rng)
            if month == 0:
                check_shape(reports, shape)
            for start in range(0, len(reports), args.batch):
                chunk = reports[start : start + args.batch]
                ProgressReport.objects.bulk_create(chunk, batch_size=args.batch)
                bar.update(len(chunk))
            values = target_values(reports, targets, rng)
            TargetValue.objects.bulk_create(values, batch_size=args.batch)
            reports_written += len(reports)
            values_written += len(values)
            period = period.next()
    return reports_written, values_written


def timed(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"{label:<24} {now - started:8.2f} s")
    return now


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    url = setup_django()
    from django.db import connection

    from weijian.orgs.models import Organization

    if Organization.objects.filter(name=OWNER).exists():
        sys.exit(f"the database already holds “{OWNER}”: start from an empty database")
    print(
        f"database: {connection.vendor} ({url.split('@')[-1]}); {args.units} units, "
        f"{args.tasks} tasks, {args.tasks_per_unit} per unit, {args.months} months from "
        f"{args.start}, seed {args.seed}"
    )
    rng = random.Random(args.seed)
    started = time.perf_counter()
    owner, units = generate_units(args, rng)
    started = timed(f"{len(units) + 1} organizations", started)
    plan, targets = generate_plan(args, rng, owner, units)
    cycle = generate_cycle(args, plan)
    started = timed(f"plan {plan.pk}, cycle {cycle.pk}", started)
    reports, values = generate_reports(args, rng, cycle, targets)
    timed(f"{reports:,} reports, {values:,} values", started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"plan {plan.pk}, cycle {cycle.pk}: bench with bench/bench_reporting.py --plan {plan.pk}")


if __name__ == "__main__":
    main()
