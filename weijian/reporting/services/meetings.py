"""Meetings of a committee (领导小组, 联席会议 … from the registry): the agenda, the decisions,
and the follow-up actions decided on an item.

The agenda. An item without a meeting waits for the committee's next meeting; it comes from a
supervision finding (`visits.raise_finding`), from an accountability record escalated after
repeated misses (`accountability.open_overdue`), or is written in. Creating a meeting takes every
waiting item of its committee, in their order, and numbers them 1, 2, 3 …; items written on a
meeting afterwards go last.

Follow-up actions. A decided action is a `Task` of the committee's plan of decided matters
("<committee>议定事项", owned by the committee's host, created on first use and shared by all its
meetings) with a lead assignment to the owner organization and a deadline, so it is reported on
and checked like every other task. The task and its assignment are written by the plans app's
editing services, so the action is also in the plan's own trail; those services keep plans with
the 科室人员, so a 领导 manages meetings and items but a 科室人员 adds the actions.

Who: the 科室人员 and 领导 of the committee's host or of an organization above it. Every
function checks the actor before it opens its transaction (so a refusal's audit event stays),
validates with Chinese messages naming the field, and writes one audit event in the host's
trail.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from weijian.accounts.access import require_plan_editor, require_role_over
from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.core.dates import chinese_date
from weijian.orgs.models import Committee, Organization
from weijian.plans import editing
from weijian.plans.models import AssignmentRole, Plan
from weijian.reporting.models import AgendaItem, AgendaSource, FollowUp, Meeting

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "reporting.meeting_create": "新建会议",
        "reporting.meeting_update": "修改会议",
        "reporting.agenda_add": "新增会议议题",
        "reporting.agenda_update": "修改会议议题",
        "reporting.agenda_remove": "删除会议议题",
        "reporting.meeting_plan_create": "新建会议议定事项方案",
        "reporting.follow_up_add": "新增会议议定事项",
    }
)

MANAGERS = (Role.STAFF, Role.LEADER)
MEETING_FIELDS = ["title", "held_on", "location", "chair", "attendees", "minutes"]
ITEM_FIELDS = ["title", "description", "decision"]
TEXT_LENGTH = 5000


# --- shared steps -----------------------------------------------------------------------------


def require_manager(actor: User, committee: Committee) -> None:
    host = committee.host
    require_role_over(
        actor=actor,
        roles=MANAGERS,
        organizations=[host],
        reason=f"只有{host.name}或其上级单位的科室人员或领导可以管理“{committee.name}”的会议。",
    )


def _text(value: str | None, *, field: str, label: str, length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > length:
        raise ValidationError({field: f"{label}不能超过{length}个字"})
    return text


def _values(obj: Any, fields: list[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return values


def _record(action: str, *, actor: User, obj: Any, committee: Committee, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=obj,
        organization=committee.host,
        summary={"committee": committee.pk, "committee_name": committee.name, **summary},
    )


def _next_order(committee: Committee, meeting: Meeting | None) -> int:
    items = AgendaItem.objects.filter(committee=committee, meeting=meeting)
    last = items.aggregate(last=Max("order"))["last"]
    return 1 if last is None else last + 1


def queue_item(
    *, committee: Committee, source: str, title: str, description: str = ""
) -> AgendaItem:
    """An item waiting for the committee's next meeting, last in the queue. For the services
    that raise items (visits, accountability): they check their actor and write their event."""
    limit = AgendaItem._meta.get_field("title").max_length or 300
    return AgendaItem.objects.create(
        committee=committee,
        source=source,
        title=title[:limit],
        description=description,
        order=_next_order(committee, None),
    )


# --- meetings ---------------------------------------------------------------------------------


def _meeting_fields(
    *,
    title: str,
    held_on: datetime.date | None,
    location: str,
    chair: str,
    attendees: str,
    minutes: str,
) -> dict[str, Any]:
    if not isinstance(held_on, datetime.date):
        raise ValidationError({"held_on": "请填写会议日期"})
    return {
        "title": _text(title, field="title", label="会议名称", length=200, required=True),
        "held_on": held_on,
        "location": _text(location, field="location", label="地点", length=200),
        "chair": _text(chair, field="chair", label="主持人", length=100),
        "attendees": _text(attendees, field="attendees", label="参会人员", length=TEXT_LENGTH),
        "minutes": _text(minutes, field="minutes", label="会议纪要", length=TEXT_LENGTH * 4),
    }


def meeting_create(
    *,
    actor: User,
    committee: Committee,
    title: str,
    held_on: datetime.date | None,
    location: str = "",
    chair: str = "",
    attendees: str = "",
    minutes: str = "",
) -> Meeting:
    """A meeting of the committee; every item waiting for the next meeting joins its agenda,
    in order."""
    require_manager(actor, committee)
    fields = _meeting_fields(
        title=title,
        held_on=held_on,
        location=location,
        chair=chair,
        attendees=attendees,
        minutes=minutes,
    )
    with transaction.atomic():
        meeting = Meeting.objects.create(committee=committee, **fields)
        waiting = list(
            AgendaItem.objects.select_for_update()
            .filter(committee=committee, meeting__isnull=True)
            .order_by("order", "pk")
        )
        for position, item in enumerate(waiting, start=1):
            item.meeting, item.order = meeting, position
        AgendaItem.objects.bulk_update(waiting, ["meeting", "order"])
        _record(
            "reporting.meeting_create",
            actor=actor,
            obj=meeting,
            committee=committee,
            **_values(meeting, MEETING_FIELDS),
            items=[item.pk for item in waiting],
        )
    return meeting


def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    held_on: datetime.date | None,
    location: str = "",
    chair: str = "",
    attendees: str = "",
    minutes: str = "",
) -> Meeting:
    committee = meeting.committee
    require_manager(actor, committee)
    fields = _meeting_fields(
        title=title,
        held_on=held_on,
        location=location,
        chair=chair,
        attendees=attendees,
        minutes=minutes,
    )
    with transaction.atomic():
        before = _values(meeting, MEETING_FIELDS)
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save(update_fields=MEETING_FIELDS)
        changes = audit.changes(before, _values(meeting, MEETING_FIELDS))
        if changes:
            _record(
                "reporting.meeting_update",
                actor=actor,
                obj=meeting,
                committee=committee,
                changes=changes,
            )
    return meeting


# --- agenda items -----------------------------------------------------------------------------


def item_add(
    *,
    actor: User,
    committee: Committee,
    title: str,
    description: str = "",
    decision: str = "",
    meeting: Meeting | None = None,
) -> AgendaItem:
    """An item written in: on the meeting when given (last, with the meeting's decision if
    already known), else waiting for the next one."""
    require_manager(actor, committee)
    if meeting is not None and meeting.committee_id != committee.pk:
        raise ValidationError("该会议不属于此议事协调机构")
    title = _text(title, field="title", label="议题", length=300, required=True)
    description = _text(description, field="description", label="说明", length=TEXT_LENGTH)
    decision = _text(decision, field="decision", label="会议决定", length=TEXT_LENGTH)
    if decision and meeting is None:
        raise ValidationError({"decision": "该议题尚未安排会议，不能填写会议决定"})
    with transaction.atomic():
        item = AgendaItem.objects.create(
            committee=committee,
            meeting=meeting,
            source=AgendaSource.WRITTEN,
            title=title,
            description=description,
            decision=decision,
            order=_next_order(committee, meeting),
        )
        _record(
            "reporting.agenda_add",
            actor=actor,
            obj=item,
            committee=committee,
            meeting=meeting.pk if meeting else None,
            title=title,
            decision=decision,
        )
    return item


def item_update(
    *, actor: User, item: AgendaItem, title: str, description: str = "", decision: str = ""
) -> AgendaItem:
    """Change an item's wording, or record the meeting's decision on it."""
    committee = item.committee
    require_manager(actor, committee)
    fields = {
        "title": _text(title, field="title", label="议题", length=300, required=True),
        "description": _text(description, field="description", label="说明", length=TEXT_LENGTH),
        "decision": _text(decision, field="decision", label="会议决定", length=TEXT_LENGTH),
    }
    if fields["decision"] and item.meeting_id is None:
        raise ValidationError({"decision": "该议题尚未安排会议，不能填写会议决定"})
    with transaction.atomic():
        before = _values(item, ITEM_FIELDS)
        for name, value in fields.items():
            setattr(item, name, value)
        item.save(update_fields=ITEM_FIELDS)
        changes = audit.changes(before, _values(item, ITEM_FIELDS))
        if changes:
            _record(
                "reporting.agenda_update",
                actor=actor,
                obj=item,
                committee=committee,
                changes=changes,
            )
    return item


def item_remove(*, actor: User, item: AgendaItem) -> None:
    """Remove an item written in by mistake. Items raised from a finding or an accountability
    record stay (they carry that link), as do items with decided actions."""
    committee = item.committee
    require_manager(actor, committee)
    if item.source != AgendaSource.WRITTEN:
        raise ValidationError(
            f"来源为“{item.get_source_display()}”的议题不能删除，可在会议中记录处理决定"
        )
    if item.follow_ups.exists():
        raise ValidationError("该议题已有议定事项，不能删除")
    with transaction.atomic():
        _record(
            "reporting.agenda_remove",
            actor=actor,
            obj=item,
            committee=committee,
            meeting=item.meeting_id,
            title=item.title,
        )
        item.delete()


# --- follow-up actions ------------------------------------------------------------------------


def plan_title(committee: Committee) -> str:
    return f"{committee.name}议定事项"


def meeting_plan(*, actor: User, meeting: Meeting) -> Plan:
    """The plan of the meeting's decided actions: the meeting's own, else the one its
    committee's other meetings use, else a new plan "<committee>议定事项" owned by the host.
    Call inside the caller's transaction."""
    if meeting.plan_id is not None:
        return meeting.plan  # type: ignore[return-value]
    committee = meeting.committee
    plan = (
        Plan.objects.filter(meetings__committee=committee)
        .order_by("meetings__held_on", "pk")
        .first()
    )
    if plan is None:
        plan = Plan.objects.create(
            title=plan_title(committee), owner=committee.host, start_year=meeting.held_on.year
        )
        _record(
            "reporting.meeting_plan_create",
            actor=actor,
            obj=plan,
            committee=committee,
            title=plan.title,
        )
    meeting.plan = plan
    meeting.save(update_fields=["plan"])
    return plan


