"""督导: a visit to a unit with what it found, and a finding raised to a committee's meeting.

Who. The visiting organization is the recording user's own; the visited unit must lie below it
(a unit does not 督导 itself). The 科室人员 and 领导 of the visiting organization, or of one
above it, change the visit and its findings and raise them; the visited unit reads them (see
the selectors) but does not mark its own findings rectified. A finding is raised to a
committee hosted by the user's organization or one below it, as an agenda item waiting for the
committee's next meeting; it is raised once.

Every function checks the actor before it opens its transaction (so a refusal's audit event
stays), validates with Chinese messages naming the field, and writes one audit event in the
visiting organization's trail. A visit or finding already raised to a meeting cannot be
deleted (the meeting's record would lose its source).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from weijian.accounts.access import refuse, require_role_over
from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.core.dates import chinese_date
from weijian.orgs.models import Committee, Organization
from weijian.plans.models import Plan, Task
from weijian.reporting.models import AgendaItem, AgendaSource, SupervisionVisit, VisitFinding
from weijian.reporting.services.meetings import queue_item

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "reporting.visit_create": "新增督导记录",
        "reporting.visit_update": "修改督导记录",
        "reporting.visit_delete": "删除督导记录",
        "reporting.finding_add": "新增督导发现的问题",
        "reporting.finding_update": "修改督导发现的问题",
        "reporting.finding_remove": "删除督导发现的问题",
        "reporting.finding_raise": "督导发现的问题提交会议",
    }
)

VISITORS = (Role.STAFF, Role.LEADER)
VISIT_FIELDS = ["organization", "plan", "visited_on", "team", "purpose", "summary"]
FINDING_FIELDS = ["text", "task", "rectify_by", "rectified"]
TEXT_LENGTH = 5000


# --- shared steps -----------------------------------------------------------------------------


def require_visitor(actor: User, visit: SupervisionVisit) -> None:
    """A 科室人员 or 领导 of the visiting organization or above it."""
    require_role_over(
        actor=actor,
        roles=VISITORS,
        organizations=[visit.by],
        reason=f"只有{visit.by.name}或其上级单位的科室人员或领导可以修改该督导记录。",
    )


def _require_visited(actor: User, organization: Organization | None) -> Organization:
    if organization is None:
        raise ValidationError({"organization": "请选择被督导单位"})
    require_role_over(
        actor=actor,
        roles=VISITORS,
        organizations=[organization],
        reason=f"只有{organization.name}的上级单位的科室人员或领导可以记录对它的督导。",
    )
    if organization.pk == actor.organization.pk:
        raise ValidationError({"organization": "被督导单位应为本单位的下级单位"})
    return organization


def _text(value: str | None, *, field: str, label: str, length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > length:
        raise ValidationError({field: f"{label}不能超过{length}个字"})
    return text


def _values(obj: Any, fields: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str | int | bool):
            value = str(value)
        values[name] = value
    return values


def _record(action: str, *, actor: User, obj: Any, visit: SupervisionVisit, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=obj,
        organization=visit.by,
        summary={
            "visit": visit.pk,
            "unit": visit.organization.name,
            "unit_id": visit.organization_id,
            **summary,
        },
    )


# --- visits -----------------------------------------------------------------------------------


def _visit_fields(
    actor: User,
    *,
    plan: Plan | None,
    visited_on: datetime.date | None,
    team: str,
    purpose: str,
    summary: str,
) -> dict[str, Any]:
    if plan is not None and not plan.owner.is_within(actor.organization):
        raise ValidationError({"plan": f"方案“{plan.title}”不在本单位的管辖范围内"})
    if not isinstance(visited_on, datetime.date):
        raise ValidationError({"visited_on": "请填写督导日期"})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "督导日期不能晚于今天（请在督导后录入）"})
    return {
        "plan": plan,
        "visited_on": visited_on,
        "team": _text(team, field="team", label="督导组成员", length=300),
        "purpose": _text(purpose, field="purpose", label="督导事项", length=300, required=True),
        "summary": _text(summary, field="summary", label="总体情况", length=TEXT_LENGTH),
    }


def visit_create(
    *,
    actor: User,
    organization: Organization | None,
    visited_on: datetime.date | None,
    purpose: str,
    team: str = "",
    summary: str = "",
    plan: Plan | None = None,
) -> SupervisionVisit:
    """A visit by the actor's organization to a unit below it."""
    organization = _require_visited(actor, organization)
    fields = _visit_fields(
        actor, plan=plan, visited_on=visited_on, team=team, purpose=purpose, summary=summary
    )
    with transaction.atomic():
        visit = SupervisionVisit.objects.create(
            organization=organization, by=actor.organization, **fields
        )
        _record(
            "reporting.visit_create",
            actor=actor,
            obj=visit,
            visit=visit,
            **_values(visit, VISIT_FIELDS),
        )
    return visit


def visit_update(
    *,
    actor: User,
    visit: SupervisionVisit,
    organization: Organization | None,
    visited_on: datetime.date | None,
    purpose: str,
    team: str = "",
    summary: str = "",
    plan: Plan | None = None,
) -> SupervisionVisit:
    require_visitor(actor, visit)
    if organization is None or organization.pk != visit.organization_id:
        organization = _require_visited(actor, organization)
    fields = _visit_fields(
        actor, plan=plan, visited_on=visited_on, team=team, purpose=purpose, summary=summary
    )
    if plan is not None and plan.pk != visit.plan_id and _linked_tasks(visit).exists():
        raise ValidationError({"plan": "已有问题关联了原方案的任务，请先修改这些问题再更换方案"})
    with transaction.atomic():
        before = _values(visit, VISIT_FIELDS)
        visit.organization = organization
        for name, value in fields.items():
            setattr(visit, name, value)
        visit.save(update_fields=VISIT_FIELDS)
        changes = audit.changes(before, _values(visit, VISIT_FIELDS))
        if changes:
            _record("reporting.visit_update", actor=actor, obj=visit, visit=visit, changes=changes)
    return visit


