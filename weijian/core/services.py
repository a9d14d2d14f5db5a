"""Writes to the working-day tables (security or system administrator) and audit pruning."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from weijian.accounts.access import require_top_level_role
from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.core.models import AuditEvent, WorkdayOverride, WorkdayYear

# 等保 2.0 asks for at least six months of audit records.
AUDIT_RETENTION_FLOOR_DAYS = 180

WORKDAY_EDITORS = (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN)


def _require_workday_editor(actor: User) -> None:
    """The calendar is one for the whole deployment: kept at the top level only."""
    require_top_level_role(actor=actor, roles=WORKDAY_EDITORS, what="维护工作日调整")


def workday_year_create(*, actor: User, year: int, source: str) -> WorkdayYear:
    _require_workday_editor(actor)
    with transaction.atomic():
        entry = WorkdayYear.objects.create(year=year, source=source)
        summary = {"year": year, "source": source}
        audit.record(action="workday.year_create", actor=actor, obj=entry, summary=summary)
    return entry


def workday_override_save(
    *, actor: User, day: date, is_workday: bool, name: str
) -> WorkdayOverride:
    """Create or replace the override for `day`."""
    _require_workday_editor(actor)
    with transaction.atomic():
        previous = WorkdayOverride.objects.select_for_update().filter(day=day).first()
        before = {"is_workday": previous.is_workday, "name": previous.name} if previous else {}
        after = {"is_workday": is_workday, "name": name}
        entry, _ = WorkdayOverride.objects.update_or_create(day=day, defaults=after)
        summary = {"day": day.isoformat(), **audit.changes(before, after)}
        audit.record(action="workday.override_save", actor=actor, obj=entry, summary=summary)
    return entry


def workday_override_delete(*, actor: User, override: WorkdayOverride) -> None:
    _require_workday_editor(actor)
    summary = {
        "day": override.day.isoformat(),
        "is_workday": override.is_workday,
        "name": override.name,
    }
    with transaction.atomic():
        audit.record(action="workday.override_delete", actor=actor, obj=override, summary=summary)
        override.delete()


def audit_prune_cutoff(*, older_than_days: int) -> datetime:
    if older_than_days < AUDIT_RETENTION_FLOOR_DAYS:
        raise ValidationError(
            f"审计日志至少保留{AUDIT_RETENTION_FLOOR_DAYS}天，不能清理{older_than_days}天以内的记录。"
        )
    return timezone.now() - timedelta(days=older_than_days)


@transaction.atomic
def audit_prune(*, older_than_days: int) -> int:
    """Delete audit events older than `older_than_days` (at least 180). The deletion itself is
    recorded. On PostgreSQL the append-only trigger lets it through only with the prune flag."""
    cutoff = audit_prune_cutoff(older_than_days=older_than_days)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL weijian.audit_prune = 'on'")
    stale = AuditEvent.objects.filter(occurred_at__lt=cutoff)
    deleted = stale._raw_delete(stale.db)
    audit.record(
        action="audit.prune",
        summary={
            "older_than_days": older_than_days,
            "cutoff": cutoff.isoformat(),
            "deleted": deleted,
        },
        username="manage.py prune_audit",
    )
    return deleted
