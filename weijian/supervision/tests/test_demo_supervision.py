"""The demo's supervision world: institutions in 萍乡's counties, inspectors with the demo
inspector's account among them, items with checklists, an earlier round with a published result,
one plan drawn (avoiding the earlier round) and one waiting."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from weijian.accounts.models import User
from weijian.supervision import snapshot
from weijian.supervision.models import (
    CheckPoint,
    Draw,
    Expert,
    Inspection,
    InspectionItem,
    Inspector,
    Institution,
    PlanState,
    Practitioner,
    SamplingPlan,
)


def _counts() -> list[int]:
    models: list[Any] = [Institution, Practitioner, Inspector, Expert, InspectionItem, CheckPoint]
    return [m.objects.count() for m in [*models, SamplingPlan, Draw, Inspection]]


@pytest.mark.django_db
@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_demo_supervision(settings):
    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    institutions = Institution.objects.select_related("supervisor")
    assert 35 <= institutions.count() <= 40
    assert {i.supervisor.name for i in institutions} == {"萍乡市卫生健康委员会"}
    assert all(i.region_id.startswith("3603") for i in institutions)
    assert Practitioner.objects.count() >= 70
    assert Inspector.objects.count() == 10 and Expert.objects.count() == 1
    assert InspectionItem.objects.count() == 2
    assert all(item.checkpoints.count() >= 3 for item in InspectionItem.objects.all())
    user = User.objects.get(username="inspector")
    assert Inspector.objects.get(user=user).name == user.full_name
    drawn = SamplingPlan.objects.get(state=PlanState.DRAWN)
    assert SamplingPlan.objects.filter(state=PlanState.PENDING).count() == 1
    draw = Draw.objects.get(plan=drawn, is_current=True)
    assert draw.witness and snapshot.replay(draw).ok
    assert Inspection.objects.filter(draw=draw).count() == 6
    assert Inspection.objects.filter(inspectors__user=user).exists()
    earlier = SamplingPlan.objects.get(state=PlanState.INSPECTING)
    published = Inspection.objects.get(plan=earlier, published_at__isnull=False)
    assert published.inspectors.filter(user=user).exists()
    assert published.result == "rectify"
    assert published.checks.count() == earlier.item.checkpoints.count()
    assert snapshot.previous_draw(drawn) == Draw.objects.get(plan=earlier)
    for inspection in Inspection.objects.filter(draw=draw):
        for inspector in inspection.inspectors.all():
            assert not earlier.inspections.filter(
                institution=inspection.institution, inspectors=inspector
            ).exists()
    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before
