"""Review checks of the draw: weights over many seeds (snapshot + pure draw), the trial command's
region and exclusion rules, dense conflicts reported, and the previous-round rule of a plan."""

from __future__ import annotations

import datetime
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from weijian.conftest import World
from weijian.orgs.models import Region
from weijian.supervision import snapshot
from weijian.supervision.draw import Rules
from weijian.supervision.models import (
    Draw,
    Inspection,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    InstitutionStatus,
    RiskGrade,
    SamplingPlan,
)
from weijian.supervision.services import sampling
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item

AS_OF = "2026-03-15"
TODAY = datetime.date.fromisoformat(AS_OF)
# Chi-square critical value, 2 degrees of freedom, p = 0.001.
CHI2_2DF_999 = 13.82


def _run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("draw", *args, stdout=out, stderr=io.StringIO())
    return dict(json.loads(out.getvalue()))


def _generate(region: str, institutions: int, inspectors: int, seed: int) -> None:
    call_command(
        "generate_supervision_data", "--region", region, "--institutions", str(institutions),
        "--inspectors", str(inspectors), "--seed", str(seed), "--practitioners", "0",
        stdout=io.StringIO(),
    )  # fmt: skip


def test_weights_high_risk_drawn_more_often_chi_square(world: World) -> None:
    """1-of-N draws over many seeds: each grade is picked in proportion to its total weight."""
    for grade in (RiskGrade.LOW, RiskGrade.MEDIUM, RiskGrade.HIGH):
        for i in range(10):
            make_institution(world.county, f"{grade.label}{i}", risk_grade=grade)
    for i in range(3):
        make_inspector(world.commission, f"执法{i}")
    pool = snapshot.build_pool(snapshot.trial_scope(Region.objects.get(code="360321"), as_of=TODAY))
    weight = {i.key: i.weight for i in pool.institutions}
    grade_of = dict(Institution.objects.values_list("uscc", "risk_grade"))
    assert {grade_of[k]: w for k, w in weight.items()} == {"low": 1.0, "medium": 2.0, "high": 4.0}
    rules = Rules(count=1, group_size=2)
    runs = 3500
    picked = Counter(
        grade_of[snapshot.run(pool, rules, seed).selected[0].institution.key]
        for seed in range(runs)
    )
    total = 10 * (1 + 2 + 4)
    expected = {"low": runs * 10 / total, "medium": runs * 20 / total, "high": runs * 40 / total}
    chi2 = sum((picked[g] - e) ** 2 / e for g, e in expected.items())
    assert chi2 < CHI2_2DF_999, (picked, expected, chi2)
    assert picked["high"] > picked["medium"] > picked["low"]
    # Unweighted: every grade alike.
    flat = Counter(
        grade_of[snapshot.run(pool, Rules(count=1, weighted=False), s).selected[0].institution.key]
        for s in range(1500)
    )
    chi2_flat = sum((flat[g] - 500) ** 2 / 500 for g in expected)
    assert chi2_flat < CHI2_2DF_999, flat


def test_weighted_samples_of_several_still_favour_high_risk(world: World) -> None:
    for grade in (RiskGrade.LOW, RiskGrade.HIGH):
        for i in range(20):
            make_institution(world.county, f"{grade.label}{i}", risk_grade=grade)
    for i in range(3):
        make_inspector(world.commission, f"执法{i}")
    pool = snapshot.build_pool(snapshot.trial_scope(Region.objects.get(code="360321"), as_of=TODAY))
    grade_of = dict(Institution.objects.values_list("uscc", "risk_grade"))
    counts: Counter[str] = Counter()
    for seed in range(400):
        for row in snapshot.run(pool, Rules(count=5, group_size=2), seed).selected:
            counts[grade_of[row.institution.key]] += 1
    assert counts["high"] > 2.5 * counts["low"], counts


def _covering(person: Inspector, prefix: str) -> bool:
    codes = set(person.regions.values_list("code", flat=True)) | {person.organization.region_id}
    above = {prefix[:2] + "0000", prefix[:4] + "00", prefix}
    return any(code and (code.startswith(prefix) or code in above) for code in codes)


