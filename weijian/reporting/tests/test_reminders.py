"""send_reminders: only units that have not submitted are reminded, before the due day and once
overdue; running it twice (or daily) sends nothing twice."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.notifications.models import Notification
from weijian.plans.services import plan_import_apply
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus

COUNTY = "莲花县卫生健康委员会"
HOSPITAL = "莲花县人民医院"


@pytest.fixture
def cycle(world):
    tasks = [
        {
            "label": "1",
            "path": "1",
            "title": "巡诊",
            "text": "",
            "lead": [COUNTY],
            "partners": [],
            "responsible": [HOSPITAL],
            "targets": [],
            "children": [],
        },
    ]
    parsed = {
        "plan": {"title": "巡诊方案", "document_number": None, "year": 2024},
        "tasks": tasks,
        "units": [],
        "warnings": [],
    }
    plan = plan_import_apply(parsed=parsed, owner=world.commission, actor=None, source="测试")
    return ReportingCycle.objects.create(
        plan=plan, name="月度填报", due_day=30, starts_on=datetime.date(2024, 1, 1)
    )


@pytest.fixture
def people(world):
    world.county_reporter.email = "reporter@example.gov.cn"
    world.county_reporter.phone = "13800138000"
    world.county_reporter.save()
    nurse = make_user("nurse", world.hospital, Role.REPORTER)
    make_user("doctor", world.hospital, Role.INSPECTOR)  # not someone who reports
    return world.county_reporter, nurse


def _run(day: str, *extra: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", day, *extra, stdout=out)
    return out.getvalue()


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_reminds_before_the_due_day_once(cycle, people):
    reporter, nurse = people
    assert "已提醒 2 个单位，发送消息 2 条" in _run("2024-05-27")
    assert _titles(reporter) == ["请于2024年5月30日前报送2024年5月“巡诊方案”进展"]
    assert len(_titles(nurse)) == 1
    assert [m.to for m in mail.outbox] == [["reporter@example.gov.cn"]]
    assert "已提醒 2 个单位，发送消息 0 条" in _run("2024-05-28")  # nothing twice
    assert Notification.objects.count() == 2 and len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="reporting.reminders").count() == 1


def test_units_that_submitted_are_not_reminded_when_overdue(cycle, people):
    reporter, nurse = people
    _run("2024-05-29")
    ProgressReport.objects.filter(organization__name=COUNTY, period="2024-05").update(
        status=ReportStatus.SUBMITTED
    )
    output = _run("2024-05-31")
    assert HOSPITAL in output and COUNTY not in output
    assert _titles(nurse)[0] == "2024年5月“巡诊方案”进展已逾期未报，请尽快补报"
    assert len(_titles(reporter)) == 1  # only the reminder before the due day
    _run("2024-06-01")
    assert len(_titles(nurse)) == 2  # overdue reminder sent once in its window


def test_outside_the_windows_nothing_is_sent(cycle, people):
    assert "已提醒 0 个单位" in _run("2024-05-10")
    assert "已提醒 0 个单位" in _run("2024-06-05")  # past the overdue window of May
    assert not Notification.objects.exists()


def test_dry_run_lists_and_sends_nothing(cycle, people):
    output = _run("2024-05-28", "--dry-run")
    assert "将提醒 2 个单位" in output and COUNTY in output
    assert not Notification.objects.exists() and not ProgressReport.objects.exists()


def test_text_messages_go_through_the_backend(cycle, people, caplog):
    with caplog.at_level(logging.INFO, logger="weijian.sms"):
        _run("2024-05-28", "--sms")
    assert any("138****8000" in record.getMessage() for record in caplog.records)
    reporter, _ = people
    assert Notification.objects.get(user=reporter).channels == ["app", "email", "sms"]
