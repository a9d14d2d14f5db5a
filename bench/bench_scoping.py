"""Time the subtree queries that every scoped page runs, on the data bench/generate.py made.

    DEBUG=1 .venv/bin/python bench/bench_scoping.py [--repeat 7] [--no-explain]

For the province (root), its largest city, that city's largest county, and in that county the
institution with the most audit events ("unit") and the one with the fewest ("quiet") it times:
  - the number of organizations in the subtree (`path__startswith`);
  - the number of audit events in the subtree (what a paginator counts);
  - the first page (50 rows) of audit events in the subtree, newest first, with
    select_related("actor", "organization"), through `weijian.core.scoping.in_scope`.
Each figure is the median of --repeat runs after one warm-up run. The query plans are printed
for the city (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from common import setup_django  # noqa: E402 (bench/ is run as scripts)

PAGE_SIZE = 50

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from weijian.core.models import AuditEvent
    from weijian.orgs.models import Organization


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (median)")
    parser.add_argument("--no-explain", action="store_true", help="do not print query plans")
    return parser.parse_args(argv)


def median_ms(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of `run` in milliseconds, after one untimed warm-up; and its result."""
    result = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def pick_scopes() -> list[tuple[str, Organization]]:
    """The root, its largest city, that city's largest county, and in that county the institution
    with the most audit events ("unit") and the one with the fewest ("quiet")."""
    from django.db.models import Count

    from weijian.core.models import AuditEvent
    from weijian.orgs.models import Organization

    root = Organization.objects.filter(parent=None).order_by("pk").first()
    if root is None:
        sys.exit("no organizations: run bench/generate.py first")

    def largest_child(org: Organization) -> Organization:
        children = list(Organization.objects.filter(parent=org, children__isnull=False).distinct())
        return max(children, key=org_count)

    city = largest_child(root)
    county = largest_child(city)
    units = list(Organization.objects.filter(parent=county).order_by("pk"))
    if not units:
        sys.exit("the county has no institutions: generate more organizations")
    events = dict(
        AuditEvent.objects.filter(organization__in=units)
        .values_list("organization")
        .annotate(n=Count("pk"))
        .order_by()
    )
    busiest = max(units, key=lambda unit: events.get(unit.pk, 0))
    quiet = min(units, key=lambda unit: events.get(unit.pk, 0))
    scopes = [("province", root), ("city", city), ("county", county), ("unit", busiest)]
    if quiet.pk != busiest.pk:
        scopes.append(("quiet", quiet))
    return scopes


def viewer(org: Organization) -> Any:
    """An unsaved, active user of `org`: all `in_scope` needs to scope a query."""
    from weijian.accounts.models import User

    return User(username="bench-viewer", full_name="基准测试", organization=org)


def event_page(org: Organization) -> QuerySet[AuditEvent]:
    from weijian.core.models import AuditEvent
    from weijian.core.scoping import in_scope

    scoped = in_scope(AuditEvent.objects.all(), viewer(org), via="organization")
    return scoped.select_related("actor", "organization").order_by("-occurred_at")


def queries_for(org: Organization) -> list[tuple[str, Callable[[], Any]]]:
    from weijian.core.models import AuditEvent
    from weijian.orgs.models import Organization

    return [
        (
            "organizations in subtree (count)",
            lambda: Organization.objects.filter(path__startswith=org.path).count(),
        ),
        (
            "audit events in subtree (count)",
            lambda: AuditEvent.objects.filter(organization__path__startswith=org.path).count(),
        ),
        (
            f"audit events, first {PAGE_SIZE} rows",
            lambda: len(list(event_page(org)[:PAGE_SIZE])),
        ),
    ]


def run_benchmarks(scopes: list[tuple[str, Organization]], repeat: int) -> None:
    print(f"{'scope':<9} {'orgs':>6}  {'query':<34} {'result':>8} {'median ms':>10}")
    for label, org in scopes:
        size = org_count(org)
        for name, run in queries_for(org):
            ms, result = median_ms(run, repeat)
            print(f"{label:<9} {size:>6}  {name:<34} {result:>8} {ms:>10.2f}")


def org_count(org: Organization) -> int:
    from weijian.orgs.models import Organization

    return Organization.objects.filter(path__startswith=org.path).count()


def explain(org: Organization) -> None:
    """Print the plan of the exact SQL each timed query sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    for name, run in queries_for(org):
        with CaptureQueriesContext(connection) as captured:
            run()
        sql = captured.captured_queries[-1]["sql"]
        print(f"\n-- {name}: {org.name} ({org.path})\n{sql}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
        for row in rows:
            print(row[0] if postgres else f"  {row[1]:>3} {row[3]}")


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    url = setup_django()
    from django.db import connection

    from weijian.core.models import AuditEvent
    from weijian.orgs.models import Organization

    print(
        f"database: {connection.vendor} ({url.split('@')[-1]}); "
        f"{Organization.objects.count()} organizations, {AuditEvent.objects.count()} audit events; "
        f"median of {args.repeat} runs"
    )
    scopes = pick_scopes()
    run_benchmarks(scopes, args.repeat)
    if not args.no_explain:
        explain(scopes[1][1])


if __name__ == "__main__":
    main()
