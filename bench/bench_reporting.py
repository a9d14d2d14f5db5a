"""Time the figures of one reporting period: the unit status, the reporting_status command,
the monthly notice (通报) and the leaders' dashboard, on data from bench/reporting_generate.py.

    DEBUG=1 .venv/bin/python bench/bench_reporting.py [--plan ID] [--period 2025-12]
        [--repeat 5] [--explain]

Each step is the median of --repeat runs after one untimed warm-up (time.perf_counter, with
settings.DEBUG off), with its number of queries counted in a separate run:
  - unit_status: `reporting.status.unit_status(cycle, period)`;
  - open_period: `services.expected.open_period` on the already opened period (what the two
    commands do first; it reads the period's task × unit pairs);
  - reporting_status --json: the command end to end through call_command;
  - bulletin data / document / .docx / .pdf: `bulletin.bulletin_data`, `bulletin_document`,
    `core.documents.docx_bytes` and `pdf_bytes`, as make_bulletin builds them;
  - dashboard: the figures of `reporting.dashboard` for the period over the reports in the
    owner's tree (totals, completion by unit, lagging tasks, trend, targets, one target's
    values), then the dashboard page itself (GET reporting:dashboard as 科室人员 of the owner).
--explain prints the plans of unit_status's queries (EXPLAIN ANALYZE on PostgreSQL,
EXPLAIN QUERY PLAN on SQLite).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bench_plans import Row, bench_user, count_queries, median_ms, print_rows
from common import setup_django  # noqa: E402 (bench/ is run as scripts)
from reporting_generate import PLAN_TITLE

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from weijian.reporting.models import ProgressReport, ReportingCycle
    from weijian.reporting.periods import Period


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--plan", type=int, help="the plan (default: the generated one)")
    parser.add_argument("--period", help="the period (default: the last with reports)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per step (median)")
    parser.add_argument("--explain", action="store_true", help="print unit_status's plans")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def find_cycle(args: argparse.Namespace) -> tuple[ReportingCycle, Period]:
    from weijian.reporting.models import ProgressReport, ReportingCycle
    from weijian.reporting.periods import Period

    cycles = ReportingCycle.objects.select_related("plan__owner")
    if args.plan is not None:
        cycles = cycles.filter(plan_id=args.plan)
    else:
        cycles = cycles.filter(plan__title=PLAN_TITLE)
    cycle = cycles.order_by("-pk").first()
    if cycle is None:
        sys.exit("no reporting cycle found: run bench/reporting_generate.py first")
    if args.period:
        return cycle, Period.parse(args.period)
    last = ProgressReport.objects.filter(cycle=cycle).order_by("-period_start").first()
    if last is None:
        sys.exit("the cycle has no reports: run bench/reporting_generate.py first")
    return cycle, Period.parse(last.period)


def step(rows: list[Row], name: str, run: Callable[[], Any], repeat: int, note: str = "") -> Any:
    queries, _ = count_queries(run)
    ms, result = median_ms(run, repeat)
    rows.append(Row(name, ms, queries, note))
    return result


def status_steps(rows: list[Row], cycle: ReportingCycle, period: Period, repeat: int) -> None:
    from django.core.management import call_command

    from weijian.reporting.services.expected import open_period
    from weijian.reporting.status import unit_status

    units = step(rows, "unit_status", lambda: unit_status(cycle, period.key), repeat)
    rows[-1].note = f"{len(units)} units"
    step(rows, "open_period (already open)", lambda: open_period(cycle, period), repeat)

    def command() -> int:
        out = io.StringIO()
        call_command(
            "reporting_status", plan=cycle.plan_id, period=period.key, json=True, stdout=out
        )
        return len(out.getvalue())

    size = step(rows, "reporting_status --json", command, repeat)
    rows[-1].note = f"{size:,} characters of JSON"


def bulletin_steps(rows: list[Row], cycle: ReportingCycle, period: Period, repeat: int) -> None:
    from django.utils import timezone

    from weijian.core.documents import docx_bytes, pdf_bytes
    from weijian.reporting.bulletin import bulletin_data, bulletin_document

    today = timezone.localdate()
    data = step(rows, "bulletin data", lambda: bulletin_data(cycle, period), repeat)
    rows[-1].note = (
        f"{len(data.units)} units, {len(data.late)} late, {len(data.missing)} missing, "
        f"{len(data.lagging)} lagging rows"
    )
    document = step(rows, "bulletin document", lambda: bulletin_document(data, today=today), repeat)
    docx = step(rows, "bulletin .docx", lambda: docx_bytes(document), repeat)
    rows[-1].note = f"{len(docx):,} bytes"
    pdf = step(rows, "bulletin .pdf", lambda: pdf_bytes(document), repeat)
    rows[-1].note = f"{len(pdf):,} bytes, {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')}"
    rows[-1].note += " pages"


def dashboard_steps(rows: list[Row], cycle: ReportingCycle, period: Period, repeat: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from weijian.accounts.roles import Role
    from weijian.reporting import dashboard as figures

    user = bench_user(cycle.plan.owner, Role.STAFF)
    reports: QuerySet[ProgressReport] = figures.reports_in_scope(user=user).filter(cycle=cycle)
    current = reports.filter(period=period.key)
    step(rows, "dashboard totals", lambda: figures.totals(current), repeat)
    units = step(rows, "dashboard by unit", lambda: figures.completion_by_unit(current), repeat)
    rows[-1].note = f"{len(units)} units"
    step(rows, "dashboard lagging", lambda: figures.lagging_tasks(current), repeat)
    points = step(rows, "dashboard trend", lambda: figures.trend(reports, until=period), repeat)
    rows[-1].note = f"{len(points)} periods"
    targets = step(
        rows, "dashboard targets", lambda: figures.target_rows(reports, until=period), repeat
    )
    rows[-1].note = f"{len(targets)} targets"
    if targets:
        target_id = targets[0].target_id
        values = step(
            rows,
            "dashboard one target",
            lambda: figures.target_values(reports, until=period, target_id=target_id),
            repeat,
        )
        rows[-1].note = f"{len(values)} units"
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = reverse("reporting:dashboard")
    params = {"cycle": str(cycle.pk), "period": period.key}

    def page() -> int:
        response = client.get(url, params)
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}, not 200")
        return len(response.content)

    size = step(rows, "dashboard page", page, repeat)
    rows[-1].note = f"{size:,} bytes"


def explain(cycle: ReportingCycle, period: Period) -> None:
    """The plan of each of unit_status's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weijian.reporting.status import unit_status

    with CaptureQueriesContext(connection) as captured:
        unit_status(cycle, period.key)
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    for query in captured.captured_queries:
        print(f"\n-- {query['sql']}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            for line in cursor.fetchall():
                print("   ", " ".join(str(part) for part in line))


def counts(cycle: ReportingCycle, period: Period) -> str:
    from weijian.orgs.models import Organization
    from weijian.reporting.models import ProgressReport, TargetValue

    owner = cycle.plan.owner
    units = Organization.objects.filter(path__startswith=owner.path).count()
    in_cycle = ProgressReport.objects.filter(cycle=cycle)
    return (
        f"{units:,} organizations in the owner's tree; reports: "
        f"{ProgressReport.objects.count():,} in all, {in_cycle.count():,} in the cycle, "
        f"{in_cycle.filter(period=period.key).count():,} in {period.key}; "
        f"{TargetValue.objects.count():,} target values"
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    url = setup_django()
    from django.db import connection

    cycle, period = find_cycle(args)
    print(
        f"database: {connection.vendor} ({url.split('@')[-1]}); plan {cycle.plan_id}, "
        f"cycle {cycle.pk}, period {period.key}; median of {args.repeat} runs"
    )
    print(counts(cycle, period))
    rows: list[Row] = []
    status_steps(rows, cycle, period, args.repeat)
    bulletin_steps(rows, cycle, period, args.repeat)
    dashboard_steps(rows, cycle, period, args.repeat)
    print_rows(rows)
    if args.explain:
        explain(cycle, period)


if __name__ == "__main__":
    main()
