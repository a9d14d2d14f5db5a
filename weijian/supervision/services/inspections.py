"""Recording an inspection: the group's check points, facts and result, its photos, its
completion, and the follow-up of a rectification (整改复查).

Only a member of the drawn group records (`access.require_group_member`); staff of the plan
owner's unit or above may also record the rectification follow-up. The first recording moves the
plan 已抽取 → 检查中, completing its last inspection moves it 检查中 → 已完成 (`plan_states.move`).
A completed inspection is final: nothing but its rectification follow-up changes afterwards.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from weijian.accounts.access import refuse
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.workdays import add_workdays
from weijian.supervision.access import require_group_member
from weijian.supervision.models import (
    CheckOutcome,
    CheckPoint,
    CheckResult,
    Draw,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionState,
    PlanState,
    RectificationStatus,
    SamplingPlan,
)
from weijian.supervision.services import plan_states

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from weijian.accounts.models import User

audit.register_actions(
    {
        "supervision.inspection_record": "记录检查情况",
        "supervision.inspection_complete": "完成检查",
        "supervision.inspection_photo_add": "上传现场照片",
        "supervision.inspection_photo_delete": "删除现场照片",
        "supervision.rectification_record": "记录整改复查",
        "supervision.rectification_overdue": "标记逾期未整改",
    }
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# content type → (file suffix, the bytes every such file starts with)
PHOTO_TYPES = {
    "image/jpeg": (".jpg", b"\xff\xd8\xff"),
    "image/png": (".png", b"\x89PNG\r\n\x1a\n"),
}


@dataclass(frozen=True)
class CheckEntry:
    """What the group wrote for one check point; an empty outcome means not yet checked."""

    check_point_id: int
    outcome: str
    note: str


@dataclass(frozen=True)
class Record:
    """The facts of an inspection as the group enters them (a draft until completion)."""

    inspected_on: datetime.date | None
    result: str
    summary: str
    rectification_deadline: datetime.date | None
    checks: list[CheckEntry]


# --- checks ---------------------------------------------------------------------------------


COMPLETED_MESSAGE = "该检查已完成，不能再修改检查记录。"
REDRAWN_MESSAGE = "该检查所属的抽取已被重新抽取，不能再记录。"


def require_open(inspection: Inspection) -> None:
    """Only an inspection of the plan's current draw, not yet completed, is recorded."""
    if inspection.state == InspectionState.COMPLETED:
        raise ValidationError(COMPLETED_MESSAGE)
    if not Draw.objects.filter(pk=inspection.draw_id, is_current=True).exists():
        raise ValidationError(REDRAWN_MESSAGE)


def drawn_on(inspection: Inspection) -> datetime.date:
    return timezone.localdate(inspection.draw.drawn_at)


def validate_dates(
    inspection: Inspection,
    inspected_on: datetime.date | None,
    deadline: datetime.date | None,
    *,
    today: datetime.date,
) -> None:
    errors = []
    if inspected_on is not None:
        if inspected_on > today:
            errors.append("检查日期不能晚于今天。")
        if inspected_on < drawn_on(inspection):
            errors.append(f"检查日期不能早于抽取日期（{drawn_on(inspection).isoformat()}）。")
    if deadline is not None and inspected_on is not None and deadline <= inspected_on:
        errors.append("整改期限应晚于检查日期。")
    if errors:
        raise ValidationError(errors)


def _valid_outcomes(record: Record, checkpoints: dict[int, CheckPoint]) -> None:
    for entry in record.checks:
        if entry.check_point_id not in checkpoints:
            raise ValidationError("检查要点不属于该检查的抽查事项。")
        if entry.outcome and entry.outcome not in CheckOutcome.values:
            raise ValidationError("检查结论只能是符合、不符合或不适用。")
    if record.result and record.result not in InspectionResult.values:
        raise ValidationError("请选择有效的检查结果。")


# --- recording ------------------------------------------------------------------------------


