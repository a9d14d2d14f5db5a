"""The judged flow end to end in a real browser, two people at two screens: the county's reporter
fills and submits; the commission's staff returns it with a reason; the reporter fixes it and
resubmits; the commission accepts it; the dashboard's accepted count moves."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.reporting.models import ProgressReport, ReportStatus, ReviewStep
from weijian.reporting.tests.factories import make_reporting
from weijian.reporting.tests.test_browser_report import _fill, _settle

pytestmark = pytest.mark.browser
PERIOD = "2024-05"


def _sign_in(chromium, live_server, user, path: str):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{path}")
    return page


def _accepted_on_the_dashboard(page, url: str) -> int:
    page.goto(url)
    return int(page.locator("[data-figure=accepted]").inner_text())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fill_submit_return_fix_resubmit_accept_and_the_dashboard_moves(
    live_server, chromium, world
):
    reporting = make_reporting(world)
    cycle, county = reporting.cycle, world.county
    args = [cycle.pk, county.pk, PERIOD]
    report_url = reverse("reporting:report_page", args=args)
    review_url = reverse("reporting:review_detail", args=args)
    dashboard = (
        f"{live_server.url}{reverse('reporting:dashboard')}?cycle={cycle.pk}&period={PERIOD}"
    )

    reporter = _sign_in(chromium, live_server, world.county_reporter, report_url)
    pending: set = set()
    reporter.on("request", lambda r: pending.add(r) if "/save/" in r.url else None)
    reporter.on("requestfinished", lambda r: pending.discard(r))
    reporter.on("requestfailed", lambda r: pending.discard(r))
    rows = ProgressReport.objects.filter(cycle=cycle, organization=county, period=PERIOD)
    for report in rows.order_by("task__order"):
        _fill(
            reporter.locator(f"#report-{report.pk}"),
            status="推进中",
            percent="50",
            progress=f"{report.task.title}：本月已部署",
        )
    _settle(reporter, pending)
    reporter.get_by_role("button", name="报送本期报告").click()
    expect(reporter.locator("#report-status")).to_have_text("已报送")

    staff = _sign_in(chromium, live_server, world.staff, review_url)
    before = _accepted_on_the_dashboard(staff, dashboard)
    staff.goto(f"{live_server.url}{review_url}")
    staff.get_by_label("退回原因").fill("请补充本月新招聘医师人数")
    staff.get_by_role("button", name="退回").click()
    staff.wait_for_url(f"**{reverse('reporting:review_queue')}*")
    assert {r.status for r in rows.all()} == {ReportStatus.RETURNED}

    reporter.reload()
    expect(reporter.locator("#return-reason")).to_contain_text("请补充本月新招聘医师人数")
    first = rows.order_by("task__order").first()
    assert first is not None
    reporter.locator(f"#report-{first.pk}").get_by_label("工作进展").fill(
        "本月已部署，新招聘执业医师6名"
    )
    _settle(reporter, pending)
    reporter.get_by_role("button", name="报送本期报告").click()
    expect(reporter.locator("#report-status")).to_have_text("已报送")

    staff.goto(f"{live_server.url}{review_url}")
    expect(staff.get_by_text("本月已部署，新招聘执业医师6名")).to_be_visible()
    staff.get_by_role("button", name="验收通过").click()
    staff.wait_for_url(f"**{reverse('reporting:review_queue')}*")
    assert {r.status for r in rows.all()} == {ReportStatus.ACCEPTED}
    after = _accepted_on_the_dashboard(staff, dashboard)
    staff.screenshot(path=str(ARTIFACTS / "reporting-flow-dashboard.png"), full_page=True)
    assert after == before + rows.count()
    trail = ReviewStep.objects.filter(cycle=cycle, organization=county).order_by("pk")
    assert [step.action for step in trail] == ["submit", "return", "submit", "accept"]
