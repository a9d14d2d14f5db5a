"""The double-random draw (双随机) with conflict avoidance (回避), as a pure function.

``draw(institutions, inspectors, rules, seed)`` depends on nothing but its arguments: both pools
are sorted by key first and every random choice comes from one ``random.Random(seed)``, so the same
snapshot, rules and seed give the same result whatever the input order.

1. **Objects.** ``count`` institutions (or ``ceil(ratio × pool)``, at least one) are drawn without
   replacement with the Efraimidis–Spirakis keys ``u ** (1/w)``: the ``count`` largest keys win.
   This is *successive sampling* (draw one with probability ``w / Σw`` among those left, repeat),
   so a 1-of-N draw picks institution i with probability exactly ``w_i / Σw``; for k > 1 the
   inclusion probabilities are those of successive sampling, not ``k·w_i / Σw``. The statistical
   tests check both (see tests/test_draw_statistics.py). Unweighted rules give every weight 1.
   Keys are compared as ``log(u) / w``, the same order without underflow.
2. **Conflicts.** Only certified inspectors are drawn. An inspector may not inspect an institution
   where he works or worked, where a declared relative works, or (``avoid_previous_round``) one he
   inspected in the previous round. ``conflicts_avoided`` counts the (selected institution,
   certified inspector) pairs excluded, each pair once whatever the number of reasons.
3. **Groups.** Every selected institution gets exactly ``group_size`` distinct allowed inspectors.
   Without a capacity per inspector this is feasible iff each institution has ``group_size``
   allowed inspectors; otherwise nothing is drawn and each institution short of inspectors is
   listed with the reason. A greedy pass gives each institution (most conflicts first, then in a
   seeded random order) the least-loaded allowed inspectors (ties in a seeded random order); then
   cost-reducing paths move one duty at a time from an inspector with load ``a`` to one with load
   ``b ≤ a − 2`` through swaps inside groups. When no such path is left the sum of squared loads
   is minimal (a convex-cost flow with no negative cycle), which is the balanced vector
   (max − min ≤ 1) whenever one is achievable, and also minimises the busiest inspector's load.
   This replaces the "raise a capacity L until a max-flow fits" scheme: it needs no capacity
   search and gives the same (indeed a stronger) guarantee; the property tests compare it with a
   brute force on small pools.

Nothing is half-drawn: when any selected institution is short of inspectors, ``selected`` is
empty, ``uncovered`` lists those institutions and ``conflicts_avoided`` is 0. A ``count`` larger
than the pool draws the whole pool.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

CONFLICT_LABELS = {
    "worked": "名曾在该机构工作",
    "relative": "名有亲属在该机构",
    "previous": "名上一轮检查过该机构",
}


@dataclass(frozen=True)
class Institution:
    """An object in the pool; ``key`` is the USCC (or another stable id)."""

    key: str
    name: str
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError(f"机构「{self.name}」缺少统一社会信用代码或编号")
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"机构{self.key}的风险权重必须为正数，现为{self.weight}")


@dataclass(frozen=True)
class Inspector:
    """An inspector in the pool; ``key`` is the enforcement certificate number."""

    key: str
    name: str = ""
    certified: bool = True
    worked_at: frozenset[str] = field(default_factory=frozenset)
    relatives_at: frozenset[str] = field(default_factory=frozenset)
    inspected_last_round: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError(f"执法人员「{self.name}」缺少执法证号")


Pooled = TypeVar("Pooled", Institution, Inspector)


@dataclass(frozen=True)
class Rules:
    """How many objects to draw and how to staff them: exactly one of ``count`` or ``ratio``."""

    count: int | None = None
    ratio: float | None = None
    group_size: int = 2
    weighted: bool = True
    avoid_previous_round: bool = True

    def __post_init__(self) -> None:
        if (self.count is None) == (self.ratio is None):
            raise ValueError("抽取数量和抽取比例须且只能填写一项")
        if self.count is not None and self.count < 1:
            raise ValueError(f"抽取数量必须至少为1，现为{self.count}")
        if self.ratio is not None and not 0 < self.ratio <= 1:
            raise ValueError(f"抽取比例必须大于0且不超过1，现为{self.ratio}")
        if self.group_size < 2:
            raise ValueError(f"每组执法人员不得少于2名，现为{self.group_size}")

    def sample_size(self, pool_size: int) -> int:
        """Objects to draw: ``count`` or ``ceil(ratio × pool)``, never more than the pool."""
        if pool_size == 0:
            return 0
        if self.ratio is None:
            return min(self.count or 0, pool_size)
        # round() first so that 0.05 × 100 = 5.000000000000001 does not become 6.
        return max(1, min(pool_size, math.ceil(round(self.ratio * pool_size, 9))))


@dataclass(frozen=True)
class Selected:
    institution: Institution
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class Uncovered:
    institution: str
    reason: str


@dataclass(frozen=True)
class DrawResult:
    seed: int
    pool_size: int
    inspector_pool_size: int
    selected: tuple[Selected, ...]
    uncovered: tuple[Uncovered, ...]
    conflicts_avoided: int
    weighted: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "pool_size": self.pool_size,
            "inspector_pool_size": self.inspector_pool_size,
            "selected": [
                {
                    "institution": s.institution.key,
                    "name": s.institution.name,
                    "weight": float(s.institution.weight) if self.weighted else 1.0,
                    "inspectors": list(s.inspectors),
                }
                for s in self.selected
            ],
            "uncovered": [
                {"institution": u.institution, "reason": u.reason} for u in self.uncovered
            ],
            "conflicts_avoided": self.conflicts_avoided,
        }


def draw(
    institutions: Sequence[Institution],
    inspectors: Sequence[Inspector],
    rules: Rules,
    seed: int,
) -> DrawResult:
    """Draw objects and staff them with conflict-free, evenly loaded groups (see the module doc)."""
    pool = _sorted_unique(institutions, "机构")
    staff = _sorted_unique(inspectors, "执法人员")
    rng = random.Random(seed)  # noqa: S311 - reproducible lottery, not cryptography
    chosen = _select(pool, rules, rng)
    certified = [p for p in staff if p.certified]
    conflicts = _conflicts(certified, {i.key for i in chosen}, rules.avoid_previous_round)
    blocked = [_excluded(conflicts, i.key) for i in chosen]
    result = DrawResult(seed, len(pool), len(staff), (), (), 0, rules.weighted)
    short = [
        Uncovered(inst.key, _shortage_reason(rules.group_size, len(certified), conflicts, inst.key))
        for inst, excluded in zip(chosen, blocked, strict=True)
        if len(certified) - len(excluded) < rules.group_size
    ]
    if short:
        return replace(result, uncovered=tuple(short))
    groups = _assign(len(certified), blocked, rules.group_size, rng)
    selected = tuple(
        Selected(inst, tuple(sorted(certified[x].key for x in group)))
        for inst, group in zip(chosen, groups, strict=True)
    )
    return replace(result, selected=selected, conflicts_avoided=sum(len(b) for b in blocked))


def _sorted_unique(items: Sequence[Pooled], what: str) -> list[Pooled]:
    ordered = sorted(items, key=lambda item: item.key)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.key == after.key:
            raise ValueError(f"{what}编号重复：{after.key}")
    return ordered


def _select(pool: list[Institution], rules: Rules, rng: random.Random) -> list[Institution]:
    """Successive sampling by Efraimidis–Spirakis keys; the result is in key order."""
    k = rules.sample_size(len(pool))
    if rules.weighted:
        keys = [math.log(1.0 - rng.random()) / inst.weight for inst in pool]
    else:
        keys = [math.log(1.0 - rng.random()) for _ in pool]
    winners = heapq.nlargest(k, range(len(pool)), key=keys.__getitem__)
    return [pool[i] for i in sorted(winners)]


# {conflict kind: {institution key: [certified inspector index, …]}}
Conflicts = dict[str, dict[str, list[int]]]


def _conflicts(certified: list[Inspector], chosen: set[str], avoid_previous: bool) -> Conflicts:
    found: Conflicts = {kind: {} for kind in CONFLICT_LABELS}
    for index, person in enumerate(certified):
        kinds = [("worked", person.worked_at), ("relative", person.relatives_at)]
        if avoid_previous:
            kinds.append(("previous", person.inspected_last_round))
        for kind, keys in kinds:
            by_institution = found[kind]
            for key in keys & chosen:
                by_institution.setdefault(key, []).append(index)
    return found


def _excluded(conflicts: Conflicts, key: str) -> frozenset[int]:
    """Certified inspectors who may not inspect ``key``, whatever the reason (counted once)."""
    return frozenset().union(*(by_kind.get(key, ()) for by_kind in conflicts.values()))


def _shortage_reason(needed: int, certified: int, conflicts: Conflicts, key: str) -> str:
    """Why ``key`` cannot be staffed; an inspector with two reasons is counted under each."""
    available = certified - len(_excluded(conflicts, key))
    reason = f"可派执法人员不足：需要{needed}名，无利益冲突的持证人员只有{available}名"
    parts = [
        f"{len(conflicts[kind][key])}{label}"
        for kind, label in CONFLICT_LABELS.items()
        if conflicts[kind].get(key)
    ]
    return reason + (f"（{'、'.join(parts)}）" if parts else "")


def _assign(
    staff: int, blocked: list[frozenset[int]], size: int, rng: random.Random
) -> list[set[int]]:
    """Groups of ``size`` inspectors (indices < staff) per institution, loads balanced."""
    groups: list[set[int]] = [set() for _ in blocked]
    duties: list[set[int]] = [set() for _ in range(staff)]
    _greedy(groups, duties, blocked, size, rng)
    _balance(groups, duties, blocked)
    return groups


def _greedy(
    groups: list[set[int]],
    duties: list[set[int]],
    blocked: list[frozenset[int]],
    size: int,
    rng: random.Random,
) -> None:
    """Each institution, most conflicts first, takes the least-loaded allowed inspectors."""
    order = list(range(len(duties)))
    rng.shuffle(order)
    heap = [(0, seq, x) for seq, x in enumerate(order)]  # (load, tie-break, inspector)
    sequence = len(heap)
    institutions = list(range(len(groups)))
    rng.shuffle(institutions)
    # Least flexible first (stable sort keeps the random order among equals): institutions with
    # many conflicts take their few inspectors before the others use them up.
    institutions.sort(key=lambda inst: -len(blocked[inst]))
    for inst in institutions:
        skipped = []
        while len(groups[inst]) < size:
            load, tie, x = heapq.heappop(heap)
            if x in blocked[inst]:
                skipped.append((load, tie, x))
                continue
            groups[inst].add(x)
            duties[x].add(inst)
            heapq.heappush(heap, (load + 1, sequence, x))
            sequence += 1
        for entry in skipped:
            heapq.heappush(heap, entry)


def _balance(groups: list[set[int]], duties: list[set[int]], blocked: list[frozenset[int]]) -> None:
    """Apply cost-reducing paths until none is left (see the module doc).

    Inspectors reached from the busiest ones without finding a target are frozen: no later path can
    leave that set, so it never needs to be searched again.
    """
    frozen: set[int] = set()
    while True:
        free = [x for x in range(len(duties)) if x not in frozen]
        if not free:
            return
        top = max(len(duties[x]) for x in free)
        if top - min(len(duties[x]) for x in free) <= 1:
            return
        sources = [x for x in free if len(duties[x]) == top]
        path, reached = _find_path(sources, top - 2, groups, duties, blocked, frozen)
        if path is None:
            frozen |= reached
        else:
            _augment(path, groups, duties)


Step = tuple[int, int, int]  # (from inspector, institution, to inspector)


def _find_path(
    sources: list[int],
    target_load: int,
    groups: list[set[int]],
    duties: list[set[int]],
    blocked: list[frozenset[int]],
    frozen: set[int],
) -> tuple[list[Step] | None, set[int]]:
    """Breadth-first search from ``sources`` to an inspector with load ≤ ``target_load``.

    From inspector x the search goes to each institution i that x serves, and from i to every
    inspector y that i may take instead of x. Unvisited inspectors are kept in one set and each
    expansion takes a set difference, so every inspector is visited once.
    """
    came_from: dict[int, Step] = {}
    reached = set(sources)
    unvisited = set(range(len(duties))) - reached - frozen
    seen_institutions: set[int] = set()
    queue = deque(sources)
    while queue and unvisited:
        x = queue.popleft()
        for inst in sorted(duties[x] - seen_institutions):
            seen_institutions.add(inst)
            taken = unvisited.difference(blocked[inst], groups[inst])
            unvisited -= taken
            for y in sorted(taken):
                came_from[y] = (x, inst, y)
                reached.add(y)
                if len(duties[y]) <= target_load:
                    return _unwind(came_from, y), reached
                queue.append(y)
    return None, reached


def _unwind(came_from: dict[int, Step], end: int) -> list[Step]:
    path = []
    while end in came_from:
        step = came_from[end]
        path.append(step)
        end = step[0]
    return path


def _augment(path: list[Step], groups: list[set[int]], duties: list[set[int]]) -> None:
    for before, inst, after in path:
        groups[inst].remove(before)
        groups[inst].add(after)
        duties[before].remove(inst)
        duties[after].add(inst)