def _follow_up_fields(
    meeting: Meeting, *, title: str, organization: Organization | None, due_on: Any
) -> dict[str, Any]:
    title = _text(title, field="title", label="议定事项", length=300, required=True)
    if organization is None:
        raise ValidationError({"organization": "请选择责任单位"})
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": "请填写完成时限"})
    if due_on < meeting.held_on:
        raise ValidationError(
            {"due_on": f"完成时限不能早于会议日期（{chinese_date(meeting.held_on)}）"}
        )
    return {"title": title, "organization": organization, "due_on": due_on}


def follow_up_add(
    *,
    actor: User,
    item: AgendaItem,
    title: str,
    organization: Organization | None,
    due_on: datetime.date | None,
    text: str = "",
) -> FollowUp:
    """A decided action on an item of a held meeting: a task of the committee's plan of
    decided matters, led by `organization`, due on `due_on`. All or nothing."""
    committee = item.committee
    require_manager(actor, committee)
    require_plan_editor(actor=actor, organizations=[committee.host])
    meeting = item.meeting
    if meeting is None:
        raise ValidationError("该议题尚未上会，不能添加议定事项")
    fields = _follow_up_fields(meeting, title=title, organization=organization, due_on=due_on)
    text = _text(text, field="text", label="具体要求", length=TEXT_LENGTH)
    source = f"{meeting.title}（{chinese_date(meeting.held_on)}）议题：{item.title}"
    with transaction.atomic():
        plan = meeting_plan(actor=actor, meeting=meeting)
        task = editing.task_create(
            actor=actor,
            plan=plan,
            title=fields["title"],
            text="\n".join(part for part in (text, source) if part),
            due_on=fields["due_on"],
        )
        editing.assignment_add(
            actor=actor, task=task, role=AssignmentRole.LEAD, organization=fields["organization"]
        )
        follow_up = FollowUp.objects.create(item=item, task=task)
        _record(
            "reporting.follow_up_add",
            actor=actor,
            obj=follow_up,
            committee=committee,
            meeting=meeting.pk,
            item=item.pk,
            task=task.pk,
            title=fields["title"],
            organization=fields["organization"].name,
            due_on=fields["due_on"].isoformat(),
        )
    return follow_up
