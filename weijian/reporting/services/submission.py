"""The unit's side of its report for a period: the draft saved as the user types, attachments,
the Excel import, and the submission of all its tasks at once.

Who: a 填报员 or 科室人员 of the report's own organization — not of a superior, which reviews
instead. The check runs before the transaction, so the refusal's audit event stays.

Audit: submitting, applying an Excel import and adding or deleting an attachment each write an
event. Saving a draft as the user types writes none (one event per pause in typing would flood
the trail); the row keeps who changed it last and when (updated_by, updated_at), and the
submission's event records the submitted values' counts.

States: a first save moves pending → draft. A returned report stays returned while the unit
corrects it (it was submitted, and still counts so for completeness) and becomes submitted
again when resubmitted. Submitted, approved and accepted reports are read only for the unit;
so is everything while the period is locked (`locks.lock_reason`).

Timeliness is decided by the FIRST submission: on_time = first_submitted_at <= due_at, the end
of the due day in Asia/Shanghai. A late report counts as submitted, not on time (RULES.md). A
returned report resubmitted keeps the timeliness of its first submission: a reviewer's return
never makes a unit late, and correcting a late report never makes it on time.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from weijian.accounts.access import refuse
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.plans.models import Comparator, Target
from weijian.plans.selectors import target_value
from weijian.reporting.locks import lock_reason
from weijian.reporting.models import (
    ProgressReport,
    ReportAttachment,
    ReportingCycle,
    ReportStatus,
    ReviewAction,
    ReviewStep,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.models.reports import EDITABLE_STATES
from weijian.reporting.status import ABOUT

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile

    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

audit.register_actions(
    {
        "reporting.submit": "报送进展报告",
        "reporting.import": "导入进展报告（Excel）",
        "reporting.attachment_add": "上传进展报告附件",
        "reporting.attachment_delete": "删除进展报告附件",
    }
)

FILLERS = (Role.REPORTER, Role.STAFF)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_SUFFIXES = frozenset(
    ".pdf .ofd .doc .docx .wps .xls .xlsx .et .ppt .pptx .txt .jpg .jpeg .png .zip .rar".split()
)
TEXT_FIELDS = ("progress", "shortfall_reason", "difficulties", "next_steps")
STATUS_NAMES = "、".join(TaskStatus.labels)


@dataclass(frozen=True)
class Draft:
    """What the unit states for one task: the fields and each target's current value
    (target pk → value; a target left out or None has no value)."""

    task_status: str = ""
    percent: int | None = None
    progress: str = ""
    shortfall_reason: str = ""
    difficulties: str = ""
    next_steps: str = ""
    values: Mapping[int, float | None] = field(default_factory=dict)

    @classmethod
    def of(cls, report: ProgressReport, values: Iterable[TargetValue]) -> Draft:
        return cls(
            task_status=report.task_status,
            percent=report.percent,
            progress=report.progress,
            shortfall_reason=report.shortfall_reason,
            difficulties=report.difficulties,
            next_steps=report.next_steps,
            values={value.target_id: value.value for value in values},
        )

    def to_json(self) -> dict[str, object]:
        return {
            "task_status": self.task_status,
            "percent": self.percent,
            **{name: getattr(self, name) for name in TEXT_FIELDS},
            "values": {str(pk): value for pk, value in self.values.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Draft:
        raw = data.get("values")
        values = raw if isinstance(raw, dict) else {}
        percent = data.get("percent")
        return cls(
            task_status=str(data.get("task_status") or ""),
            percent=int(percent) if isinstance(percent, int | float) else None,
            **{name: str(data.get(name) or "") for name in TEXT_FIELDS},
            values={int(pk): value for pk, value in values.items()},
        )


# --- who may fill, and when ---------------------------------------------------------------


def can_fill(user: User | AnonymousUser, organization: Organization) -> bool:
    """A 填报员 or 科室人员 of the unit itself."""
    return (
        user.is_authenticated
        and has_role(user, *FILLERS)
        and user.organization_id == organization.pk  # type: ignore[union-attr]
    )


def require_filler(
    *, actor: User, organization: Organization, obj: models.Model | None = None
) -> None:
    if not can_fill(actor, organization):
        raise refuse(
            actor=actor,
            obj=obj if obj is not None else organization,
            reason="只有本单位的填报员或科室人员可以填写和报送本单位的进展报告。",
        )


def require_unlocked(*, cycle: ReportingCycle, organization: Organization, period: str) -> None:
    reason = lock_reason(cycle, organization, period)
    if reason:
        raise ValidationError(reason)


def require_editable(reports: Iterable[ProgressReport]) -> None:
    for report in reports:
        if report.status not in EDITABLE_STATES:
            raise ValidationError(
                f"任务“{report.task}”的报告{report.get_status_display()}，本单位不能再修改。"
            )


# --- what a complete report is ------------------------------------------------------------


def target_met(target: Target, value: float) -> bool:
    """Whether a reported value meets the target; = means reaching it in the indicator's good
    direction, ≈ within 5 % (the same rule as `status._target_counts`)."""
    if target.comparator == Comparator.AT_LEAST:
        return value >= target.value
    if target.comparator == Comparator.AT_MOST:
        return value <= target.value
    if target.comparator == Comparator.EQUAL:
        good_up = target.indicator.higher_is_better
        return value >= target.value if good_up else value <= target.value
    bounds = (target.value * (1 - ABOUT), target.value * (1 + ABOUT))
    return min(bounds) <= value <= max(bounds)


def _goal(target: Target) -> str:
    return f"{target.get_comparator_display()}{target_value(target)}{target.unit}"


def problems(report: ProgressReport, draft: Draft, targets: Iterable[Target]) -> list[str]:
    """Why the draft cannot be submitted, one Chinese message per problem naming the task."""
    task = f"任务“{report.task}”"
    status = draft.task_status
    found: list[str] = []
    if status not in TaskStatus.values:
        found.append(f"{task}：请选择任务状态（{STATUS_NAMES}）")
    elif status == TaskStatus.DONE and draft.percent != 100:
        found.append(f"{task}：任务状态为已完成时，完成比例应为100%")
    elif status == TaskStatus.NOT_STARTED and draft.percent not in (None, 0):
        found.append(f"{task}：任务状态为未启动时，完成比例应为0或不填")
    elif status in (TaskStatus.IN_PROGRESS, TaskStatus.LAGGING) and draft.percent is None:
        found.append(f"{task}：请填写完成比例")
    if status and status != TaskStatus.NOT_STARTED and not draft.progress.strip():
        found.append(f"{task}：请填写工作进展")
    unmet = []
    for target in targets:
        value = draft.values.get(target.pk)
        if value is None:
            found.append(f"{task}：请填写指标“{target.indicator.name}”的当前值")
        elif not target_met(target, value):
            unmet.append((target, value))
    if not draft.shortfall_reason.strip():
        if status == TaskStatus.LAGGING:
            found.append(f"{task}：任务状态为滞后，请填写未完成原因")
        found.extend(
            f"{task}：指标“{target.indicator.name}”当前值{value:g}未达到目标"
            f"（{_goal(target)}），请填写未完成原因"
            for target, value in unmet
        )
    return found


# --- writing ------------------------------------------------------------------------------


def _targets(task_ids: Iterable[int]) -> dict[int, list[Target]]:
    by_task: dict[int, list[Target]] = defaultdict(list)
    rows = Target.objects.filter(task_id__in=set(task_ids)).select_related("indicator")
    for target in rows.order_by("pk"):
        by_task[target.task_id].append(target)
    return by_task


def _write(report: ProgressReport, draft: Draft, actor: User, targets: list[Target]) -> None:
    known = {target.pk for target in targets}
    if set(draft.values) - known:
        raise ValidationError(f"任务“{report.task}”：填报的指标不是该任务的目标。")
    if draft.percent is not None and not 0 <= draft.percent <= 100:
        raise ValidationError(f"任务“{report.task}”：完成比例应在0到100之间。")
    if draft.task_status and draft.task_status not in TaskStatus.values:
        raise ValidationError(f"任务“{report.task}”：任务状态应为{STATUS_NAMES}之一。")
    report.task_status = draft.task_status
    report.percent = draft.percent
    for name in TEXT_FIELDS:
        setattr(report, name, getattr(draft, name).strip())
    report.updated_by = actor
    if report.status == ReportStatus.PENDING:
        report.status = ReportStatus.DRAFT
    report.save(
        update_fields=["task_status", "percent", *TEXT_FIELDS, "status", "updated_by", "updated_at"]
    )
    _write_values(report, {pk: draft.values.get(pk) for pk in known})


def _write_values(report: ProgressReport, values: Mapping[int, float | None]) -> None:
    existing = {row.target_id: row for row in TargetValue.objects.filter(report=report)}
    gone = [pk for pk, value in values.items() if value is None and pk in existing]
    TargetValue.objects.filter(report=report, target_id__in=gone).delete()
    for target_id, value in values.items():
        if value is None:
            continue
        row = existing.get(target_id)
        if row is None:
            TargetValue.objects.create(report=report, target_id=target_id, value=value)
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])


def _locked_rows(
    cycle: ReportingCycle, organization: Organization, period: str
) -> list[ProgressReport]:
    rows = ProgressReport.objects.select_for_update(of=("self",)).filter(
        cycle=cycle, organization=organization, period=period
    )
    return list(rows.select_related("task").order_by("task__order", "task_id"))


def report_save_draft(*, actor: User, report: ProgressReport, draft: Draft) -> ProgressReport:
    """Save what the unit typed for one task, without submitting it (see the module's
    docstring: no audit event)."""
    require_filler(actor=actor, organization=report.organization, obj=report)
    require_unlocked(cycle=report.cycle, organization=report.organization, period=report.period)
    with transaction.atomic():
        row = (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("task")
            .get(pk=report.pk)
        )
        require_editable([row])
        _write(row, draft, actor, _targets([row.task_id])[row.task_id])
    return row


def report_submit(
    *,
    actor: User,
    cycle: ReportingCycle,
    organization: Organization,
    period: str,
    drafts: Mapping[int, Draft] | None = None,
) -> list[ProgressReport]:
    """Submit every editable report of the unit for the period, after writing `drafts` (report
    pk → draft; the stored values for the others). Every task is validated first; on any
    problem nothing is written and the ValidationError lists them all."""
    require_filler(actor=actor, organization=organization, obj=cycle)
    require_unlocked(cycle=cycle, organization=organization, period=period)
    drafts = drafts or {}
    with transaction.atomic():
        rows = _locked_rows(cycle, organization, period)
        editable = [row for row in rows if row.status in EDITABLE_STATES]
        if not rows:
            raise ValidationError("本期没有需要本单位填报的任务。")
        if not editable:
            raise ValidationError("本期报告已报送，不能重复报送。")
        if set(drafts) - {row.pk for row in editable}:
            raise ValidationError("只能修改本单位本期尚未报送的报告。")
        targets = _targets(row.task_id for row in editable)
        final = _final_drafts(editable, drafts)
        errors = [
            message
            for row in editable
            for message in problems(row, final[row.pk], targets[row.task_id])
        ]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        resubmitted = any(row.status == ReportStatus.RETURNED for row in editable)
        for row in editable:
            if row.pk in drafts:
                _write(row, drafts[row.pk], actor, targets[row.task_id])
            _mark_submitted(row, now)
        _record_submission(actor, cycle, organization, period, editable, resubmitted)
    return editable


def _final_drafts(rows: list[ProgressReport], drafts: Mapping[int, Draft]) -> dict[int, Draft]:
    values: dict[int, list[TargetValue]] = defaultdict(list)
    for value in TargetValue.objects.filter(report__in=[row.pk for row in rows]):
        values[value.report_id].append(value)
    return {row.pk: drafts.get(row.pk) or Draft.of(row, values[row.pk]) for row in rows}


def _mark_submitted(row: ProgressReport, now: datetime.datetime) -> None:
    row.first_submitted_at = row.first_submitted_at or now
    row.on_time = row.first_submitted_at <= row.due_at
    row.submitted_at = now
    row.status = ReportStatus.SUBMITTED
    row.return_reason = ""
    row.save(
        update_fields=[
            "first_submitted_at",
            "on_time",
            "submitted_at",
            "status",
            "return_reason",
            "updated_at",
        ]
    )


def _record_submission(
    actor: User,
    cycle: ReportingCycle,
    organization: Organization,
    period: str,
    rows: list[ProgressReport],
    resubmitted: bool,
) -> None:
    ReviewStep.objects.create(
        cycle=cycle,
        organization=organization,
        period=period,
        action=ReviewAction.SUBMIT,
        reason="修改后重新报送" if resubmitted else "",
        actor=actor,
        actor_organization=actor.organization,
    )
    audit.record(
        action="reporting.submit",
        actor=actor,
        obj=cycle,
        organization=organization,
        summary={
            "unit": organization.name,
            "period": period,
            "reports": len(rows),
            "on_time": sum(1 for row in rows if row.on_time),
            "late": sum(1 for row in rows if not row.on_time),
            "resubmitted": resubmitted,
        },
    )


def report_import_apply(
    *,
    actor: User,
    cycle: ReportingCycle,
    organization: Organization,
    period: str,
    drafts: Mapping[int, Draft],
    source: str = "",
) -> int:
    """Write an Excel import's rows as drafts (not submitted), all in one transaction; returns
    the number of reports written."""
    require_filler(actor=actor, organization=organization, obj=cycle)
    require_unlocked(cycle=cycle, organization=organization, period=period)
    with transaction.atomic():
        rows = [row for row in _locked_rows(cycle, organization, period) if row.pk in drafts]
        if len(rows) != len(drafts):
            raise ValidationError("导入的行不属于本单位本期的报告，请重新下载模板。")
        require_editable(rows)
        targets = _targets(row.task_id for row in rows)
        for row in rows:
            _write(row, drafts[row.pk], actor, targets[row.task_id])
        audit.record(
            action="reporting.import",
            actor=actor,
            obj=cycle,
            organization=organization,
            summary={
                "unit": organization.name,
                "period": period,
                "source": source,
                "reports": len(rows),
            },
        )
    return len(rows)


# --- attachments --------------------------------------------------------------------------


def _require_attachable(actor: User, report: ProgressReport) -> None:
    require_filler(actor=actor, organization=report.organization, obj=report)
    require_unlocked(cycle=report.cycle, organization=report.organization, period=report.period)
    require_editable([report])


def attachment_add(
    *, actor: User, report: ProgressReport, upload: UploadedFile
) -> ReportAttachment:
    """Attach a file (at most 20 MB, of a common office or picture type) to the report. The
    file is stored under a random name; its own name is kept for the download."""
    _require_attachable(actor, report)
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ValidationError(
            f"不支持“{suffix or name}”类型的附件，请上传 PDF、Word、Excel、图片或压缩包"
        )
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError("附件不能超过20MB")
    attachment = ReportAttachment(
        report=report, name=name, size=upload.size or 0, uploaded_by=actor
    )
    attachment.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            audit.record(
                action="reporting.attachment_add",
                actor=actor,
                obj=attachment,
                organization=report.organization,
                summary={
                    "report": report.pk,
                    "task": str(report.task),
                    "name": name,
                    "size": attachment.size,
                },
            )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(*, actor: User, attachment: ReportAttachment) -> None:
    report = attachment.report
    _require_attachable(actor, report)
    stored, storage = attachment.file.name, attachment.file.storage
    with transaction.atomic():
        audit.record(
            action="reporting.attachment_delete",
            actor=actor,
            obj=attachment,
            organization=report.organization,
            summary={"report": report.pk, "task": str(report.task), "name": attachment.name},
        )
        attachment.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
