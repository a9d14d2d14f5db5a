"""Reminders to the units that have not submitted: `before` days before the due day up to it,
and again in the `after` days past it. Each unit × period × kind is reminded once (the
notification key), so running the sender twice a day, or every day, sends nothing twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.core.dates import chinese_date
from weijian.notifications.services import notify
from weijian.orgs.models import Organization
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus
from weijian.reporting.periods import Period
from weijian.reporting.services.expected import expected_pairs, open_period

audit.register_actions({"reporting.reminders": "发送填报提醒"})

# Who in a unit is reminded: the people who fill its reports.
RECIPIENT_ROLES = (Role.REPORTER, Role.STAFF)
NOT_SUBMITTED = (ReportStatus.PENDING, ReportStatus.DRAFT)


@dataclass
class Run:
    today: datetime.date
    units: int = 0
    notifications: int = 0
    lines: list[str] = field(default_factory=list)


def reminder_kind(
    cycle: ReportingCycle, period: Period, today: datetime.date, *, before: int, after: int
) -> str | None:
    """ "before" within `before` days up to the due day, "overdue" within `after` days past it."""
    due = cycle.due_date(period)
    if due - datetime.timedelta(days=before) <= today <= due:
        return "before"
    if due < today <= due + datetime.timedelta(days=after):
        return "overdue"
    return None


def candidate_periods(cycle: ReportingCycle, today: datetime.date) -> list[Period]:
    """The current period and the one before (its report may be due in this one)."""
    current = Period.containing(cycle.frequency, today)
    found = []
    for period in (current.previous(), current):
        if period.end < cycle.starts_on or (cycle.ends_on and period.start > cycle.ends_on):
            continue
        found.append(period)
    return found


def send_reminders(
    *, today: datetime.date, before: int, after: int, by_sms: bool = False, dry_run: bool = False
) -> Run:
    run = Run(today=today)
    cycles = ReportingCycle.objects.filter(is_active=True).select_related("plan")
    for cycle in cycles:
        for period in candidate_periods(cycle, today):
            kind = reminder_kind(cycle, period, today, before=before, after=after)
            if kind is not None:
                _remind(run, cycle, period, kind, by_sms=by_sms, dry_run=dry_run)
    if run.notifications and not dry_run:
        audit.record(
            action="reporting.reminders",
            actor=None,
            username="manage.py send_reminders",
            summary={"date": today.isoformat(), "units": run.units, "sent": run.notifications},
        )
    return run


def _remind(
    run: Run, cycle: ReportingCycle, period: Period, kind: str, *, by_sms: bool, dry_run: bool
) -> None:
    due = chinese_date(cycle.due_date(period))
    for organization_id, name in _late_units(cycle, period, dry_run=dry_run):
        run.units += 1
        title = (
            f"请于{due}前报送{period.label}“{cycle.plan.title}”进展"
            if kind == "before"
            else f"{period.label}“{cycle.plan.title}”进展已逾期未报，请尽快补报"
        )
        run.lines.append(f"{name}：{title}")
        if dry_run:
            continue
        recipients = User.objects.filter(
            organization_id=organization_id, is_active=True, groups__name__in=RECIPIENT_ROLES
        ).distinct()
        sent = notify(
            users=recipients,
            kind="reporting.reminder",
            title=title,
            body=f"{cycle.name}：截止时间{due}24时。已报送的单位不会收到本提醒。",
            url=_report_url(cycle, period),
            key=f"reminder:{cycle.pk}:{period.key}:{kind}:{organization_id}",
            by_sms=by_sms,
        )
        run.notifications += len(sent)


def _late_units(cycle: ReportingCycle, period: Period, *, dry_run: bool) -> list[tuple[int, str]]:
    """(id, name) of the units with a report of the period not yet submitted. A trial run
    writes nothing, so it works out the expected units without opening the period."""
    if not dry_run:
        open_period(cycle, period, source="manage.py send_reminders")
        late = (
            ProgressReport.objects.filter(cycle=cycle, period=period.key, status__in=NOT_SUBMITTED)
            .values_list("organization_id", "organization__name")
            .distinct()
            .order_by("organization__name")
        )
        return list(late)
    expected = {org for _, org in expected_pairs(cycle, period)}
    rows = ProgressReport.objects.filter(cycle=cycle, period=period.key)
    done = set(rows.values_list("organization_id", flat=True)) - set(
        rows.filter(status__in=NOT_SUBMITTED).values_list("organization_id", flat=True)
    )
    names = dict(Organization.objects.filter(pk__in=expected - done).values_list("pk", "name"))
    return sorted(names.items(), key=lambda item: item[1])


def _report_url(cycle: ReportingCycle, period: Period) -> str:
    for name, args in (("reporting:report", [cycle.pk, period.key]), ("reporting:my_reports", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""
