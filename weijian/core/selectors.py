"""Reads of the audit trail and the working-day tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from weijian.accounts.models import User
from weijian.core.models import AuditEvent, WorkdayOverride, WorkdayYear


@dataclass(frozen=True)
class AuditFilter:
    start: date | None = None
    end: date | None = None
    username: str = ""
    action: str = ""
    object_type: str = ""
    success: bool | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, actor: User, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Events of the auditor's organization subtree. An auditor at a root organization also sees
    events that belong to no organization (failed logins with an unknown username)."""
    scope = Q(organization__path__startswith=actor.organization.path)
    if actor.organization.parent_id is None:
        scope |= Q(organization__isnull=True)
    events = AuditEvent.objects.filter(scope)
    if filters.start:
        events = events.filter(occurred_at__gte=_day_start(filters.start))
    if filters.end:
        events = events.filter(occurred_at__lt=_day_start(filters.end) + timedelta(days=1))
    if filters.username:
        events = events.filter(actor_username__icontains=filters.username)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.success is not None:
        events = events.filter(success=filters.success)
    return events.select_related("actor", "organization")


def workday_years() -> QuerySet[WorkdayYear]:
    return WorkdayYear.objects.all()


def workday_overrides(*, year: int) -> QuerySet[WorkdayOverride]:
    return WorkdayOverride.objects.filter(day__year=year)
