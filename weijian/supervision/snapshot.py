"""The draw's inputs, read from the database in a constant number of queries.

`build_pool(scope)` turns a scope (a plan's, or a trial's from the `draw` command) into the two
pools the pure `draw()` takes: institutions (key = USCC, weight = risk weight) and inspectors
(key = certificate number, with the USCCs they may not inspect). The same pool, written as
plain JSON by `Pool.snapshot()`, is what a Draw stores; `snapshot_digest` is the SM3 of its
canonical JSON, and `replay(draw)` runs a stored draw again from its snapshot, rules and seed.

Every read is a `values_list` over the whole scope (no per-row query), so the cost grows with
the pool, not with the number of queries: see bench/bench_draw.py.
"""

from __future__ import annotations

import calendar
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from weijian.core.crypto import sm3_hex
from weijian.orgs.models import Region, RegionLevel
from weijian.orgs.regions import region_level
from weijian.supervision import draw as pure
from weijian.supervision.models import (
    Draw,
    Inspection,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    InstitutionStatus,
    PoolStatus,
    SamplingPlan,
)
from weijian.supervision.models.sampling import default_risk_weights

RULE_FIELDS = ("count", "ratio", "group_size", "weighted", "avoid_previous_round")


def region_prefix(code: str) -> str:
    """The code prefix every region inside `code` shares: 36 for 360000, 3603 for 360300."""
    if len(code) != 6:
        return code
    level = region_level(code)
    if level == RegionLevel.PROVINCE:
        return code[:2]
    if level == RegionLevel.CITY:
        return code[:4]
    return code


def region_ancestors(code: str) -> list[str]:
    """The 6-digit codes of the province and city above a county (and the code itself)."""
    base = code[:6]
    return sorted({base[:2] + "0000", base[:4] + "00", base})


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Scope:
    """What a draw reads. `owner_path` None means every supervisor (a trial)."""

    as_of: datetime.date
    owner_path: str | None = None
    region_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    ownerships: tuple[str, ...] = ()
    exclude_months: int = 0
    weighted: bool = True
    risk_weights: Mapping[str, float] = field(default_factory=default_risk_weights)
    # Trials: only inspectors covering the region (by their regions or their unit's region).
    inspectors_by_region: bool = False
    # The Draw whose groups make up "the previous round" (None: no previous round).
    previous_draw_id: int | None = None


@dataclass
class Pool:
    """Both pools as `draw()` takes them, with the database ids of their keys."""

    as_of: datetime.date
    institutions: list[pure.Institution]
    inspectors: list[pure.Inspector]
    institution_ids: dict[str, int]
    inspector_ids: dict[str, int]
    previous_draw_id: int | None = None

    def snapshot(self) -> dict[str, Any]:
        """The JSON stored in Draw.snapshot: exactly what was fed to draw()."""
        return {
            "as_of": self.as_of.isoformat(),
            "previous_draw": self.previous_draw_id,
            "institutions": [[i.key, i.name, float(i.weight)] for i in self.institutions],
            "inspectors": [_inspector_json(p) for p in self.inspectors],
        }


def _inspector_json(person: pure.Inspector) -> dict[str, Any]:
    return {
        "key": person.key,
        "name": person.name,
        "certified": person.certified,
        "worked_at": sorted(person.worked_at),
        "relatives_at": sorted(person.relatives_at),
        "inspected_last_round": sorted(person.inspected_last_round),
    }


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def snapshot_digest(snapshot: Mapping[str, Any]) -> str:
    return sm3_hex(canonical_json(snapshot))


# -- scopes ---------------------------------------------------------------------------------


def previous_draw(plan: SamplingPlan) -> Draw | None:
    """The previous round: the current draw most recently made for another plan of the same item
    and owner (see docs/adr/0010-double-random-draws.md)."""
    return (
        Draw.objects.filter(
            is_current=True, plan__item_id=plan.item_id, plan__owner_id=plan.owner_id
        )
        .exclude(plan_id=plan.pk)
        .only("pk")
        .order_by("-drawn_at", "-pk")
        .first()
    )