def test_trial_keeps_to_the_region_and_excludes_recent_inspections(world: World) -> None:
    _generate("360300", 150, 30, 21)
    inside = Institution.objects.filter(region_id="360321", status=InstitutionStatus.ACTIVE)
    recent, old = list(inside[:6]), list(inside[6:10])
    earlier = SamplingPlan.objects.create(
        owner=world.commission, year=2025, title="上一轮", item=make_item(world.commission),
        object_count=10,
    )  # fmt: skip
    draw = Draw.objects.create(
        plan=earlier, number=1, seed=1, rules={}, snapshot={}, snapshot_digest="x", result={},
        is_current=False, drawn_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    for n, institution in enumerate(recent + old):
        day = TODAY - datetime.timedelta(days=20 + n * 25) if n < 6 else datetime.date(2025, 1, 5)
        Inspection.objects.create(
            plan=earlier, draw=draw, institution=institution, inspected_on=day
        )
    result = _run(
        "--region", "360321", "--ratio", "1", "--group-size", "2", "--exclude-months", "6",
        "--seed", "3", "--as-of", AS_OF, "--dry-run", "--json",
    )  # fmt: skip
    chosen = {row["institution"] for row in result["selected"]}
    expected = {i.uscc for i in inside} - {i.uscc for i in recent}
    assert not result["uncovered"]
    assert chosen == expected and result["pool_size"] == len(expected)
    assert {i.uscc for i in old} <= chosen
    people = {p.certificate_number: p for p in Inspector.objects.select_related("organization")}
    for row in result["selected"]:
        assert len(set(row["inspectors"])) == 2
        for key in row["inspectors"]:
            person = people[key]
            assert person.is_certified_on(TODAY)
            assert _covering(person, "360321")
    assert Draw.objects.count() == 1


def test_dense_conflicts_are_avoided_and_reported(world: World) -> None:
    _generate("360321", 10, 14, 8)
    institutions = list(Institution.objects.filter(region_id="360321"))
    people = list(Inspector.objects.all())
    for n, person in enumerate(people[:8]):  # most inspectors once worked somewhere here
        InspectorEmployment.objects.get_or_create(
            inspector=person, institution=institutions[n % len(institutions)]
        )
    result = _run(
        "--region", "360321", "--ratio", "1", "--group-size", "2", "--seed", "4",
        "--as-of", AS_OF, "--dry-run", "--json",
    )  # fmt: skip
    assert not result["uncovered"]
    pool = {p.certificate_number for p in people if p.is_certified_on(TODAY)}
    uscc = {i.pk: i.uscc for i in institutions}
    blocked = {
        (cert, uscc[iid])
        for model in (InspectorEmployment, InspectorRelative)
        for cert, iid in model.objects.values_list("inspector__certificate_number", "institution")
        if cert in pool and iid in uscc
    }
    chosen = {row["institution"] for row in result["selected"]}
    expected = {(cert, key) for cert, key in blocked if key in chosen}
    assert result["conflicts_avoided"] == len(expected) > 0
    for row in result["selected"]:
        for key in row["inspectors"]:
            assert (key, row["institution"]) not in blocked


def test_previous_round_rule_through_the_command(world: World) -> None:
    hospitals = [make_institution(world.county, f"医院{i}") for i in range(3)]
    for i in range(4):
        make_inspector(world.commission, f"执法{i}")
    item = make_item(world.commission)

    def plan(title: str) -> SamplingPlan:
        return SamplingPlan.objects.create(
            owner=world.commission, year=2026, title=title, item=item, object_count=3
        )

    first = sampling.draw_plan(plan=plan("一"), actor=world.staff, witness="甲", seed=1)
    assert first.draw is not None
    before = {
        (row["institution"], key)
        for row in first.draw.result["selected"]
        for key in row["inspectors"]
    }
    second = plan("二")
    result = _run("--plan", str(second.pk), "--seed", "2", "--dry-run", "--json")
    assert not result["uncovered"]
    after = {(row["institution"], key) for row in result["selected"] for key in row["inspectors"]}
    assert not before & after
    assert result["conflicts_avoided"] == 6
    # Three inspectors only: each hospital keeps one allowed inspector, so nothing is drawn.
    Inspector.objects.filter(certificate_number=sorted({key for _, key in before})[0]).update(
        status="suspended"
    )
    blocked = _run("--plan", str(second.pk), "--seed", "2", "--dry-run", "--json")
    assert blocked["selected"] == [] and len(blocked["uncovered"]) >= 1
    assert all("上一轮" in row["reason"] for row in blocked["uncovered"])
    assert {h.uscc for h in hospitals} >= {row["institution"] for row in blocked["uncovered"]}
    assert Draw.objects.count() == 1


@pytest.mark.parametrize("region", ["360321", "500103"])
def test_no_inspectors_means_uncovered_and_nothing_stored(world: World, region: str) -> None:
    _generate(region, 20, 0, 2)
    result = _run(
        "--region", region, "--count", "3", "--group-size", "2", "--seed", "1",
        "--as-of", AS_OF, "--dry-run", "--json",
    )  # fmt: skip
    if region == "360321":  # the conftest world has no inspectors either
        assert result["inspector_pool_size"] == 0
    assert result["selected"] == [] and len(result["uncovered"]) == 3
    assert "只有0名" in result["uncovered"][0]["reason"]
    assert not Draw.objects.exists() and not Inspection.objects.exists()
