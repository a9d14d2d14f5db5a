"""The draw's inputs read from the database: scope, filters, exclusions, conflicts, queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weijian.conftest import World
from weijian.orgs.models import Region
from weijian.supervision import snapshot
from weijian.supervision.models import (
    Inspection,
    InspectorEmployment,
    InspectorRelative,
    InstitutionStatus,
    PoolStatus,
    RiskGrade,
    SamplingPlan,
)
from weijian.supervision.services import sampling
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item

TODAY = datetime.date(2026, 3, 15)


def _plan(world: World, **fields: object) -> SamplingPlan:
    values: dict[str, object] = {
        "owner": world.commission,
        "year": 2026,
        "title": "2026年医疗机构抽查",
        "item": make_item(world.commission),
        "object_count": 2,
    }
    values.update(fields)
    return SamplingPlan.objects.create(**values)


def test_region_prefix() -> None:
    assert snapshot.region_prefix("360000") == "36"
    assert snapshot.region_prefix("360300") == "3603"
    assert snapshot.region_prefix("360321") == "360321"
    assert snapshot.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert snapshot.months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


def test_plan_pool_scope_filters_and_weights(world: World) -> None:
    inside = make_institution(world.county, "莲花县甲医院", risk_grade=RiskGrade.HIGH)
    make_institution(world.county, "莲花县停业诊所", status=InstitutionStatus.SUSPENDED)
    make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    other_county = make_institution(world.commission, "安源区医院", region_code="360302")
    plan = _plan(world)
    pool = snapshot.build_pool(snapshot.plan_scope(plan, as_of=TODAY))
    keys = {i.key: i.weight for i in pool.institutions}
    assert keys == {inside.uscc: 4.0, other_county.uscc: 1.0}
    plan.regions.set([Region.objects.get(code="360321")])
    plan.weighted = False
    pool = snapshot.build_pool(snapshot.plan_scope(plan, as_of=TODAY))
    assert [(i.key, i.weight) for i in pool.institutions] == [(inside.uscc, 1.0)]


def test_category_and_recent_inspection_filters(world: World) -> None:
    hospital = make_institution(world.county, "莲花县医院")
    clinic = make_institution(world.county, "莲花县诊所", category="primary_care")
    recent = make_institution(world.county, "莲花县近查医院")
    plan = _plan(world, categories=["hospital"], exclude_months=6)
    earlier = _plan(world, title="上一轮")
    from weijian.supervision.models import Draw

    draw = Draw.objects.create(
        plan=earlier,
        number=1,
        seed=1,
        rules={},
        snapshot={},
        snapshot_digest="x",
        result={},
        drawn_at=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC),
    )
    Inspection.objects.create(
        plan=earlier, draw=draw, institution=recent, inspected_on=datetime.date(2026, 1, 5)
    )
    keys = [i.key for i in snapshot.build_pool(snapshot.plan_scope(plan, as_of=TODAY)).institutions]
    assert keys == [hospital.uscc]
    assert clinic.uscc not in keys


def test_inspector_pool_certified_and_conflicts(world: World) -> None:
    hospital = make_institution(world.county, "莲花县医院")
    ok = make_inspector(world.county, "甲")
    make_inspector(world.commission, "过期", certificate_valid_until=datetime.date(2026, 1, 1))
    make_inspector(world.commission, "暂停", status=PoolStatus.SUSPENDED)
    make_inspector(world.commission, "未生效", certificate_valid_from=datetime.date(2026, 6, 1))
    make_inspector(world.elsewhere, "外地")
    InspectorEmployment.objects.create(inspector=ok, institution=hospital)
    InspectorRelative.objects.create(inspector=ok, institution=hospital, relation="配偶")
    pool = snapshot.build_pool(snapshot.plan_scope(_plan(world), as_of=TODAY))
    assert [p.key for p in pool.inspectors] == [ok.certificate_number]
    assert pool.inspectors[0].worked_at == {hospital.uscc}
    assert pool.inspectors[0].relatives_at == {hospital.uscc}
    assert pool.snapshot()["inspectors"][0]["worked_at"] == [hospital.uscc]


def test_previous_round_is_the_last_current_draw_of_the_same_item(world: World) -> None:
    item = make_item(world.commission)
    hospitals = [make_institution(world.county, f"医院{i}") for i in range(3)]
    people = [make_inspector(world.commission, f"人{i}") for i in range(4)]
    first = _plan(world, item=item, title="第一轮", object_count=3)
    sampling.draw_plan(plan=first, actor=world.staff, witness="纪检组王某", seed=5, as_of=TODAY)
    second = _plan(world, item=item, title="第二轮", object_count=1)
    pool = snapshot.build_pool(snapshot.plan_scope(second, as_of=TODAY))
    previous = {p.key: p.inspected_last_round for p in pool.inspectors}
    stored = first.current_draw()
    assert stored is not None and pool.previous_draw_id == stored.pk
    expected: dict[str, set[str]] = {p.certificate_number: set() for p in people}
    for row in stored.result["selected"]:
        for key in row["inspectors"]:
            expected[key].add(row["institution"])
    assert previous == expected
    assert {h.uscc for h in hospitals} == {r["institution"] for r in stored.result["selected"]}
    second.avoid_previous_round = False
    assert snapshot.plan_scope(second, as_of=TODAY).previous_draw_id is None


def test_trial_scope_takes_inspectors_covering_the_region(world: World) -> None:
    make_institution(world.county, "莲花县医院")
    covering = make_inspector(world.commission, "覆盖")  # unit in 360300, above 360321
    other = make_inspector(world.elsewhere, "外地")
    assert other.organization.region_id == "500103"
    scope = snapshot.trial_scope(Region.objects.get(code="360321"), as_of=TODAY)
    pool = snapshot.build_pool(scope)
    assert [p.key for p in pool.inspectors] == [covering.certificate_number]


@pytest.mark.parametrize("size", [3, 12])
def test_constant_queries(world: World, size: int) -> None:
    counts = []
    for round_ in range(2):
        for i in range(size):
            hospital = make_institution(world.county, f"医院{round_}-{i}")
            person = make_inspector(world.commission, f"人{round_}-{i}")
            InspectorEmployment.objects.create(inspector=person, institution=hospital)
        plan = _plan(world)
        with CaptureQueriesContext(connection) as queries:
            snapshot.build_pool(snapshot.plan_scope(plan, as_of=TODAY))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


def test_replay_detects_tampering(world: World) -> None:
    for i in range(4):
        make_institution(world.county, f"医院{i}")
        make_inspector(world.commission, f"人{i}")
    plan = _plan(world)
    outcome = sampling.draw_plan(plan=plan, actor=world.staff, witness="公证员", as_of=TODAY)
    assert outcome.draw is not None
    stored = type(outcome.draw).objects.get(pk=outcome.draw.pk)
    assert snapshot.replay(stored).ok
    assert stored.snapshot_digest == snapshot.snapshot_digest(stored.snapshot)
    stored.snapshot["institutions"][0][2] = 99.0
    assert not snapshot.replay(stored).digest_matches
    stored.refresh_from_db()
    stored.result["selected"][0]["inspectors"].reverse()
    assert not snapshot.replay(stored).result_matches
