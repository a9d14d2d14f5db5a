"""A drawn plan with its inspections, made directly with the ORM (the draw service is not
needed): an item with three check points, a plan of the commission in 已抽取, a draw ten days ago,
and one inspection per institution with a group of two inspectors (周执法, the world's 执法人员
user, and 郑执法)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils import timezone

from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.conftest import World, make_user
from weijian.orgs.models import Organization
from weijian.supervision.models import (
    CheckOutcome,
    CheckResult,
    Draw,
    Inspection,
    InspectionItem,
    InspectionResult,
    InspectionState,
    Inspector,
    Institution,
    PlanState,
    SamplingPlan,
)
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item


@dataclass
class Scene:
    world: World
    item: InspectionItem
    plan: SamplingPlan
    draw: Draw
    members: list[Inspector]
    member_users: list[User]
    institutions: list[Institution] = field(default_factory=list)
    inspections: list[Inspection] = field(default_factory=list)


def make_plan(
    owner: Organization,
    item: InspectionItem,
    *,
    year: int | None = None,
    title: str = "医疗机构依法执业双随机抽查",
    state: str = PlanState.DRAWN,
) -> SamplingPlan:
    return SamplingPlan.objects.create(
        owner=owner,
        year=year or timezone.localdate().year,
        title=title,
        item=item,
        object_ratio="0.0500",
        state=state,
    )


def make_draw(plan: SamplingPlan, *, days_ago: int = 10) -> Draw:
    return Draw.objects.create(
        plan=plan,
        number=plan.draws.count() + 1,
        seed=42,
        rules={},
        snapshot={"institutions": [], "inspectors": []},
        snapshot_digest="0" * 64,
        result={},
        drawn_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def make_inspection(
    plan: SamplingPlan, draw: Draw, institution: Institution, inspectors: list[Inspector]
) -> Inspection:
    inspection = Inspection.objects.create(plan=plan, draw=draw, institution=institution)
    inspection.inspectors.set(inspectors)
    return inspection


def build_scene(world: World, *, institutions: int = 2, owner: Organization | None = None) -> Scene:
    owner = owner or world.commission
    item = make_item(world.commission)
    plan = make_plan(owner, item)
    draw = make_draw(plan)
    second = make_user("inspector2", world.commission, Role.INSPECTOR, full_name="郑执法")
    members = [
        make_inspector(world.commission, "周执法", user=world.inspector),
        make_inspector(world.commission, "郑执法", user=second),
    ]
    scene = Scene(world, item, plan, draw, members, [world.inspector, second])
    for n in range(institutions):
        institution = make_institution(world.county, f"莲花县第{n + 1}诊所")
        scene.institutions.append(institution)
        scene.inspections.append(make_inspection(plan, draw, institution, members))
    return scene


def finish(
    inspection: Inspection,
    *,
    result: str = InspectionResult.NO_PROBLEM,
    completed_on: datetime.date | None = None,
    due: datetime.date | None = None,
    published: bool = False,
) -> Inspection:
    """Write a completed inspection straight to the database (no services)."""
    today = timezone.localdate()
    for cp in inspection.plan.item.checkpoints.all():
        CheckResult.objects.update_or_create(
            inspection=inspection, check_point=cp, defaults={"outcome": CheckOutcome.CONFORMS}
        )
    inspection.state = InspectionState.COMPLETED
    inspection.inspected_on = completed_on or today
    inspection.result = result
    inspection.completed_at = timezone.now()
    inspection.publication_due = due or today + datetime.timedelta(days=28)
    if result == InspectionResult.RECTIFY:
        inspection.rectification_status = "ongoing"
        inspection.rectification_deadline = today + datetime.timedelta(days=30)
    if published:
        inspection.published_at = timezone.now()
    inspection.save()
    return inspection


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()
