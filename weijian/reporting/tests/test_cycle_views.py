"""The cycle pages of a plan: who reaches them, the list, the form with its Chinese errors and
its preview of due and lock dates (February, the National Day holiday), stopping, starting
and opening a period."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.core.models import AuditEvent, WorkdayYear
from weijian.reporting.models import ProgressReport, ReportingCycle
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.tests.factories import make_cycle, make_reporting

FORM = {
    "name": "月度进展填报",
    "frequency": "month",
    "due_rule": "day_of_month",
    "due_day": "30",
    "days_after": "0",
    "window_days": "",
    "lock_after_days": "10",
    "weight_achievement": "0.4",
    "weight_completeness": "0.3",
    "weight_timeliness": "0.3",
    "starts_on": "2024-01-01",
    "ends_on": "",
}
JANUARY = datetime.datetime(2024, 1, 15, 9, tzinfo=SHANGHAI)


@pytest.fixture
def reporting(world):
    return make_reporting(world)


def plan_url(name: str, reporting) -> str:
    return reverse(f"reporting:{name}", args=[reporting.plan.pk])


def cycle_url(name: str, reporting) -> str:
    return reverse(f"reporting:{name}", args=[reporting.cycle.pk])


def test_anonymous_is_sent_to_log_in(client, reporting):
    for page in (plan_url("cycle_list", reporting), cycle_url("cycle_edit", reporting)):
        response = client.get(page)
        assert response["Location"].startswith(reverse("accounts:login"))


def test_outsiders_and_lower_levels_do_not_see_the_plan(client, login_as, reporting, world):
    for user in (world.outsider, reporting.county_staff):
        login_as(user)
        assert client.get(plan_url("cycle_list", reporting)).status_code == 404
        assert client.get(plan_url("cycle_create", reporting)).status_code == 404
        assert client.get(cycle_url("cycle_edit", reporting)).status_code == 404
        assert client.post(cycle_url("cycle_deactivate", reporting)).status_code == 404
    reporting.cycle.refresh_from_db()
    assert reporting.cycle.is_active


def test_readers_see_the_list_but_only_editors_change_it(client, login_as, reporting, world):
    login_as(world.leader)
    page = client.get(plan_url("cycle_list", reporting)).content.decode()
    assert "月度进展填报" in page and "每月30日前" in page
    assert "新建填报周期" not in page
    assert client.get(plan_url("cycle_create", reporting)).status_code == 403
    assert client.post(cycle_url("cycle_deactivate", reporting)).status_code == 403
    login_as(world.staff)
    page = client.get(plan_url("cycle_list", reporting)).content.decode()
    assert "新建填报周期" in page and "开放填报" in page


def test_the_list_runs_a_constant_number_of_queries(client, login_as, reporting, world):
    login_as(world.staff)
    page = plan_url("cycle_list", reporting)
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    for n in range(3):
        make_cycle(reporting.plan, name=f"季度填报{n}", frequency="quarter", next_workday=True)
    reporting.open("2024-05")
    with CaptureQueriesContext(connection) as four:
        assert client.get(page).content.decode().count("季度填报") == 3
    assert len(four) == len(one)


def test_create_with_errors_then_valid(client, login_as, reporting, world):
    login_as(world.staff)
    page = plan_url("cycle_create", reporting)
    response = client.post(page, {**FORM, "due_day": "40"})
    assert response.status_code == 200
    assert "截止日应为1–31之间的整数" in response.content.decode()
    zero = {"weight_achievement": "0", "weight_completeness": "0", "weight_timeliness": "0"}
    response = client.post(page, {**FORM, **zero})
    assert "三项权重不能全部为0" in response.content.decode()
    response = client.post(page, {**FORM, "ends_on": "2023-06-30"})
    assert "结束日期不能早于起始日期" in response.content.decode()
    assert ReportingCycle.objects.count() == 1  # the fixture's

    two = list(reporting.plan.tasks.filter(path__in=["一.1", "二"]).values_list("pk", flat=True))
    response = client.post(page, {**FORM, "name": "重点任务月报", "tasks": two})
    assert response.status_code == 302
    created = ReportingCycle.objects.get(name="重点任务月报")
    assert sorted(created.tasks.values_list("pk", flat=True)) == sorted(two)
    assert created.lock_after_days == 10
    assert AuditEvent.objects.filter(action="reporting.cycle_create").count() == 1


def test_the_form_previews_due_dates_clamped_in_february(client, login_as, reporting, world):
    login_as(world.staff)
    with time_machine.travel(JANUARY, tick=False):
        login_as(world.staff)
        page = client.get(plan_url("cycle_create", reporting)).content.decode()
        assert "2024年2月</strong>" in page and "截止 2024年2月29日（周四）" in page
        preview = client.get(plan_url("cycle_preview", reporting), FORM).content.decode()
    assert "截止 2024年1月30日（周二）" in preview
    assert "截止 2024年2月29日（周四）" in preview
    assert "截止 2024年5月30日（周四）" in preview
    assert "锁定 2024年3月10日（周日）结束后" in preview  # 29 February + 10 days
    assert preview.count("截止 ") == 6


def test_the_preview_moves_a_due_day_past_the_national_day(client, login_as, reporting, world):
    september = datetime.datetime(2024, 9, 10, 9, tzinfo=SHANGHAI)
    rule = {"due_rule": "days_after", "days_after": "1", "next_workday": "on"}
    with time_machine.travel(september, tick=False):
        login_as(world.staff)
        preview = client.get(plan_url("cycle_preview", reporting), {**FORM, **rule})
    text = preview.content.decode()
    assert "2024年9月</strong>" in text
    assert "截止 2024年10月8日（周二）（2024年10月1日（周二）为非工作日，顺延）" in text
    assert "截止 2024年11月1日（周五）" in text


def test_the_preview_says_what_is_wrong(client, login_as, reporting, world):
    login_as(world.staff)
    preview = client.get(plan_url("cycle_preview", reporting), {**FORM, "due_day": "0"})
    assert "暂无法预览：截止日应为1–31之间的整数" in preview.content.decode()
    preview = client.get(plan_url("cycle_preview", reporting), {**FORM, "due_day": "abc"})
    assert "暂无法预览" in preview.content.decode()


def test_edit_shows_the_cycle_and_saves(client, login_as, reporting, world):
    login_as(world.staff)
    page = cycle_url("cycle_edit", reporting)
    form = client.get(page).content.decode()
    assert 'value="月度进展填报"' in form and 'value="2024-01-01"' in form
    response = client.post(page, {**FORM, "due_day": "25", "next_workday": "on"})
    assert response.status_code == 302
    reporting.cycle.refresh_from_db()
    assert (reporting.cycle.due_day, reporting.cycle.next_workday) == (25, True)
    event = AuditEvent.objects.get(action="reporting.cycle_update")
    assert event.summary["changes"]["due_day"] == [30, 25]


def test_deactivate_asks_first_then_activate(client, login_as, reporting, world):
    login_as(world.staff)
    page = cycle_url("cycle_deactivate", reporting)
    confirm = client.get(page).content.decode()
    assert "确认停用" in confirm and "已生成的报告、审核记录和统计保留不变" in confirm
    reporting.cycle.refresh_from_db()
    assert reporting.cycle.is_active
    response = client.post(page)
    assert response["Location"] == plan_url("cycle_list", reporting)
    reporting.cycle.refresh_from_db()
    assert not reporting.cycle.is_active
    listed = client.get(response["Location"]).content.decode()
    assert "已停用" in listed and "重新启用" in listed
    client.post(cycle_url("cycle_activate", reporting))
    reporting.cycle.refresh_from_db()
    assert reporting.cycle.is_active


def test_open_a_period_from_the_list(client, login_as, reporting, world):
    login_as(world.staff)
    response = client.post(cycle_url("cycle_open_period", reporting), {"period": "2024-05"})
    assert response.status_code == 302
    assert ProgressReport.objects.filter(period="2024-05").count() == 5
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == ["已开放2024年5月的填报：应填报 5 份，本次新增 5 份、移除 0 份。"]
    client.post(cycle_url("cycle_open_period", reporting), {"period": "2024-Q2"})
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == ["“2024-Q2”不是每月的填报期间"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_a_browser_the_preview_follows_the_form(live_server, chromium, world):
    from playwright.sync_api import expect

    reporting = make_reporting(world)
    path = plan_url("cycle_create", reporting)
    page = chromium.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("用户名").fill(world.staff.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{path}")
    preview = page.locator("#cycle-preview")
    # a start in the future fixes the preview's first period; 2030 is declared Monday–Friday
    WorkdayYear.objects.create(year=2030, source="测试")
    page.get_by_label("起始日期").fill("2030-01-01")
    page.get_by_label("截止日", exact=True).fill("31")
    page.get_by_label("截止日", exact=True).dispatch_event("change")
    expect(preview).to_contain_text("2030年2月 截止 2030年2月28日（周四）")
    assert "2030年1月 截止 2030年1月31日（周四）" in preview.inner_text()
    page.get_by_label("截止日", exact=True).fill("99")
    page.get_by_label("截止日", exact=True).dispatch_event("change")
    expect(preview).to_contain_text("暂无法")
    page.get_by_label("截止日", exact=True).fill("15")
    page.get_by_label("截止日遇节假日顺延至下一个工作日").check()
    # 15 June 2030 is a Saturday
    expect(preview).to_contain_text(
        "截止 2030年6月17日（周一）（2030年6月15日（周六）为非工作日，顺延）"
    )
    page.screenshot(path=str(ARTIFACTS / "reporting-cycle-form.png"), full_page=True)
    page.get_by_label("名称").fill("季度重点任务")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/cycles/")
    assert page.get_by_text("已新建填报周期。").is_visible()
    created = ReportingCycle.objects.get(name="季度重点任务")
    assert (created.due_day, created.next_workday) == (15, True)
