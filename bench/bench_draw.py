"""Time the double-random draw: the pure draw in memory (10k, 100k, 1M institutions) and the
database path (snapshot + draw) over synthetic regions, with 2,000 inspectors, a 5 % ratio,
groups of 2, weighted by risk grade and conflicts on (employment histories and relatives).

    DEBUG=1 .venv/bin/python bench/bench_draw.py [--memory 10000,100000,1000000]
        [--db 10000,100000] [--inspectors 2000] [--repeat 3] [--seed 1]

The database sizes are generated once per size into their own county (see --help) with
`weijian.supervision.synthetic.populate` (practitioners left out: the draw does not read them)
and reused on later runs. Database from BENCH_DATABASE_URL (see bench/README.md).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from common import setup_django

# One county per database size, so that the sizes do not mix (all in 江西, 3603xx/3604xx).
DB_REGIONS = {10_000: "360302", 100_000: "360313", 1_000_000: "360321"}


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def _median(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_memory(sizes: list[int], inspectors: int, repeat: int, seed: int) -> None:
    from weijian.supervision import synthetic
    from weijian.supervision.draw import Rules, draw

    rules = Rules(ratio=0.05, group_size=2)
    print("In memory (pure draw):")
    print(f"{'institutions':>12} {'pool':>9} {'selected':>8} {'conflicts':>9} {'draw s':>8}")
    for size in sizes:
        pool, staff = synthetic.memory_pools(size, inspectors, seed=seed)
        seconds, result = _median(repeat, partial(draw, pool, staff, rules, seed))
        print(
            f"{size:>12,} {result.pool_size:>9,} {len(result.selected):>8,} "
            f"{result.conflicts_avoided:>9,} {seconds:>8.2f}"
        )


def _ensure(size: int, inspectors: int, seed: int) -> Any:
    from django.db import transaction

    from weijian.orgs.models import Region
    from weijian.supervision import synthetic
    from weijian.supervision.models import Institution

    region = Region.objects.get(code=DB_REGIONS[size])
    have = Institution.objects.filter(region=region).count()
    if have < size:
        start = time.perf_counter()
        with transaction.atomic():
            synthetic.populate(
                region,
                institutions=size - have,
                inspectors=inspectors,
                seed=seed + size,
                practitioners=0,
            )
        print(f"  generated {size - have:,} institutions in {time.perf_counter() - start:.1f} s")
    return region


def _digest(pool: Any) -> str:
    from weijian.supervision import snapshot

    return snapshot.snapshot_digest(pool.snapshot())


def bench_database(sizes: list[int], inspectors: int, repeat: int, seed: int) -> None:
    from django.utils import timezone

    from weijian.supervision import snapshot
    from weijian.supervision.draw import Rules

    rules = Rules(ratio=0.05, group_size=2)
    print("Database (snapshot + draw + digest of the stored snapshot):")
    rows = []
    for size in sizes:
        region = _ensure(size, inspectors, seed)
        scope = snapshot.trial_scope(region, as_of=timezone.localdate())
        read, pool = _median(repeat, partial(snapshot.build_pool, scope))
        drawn, result = _median(repeat, partial(snapshot.run, pool, rules, seed))
        digest, _ = _median(repeat, partial(_digest, pool))
        rows.append((size, result, read, drawn, digest))
    print(
        f"{'institutions':>12} {'pool':>9} {'staff':>6} {'selected':>8} {'conflicts':>9} "
        f"{'snapshot s':>10} {'draw s':>7} {'total s':>8} {'digest s':>8}"
    )
    for size, result, read, drawn, digest in rows:
        print(
            f"{size:>12,} {result.pool_size:>9,} {result.inspector_pool_size:>6,} "
            f"{len(result.selected):>8,} {result.conflicts_avoided:>9,} {read:>10.2f} "
            f"{drawn:>7.2f} {read + drawn:>8.2f} {digest:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", type=_sizes, default=_sizes("10000,100000,1000000"))
    parser.add_argument("--db", type=_sizes, default=_sizes("10000,100000"))
    parser.add_argument("--inspectors", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    unknown = [size for size in args.db if size not in DB_REGIONS]
    if unknown:
        parser.error(f"--db sizes must be among {sorted(DB_REGIONS)}")
    url = setup_django()
    print(f"Database: {url}")
    if args.memory:
        bench_memory(args.memory, args.inspectors, args.repeat, args.seed)
    if args.db:
        bench_database(args.db, args.inspectors, args.repeat, args.seed)


if __name__ == "__main__":
    main()