def _lock_plan(inspection: Inspection) -> SamplingPlan:
    """Lock the plan (a redraw locks it too), then check again, under the lock, that the
    inspection still belongs to the current draw and was not completed meanwhile."""
    plan = SamplingPlan.objects.select_for_update().get(pk=inspection.plan_id)
    inspection.plan = plan
    row = (
        Inspection.objects.select_for_update()
        .filter(pk=inspection.pk)
        .values("state", "draw__is_current")
        .first()
    )
    if row is None or not row["draw__is_current"]:
        raise ValidationError(REDRAWN_MESSAGE)
    if row["state"] == InspectionState.COMPLETED:
        raise ValidationError(COMPLETED_MESSAGE)
    return plan


def _start(inspection: Inspection, actor: User) -> None:
    """The first recording: the inspection leaves 待检查 and its plan 已抽取."""
    plan = _lock_plan(inspection)
    if plan.state == PlanState.DRAWN:
        plan_states.move(plan=plan, to=PlanState.INSPECTING, actor=actor)
    if inspection.state == InspectionState.PENDING:
        inspection.state = InspectionState.RECORDING


def _facts(inspection: Inspection) -> dict[str, Any]:
    return {
        "检查日期": inspection.inspected_on.isoformat() if inspection.inspected_on else "",
        "检查结果": inspection.get_result_display() if inspection.result else "",
        "检查情况": inspection.summary,
        "整改期限": (
            inspection.rectification_deadline.isoformat()
            if inspection.rectification_deadline
            else ""
        ),
    }


def _save_checks(inspection: Inspection, entries: list[CheckEntry]) -> dict[str, list[Any]]:
    existing = {c.check_point_id: c for c in inspection.checks.all()}
    changed: dict[str, list[Any]] = {}
    for entry in entries:
        current = existing.get(entry.check_point_id)
        before = (current.outcome, current.note) if current else ("", "")
        if before == (entry.outcome, entry.note):
            continue
        changed[str(entry.check_point_id)] = [before[0], entry.outcome]
        if not entry.outcome and not entry.note:
            if current is not None:
                current.delete()
            continue
        CheckResult.objects.update_or_create(
            inspection=inspection,
            check_point_id=entry.check_point_id,
            defaults={"outcome": entry.outcome, "note": entry.note},
        )
    return changed


def inspection_record(*, actor: User, inspection: Inspection, record: Record) -> Inspection:
    """Save the group's draft: facts, result and each check point's outcome and note."""
    require_group_member(actor=actor, inspection=inspection)
    require_open(inspection)
    checkpoints = {cp.pk: cp for cp in inspection.plan.item.checkpoints.all()}
    _valid_outcomes(record, checkpoints)
    validate_dates(
        inspection,
        record.inspected_on,
        record.rectification_deadline,
        today=timezone.localdate(),
    )
    with transaction.atomic():
        _start(inspection, actor)
        before = _facts(inspection)
        inspection.inspected_on = record.inspected_on
        inspection.result = record.result
        inspection.summary = record.summary
        inspection.rectification_deadline = record.rectification_deadline
        inspection.recorded_by = actor
        inspection.save()
        checks = _save_checks(inspection, record.checks)
        audit.record(
            action="supervision.inspection_record",
            actor=actor,
            obj=inspection,
            summary={
                "plan": inspection.plan_id,
                "institution": inspection.institution.name,
                "changes": audit.changes(before, _facts(inspection)),
                "checks": checks,
            },
        )
    return inspection


# --- completion -----------------------------------------------------------------------------


def completion_errors(inspection: Inspection) -> list[str]:
    """Why the inspection cannot be completed yet, in Chinese; empty when it can."""
    errors = []
    results = {c.check_point_id: c for c in inspection.checks.all()}
    checkpoints = list(inspection.plan.item.checkpoints.all())
    missing = [cp for cp in checkpoints if not getattr(results.get(cp.pk), "outcome", "")]
    if missing:
        names = "；".join(f"{cp.order}. {cp.content}" for cp in missing)
        errors.append(f"以下检查要点尚未填写检查结论：{names}")
    unexplained = [
        cp
        for cp in checkpoints
        if cp.pk in results
        and results[cp.pk].outcome == CheckOutcome.NONCONFORMS
        and not results[cp.pk].note.strip()
    ]
    if unexplained:
        names = "；".join(f"{cp.order}. {cp.content}" for cp in unexplained)
        errors.append(f"以下检查要点为“不符合”，请填写情况说明：{names}")
    if inspection.inspected_on is None:
        errors.append("请填写检查日期。")
    if not inspection.result:
        errors.append("请选择检查结果。")
    if inspection.result == InspectionResult.RECTIFY and not inspection.rectification_deadline:
        errors.append("检查结果为“责令整改”时，请填写整改期限。")
    return errors


