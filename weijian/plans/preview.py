"""The import preview of a plan: what each unit name resolved to and what else it could be,
the tasks a reader should check, and the parsed plan with the user's corrections applied.

Everything works on the JSON shape of `ParsedPlan.to_json()` kept in the session between the
upload and the confirmation; nothing here writes to the database.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from weijian.orgs.models import Organization
from weijian.plans.resolve import UnitResolver, name_form, normal, score
from weijian.plans.services import AUTO_LINK, ROLE_KEYS

# How many organizations a unit's list offers besides "keep as written", and the least
# likeness worth offering.
CANDIDATES = 6
MIN_CANDIDATE = 0.4


def walk(tasks: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Every task of the JSON tree, depth first, in document order."""
    for task in tasks:
        yield task
        yield from walk(task.get("children") or [])


def unit_uses(parsed: Mapping[str, Any]) -> Counter[str]:
    return Counter(
        name for task in walk(parsed.get("tasks") or []) for key in ROLE_KEYS for name in task[key]
    )


def unit_rows(
    parsed: Mapping[str, Any], resolver: UnitResolver, organizations: Sequence[Organization]
) -> list[dict[str, Any]]:
    """One row per unit name of the document, as JSON for the session: how it resolved, the
    organization it will be linked to unless the user decides otherwise, and the candidates."""
    uses = unit_uses(parsed)
    rows = []
    for unit in parsed.get("units") or []:
        name = unit["name"]
        found = resolver.resolve(name)
        collective = found is not None and found.via == "collective"
        suggested = None
        if found is not None and not collective and found.confidence >= AUTO_LINK:
            suggested = found.organization
        rows.append(
            {
                "name": name,
                "via": found.via if found else "",
                "confidence": found.confidence if found else 0.0,
                "suggested": suggested.pk if suggested else None,
                "members": [o.name for o in found.organizations] if collective and found else [],
                "candidates": [] if collective else candidates(name, organizations, found),
                "uses": uses[name],
            }
        )
    return rows


def candidates(
    name: str, organizations: Sequence[Organization], found: Any = None
) -> list[list[Any]]:
    """[pk, name, score] of the organizations `name` most likely means, best first (the
    resolver's pick leads)."""
    best: dict[int, list[Any]] = {}
    if found is not None and found.organization is not None:
        best[found.organization.pk] = [
            found.organization.pk,
            found.organization.name,
            found.confidence,
        ]
    wanted = name_form(name)
    scored = [
        (likeness, org)
        for org in organizations
        if (likeness := score(wanted, name_form(org.name), floor=MIN_CANDIDATE)) >= MIN_CANDIDATE
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1].path))
    for likeness, org in scored[:CANDIDATES]:
        if len(best) >= CANDIDATES:
            break
        best.setdefault(org.pk, [org.pk, org.name, likeness])
    return list(best.values())


def find_by_name(name: str, organizations: Sequence[Organization]) -> Organization | None:
    """The organization whose full name (or plate) is `name`, within the given ones."""
    wanted = normal(name)
    return next(
        (o for o in organizations if wanted in {normal(n) for n in [o.name, *(o.plates or [])]}),
        None,
    )


def review_indexes(parsed: Mapping[str, Any]) -> list[int]:
    """Tasks to check by hand (their positions in `walk` order): a warning points at them, or
    no unit carries them, neither their own nor an ancestor's."""
    warned = {w.get("line") for w in parsed.get("warnings") or []}
    indexes: list[int] = []
    position = 0

    def visit(tasks: Sequence[Mapping[str, Any]], covered: bool) -> None:
        nonlocal position
        for task in tasks:
            index, position = position, position + 1
            has_units = any(task[key] for key in ROLE_KEYS)
            children = task.get("children") or []
            unowned = not children and not has_units and not covered
            if task.get("line") in warned or unowned:
                indexes.append(index)
            visit(children, covered or has_units)

    visit(parsed.get("tasks") or [], False)
    return indexes


def corrected(
    parsed: Mapping[str, Any],
    *,
    header: Mapping[str, Any],
    task_units: Mapping[int, Mapping[str, list[str]]],
    targets: Mapping[tuple[int, int], Mapping[str, Any] | None],
) -> dict[str, Any]:
    """A copy of `parsed` with the preview's corrections: the plan's title and year, the units
    of the reviewed tasks, and each target replaced (None drops it). Keys of `task_units` and
    `targets` are positions in `walk` order (and the target's position in its task)."""
    result = copy.deepcopy(dict(parsed))
    result["plan"] = {**result.get("plan", {}), **header}
    for index, task in enumerate(walk(result.get("tasks") or [])):
        if index in task_units:
            task.update(task_units[index])  # type: ignore[attr-defined]
        kept = []
        for position, target in enumerate(task.get("targets") or []):
            change = targets.get((index, position), target)
            if change is not None:
                kept.append({**target, **change})
        task["targets"] = kept  # type: ignore[index]
    names = list(dict.fromkeys(n for t in walk(result["tasks"]) for k in ROLE_KEYS for n in t[k]))
    result["units"] = [{"name": name, "resolved_to": None} for name in names]
    return result
