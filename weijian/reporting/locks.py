"""Whether a unit's report for a period can still be changed: a period locks some days after its
due day (when the cycle says so) and says why; an authorised user may reopen one unit × one
period until a given moment."""

from __future__ import annotations

import datetime

from django.utils import timezone

from weijian.core.dates import chinese_date
from weijian.orgs.models import Organization
from weijian.reporting.models import Reopening, ReportingCycle
from weijian.reporting.periods import SHANGHAI


def lock_reason(
    cycle: ReportingCycle,
    organization: Organization,
    period_key: str,
    *,
    now: datetime.datetime | None = None,
) -> str | None:
    """The Chinese reason the period is locked for this unit, or None when it is open."""
    now = now or timezone.now()
    period = cycle.period(period_key)
    if now.date() < cycle.opens_on(period):
        return f"{period.label}的填报自{chinese_date(cycle.opens_on(period))}起开放，尚未开始"
    locks_at = cycle.locks_at(period)
    if locks_at is None or now <= locks_at:
        return None
    reopened = Reopening.objects.filter(
        cycle=cycle, organization=organization, period=period_key, until__gte=now
    ).exists()
    if reopened:
        return None
    due = cycle.due_date(period)
    return (
        f"{period.label}的填报已于{chinese_date(locks_at.astimezone(SHANGHAI))}锁定"
        f"（截止日{chinese_date(due)}后{cycle.lock_after_days}天），如需补报请联系上级单位重新开放"
    )