def publication_due(completed_on: datetime.date) -> datetime.date:
    return add_workdays(completed_on, settings.WEIJIAN_PUBLICATION_WORKDAYS)


def _finish_plan(plan: SamplingPlan, actor: User) -> None:
    """Completing the plan's last inspection completes the plan."""
    if plan.state != PlanState.INSPECTING:
        return
    open_ones = plan.inspections.filter(draw__is_current=True).exclude(
        state=InspectionState.COMPLETED
    )
    if not open_ones.exists():
        plan_states.move(plan=plan, to=PlanState.COMPLETED, actor=actor)


def inspection_complete(*, actor: User, inspection: Inspection) -> Inspection:
    """完成检查: every check point answered, the result and its dates valid; the publication
    deadline starts from today."""
    require_group_member(actor=actor, inspection=inspection)
    require_open(inspection)
    errors = completion_errors(inspection)
    if errors:
        raise ValidationError(errors)
    validate_dates(
        inspection,
        inspection.inspected_on,
        inspection.rectification_deadline,
        today=timezone.localdate(),
    )
    now = timezone.now()
    due = publication_due(timezone.localdate(now))
    with transaction.atomic():
        _start(inspection, actor)
        inspection.state = InspectionState.COMPLETED
        inspection.completed_at = now
        inspection.publication_due = due
        if inspection.result == InspectionResult.RECTIFY:
            inspection.rectification_status = RectificationStatus.ONGOING
        else:
            inspection.rectification_deadline = None
        inspection.save()
        audit.record(
            action="supervision.inspection_complete",
            actor=actor,
            obj=inspection,
            summary={
                "plan": inspection.plan_id,
                "institution": inspection.institution.name,
                "result": inspection.get_result_display(),
                "publication_due": due.isoformat(),
            },
        )
        _finish_plan(inspection.plan, actor)
    return inspection


# --- photos ---------------------------------------------------------------------------------


def _image_suffix(upload: UploadedFile) -> str:
    """The suffix of an accepted picture, or a Chinese refusal: a JPEG or PNG of at most 10 MB
    whose bytes are what it claims (and that Pillow can read)."""
    kind = PHOTO_TYPES.get((upload.content_type or "").lower())
    if kind is None:
        raise ValidationError("只能上传 JPEG 或 PNG 格式的照片。")
    if (upload.size or 0) > MAX_PHOTO_BYTES:
        raise ValidationError("照片不能超过10MB。")
    suffix, magic = kind
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError("文件内容不是有效的 JPEG 或 PNG 图片。")
    _verify_with_pillow(upload)
    return suffix


def _verify_with_pillow(upload: UploadedFile) -> None:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with fpdf2
        return
    try:
        with Image.open(upload) as image:
            image.verify()
    # Pillow reports a damaged or unreadable image as one of these (UnidentifiedImageError is an
    # OSError; truncated PNG chunks raise SyntaxError; bad headers ValueError or EOFError).
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise ValidationError("图片文件已损坏，无法打开。") from None
    finally:
        upload.seek(0)


def photo_add(
    *,
    actor: User,
    inspection: Inspection,
    upload: UploadedFile,
    check_point: CheckPoint | None = None,
    caption: str = "",
) -> InspectionPhoto:
    require_group_member(actor=actor, inspection=inspection)
    require_open(inspection)
    if check_point is not None and check_point.item_id != inspection.plan.item_id:
        raise ValidationError("检查要点不属于该检查的抽查事项。")
    suffix = _image_suffix(upload)
    photo = InspectionPhoto(
        inspection=inspection, check_point=check_point, caption=caption[:200], uploaded_by=actor
    )
    photo.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    try:
        with transaction.atomic():
            photo.save()
            audit.record(
                action="supervision.inspection_photo_add",
                actor=actor,
                obj=inspection,
                summary={"photo": photo.pk, "caption": photo.caption, "size": upload.size},
            )
    except Exception:
        photo.file.delete(save=False)
        raise
    return photo


