"""Review up the hierarchy: a unit's report for a period (all its progress reports of that
cycle × period move together) goes 已报送 → 已审核 → 已通过, or is returned to the unit with a
reason at any step.

The levels. The approving level is the unit's parent organization when that parent lies strictly
below the plan's owner; the accepting level is always the plan's owner (the commission). When the
unit's parent IS the owner, or the unit is the owner, or its parent lies outside the owner's
tree, there is no intermediate level: the owner accepts directly from 已报送. A higher level
accepts only what the lower level approved, so `accept` refuses a submitted report that still
needs an approval.

Who. Reviewers are the 科室人员 and 领导 of the reviewing organization itself: a user of a level
above it is refused (he reviews at his own level), as is a user below it.

Every step writes one `ReviewStep` and one audit event (the event points at the step). Refusals
are `PermissionDenied` with a Chinese reason and an `access.denied` event, raised before the
transaction opens so the event survives. `bulk_accept` writes one step and one event per unit
accepted (each unit's trail stays complete on its own) and reports the skipped units with the
reason; a skipped unit is not changed, so it writes nothing. After the commit, the unit's
填报员 are notified of a return (with the reason) and of an acceptance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from weijian.accounts.access import refuse, require_role_over
from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.notifications.services import notify
from weijian.orgs.models import Organization
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus, ReviewStep
from weijian.reporting.models.reports import ReviewAction
from weijian.reporting.periods import Period

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

audit.register_actions(
    {
        "reporting.approve": "审核通过进展报告",
        "reporting.accept": "验收通过进展报告",
        "reporting.return": "退回进展报告",
    }
)

# Who reviews at a level: its department staff and its leaders.
REVIEWERS = (Role.STAFF, Role.LEADER)
REASON_LENGTH = 500
MIXED = "mixed"  # a unit report whose rows are not all in one state
NONE = "none"  # a unit with no report for the cycle × period


# --- the levels -------------------------------------------------------------------------------


def approving_level(cycle: ReportingCycle, organization: Organization) -> Organization | None:
    """The unit's parent when it lies strictly below the plan's owner; None when the owner
    accepts directly."""
    owner = cycle.plan.owner
    parent = organization.parent
    if parent is None or organization.pk == owner.pk or parent.pk == owner.pk:
        return None
    return parent if parent.is_within(owner) else None


def unit_report_status(cycle: ReportingCycle, organization: Organization, period: str) -> str:
    """The one state of the unit's reports for the period, MIXED or NONE."""
    rows = ProgressReport.objects.filter(cycle=cycle, organization=organization, period=period)
    statuses = set(rows.values_list("status", flat=True).distinct())
    if not statuses:
        return NONE
    return statuses.pop() if len(statuses) == 1 else MIXED


def holder(cycle: ReportingCycle, organization: Organization, status: str) -> Organization | None:
    """The level that must act on a unit report in `status` (None: the unit holds it, or it is
    final)."""
    if status == ReportStatus.SUBMITTED:
        return approving_level(cycle, organization) or cycle.plan.owner
    if status == ReportStatus.APPROVED:
        return cycle.plan.owner
    return None


def _label(status: str) -> str:
    if status == MIXED:
        return "部分报送"
    if status == NONE:
        return "无须填报"
    return str(ReportStatus(status).label)


def _at_level(user: User | AnonymousUser, level: Organization) -> bool:
    return (
        has_role(user, *REVIEWERS) and user.organization.pk == level.pk  # type: ignore[union-attr]
    )


