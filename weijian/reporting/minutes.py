"""A meeting's minutes (会议纪要) as a 公文 .docx, written by the shared document writer
(`weijian.core.documents`): the meeting's particulars, its overall minutes, then one heading per
agenda item with its background, the decision and the decided actions (a table of the action,
its lead unit and its deadline); the committee and the meeting's date as the 落款."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils import timezone

from weijian.core.dates import chinese_date
from weijian.core.documents import Document, Heading, Paragraph, Table, docx_bytes
from weijian.core.documents.model import Block
from weijian.plans.models import AssignmentRole, Task
from weijian.reporting.models import AgendaItem, Meeting

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def minutes_title(meeting: Meeting) -> str:
    """<committee><meeting>纪要, without repeating the committee's name or 纪要."""
    committee = meeting.committee.name
    title = meeting.title if committee in meeting.title else f"{committee}{meeting.title}"
    return title if title.endswith("纪要") else f"{title}纪要"


def lead_unit(task: Task) -> str:
    """The lead unit of a decided action (from the prefetched assignments)."""
    leads = [a for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
    return "、".join(a.organization.name if a.organization else a.raw_name for a in leads)


def _particulars(meeting: Meeting) -> list[Block]:
    lines = [("时间", chinese_date(meeting.held_on)), ("地点", meeting.location)]
    lines += [("主持", meeting.chair), ("参会人员", " ".join(meeting.attendees.split()))]
    return [Paragraph(f"{label}：{value}") for label, value in lines if value]


def _item(item: AgendaItem) -> list[Block]:
    blocks: list[Block] = [Heading(item.title, level=1)]
    if item.description:
        blocks.append(Paragraph(item.description))
    blocks.append(
        Paragraph(f"会议决定：{item.decision}" if item.decision else "会议决定：（未记录）")
    )
    actions = [f.task for f in item.follow_ups.all()]
    if actions:
        rows = [
            [str(n), t.title, lead_unit(t), chinese_date(t.due_on) if t.due_on else ""]
            for n, t in enumerate(actions, start=1)
        ]
        blocks.append(Paragraph("议定事项："))
        blocks.append(
            Table(
                header=["序号", "议定事项", "责任单位", "完成时限"],
                rows=rows,
                widths=[0.6, 3.4, 1.8, 1.6],
                align=["center", "left", "left", "center"],
            )
        )
    return blocks


def minutes_document(meeting: Meeting, items: Sequence[AgendaItem]) -> Document:
    """The minutes of `meeting`; `items` from `oversight_selectors.meeting_items`."""
    blocks = _particulars(meeting)
    if meeting.minutes:
        blocks.append(Paragraph(meeting.minutes))
    for item in items:
        blocks.extend(_item(item))
    return Document(
        title=minutes_title(meeting),
        blocks=blocks,
        issuer=meeting.committee.name,
        date=meeting.held_on,
    )


def minutes_docx(meeting: Meeting, items: Sequence[AgendaItem]) -> bytes:
    return docx_bytes(minutes_document(meeting, items))


def filename(meeting: Meeting) -> str:
    stem = _UNSAFE.sub("_", minutes_title(meeting)).strip("_.")[:80] or "会议纪要"
    return f"{stem}-{timezone.localtime().strftime('%Y%m%d%H%M')}.docx"
