"""Writes to an organization's office hours."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.core import audit
from weijian.orgs.models import OfficeHours, Organization
from weijian.orgs.services.common import record_change, require_editor, snapshot

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions({"office_hours.save": "保存办公时间", "office_hours.delete": "删除办公时间"})

HOURS_FIELDS = [
    "season",
    "start_month",
    "start_day",
    "end_month",
    "end_day",
    "morning_start",
    "morning_end",
    "afternoon_start",
    "afternoon_end",
]

MonthDay = tuple[int, int]


def _check_month_day(value: MonthDay | None, label: str) -> None:
    if value is None:
        return
    try:
        datetime.date(2024, *value)  # a leap year admits 02-29
    except (TypeError, ValueError):
        raise ValidationError(
            {"season": f"{label}“{value[0]}月{value[1]}日”不是有效日期"}
        ) from None


def office_hours_save(
    *,
    actor: User | None,
    organization: Organization,
    season: str,
    morning: tuple[datetime.time, datetime.time],
    afternoon: tuple[datetime.time, datetime.time] | None = None,
    start: MonthDay | None = None,
    end: MonthDay | None = None,
    hours: OfficeHours | None = None,
    source: str = "",
) -> OfficeHours:
    """A season's schedule: from `start` to `end` (month, day), or all year without them."""
    require_editor(actor, organization)
    if (start is None) != (end is None):
        raise ValidationError({"season": "起止日期须同时填写，或都不填（全年适用）"})
    _check_month_day(start, "起始日期")
    _check_month_day(end, "截止日期")
    if morning[1] <= morning[0] or (
        afternoon and (afternoon[0] < morning[1] or afternoon[1] <= afternoon[0])
    ):
        raise ValidationError({"season": "办公时段的起止时间有误：上午须早于下午，开始须早于结束"})
    with transaction.atomic():
        if start is None:
            all_year = OfficeHours.objects.filter(organization=organization, start_month=None)
            if hours is not None:
                all_year = all_year.exclude(pk=hours.pk)
            if all_year.exists():
                raise ValidationError({"season": "已有全年适用的办公时间；分季节的请填写起止日期"})
        hours = hours or OfficeHours(organization=organization)
        before = snapshot(hours, HOURS_FIELDS) if hours.pk else {}
        hours.season = season.strip()
        hours.start_month, hours.start_day = start or (None, None)
        hours.end_month, hours.end_day = end or (None, None)
        hours.morning_start, hours.morning_end = morning
        hours.afternoon_start, hours.afternoon_end = afternoon or (None, None)
        hours.save()
        record_change(
            action="office_hours.save",
            actor=actor,
            instance=hours,
            organization=organization,
            before=before,
            after=snapshot(hours, HOURS_FIELDS),
            source=source,
        )
    return hours


def office_hours_delete(*, actor: User, hours: OfficeHours) -> None:
    require_editor(actor, hours.organization)
    with transaction.atomic():
        audit.record(
            action="office_hours.delete",
            actor=actor,
            obj=hours,
            organization=hours.organization,
            summary=snapshot(hours, HOURS_FIELDS),
        )
        hours.delete()
