"""A real browser through a unit's report: the reporter finds the period in "my reports", fills
every task (each saved as a draft while he types), submits and sees 已报送; the report comes
back returned with a reason, he corrects it and resubmits (screenshots in test-artifacts/).

The reviewer's side of the return has its own browser test with the review pages; here the
return is written as the review service writes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.reporting.models import ProgressReport, ReportStatus, TargetValue
from weijian.reporting.tests.factories import make_reporting, mark_returned

pytestmark = pytest.mark.browser

VALUES = {"每千人口执业医师数": "3.8", "人均预期寿命": "77.6"}


def _settle(page, pending: set) -> None:
    """Leave the field being edited and wait until no autosave is queued or in flight. (The
    live server shares one SQLite connection between its threads: a save racing the submit
    would interleave their transactions, which a real database keeps apart.)"""
    page.locator("h1").click()
    page.wait_for_timeout(1300)  # past the autosave's keyup delay
    for _ in range(100):
        if not pending:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"autosave still running: {pending}")


def _fill(section, *, status: str, percent: str, progress: str) -> None:
    section.get_by_label("任务状态").select_option(label=status)
    section.get_by_label("完成比例（%）").fill(percent)
    for indicator, value in VALUES.items():
        field = section.get_by_label(indicator)
        if field.count():
            field.fill(value)
    section.get_by_label("工作进展").fill(progress)
    section.get_by_label("下步打算").press_sequentially("按月调度")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fill_submit_return_resubmit(live_server, chromium, world):
    reporting = make_reporting(world)
    page = chromium.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    pending: set = set()
    page.on("request", lambda r: pending.add(r) if "/save/" in r.url else None)
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    page.goto(f"{live_server.url}/office/reporting/mine/")
    page.get_by_label("用户名").fill(reporting.county_reporter.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/office/reporting/mine/")
    may = page.locator("#my-reports tr", has_text="2024年5月")
    expect(may).to_contain_text("已逾期未报")
    page.screenshot(path=str(ARTIFACTS / "reporting-my-reports.png"), full_page=True)

    may.get_by_role("link", name="填报").click()
    page.wait_for_url("**/office/reporting/report/*/*/2024-05/")
    reports = list(
        ProgressReport.objects.filter(organization=world.county, period="2024-05").order_by(
            "task__order"
        )
    )
    assert len(reports) == 3  # opened by the visit
    for report in reports:
        section = page.locator(f"#report-{report.pk}")
        _fill(section, status="推进中", percent="60", progress=f"{report.task.title}：已召开推进会")
        expect(section.locator(f"#saved-{report.pk}")).to_contain_text(
            re.compile(r"已保存 \d\d:\d\d"), timeout=10_000
        )
    # The autosave wrote drafts before anything was submitted.
    _settle(page, pending)
    drafted = ProgressReport.objects.get(pk=reports[1].pk)
    assert drafted.status == ReportStatus.DRAFT and drafted.percent == 60
    assert TargetValue.objects.get(report=drafted).value == 3.8
    page.screenshot(path=str(ARTIFACTS / "reporting-report-draft.png"), full_page=True)

    page.get_by_role("button", name="报送本期报告").click()
    expect(page.get_by_text("已报送2024年5月进展报告，共 3 项任务。")).to_be_visible()
    expect(page.locator("#report-status")).to_have_text("已报送")
    assert page.locator("select").count() == 0  # read only now
    page.screenshot(path=str(ARTIFACTS / "reporting-report-submitted.png"), full_page=True)
    statuses = ProgressReport.objects.filter(organization=world.county).values_list("status")
    assert set(statuses) == {(ReportStatus.SUBMITTED,)}

    # Returned by the commission with a reason: the reporter sees it, corrects and resubmits.
    mark_returned(reporting, world.county, "2024-05", reason="请写明招聘医师的人数", by=world.staff)
    page.reload()
    expect(page.locator("#return-reason")).to_contain_text("请写明招聘医师的人数")
    page.screenshot(path=str(ARTIFACTS / "reporting-report-returned.png"), full_page=True)
    doctors = page.locator(f"#report-{reports[1].pk}")
    doctors.get_by_label("工作进展").fill("已招聘执业医师12名，另有8名在岗培训")
    _settle(page, pending)
    expect(doctors.locator(f"#saved-{reports[1].pk}")).to_contain_text(re.compile(r"已保存 \d"))
    saved = ProgressReport.objects.get(pk=reports[1].pk)
    assert saved.status == ReportStatus.RETURNED  # still returned until resubmitted
    assert saved.progress == "已招聘执业医师12名，另有8名在岗培训"
    page.get_by_role("button", name="报送本期报告").click()
    expect(page.locator("#report-status")).to_have_text("已报送")
    expect(page.locator("#review-trail")).to_contain_text("修改后重新报送")
    page.screenshot(path=str(ARTIFACTS / "reporting-report-resubmitted.png"), full_page=True)
    corrected = ProgressReport.objects.get(pk=reports[1].pk)
    assert corrected.status == ReportStatus.SUBMITTED
    assert corrected.progress == "已招聘执业医师12名，另有8名在岗培训"