def refusal(
    user: User | AnonymousUser,
    cycle: ReportingCycle,
    organization: Organization,
    status: str,
    action: str,
) -> str | None:
    """Why `user` may not take `action` (approve, accept, return) on the unit report in
    `status`, in Chinese; None when he may. Pure: the pages use it to offer the buttons."""
    if action == ReviewAction.APPROVE:
        level = approving_level(cycle, organization)
        if level is None:
            return f"该单位的报告无须中间审核，由{cycle.plan.owner.name}直接验收。"
        if status != ReportStatus.SUBMITTED:
            return f"只有已报送的报告可以审核通过，该报告当前为“{_label(status)}”。"
    elif action == ReviewAction.ACCEPT:
        level = cycle.plan.owner
        pending = approving_level(cycle, organization)
        if status == ReportStatus.SUBMITTED and pending is not None:
            return f"该报告须先经{pending.name}审核通过，才能验收。"
        if status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            return f"只有已审核的报告可以验收，该报告当前为“{_label(status)}”。"
    else:
        found = holder(cycle, organization, status)
        if found is None:
            return f"该报告当前为“{_label(status)}”，不能退回。"
        level = found
    if not _at_level(user, level):
        verb = ReviewAction(action).label
        return f"该报告应由{level.name}的科室人员或领导{verb}，您无权办理。"
    return None


def require_reviewer(actor: User, level: Organization, *, reason: str) -> None:
    """A 科室人员 or 领导 of `level` itself (one above it reviews at his own level)."""
    require_role_over(actor=actor, roles=REVIEWERS, organizations=[level], reason=reason)
    if actor.organization.pk != level.pk:
        raise refuse(actor=actor, obj=level, reason=reason)


def _check(
    actor: User, cycle: ReportingCycle, organization: Organization, period: str, action: str
) -> str:
    status = unit_report_status(cycle, organization, period)
    reason = refusal(actor, cycle, organization, status, action)
    if reason is not None:
        raise refuse(actor=actor, obj=cycle, reason=reason)
    return status


# --- moving a unit's report -------------------------------------------------------------------


def _move(
    *,
    actor: User,
    cycle: ReportingCycle,
    organization: Organization,
    period: str,
    status: str,
    action: str,
    reason: str = "",
    summary: dict[str, object] | None = None,
) -> ReviewStep:
    """Move every row of the unit report from `status` to the action's state, write the step
    and its event. The rows are locked; a report another reviewer moved meanwhile is refused."""
    target = {
        ReviewAction.APPROVE: ReportStatus.APPROVED,
        ReviewAction.ACCEPT: ReportStatus.ACCEPTED,
        ReviewAction.RETURN: ReportStatus.RETURNED,
    }[ReviewAction(action)]
    with transaction.atomic():
        rows = ProgressReport.objects.select_for_update().filter(
            cycle=cycle, organization=organization, period=period
        )
        found = list(rows.values_list("pk", "status"))
        if not found or {s for _, s in found} != {status}:
            raise ValidationError("该报告的状态刚刚发生了变化，请刷新页面后重试。")
        fields: dict[str, object] = {"status": target}
        if action == ReviewAction.RETURN:
            fields["return_reason"] = reason
        ProgressReport.objects.filter(pk__in=[pk for pk, _ in found]).update(**fields)
        step = ReviewStep.objects.create(
            cycle=cycle,
            organization=organization,
            period=period,
            action=action,
            reason=reason,
            actor=actor,
            actor_organization=actor.organization,
        )
        if action in (ReviewAction.RETURN, ReviewAction.ACCEPT):
            transaction.on_commit(lambda: _tell_the_unit(step))
        audit.record(
            action=f"reporting.{action}",
            actor=actor,
            obj=step,
            summary={
                "cycle": cycle.pk,
                "unit": organization.name,
                "organization": organization.pk,
                "period": period,
                "from": status,
                "to": str(target),
                "reports": len(found),
                **({"reason": reason} if reason else {}),
                **(summary or {}),
            },
        )
    return step


def approve(
    *, actor: User, cycle: ReportingCycle, organization: Organization, period: str
) -> ReviewStep:
    """审核通过: the approving level passes a submitted unit report up to the owner."""
    status = _check(actor, cycle, organization, period, ReviewAction.APPROVE)
    return _move(
        actor=actor,
        cycle=cycle,
        organization=organization,
        period=period,
        status=status,
        action=ReviewAction.APPROVE,
    )