def _linked_tasks(visit: SupervisionVisit) -> Any:
    return visit.findings.filter(task__isnull=False)


def visit_delete(*, actor: User, visit: SupervisionVisit) -> None:
    require_visitor(actor, visit)
    if visit.findings.filter(agenda_item__isnull=False).exists():
        raise ValidationError("该督导有问题已提交会议议题，不能删除。")
    with transaction.atomic():
        _record(
            "reporting.visit_delete",
            actor=actor,
            obj=visit,
            visit=visit,
            **_values(visit, VISIT_FIELDS),
            findings=visit.findings.count(),
        )
        visit.delete()


# --- findings ---------------------------------------------------------------------------------


def _finding_fields(
    actor: User,
    visit: SupervisionVisit,
    *,
    text: str,
    task: Task | None,
    rectify_by: datetime.date | None,
    rectified: bool,
) -> dict[str, Any]:
    text = _text(text, field="text", label="发现的问题", length=TEXT_LENGTH, required=True)
    if task is not None:
        if visit.plan_id is not None and task.plan_id != visit.plan_id:
            raise ValidationError({"task": "相关任务应属于本次督导的方案"})
        if not task.plan.owner.is_within(actor.organization):
            raise ValidationError({"task": "相关任务不在本单位的管辖范围内"})
    if rectify_by is not None and rectify_by < visit.visited_on:
        raise ValidationError(
            {"rectify_by": f"整改时限不能早于督导日期（{chinese_date(visit.visited_on)}）"}
        )
    return {"text": text, "task": task, "rectify_by": rectify_by, "rectified": bool(rectified)}


def finding_add(
    *,
    actor: User,
    visit: SupervisionVisit,
    text: str,
    task: Task | None = None,
    rectify_by: datetime.date | None = None,
    rectified: bool = False,
) -> VisitFinding:
    require_visitor(actor, visit)
    fields = _finding_fields(
        actor, visit, text=text, task=task, rectify_by=rectify_by, rectified=rectified
    )
    with transaction.atomic():
        finding = VisitFinding.objects.create(visit=visit, **fields)
        _record(
            "reporting.finding_add",
            actor=actor,
            obj=finding,
            visit=visit,
            **_values(finding, FINDING_FIELDS),
        )
    return finding


def finding_update(
    *,
    actor: User,
    finding: VisitFinding,
    text: str,
    task: Task | None = None,
    rectify_by: datetime.date | None = None,
    rectified: bool = False,
) -> VisitFinding:
    visit = finding.visit
    require_visitor(actor, visit)
    fields = _finding_fields(
        actor, visit, text=text, task=task, rectify_by=rectify_by, rectified=rectified
    )
    with transaction.atomic():
        before = _values(finding, FINDING_FIELDS)
        for name, value in fields.items():
            setattr(finding, name, value)
        finding.save(update_fields=FINDING_FIELDS)
        changes = audit.changes(before, _values(finding, FINDING_FIELDS))
        if changes:
            _record(
                "reporting.finding_update", actor=actor, obj=finding, visit=visit, changes=changes
            )
    return finding


def finding_remove(*, actor: User, finding: VisitFinding) -> None:
    visit = finding.visit
    require_visitor(actor, visit)
    if finding.agenda_item_id is not None:
        raise ValidationError("该问题已提交会议议题，不能删除。")
    with transaction.atomic():
        _record(
            "reporting.finding_remove",
            actor=actor,
            obj=finding,
            visit=visit,
            **_values(finding, FINDING_FIELDS),
        )
        finding.delete()


def raise_finding(*, actor: User, finding: VisitFinding, committee: Committee | None) -> AgendaItem:
    """The finding becomes an item waiting for the committee's next meeting."""
    visit = finding.visit
    require_visitor(actor, visit)
    if committee is None:
        raise ValidationError({"committee": "请选择议事协调机构"})
    if not committee.host.is_within(actor.organization):
        raise refuse(
            actor=actor,
            obj=committee,
            reason=f"只能提交到本单位或下级单位牵头的议事协调机构，“{committee.name}”不在其中。",
        )
    if finding.agenda_item_id is not None:
        raise ValidationError("该问题已提交会议议题。")
    rectify = f"\n整改时限：{chinese_date(finding.rectify_by)}" if finding.rectify_by else ""
    with transaction.atomic():
        item = queue_item(
            committee=committee,
            source=AgendaSource.VISIT,
            title=f"{visit.organization.name}督导发现的问题：{finding.text[:60]}",
            description=(
                f"{chinese_date(visit.visited_on)}{visit.by.name}督导{visit.organization.name}"
                f"（{visit.purpose}）发现：\n{finding.text}{rectify}"
            ),
        )
        finding.agenda_item = item
        finding.save(update_fields=["agenda_item"])
        _record(
            "reporting.finding_raise",
            actor=actor,
            obj=finding,
            visit=visit,
            committee=committee.pk,
            committee_name=committee.name,
            item=item.pk,
        )
    return item