def photo_delete(*, actor: User, photo: InspectionPhoto) -> None:
    inspection = photo.inspection
    require_group_member(actor=actor, inspection=inspection)
    require_open(inspection)
    stored, storage = photo.file.name, photo.file.storage
    with transaction.atomic():
        audit.record(
            action="supervision.inspection_photo_delete",
            actor=actor,
            obj=inspection,
            summary={"photo": photo.pk, "caption": photo.caption},
        )
        photo.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# --- rectification --------------------------------------------------------------------------


def rectification_status(inspection: Inspection, today: datetime.date) -> str:
    """The status as of `today`: an ongoing rectification past its deadline is overdue even
    before the daily command marks it."""
    status = inspection.rectification_status
    deadline = inspection.rectification_deadline
    if status == RectificationStatus.ONGOING and deadline is not None and deadline < today:
        return RectificationStatus.OVERDUE
    return status


def may_follow_up(actor: User, inspection: Inspection) -> bool:
    """Staff of the plan owner's unit or above, or a member of the group."""
    if has_role(actor, Role.STAFF) and inspection.plan.owner.is_within(actor.organization):
        return True
    return inspection.inspectors.filter(user=actor).exists()


def rectification_record(
    *, actor: User, inspection: Inspection, rectified_on: datetime.date, note: str
) -> Inspection:
    """复查: the institution has rectified on `rectified_on`."""
    if not may_follow_up(actor, inspection):
        raise refuse(
            actor=actor,
            obj=inspection,
            reason="只有检查组成员或计划实施单位的科室人员可以记录整改复查。",
        )
    if inspection.state != InspectionState.COMPLETED or not inspection.rectification_status:
        raise ValidationError("只有已完成且责令整改的检查可以记录整改情况。")
    if inspection.rectification_status == RectificationStatus.DONE:
        raise ValidationError("该检查已记录整改完成。")
    if not note.strip():
        raise ValidationError("请填写整改复查情况。")
    if rectified_on > timezone.localdate():
        raise ValidationError("整改完成日期不能晚于今天。")
    if inspection.inspected_on and rectified_on < inspection.inspected_on:
        raise ValidationError("整改完成日期不能早于检查日期。")
    with transaction.atomic():
        before = inspection.get_rectification_status_display()
        inspection.rectification_status = RectificationStatus.DONE
        inspection.rectified_on = rectified_on
        inspection.rectification_note = note.strip()
        inspection.save()
        audit.record(
            action="supervision.rectification_record",
            actor=actor,
            obj=inspection,
            summary={
                "from": before,
                "to": RectificationStatus.DONE.label,
                "rectified_on": rectified_on.isoformat(),
                "late": bool(
                    inspection.rectification_deadline
                    and rectified_on > inspection.rectification_deadline
                ),
            },
        )
    return inspection


def mark_overdue_rectifications(*, today: datetime.date) -> list[Inspection]:
    """Mark 逾期未整改 the ongoing rectifications whose deadline is past; idempotent."""
    overdue = list(
        Inspection.objects.filter(
            rectification_status=RectificationStatus.ONGOING,
            rectification_deadline__lt=today,
            draw__is_current=True,
        ).select_related("plan__owner", "institution")
    )
    if not overdue:
        return []
    with transaction.atomic():
        Inspection.objects.filter(pk__in=[i.pk for i in overdue]).update(
            rectification_status=RectificationStatus.OVERDUE, updated_at=timezone.now()
        )
        for inspection in overdue:
            inspection.rectification_status = RectificationStatus.OVERDUE
            audit.record(
                action="supervision.rectification_overdue",
                actor=None,
                username="manage.py check_publication_deadlines",
                obj=inspection,
                organization=inspection.plan.owner,
                summary={
                    "institution": inspection.institution.name,
                    "deadline": str(inspection.rectification_deadline),
                },
            )
    return overdue