def plan_scope(plan: SamplingPlan, *, as_of: datetime.date) -> Scope:
    previous = previous_draw(plan) if plan.avoid_previous_round else None
    return Scope(
        as_of=as_of,
        owner_path=plan.owner.path,
        region_codes=tuple(sorted(plan.regions.values_list("code", flat=True))),
        categories=tuple(plan.categories),
        levels=tuple(plan.levels),
        ownerships=tuple(plan.ownerships),
        exclude_months=plan.exclude_months,
        weighted=plan.weighted,
        risk_weights={k: float(v) for k, v in (plan.risk_weights or {}).items()},
        previous_draw_id=previous.pk if previous else None,
    )


def trial_scope(
    region: Region, *, as_of: datetime.date, exclude_months: int = 0, weighted: bool = True
) -> Scope:
    return Scope(
        as_of=as_of,
        region_codes=(region.code,),
        exclude_months=exclude_months,
        weighted=weighted,
        inspectors_by_region=True,
    )


def plan_rules(plan: SamplingPlan) -> pure.Rules:
    ratio = plan.object_ratio
    return pure.Rules(
        count=plan.object_count,
        ratio=float(ratio) if ratio is not None else None,
        group_size=plan.group_size,
        weighted=plan.weighted,
        avoid_previous_round=plan.avoid_previous_round,
    )


def rules_json(rules: pure.Rules, scope: Scope) -> dict[str, Any]:
    """The rules stored with a draw: the draw's own, then the scope that built the pool."""
    return {
        **{name: getattr(rules, name) for name in RULE_FIELDS},
        "scope": {
            "regions": list(scope.region_codes),
            "categories": list(scope.categories),
            "levels": list(scope.levels),
            "ownerships": list(scope.ownerships),
            "exclude_months": scope.exclude_months,
            "risk_weights": dict(scope.risk_weights) if scope.weighted else {},
        },
    }


def rules_from_json(data: Mapping[str, Any]) -> pure.Rules:
    return pure.Rules(**{name: data[name] for name in RULE_FIELDS})


# -- the pool -------------------------------------------------------------------------------


def _region_q(lookup: str, codes: Iterable[str]) -> Q:
    query = Q()
    for code in codes:
        query |= Q(**{f"{lookup}__startswith": region_prefix(code)})
    return query


def institution_queryset(scope: Scope) -> QuerySet[Institution]:
    rows = Institution.objects.filter(status=InstitutionStatus.ACTIVE)
    if scope.owner_path is not None:
        rows = rows.filter(supervisor__path__startswith=scope.owner_path)
    if scope.region_codes:
        rows = rows.filter(_region_q("region__code", scope.region_codes))
    if scope.categories:
        rows = rows.filter(category__in=scope.categories)
    if scope.levels:
        rows = rows.filter(level__in=scope.levels)
    if scope.ownerships:
        rows = rows.filter(ownership__in=scope.ownerships)
    return rows.order_by()


def recently_inspected(scope: Scope) -> set[int]:
    """Institutions inspected (or completed) in the `exclude_months` months before `as_of`."""
    if scope.exclude_months <= 0:
        return set()
    since = months_before(scope.as_of, scope.exclude_months)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    recent = Q(inspected_on__gte=since, inspected_on__lte=scope.as_of) | Q(completed_at__gte=start)
    return set(Inspection.objects.filter(recent).values_list("institution_id", flat=True))


def certified_inspectors(scope: Scope) -> QuerySet[Inspector]:
    """Inspectors in the pool with a valid certificate on `as_of` (Inspector.is_certified_on)."""
    day = scope.as_of
    rows = Inspector.objects.filter(status=PoolStatus.ACTIVE, certificate_valid_until__gte=day)
    rows = rows.filter(Q(certificate_valid_from__isnull=True) | Q(certificate_valid_from__lte=day))
    if scope.owner_path is not None:
        rows = rows.filter(organization__path__startswith=scope.owner_path)
    if scope.inspectors_by_region and scope.region_codes:
        covering = Q()
        for code in scope.region_codes:
            above = region_ancestors(code)
            covering |= _region_q("regions__code", [code]) | Q(regions__code__in=above)
            covering |= _region_q("organization__region__code", [code])
            covering |= Q(organization__region_id__in=above)
        rows = rows.filter(pk__in=Inspector.objects.filter(covering).values("pk"))
    return rows.order_by()


