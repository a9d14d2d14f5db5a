"""The demo's reporting history: four months before the current one with on-time, late,
missing and returned reports; the current month open; loading twice adds nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from weijian.core.models import AuditEvent
from weijian.reporting.demo import CYCLE
from weijian.reporting.models import (
    Accountability,
    Meeting,
    ProgressReport,
    ReportingCycle,
    ReportStatus,
    SupervisionVisit,
    TargetValue,
)
from weijian.reporting.services.submission import target_met
from weijian.reporting.status import unit_status


@pytest.mark.django_db
@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_demo_reporting_history(settings):
    settings.DEMO = True
    call_command("load_demo")
    cycle = ReportingCycle.objects.get(name=CYCLE)
    assert cycle.starts_on.isoformat() == "2026-07-01"
    periods = set(ProgressReport.objects.filter(cycle=cycle).values_list("period", flat=True))
    assert periods == {"2026-07", "2026-08", "2026-09", "2026-10", "2026-11"}
    october = unit_status(cycle, "2026-10")
    assert any(u.missing for u in october) and any(u.late for u in october)
    assert ProgressReport.objects.filter(period="2026-10", status=ReportStatus.RETURNED).exists()
    assert ProgressReport.objects.filter(period="2026-09", status=ReportStatus.ACCEPTED).exists()
    county = ProgressReport.objects.filter(
        period="2026-11", organization__name="莲花县卫生健康委员会"
    )
    assert county.exists() and set(county.values_list("status", flat=True)) == {"pending"}
    # the follow-up pages show something: a visit raised to the leading group's meeting, a
    # decided action, and the overdue laboratory task held to account
    assert SupervisionVisit.objects.get().findings.count() == 2
    assert Meeting.objects.get().items.get().follow_ups.count() == 1
    overdue = Accountability.objects.get()
    assert (
        overdue.task.path == "二.(一).1" and overdue.organization.name == "萍乡市疾病预防控制中心"
    )
    # the demo's history obeys the submission rule: a missed target is explained
    values = TargetValue.objects.select_related("report", "target__indicator")
    missed = [v.report for v in values if v.value is not None and not target_met(v.target, v.value)]
    assert missed and all(report.shortfall_reason for report in missed)
    count = ProgressReport.objects.count()
    call_command("load_demo")
    assert ProgressReport.objects.count() == count
    assert AuditEvent.objects.filter(action="demo.reporting").count() == 1
    assert Meeting.objects.count() == 1 and Accountability.objects.count() == 1
