"""A real browser on the dashboard and the self-assessment: the ECharts charts are drawn (a
canvas in each chart) under the page's CSP with no console error; a leader who liaises with the
county sees the county and widens the view to the whole city; the dashboard moves when a
report is accepted. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.reporting.services import review
from weijian.reporting.tests.dashboard_scenario import build, make_leader_division

pytestmark = pytest.mark.browser

CHARTS = ("#chart-completion", "#chart-trend", "#chart-target")


def _watch(page) -> list[str]:
    """Console errors and uncaught exceptions (a CSP refusal is a console error)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _sign_in(page, base: str, path: str, username: str) -> None:
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{path}")


def _drawn(page, selector: str) -> None:
    chart = page.locator(selector)
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] >= 240, selector


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_leader_dashboard_draws_its_charts_and_widens(live_server, chromium, world):
    scenario = build(world)
    make_leader_division(world, units=[world.county])
    page = chromium.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    problems = _watch(page)
    _sign_in(page, live_server.url, "/office/reporting/dashboard/", world.leader.username)

    expect(page.locator("#dashboard-focus")).to_contain_text("联系单位 莲花县卫生健康委员会")
    for selector in CHARTS:
        _drawn(page, selector)
    expect(page.locator('[data-figure="expected"]')).to_have_text("5")
    page.screenshot(path=str(ARTIFACTS / "reporting-dashboard-leader.png"), full_page=True)

    page.locator("#dashboard-widen").click()
    expect(page.locator('[data-figure="expected"]')).to_have_text("7")
    page.locator("#chart-completion").scroll_into_view_if_needed()
    _drawn(page, "#chart-completion")
    page.locator("#dashboard-units").locator("xpath=..").locator("summary").click()
    expect(page.locator("#dashboard-units")).to_contain_text("湘东区卫生健康委员会")
    page.screenshot(path=str(ARTIFACTS / "reporting-dashboard-all.png"), full_page=True)

    # The commission accepts the hospital's March report: the dashboard moves.
    expect(page.locator('[data-figure="accepted"]')).to_have_text("3")
    unit = {"cycle": scenario.reporting.cycle, "organization": world.hospital, "period": "2024-03"}
    review.approve(actor=scenario.reporting.county_staff, **unit)
    review.accept(actor=world.staff, **unit)
    page.reload()
    expect(page.locator('[data-figure="accepted"]')).to_have_text("5")
    _drawn(page, "#chart-trend")

    page.get_by_role("link", name="人均预期寿命 ≈ 78岁").click()
    expect(page.locator("#target-chart-title")).to_contain_text("人均预期寿命")
    _drawn(page, "#chart-target")
    page.screenshot(path=str(ARTIFACTS / "reporting-dashboard-target.png"), full_page=True)
    assert problems == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_self_assessment_draws_its_chart(live_server, chromium, world):
    build(world)
    page = chromium.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    problems = _watch(page)
    path = "/office/reporting/self-assessment/"
    _sign_in(page, live_server.url, path, world.county_reporter.username)
    expect(page.locator("h1")).to_contain_text("莲花县卫生健康委员会 · 自评")
    _drawn(page, "#chart-assessment")
    expect(page.locator("#assessment-latest")).to_contain_text("排名第 1 位")
    page.screenshot(path=str(ARTIFACTS / "reporting-self-assessment.png"), full_page=True)
    assert problems == []