def _links(model: Any, people: QuerySet[Inspector]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    rows = model.objects.filter(inspector_id__in=people.values("pk")).values_list(
        "inspector_id", "institution__uscc"
    )
    for person, uscc in rows:
        found[person].add(uscc)
    return found


def _previous_round(draw_id: int | None) -> dict[str, set[str]]:
    """{certificate number: USCCs his groups had} in the previous round's draw."""
    found: dict[str, set[str]] = defaultdict(set)
    if draw_id is None:
        return found
    through = Inspection.inspectors.through
    rows = through.objects.filter(inspection__draw_id=draw_id).values_list(
        "inspector__certificate_number", "inspection__institution__uscc"
    )
    for certificate, uscc in rows:
        found[certificate].add(uscc)
    return found


def _weight(scope: Scope, grade: str) -> float:
    if not scope.weighted:
        return 1.0
    return float(scope.risk_weights.get(grade, 1.0))


def build_pool(scope: Scope) -> Pool:
    """Both pools for `scope`, sorted by key, in a constant number of queries."""
    excluded = recently_inspected(scope)
    institutions: list[pure.Institution] = []
    institution_ids: dict[str, int] = {}
    rows = institution_queryset(scope).values_list("pk", "uscc", "name", "risk_grade")
    for pk, uscc, name, grade in rows.iterator(chunk_size=10_000):
        if pk in excluded:
            continue
        institutions.append(pure.Institution(uscc, name, _weight(scope, grade)))
        institution_ids[uscc] = pk
    institutions.sort(key=lambda inst: inst.key)
    people = certified_inspectors(scope)
    worked = _links(InspectorEmployment, people)
    relatives = _links(InspectorRelative, people)
    previous = _previous_round(scope.previous_draw_id)
    inspectors: list[pure.Inspector] = []
    inspector_ids: dict[str, int] = {}
    for pk, certificate, name in people.values_list("pk", "certificate_number", "name"):
        inspectors.append(
            pure.Inspector(
                key=certificate,
                name=name,
                worked_at=frozenset(worked.get(pk, ())),
                relatives_at=frozenset(relatives.get(pk, ())),
                inspected_last_round=frozenset(previous.get(certificate, ())),
            )
        )
        inspector_ids[certificate] = pk
    inspectors.sort(key=lambda person: person.key)
    return Pool(
        scope.as_of,
        institutions,
        inspectors,
        institution_ids,
        inspector_ids,
        scope.previous_draw_id,
    )


def run(pool: Pool, rules: pure.Rules, seed: int) -> pure.DrawResult:
    return pure.draw(pool.institutions, pool.inspectors, rules, seed)


# -- audit re-run ---------------------------------------------------------------------------


def pool_from_snapshot(snapshot: Mapping[str, Any]) -> tuple[list[pure.Institution], list[Any]]:
    institutions = [
        pure.Institution(key, name, weight) for key, name, weight in snapshot["institutions"]
    ]
    inspectors = [
        pure.Inspector(
            key=row["key"],
            name=row["name"],
            certified=row["certified"],
            worked_at=frozenset(row["worked_at"]),
            relatives_at=frozenset(row["relatives_at"]),
            inspected_last_round=frozenset(row["inspected_last_round"]),
        )
        for row in snapshot["inspectors"]
    ]
    return institutions, inspectors


@dataclass(frozen=True)
class Replay:
    digest_matches: bool
    result_matches: bool

    @property
    def ok(self) -> bool:
        return self.digest_matches and self.result_matches


def replay(stored: Draw) -> Replay:
    """Run a stored draw again from its snapshot, rules and seed and compare with what it
    stored: the snapshot's digest and the result must both match."""
    digest_ok = snapshot_digest(stored.snapshot) == stored.snapshot_digest
    institutions, inspectors = pool_from_snapshot(stored.snapshot)
    result = pure.draw(institutions, inspectors, rules_from_json(stored.rules), stored.seed)
    again = json.loads(canonical_json(result.to_json()))
    return Replay(digest_ok, again == json.loads(canonical_json(stored.result)))
