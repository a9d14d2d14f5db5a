"""Time reading a plan document, importing it, and the plan's task tree page.

    DEBUG=1 .venv/bin/python bench/bench_plans.py [--tasks 2000] [--repeat 5] [--document PATH]

Creates, if missing, the organizations a city plan names: the city government with its
departments and county governments (`UNDER_GOVERNMENT`), and its health commission, which owns
the plan, with its institutions and the county bureaus (`UNDER_COMMISSION`), 41 in all; with
plates, aliases (`ALIASES`) and two collectives, so that unit resolution does real work: exact
names, plates, aliases, collectives, fuzzy matches and names that match nothing.
`--institutions N` adds N township health centres under the county bureaus, for a registry
the size of a whole city (they are kept: use a fresh database to go back).

Generates the document with bench/plan_document.py (or reads --document) and measures, each as
the median of --repeat runs after one untimed warm-up (time.perf_counter):
  - parse: `parse_plan(text)` (pure Python);
  - resolve: a fresh `plan_resolver` for the owner resolving every unit name of the plan;
  - import: `plan_import_apply` (one transaction; every run writes a new plan);
  - tree page: GET plans:plan_detail of the last plan by a leader of the owner (Django's test
    Client, force_login), with the number of queries (CaptureQueriesContext);
  - the same page filtered by one unit (the commission) and by the commission as partner;
  - the same page for an editor (科室人员), who also gets the edit links and the panel of
    unmatched unit names.
Times are taken with settings.DEBUG off (see `median_ms`); queries are counted in a separate run.
The plans an earlier run of this script imported for the owner are deleted first.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import setup_django  # noqa: E402 (bench/ is run as scripts)
from plan_document import CITY, plan_document

if TYPE_CHECKING:
    from django.test import Client

    from weijian.orgs.models import Organization
    from weijian.plans.models import Plan

SOURCE = "bench/bench_plans.py"
GOVERNMENT = f"{CITY}人民政府"
COMMISSION = f"{CITY}卫生健康委员会"
COUNTIES = ("青溪县", "石门县", "东湖区", "西城区")
TOWNSHIPS = ("城关镇", "河口镇", "白沙镇", "桥头镇", "新塘乡", "柳林乡", "高峰镇", "南岭乡")

# (name, kind, plates) under the commission and under the government.
UNDER_COMMISSION: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (f"{CITY}疾病预防控制中心", "public_health", ()),
    (f"{CITY}卫生健康综合监督执法支队", "public_health", ()),
    (f"{CITY}紧急救援中心", "public_health", (f"{CITY}120急救指挥中心",)),
    (f"{CITY}人民医院", "hospital", ()),
    (f"{CITY}中医院", "hospital", ()),
    (f"{CITY}妇幼保健院", "hospital", ()),
    *((f"{county}卫生健康委员会", "health_authority", ()) for county in COUNTIES),
)
DEPARTMENTS = (
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "生态环境局",
    "住房和城乡建设局",
    "城市管理局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电新闻出版旅游局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "体育局",
    "统计局",
    "医疗保障局",
)
UNDER_GOVERNMENT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    *((f"{CITY}{name}", "government_department", ()) for name in DEPARTMENTS),
    (f"国家税务总局{CITY}税务局", "government_department", ()),
    ("青山经济技术开发区管委会", "government", ()),
    *((f"{county}人民政府", "government", ()) for county in COUNTIES),
)
COMMISSION_PLATES = (f"{CITY}中医药管理局",)
# (alias, organization, valid from, valid to): 市卫计委 expired before the 2021 document.
ALIASES = (
    ("市卫健委", COMMISSION, datetime.date(2019, 1, 1), None),
    ("市卫计委", COMMISSION, datetime.date(2013, 1, 1), datetime.date(2018, 12, 31)),
    ("市人社局", f"{CITY}人力资源和社会保障局", None, None),
    ("市医保局", f"{CITY}医疗保障局", None, None),
    ("市市场监管局", f"{CITY}市场监督管理局", None, None),
    ("市文广新旅局", f"{CITY}文化广电新闻出版旅游局", None, None),
    ("市工信局", f"{CITY}工业和信息化局", None, None),
    ("市城管局", f"{CITY}城市管理局", None, None),
)
COLLECTIVES = (
    ("各县（区）人民政府", tuple(f"{county}人民政府" for county in COUNTIES)),
    ("各县（区）卫生健康委", tuple(f"{county}卫生健康委员会" for county in COUNTIES)),
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000, help="tasks in the generated plan")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--document", type=Path, help="read this .txt/.docx instead of generating")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per step (median)")
    parser.add_argument(
        "--institutions",
        type=int,
        default=0,
        help="township health centres to add under the county bureaus (kept once created)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


# --- the registry ---------------------------------------------------------------------------


def child(parent: Organization | None, name: str, kind: str, plates: Sequence[str] = ()) -> Any:
    """The organization `name` under `parent`, created with its materialised path if missing."""
    from weijian.orgs.models import Organization

    org, created = Organization.objects.get_or_create(
        parent=parent, name=name, defaults={"kind": kind, "plates": list(plates)}
    )
    if created:
        org.path = (parent.path if parent else "") + org.segment()
        org.depth = parent.depth + 1 if parent else 0
        org.save(update_fields=["path", "depth"])
    return org


def ensure_registry(institutions: int) -> Organization:
    """The city's organizations, aliases and collectives; returns the commission (the owner)."""
    from django.db import transaction

    from weijian.orgs.models import Organization
    from weijian.plans.models import CollectiveUnit, OrganizationAlias

    with transaction.atomic():
        government = child(None, GOVERNMENT, "government")
        commission = child(government, COMMISSION, "health_authority", COMMISSION_PLATES)
        for name, kind, plates in UNDER_GOVERNMENT:
            child(government, name, kind, plates)
        for name, kind, plates in UNDER_COMMISSION:
            child(commission, name, kind, plates)
        tree = {o.name: o for o in Organization.objects.filter(path__startswith=government.path)}
        for alias, owner, valid_from, valid_to in ALIASES:
            OrganizationAlias.objects.get_or_create(
                organization=tree[owner],
                name=alias,
                valid_from=valid_from,
                defaults={"valid_to": valid_to},
            )
        for name, members in COLLECTIVES:
            collective, _ = CollectiveUnit.objects.get_or_create(name=name)
            collective.members.add(*(tree[member] for member in members))
        bureaus = [tree[f"{county}卫生健康委员会"] for county in COUNTIES]
        for number in range(1, institutions + 1):
            county = COUNTIES[number % len(COUNTIES)]
            township = TOWNSHIPS[number // len(COUNTIES) % len(TOWNSHIPS)]
            name = f"{county}{township}第{number}卫生院"
            child(bureaus[number % len(COUNTIES)], name, "primary_care")
    return commission


def bench_user(organization: Organization, role: str) -> Any:
    """A user of the owner with one role, password fresh (no detour to change it)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from weijian.accounts.models import User

    user, _ = User.objects.get_or_create(
        username=f"bench-plans-{Group.objects.get(name=role).pk}",
        defaults={"full_name": f"基准测试{role}", "organization": organization},
    )
    user.organization = organization
    user.set_unusable_password()
    user.password_changed_at = timezone.now()
    user.save()
    user.groups.set(Group.objects.filter(name=role))
    return user


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Row:
    step: str
    median_ms: float
    queries: int | None = None
    note: str = ""


def median_ms(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of `run` in milliseconds after one untimed warm-up; the last result.

    Timed with settings.DEBUG off, as in production: with it on, Django logs every query (on
    SQLite, quoting each one's parameters with one more query)."""
    from django.test.utils import override_settings

    with override_settings(DEBUG=False):
        result = run()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def count_queries(run: Callable[[], Any]) -> tuple[int, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps 9000 queries: a full log would count nothing
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return len(captured), result


def read_text(args: argparse.Namespace) -> str:
    if args.document is None:
        text, _ = plan_document(args.tasks, args.seed)
        return text
    from weijian.core.text.document import read_document

    return read_document(args.document)


def remove_earlier_plans(owner: Organization) -> int:
    from weijian.plans.models import Plan

    plans = Plan.objects.filter(owner=owner)
    count = plans.count()
    plans.delete()
    return count


def import_once(parsed: dict[str, Any], owner: Organization) -> Plan:
    from weijian.plans.services import plan_import_apply

    return plan_import_apply(parsed=parsed, owner=owner, actor=None, source=SOURCE)


def resolve_all(parsed: dict[str, Any], owner: Organization) -> int:
    """What the import spends on names: build the owner's resolver, resolve each name once."""
    from weijian.plans.services import plan_resolver

    resolver = plan_resolver(owner=owner, year=parsed["plan"]["year"])
    found = [resolver.resolve(unit["name"]) for unit in parsed["units"]]
    return sum(1 for resolution in found if resolution is not None)


def page(client: Client, plan: Plan, params: dict[str, str]) -> Callable[[], Any]:
    from django.urls import reverse

    url = reverse("plans:plan_detail", args=[plan.pk])

    def get() -> Any:
        response = client.get(url, params)
        if response.status_code != 200:
            sys.exit(f"GET {url} {params} answered {response.status_code}, not 200")
        return response

    return get


def measure(args: argparse.Namespace, owner: Organization) -> tuple[list[Row], Plan]:
    from django.test import Client

    from weijian.accounts.roles import Role
    from weijian.plans.importers import parse_plan
    from weijian.plans.models import Assignment, Target

    text = read_text(args)
    ms, parsed_plan = median_ms(lambda: parse_plan(text), args.repeat)
    tasks = sum(1 for _ in parsed_plan.walk())
    warnings = len(parsed_plan.warnings)
    rows = [Row("parse", ms, note=f"{len(text):,} characters, {tasks} tasks, {warnings} warnings")]
    if args.document is None and tasks != args.tasks:
        sys.exit(f"the parser found {tasks} tasks in a document of {args.tasks}: check it")
    parsed = parsed_plan.to_json()

    ms, resolved = median_ms(lambda: resolve_all(parsed, owner), args.repeat)
    rows.append(Row("resolve unit names", ms, note=f"{resolved}/{len(parsed['units'])} found"))

    queries, _ = count_queries(lambda: import_once(parsed, owner))
    ms, plan = median_ms(lambda: import_once(parsed, owner), args.repeat)
    assignments = Assignment.objects.filter(task__plan=plan)
    linked = assignments.filter(organization__isnull=False).count()
    targets = Target.objects.filter(task__plan=plan).count()
    note = f"{assignments.count()} assignments ({linked} linked), {targets} targets"
    rows.append(Row("import (plan_import_apply)", ms, queries, note))

    reader = Client(SERVER_NAME="localhost")  # a host DEBUG's ALLOWED_HOSTS accepts
    reader.force_login(bench_user(owner, Role.LEADER))
    editor = Client(SERVER_NAME="localhost")
    editor.force_login(bench_user(owner, Role.STAFF))
    partner = {"unit": f"o{owner.pk}", "role": "partner"}
    for step, client, params in (
        ("tree page", reader, {}),
        ("tree page, one unit", reader, {"unit": f"o{owner.pk}"}),
        ("tree page, unit as partner", reader, partner),
        ("tree page, editor", editor, {}),
    ):
        get = page(client, plan, params)
        queries, response = count_queries(get)
        ms, _ = median_ms(get, args.repeat)
        shown = response.content.count(b'data-path="')  # the tasks on the page
        rows.append(Row(step, ms, queries, f"{shown} tasks shown, {len(response.content):,} bytes"))
    return rows, plan


def print_rows(rows: list[Row]) -> None:
    print(f"{'step':<28} {'median ms':>10} {'queries':>8}  note")
    for row in rows:
        queries = "" if row.queries is None else str(row.queries)
        print(f"{row.step:<28} {row.median_ms:>10.1f} {queries:>8}  {row.note}")


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    url = setup_django()
    from django.db import connection

    from weijian.plans.resolve import tree_of

    owner = ensure_registry(args.institutions)
    tree_size = len(tree_of(owner))
    removed = remove_earlier_plans(owner)
    source = args.document or f"generated, {args.tasks} tasks, seed {args.seed}"
    print(
        f"database: {connection.vendor} ({url.split('@')[-1]}); owner tree: {tree_size} "
        f"organizations; document: {source}; median of {args.repeat} runs"
        + (f"; removed {removed} earlier bench plans" if removed else "")
    )
    rows, _ = measure(args, owner)
    print_rows(rows)


if __name__ == "__main__":
    main()
