"""Plan services and the stored draw: validation, access, state, redraw, audit, infeasible."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weijian.conftest import World, make_org
from weijian.core.models import AuditEvent
from weijian.orgs.models import Region
from weijian.supervision import snapshot
from weijian.supervision.models import (
    Draw,
    Inspection,
    InspectionState,
    Inspector,
    InspectorEmployment,
    PlanState,
    SamplingPlan,
)
from weijian.supervision.services import sampling
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item

TODAY = datetime.date(2026, 3, 15)
WEIGHTS = {"low": 1, "medium": 2, "high": 4}


def _data(world: World, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "year": 2026,
        "title": "2026年医疗机构依法执业抽查",
        "item": make_item(world.commission),
        "object_count": 2,
        "object_ratio": None,
        "group_size": 2,
        "weighted": True,
        "risk_weights": WEIGHTS,
        "exclude_months": 0,
        "avoid_previous_round": True,
        "witness": "",
        "categories": [],
        "levels": [],
        "ownerships": [],
        "planned_start": None,
        "planned_end": None,
    }
    values.update(fields)
    return values


def _world_pool(world: World, institutions: int = 4, inspectors: int = 4) -> None:
    for i in range(institutions):
        make_institution(world.county, f"莲花县医院{i}")
    for i in range(inspectors):
        make_inspector(world.commission, f"执法{i}")


def _plan(world: World, **fields: Any) -> SamplingPlan:
    return sampling.plan_create(actor=world.staff, owner=world.commission, **_data(world, **fields))


def test_create_plan_audited(world: World) -> None:
    plan = _plan(world, regions=[Region.objects.get(code="360321")])
    assert plan.state == PlanState.PENDING and plan.created_by == world.staff
    assert list(plan.regions.values_list("code", flat=True)) == ["360321"]
    assert AuditEvent.objects.filter(action="supervision.plan_create", object_id=str(plan.pk))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"object_count": None}, "object_count", "须且只能填写一项"),
        ({"object_ratio": Decimal("0.05")}, "object_count", "须且只能填写一项"),
        ({"object_count": None, "object_ratio": Decimal("1.5")}, "object_ratio", "不超过100%"),
        ({"group_size": 1}, "group_size", "不得少于2名"),
        ({"risk_weights": {"low": 0, "medium": 2, "high": 4}}, "risk_weights", "正数"),
        ({"categories": ["hospital", "bogus"]}, "categories", "bogus"),
    ],
)
def test_plan_validation_in_chinese(
    world: World, fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _plan(world, **fields)
    assert message in "".join(caught.value.message_dict[field])
    assert not SamplingPlan.objects.exists()


def test_item_must_be_owned_above_and_regions_inside(world: World) -> None:
    county_item = make_item(world.county)
    with pytest.raises(ValidationError) as caught:
        _plan(world, item=county_item)
    assert "上级单位制定" in caught.value.message_dict["item"][0]
    with pytest.raises(ValidationError) as caught:
        _plan(world, regions=[Region.objects.get(code="500103")])
    assert "所辖区域" in caught.value.message_dict["regions"][0]
    # A county bureau may use the commission's item.
    plan = sampling.plan_create(
        actor=_county_staff(world),
        owner=world.county,
        **_data(world, item=make_item(world.commission)),
    )
    assert plan.owner == world.county


def _county_staff(world: World) -> Any:
    from weijian.accounts.roles import Role
    from weijian.conftest import make_user

    return make_user("county_staff", world.county, Role.STAFF)


def test_only_staff_over_the_owner(world: World) -> None:
    for user in (world.outsider, world.leader, world.inspector):
        with pytest.raises(PermissionDenied):
            sampling.plan_create(actor=user, owner=world.commission, **_data(world))
    assert AuditEvent.objects.filter(action="access.denied", success=False).count() == 3


def test_update_only_while_pending(world: World) -> None:
    plan = _plan(world)
    sampling.plan_update(actor=world.staff, plan=plan, **_data(world, title="改名", item=plan.item))
    plan.refresh_from_db()
    assert plan.title == "改名"
    event = AuditEvent.objects.get(action="supervision.plan_update")
    assert event.summary["changes"]["title"] == ["2026年医疗机构依法执业抽查", "改名"]
    plan.state = PlanState.DRAWN
    with pytest.raises(ValidationError):
        sampling.plan_update(actor=world.staff, plan=plan, **_data(world, item=plan.item))


def test_draw_stores_snapshot_inspections_and_moves_state(world: World) -> None:
    _world_pool(world)
    plan = _plan(world)
    outcome = sampling.draw_plan(
        plan=plan, actor=world.staff, witness="纪检组李某", seed=42, as_of=TODAY
    )
    draw = Draw.objects.get(plan=plan)
    assert outcome.draw == draw and draw.number == 1 and draw.is_current and draw.seed == 42
    assert draw.witness == "纪检组李某" and draw.drawn_by == world.staff
    assert draw.result == outcome.result.to_json()
    assert draw.snapshot == outcome.pool.snapshot()
    assert snapshot.replay(draw).ok
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    inspections = Inspection.objects.filter(draw=draw).prefetch_related("inspectors")
    assert inspections.count() == 2
    by_uscc = {row["institution"]: sorted(row["inspectors"]) for row in draw.result["selected"]}
    for inspection in inspections:
        keys = sorted(p.certificate_number for p in inspection.inspectors.all())
        assert by_uscc[inspection.institution.uscc] == keys
        assert inspection.state == InspectionState.PENDING
    event = AuditEvent.objects.get(action="supervision.draw")
    assert event.summary["seed"] == 42 and event.summary["digest"] == draw.snapshot_digest
    assert AuditEvent.objects.filter(action="supervision.plan_state").exists()


def test_draw_needs_witness_and_pending_state(world: World) -> None:
    _world_pool(world)
    plan = _plan(world)
    with pytest.raises(ValidationError) as caught:
        sampling.draw_plan(plan=plan, actor=world.staff, witness="  ")
    assert "见证人" in caught.value.message_dict["witness"][0]
    with pytest.raises(PermissionDenied):
        sampling.draw_plan(plan=plan, actor=world.outsider, witness="某")
    sampling.draw_plan(plan=plan, actor=world.staff, witness="某", as_of=TODAY)
    with pytest.raises(ValidationError):
        sampling.draw_plan(plan=plan, actor=world.staff, witness="某", as_of=TODAY)
    assert Draw.objects.count() == 1


def test_fresh_seed_when_none_given(world: World) -> None:
    _world_pool(world)
    outcome = sampling.draw_plan(plan=_plan(world), actor=world.staff, witness="某", as_of=TODAY)
    assert 0 <= outcome.result.seed < 2**63


def test_infeasible_draw_stores_nothing(world: World) -> None:
    _world_pool(world, institutions=2, inspectors=3)
    hospital = make_institution(world.county, "冲突医院")
    for person in Inspector.objects.all()[:2]:
        InspectorEmployment.objects.create(inspector=person, institution=hospital)
    plan = _plan(world, object_count=3)
    outcome = sampling.draw_plan(plan=plan, actor=world.staff, witness="某", seed=1, as_of=TODAY)
    assert outcome.draw is None and not outcome.feasible
    assert [u.institution for u in outcome.result.uncovered] == [hospital.uscc]
    assert "2名曾在该机构工作" in outcome.result.uncovered[0].reason
    assert not Draw.objects.exists() and not Inspection.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.PENDING
    event = AuditEvent.objects.get(action="supervision.draw")
    assert event.success is False and event.summary["uncovered"] == [hospital.uscc]


def test_redraw_keeps_old_draw_and_replaces_inspections(world: World) -> None:
    _world_pool(world, institutions=6, inspectors=5)
    plan = _plan(world)
    first = sampling.draw_plan(plan=plan, actor=world.staff, witness="某", seed=1, as_of=TODAY)
    assert first.draw is not None
    with pytest.raises(ValidationError) as caught:
        sampling.redraw_plan(plan=plan, actor=world.staff, reason=" ", witness="某")
    assert "原因" in caught.value.message_dict["reason"][0]
    second = sampling.redraw_plan(
        plan=plan, actor=world.staff, reason="一名执法人员病假", witness="某", seed=2, as_of=TODAY
    )
    assert second.draw is not None and second.draw.number == 2
    old = Draw.objects.get(pk=first.draw.pk)
    assert not old.is_current and old.result == first.result.to_json()
    assert (
        Draw.objects.get(is_current=True) == second.draw
        and second.draw.reason == "一名执法人员病假"
    )
    assert set(Inspection.objects.values_list("draw_id", flat=True)) == {second.draw.pk}
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    event = AuditEvent.objects.get(action="supervision.redraw")
    assert event.summary["previous_number"] == 1 and event.summary["number"] == 2


def test_no_redraw_once_an_inspection_started(world: World) -> None:
    _world_pool(world)
    plan = _plan(world)
    with pytest.raises(ValidationError):
        sampling.redraw_plan(plan=plan, actor=world.staff, reason="重抽", witness="某")
    sampling.draw_plan(plan=plan, actor=world.staff, witness="某", as_of=TODAY)
    Inspection.objects.filter(plan=plan).update(state=InspectionState.RECORDING)
    with pytest.raises(ValidationError) as caught:
        sampling.redraw_plan(plan=plan, actor=world.staff, reason="重抽", witness="某")
    assert "已有检查开始" in caught.value.messages[0]
    assert Draw.objects.count() == 1


def test_county_owner_plan_reads_only_its_subtree(world: World) -> None:
    inside = make_institution(world.county, "莲花县医院")
    make_institution(world.commission, "市属医院", region_code="360302")
    sub = make_org("莲花县卫生监督所", world.county, region_code="360321")
    make_inspector(sub, "县甲")
    make_inspector(world.county, "县乙")
    make_inspector(world.commission, "市丙")
    staff = _county_staff(world)
    plan = sampling.plan_create(actor=staff, owner=world.county, **_data(world, object_count=1))
    outcome = sampling.draw_plan(plan=plan, actor=staff, witness="某", seed=3, as_of=TODAY)
    assert [s.institution.key for s in outcome.result.selected] == [inside.uscc]
    assert outcome.result.inspector_pool_size == 2
