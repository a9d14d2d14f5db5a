"""Fill a throwaway database with a synthetic province: organizations, users and audit events.

    DEBUG=1 .venv/bin/python bench/generate.py [--orgs 5000] [--users 2000] [--events 200000]

The database comes from BENCH_DATABASE_URL (default: a SQLite file under /tmp), never from
DATABASE_URL, so the development database is not touched. The script migrates it first and
refuses to run on one that already holds organizations: start from an empty database.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING

from common import setup_django  # noqa: E402 (bench/ is run as scripts)

if TYPE_CHECKING:
    from weijian.accounts.models import User
    from weijian.core.models import AuditEvent
    from weijian.orgs.models import Organization

ACTIONS: Sequence[tuple[str, float]] = (
    ("auth.login", 0.45),
    ("auth.logout", 0.25),
    ("auth.login_failed", 0.08),
    ("access.denied", 0.04),
    ("data.export", 0.06),
    ("data.reveal", 0.02),
    ("report.submit", 0.10),
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--orgs",
        type=int,
        default=5000,
        help="organizations in all (≥ 1 + cities × (1 + counties))",
    )
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--cities", type=int, default=14, help="cities under the province")
    parser.add_argument("--counties", type=int, default=10, help="counties under each city")
    parser.add_argument(
        "--days", type=int, default=365, help="audit events spread over this many days"
    )
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--batch", type=int, default=5000, help="rows per INSERT")
    args = parser.parse_args(argv)
    if args.orgs < 1 + args.cities * (1 + args.counties):
        parser.error("--orgs is too small for --cities and --counties")
    return args


def fill_paths(orgs: list[Organization], parents: dict[int, Organization]) -> None:
    """Set path and depth once primary keys are known; parents must already have theirs."""
    for org in orgs:
        parent = parents.get(org.parent_id) if org.parent_id is not None else None
        prefix = parent.path if parent is not None else ""
        org.path = f"{prefix}{org.pk:08d}/"
        org.depth = parent.depth + 1 if parent is not None else 0


def create_level(
    orgs: list[Organization], parents: dict[int, Organization], batch: int
) -> list[Organization]:
    from weijian.orgs.models import Organization

    created = Organization.objects.bulk_create(orgs, batch_size=batch)
    if any(org.pk is None for org in created):
        sys.exit("this database backend does not return primary keys from bulk_create")
    fill_paths(created, parents)
    Organization.objects.bulk_update(created, ["path", "depth"], batch_size=500)
    return created


def generate_orgs(args: argparse.Namespace, rng: random.Random) -> list[Organization]:
    """Province → cities → counties → institutions, created level by level."""
    from weijian.orgs.models import Organization, OrganizationKind

    province = create_level(
        [Organization(name="某省卫生健康委员会", kind=OrganizationKind.HEALTH_AUTHORITY)],
        {},
        args.batch,
    )
    cities = create_level(
        [
            Organization(
                name=f"第{i}市卫生健康委员会",
                kind=OrganizationKind.HEALTH_AUTHORITY,
                parent=province[0],
            )
            for i in range(1, args.cities + 1)
        ],
        {province[0].pk: province[0]},
        args.batch,
    )
    counties = create_level(
        [
            Organization(
                name=f"第{i}市第{j}县卫生健康局",
                kind=OrganizationKind.HEALTH_AUTHORITY,
                parent=city,
            )
            for i, city in enumerate(cities, start=1)
            for j in range(1, args.counties + 1)
        ],
        {city.pk: city for city in cities},
        args.batch,
    )
    kinds = [
        OrganizationKind.HOSPITAL,
        OrganizationKind.PRIMARY_CARE,
        OrganizationKind.PRIMARY_CARE,
        OrganizationKind.PUBLIC_HEALTH,
        OrganizationKind.OTHER,
    ]
    # Most institutions hang under a county; one in ten directly under a city (city hospitals).
    remaining = args.orgs - 1 - len(cities) - len(counties)
    institutions = []
    for k in range(1, remaining + 1):
        parent = rng.choice(cities) if k % 10 == 0 else rng.choice(counties)
        kind = rng.choice(kinds)
        institutions.append(Organization(name=f"{kind.label}{k:06d}", kind=kind, parent=parent))
    parents = {org.pk: org for org in [*cities, *counties]}
    leaves = create_level(institutions, parents, args.batch)
    return [*province, *cities, *counties, *leaves]


def generate_users(
    args: argparse.Namespace, rng: random.Random, orgs: list[Organization]
) -> list[User]:
    from django.contrib.auth.hashers import make_password

    from weijian.accounts.models import User

    password = make_password("Bench-password-0")  # hashed once, shared by every account
    users = [
        User(
            username=f"bench{i:06d}",
            full_name=f"测试用户{i:06d}",
            organization=rng.choice(orgs),
            password=password,
        )
        for i in range(1, args.users + 1)
    ]
    return User.objects.bulk_create(users, batch_size=args.batch)


def audit_events(
    args: argparse.Namespace, rng: random.Random, users: list[User]
) -> Iterator[AuditEvent]:
    from django.utils import timezone

    from weijian.core.models import AuditEvent

    now: datetime = timezone.now()
    span = args.days * 24 * 3600
    codes = [code for code, _ in ACTIONS]
    weights = [weight for _, weight in ACTIONS]
    for _ in range(args.events):
        user = rng.choice(users)
        action = rng.choices(codes, weights)[0]
        success = action not in {"auth.login_failed", "access.denied"}
        yield AuditEvent(
            occurred_at=now - timedelta(seconds=rng.randrange(span)),
            actor=user,
            actor_username=user.username,
            organization_id=user.organization_id,
            ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
            action=action,
            summary={"bench": True, "n": rng.randrange(1000)},
            success=success,
        )


def generate_events(args: argparse.Namespace, rng: random.Random, users: list[User]) -> int:
    from weijian.core.models import AuditEvent

    events = audit_events(args, rng, users)
    written = 0
    while chunk := list(islice(events, args.batch)):
        AuditEvent.objects.bulk_create(chunk, batch_size=args.batch)
        written += len(chunk)
    return written


def timed(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"{label:<24} {now - started:8.2f} s")
    return now


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    url = setup_django()
    from django.db import connection, transaction

    from weijian.orgs.models import Organization

    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    if Organization.objects.exists():
        sys.exit("the benchmark database already holds organizations: start from an empty one")
    step = timed("migrate", started)
    rng = random.Random(args.seed)
    with transaction.atomic():
        orgs = generate_orgs(args, rng)
    step = timed(f"organizations: {len(orgs)}", step)
    with transaction.atomic():
        users = generate_users(args, rng, orgs)
    step = timed(f"users: {len(users)}", step)
    with transaction.atomic():
        written = generate_events(args, rng, users)
    step = timed(f"audit events: {written}", step)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner, on both backends
    timed("analyze", step)
    timed("total", started)


if __name__ == "__main__":
    main()
