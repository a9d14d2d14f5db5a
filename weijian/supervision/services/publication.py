"""一公开: staff of the plan owner's unit (or above) publish completed inspections, one or all
of a plan at once; when every inspection of a completed plan is published the plan moves
已完成 → 已公示. A completed inspection still unpublished after its `publication_due` is overdue;
`check_publication_deadlines` tells the plan owner's staff, once per plan and due day.

What the portal shows of a published inspection is chosen in `weijian.portal.
supervision_selectors`: institution, item, date, result and rectification status, never people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.core.dates import chinese_date
from weijian.notifications.services import notify
from weijian.supervision.access import require_editor
from weijian.supervision.models import (
    Inspection,
    InspectionState,
    PlanState,
    RectificationStatus,
    SamplingPlan,
)
from weijian.supervision.services import plan_states
from weijian.supervision.services.inspections import mark_overdue_rectifications

if TYPE_CHECKING:
    from weijian.orgs.models import Organization

audit.register_actions(
    {
        "supervision.publish": "公示检查结果",
        "supervision.deadline_check": "检查公示和整改期限",
    }
)

RECIPIENT_ROLES = (Role.STAFF,)


def overdue_q(today: datetime.date) -> Q:
    """Completed, unpublished and past the publication deadline."""
    return Q(
        state=InspectionState.COMPLETED,
        published_at__isnull=True,
        publication_due__lt=today,
    )


def is_overdue(inspection: Inspection, today: datetime.date) -> bool:
    due = inspection.publication_due
    return (
        inspection.state == InspectionState.COMPLETED
        and inspection.published_at is None
        and due is not None
        and due < today
    )


def published_late(inspection: Inspection) -> bool:
    if inspection.published_at is None or inspection.publication_due is None:
        return False
    return timezone.localdate(inspection.published_at) > inspection.publication_due


def require_publisher(*, actor: User, plan: SamplingPlan) -> None:
    require_editor(actor=actor, organizations=[plan.owner])


def _finish_plan(plan: SamplingPlan, actor: User) -> None:
    if plan.state != PlanState.COMPLETED:
        return
    unpublished = plan.inspections.filter(draw__is_current=True, published_at__isnull=True)
    if not unpublished.exists():
        plan_states.move(plan=plan, to=PlanState.PUBLISHED, actor=actor)


def _publishable(plan: SamplingPlan) -> Q:
    return Q(
        plan=plan,
        draw__is_current=True,
        state=InspectionState.COMPLETED,
        published_at__isnull=True,
    )


def _publish(actor: User, plan: SamplingPlan, pks: Sequence[int]) -> int:
    """Publish those of `pks` still publishable, chosen again under the plan's lock so that two
    clicks never publish (and audit) one result twice."""
    now = timezone.now()
    with transaction.atomic():
        plan = SamplingPlan.objects.select_for_update().get(pk=plan.pk)
        inspections = list(
            Inspection.objects.filter(_publishable(plan), pk__in=pks)
            .select_related("institution")
            .order_by("pk")
        )
        if not inspections:
            raise ValidationError("没有待公示的已完成检查，可能已由他人公示。")
        for inspection in inspections:
            inspection.published_at = now
            inspection.save(update_fields=["published_at", "updated_at"])
            audit.record(
                action="supervision.publish",
                actor=actor,
                obj=inspection,
                organization=plan.owner,
                summary={
                    "plan": plan.pk,
                    "institution": inspection.institution.name,
                    "result": inspection.get_result_display(),
                    "late": published_late(inspection),
                },
            )
        _finish_plan(plan, actor)
    return len(inspections)


def publish_inspection(*, actor: User, inspection: Inspection) -> Inspection:
    plan = inspection.plan
    require_publisher(actor=actor, plan=plan)
    if inspection.state != InspectionState.COMPLETED:
        raise ValidationError("只有已完成的检查可以公示。")
    if inspection.published_at is not None:
        raise ValidationError("该检查结果已公示。")
    if not inspection.draw.is_current:
        raise ValidationError("该检查所属的抽取已被重新抽取，不能公示。")
    _publish(actor, plan, [inspection.pk])
    inspection.refresh_from_db(fields=["published_at"])
    return inspection


def publish_plan(*, actor: User, plan: SamplingPlan) -> int:
    """Publish every completed, unpublished inspection of the plan; the number published."""
    require_publisher(actor=actor, plan=plan)
    ready = list(Inspection.objects.filter(_publishable(plan)).values_list("pk", flat=True))
    if not ready:
        raise ValidationError("该计划没有待公示的已完成检查。")
    return _publish(actor, plan, ready)


# --- the daily check ------------------------------------------------------------------------


@dataclass
class DeadlineRun:
    today: datetime.date
    rectifications_overdue: int = 0
    publications_overdue: int = 0
    notifications: int = 0
    lines: list[str] = field(default_factory=list)


def _staff_of(organization: Organization) -> list[User]:
    return list(
        User.objects.filter(
            organization=organization, is_active=True, groups__name__in=RECIPIENT_ROLES
        ).distinct()
    )


def _plan_url(plan_id: int) -> str:
    return reverse("supervision:plan_inspections", args=[plan_id])


def _notify_publications(run: DeadlineRun) -> None:
    overdue = (
        Inspection.objects.filter(overdue_q(run.today), draw__is_current=True)
        .select_related("plan__owner")
        .order_by("plan_id", "publication_due")
    )
    groups: dict[tuple[int, datetime.date], list[Inspection]] = defaultdict(list)
    for inspection in overdue:
        groups[(inspection.plan_id, inspection.publication_due or run.today)].append(inspection)
    for (plan_id, due), inspections in groups.items():
        plan = inspections[0].plan
        run.publications_overdue += len(inspections)
        title = f"“{plan.title}”有{len(inspections)}项检查结果逾期未公示"
        run.lines.append(f"{plan.owner.name}：{title}（应于{chinese_date(due)}前公示）")
        sent = notify(
            users=_staff_of(plan.owner),
            kind="supervision.publication_overdue",
            title=title,
            body=f"应于{chinese_date(due)}前公示，请尽快公示检查结果。",
            url=_plan_url(plan_id),
            key=f"supervision:publication_overdue:{plan_id}:{due.isoformat()}",
        )
        run.notifications += len(sent)


def _notify_rectifications(run: DeadlineRun) -> None:
    overdue = Inspection.objects.filter(
        rectification_status=RectificationStatus.OVERDUE, draw__is_current=True
    ).select_related("plan__owner", "institution")
    for inspection in overdue:
        plan = inspection.plan
        title = f"{inspection.institution.name}逾期未整改"
        run.lines.append(f"{plan.owner.name}：{title}（“{plan.title}”）")
        sent = notify(
            users=_staff_of(plan.owner),
            kind="supervision.rectification_overdue",
            title=title,
            body=f"“{plan.title}”责令整改的期限为{inspection.rectification_deadline}，"
            "尚未记录整改完成，请组织复查。",
            url=reverse("supervision:inspection_detail", args=[inspection.pk]),
            key=f"supervision:rectification_overdue:{inspection.pk}",
        )
        run.notifications += len(sent)


def check_deadlines(*, today: datetime.date) -> DeadlineRun:
    """Mark the overdue rectifications and tell the plan owners' staff about them and about the
    results overdue for publication. Idempotent: a second run marks and sends nothing new."""
    run = DeadlineRun(today=today)
    run.rectifications_overdue = len(mark_overdue_rectifications(today=today))
    _notify_rectifications(run)
    _notify_publications(run)
    if run.notifications or run.rectifications_overdue:
        audit.record(
            action="supervision.deadline_check",
            actor=None,
            username="manage.py check_publication_deadlines",
            summary={
                "date": today.isoformat(),
                "rectifications_overdue": run.rectifications_overdue,
                "publications_overdue": run.publications_overdue,
                "sent": run.notifications,
            },
        )
    return run