def accept(
    *, actor: User, cycle: ReportingCycle, organization: Organization, period: str
) -> ReviewStep:
    """验收通过: the owner accepts an approved unit report (or a submitted one with no
    intermediate level)."""
    status = _check(actor, cycle, organization, period, ReviewAction.ACCEPT)
    return _move(
        actor=actor,
        cycle=cycle,
        organization=organization,
        period=period,
        status=status,
        action=ReviewAction.ACCEPT,
    )


def clean_reason(reason: str, *, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": f"请填写{what}原因。"})
    if len(text) > REASON_LENGTH:
        raise ValidationError({"reason": f"{what}原因不能超过{REASON_LENGTH}个字。"})
    return text


def return_report(
    *, actor: User, cycle: ReportingCycle, organization: Organization, period: str, reason: str
) -> ReviewStep:
    """退回: the level holding the report sends it back to the unit, saying why; the unit may
    edit it again (status 已退回, `return_reason` on every row)."""
    status = _check(actor, cycle, organization, period, ReviewAction.RETURN)
    reason = clean_reason(reason, what="退回")
    return _move(
        actor=actor,
        cycle=cycle,
        organization=organization,
        period=period,
        status=status,
        action=ReviewAction.RETURN,
        reason=reason,
    )


def _tell_the_unit(step: ReviewStep) -> None:
    """The unit's 填报员 learn that its report was returned (and why) or accepted."""
    unit, period = step.organization, Period.parse(step.period)
    reporters = User.objects.filter(
        organization=unit, is_active=True, groups__name=Role.REPORTER
    ).distinct()
    if step.action == ReviewAction.RETURN:
        title = f"{period.label}的进展报告被退回，请修改后重新报送"
    else:
        title = f"{period.label}的进展报告已验收通过"
    notify(
        users=reporters,
        kind=f"reporting.{step.action}",
        title=title,
        body=f"{step.actor_organization}：{step.reason}" if step.reason else "",
        url=reverse("reporting:report_page", args=[step.cycle_id, unit.pk, step.period]),
        key=f"reporting.review.{step.pk}",
    )


# --- bulk accept ------------------------------------------------------------------------------


@dataclass
class BulkAccepted:
    accepted: list[Organization] = field(default_factory=list)
    skipped: list[tuple[Organization, str]] = field(default_factory=list)


def bulk_accept(
    *,
    actor: User,
    cycle: ReportingCycle,
    period: str,
    organizations: Sequence[Organization],
) -> BulkAccepted:
    """Accept every eligible unit report of the cycle × period at once; the others are skipped
    with the reason. The actor must be a reviewer of the plan's owner (else nothing happens)."""
    owner = cycle.plan.owner
    require_reviewer(
        actor, owner, reason=f"只有{owner.name}的科室人员或领导可以批量验收该方案的报告。"
    )
    units = Organization.objects.select_related("parent").filter(
        pk__in=[o.pk for o in organizations]
    )
    statuses: dict[int, set[str]] = {}
    rows = ProgressReport.objects.filter(cycle=cycle, period=period, organization__in=units)
    for org_id, status in rows.values_list("organization_id", "status").distinct():
        statuses.setdefault(org_id, set()).add(status)
    result = BulkAccepted()
    with transaction.atomic():
        for unit in sorted(units, key=lambda o: o.path):
            found = statuses.get(unit.pk, set())
            status = NONE if not found else (found.pop() if len(found) == 1 else MIXED)
            reason = refusal(actor, cycle, unit, status, ReviewAction.ACCEPT)
            if reason is None:
                reason = _accept_one(actor, cycle, unit, period, status)
            if reason is None:
                result.accepted.append(unit)
            else:
                result.skipped.append((unit, reason))
    return result


def _accept_one(
    actor: User, cycle: ReportingCycle, unit: Organization, period: str, status: str
) -> str | None:
    try:
        _move(
            actor=actor,
            cycle=cycle,
            organization=unit,
            period=period,
            status=status,
            action=ReviewAction.ACCEPT,
            summary={"bulk": True},
        )
    except (ValidationError, PermissionDenied) as error:
        return "；".join(getattr(error, "messages", [str(error)]))
    return None
