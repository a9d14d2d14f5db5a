"""Issue 6's judged flow in a real browser, three screens: the commission's 科室人员 creates a
sampling plan and draws it before a witness; the drawn inspector records the inspection check
point by check point and completes it; the 科室人员 publishes it; the public portal shows the
result, without the inspectors' names or certificate numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.supervision.models import (
    Draw,
    Inspection,
    InspectionState,
    PlanState,
    SamplingPlan,
)
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item

pytestmark = pytest.mark.browser


def _sign_in(chromium: Any, live_server: Any, user: Any, path: str) -> Any:
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{path}")
    return page


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"supervision-flow-{name}.png"), full_page=True)


def _create_plan(page: Any, item_label: str) -> SamplingPlan:
    page.get_by_role("link", name="新建抽查计划").click()
    page.get_by_label("年度").fill("2026")
    page.get_by_label("计划名称").fill("2026年医疗机构依法执业双随机抽查")
    page.get_by_label("抽查事项").select_option(label=item_label)
    page.get_by_label("抽取数量（家）").fill("1")
    page.get_by_label("抽取比例（%）").fill("")
    page.get_by_label("每组执法人员数").fill("2")
    _shot(page, "1-plan-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("2026年医疗机构依法执业双随机抽查")
    return SamplingPlan.objects.get(title="2026年医疗机构依法执业双随机抽查")


def _draw(page: Any, plan: SamplingPlan) -> Inspection:
    page.get_by_role("link", name="抽取", exact=True).click()
    page.get_by_label("见证人").fill("市纪委监委派驻纪检组 王见证")
    page.get_by_role("button", name="正式抽取").click()
    page.get_by_role("button", name="确认抽取").click()
    page.wait_for_url(f"**{reverse('supervision:plan_detail', args=[plan.pk])}")
    expect(page.locator("h1")).to_contain_text("已抽取")
    _shot(page, "2-drawn")
    draw = Draw.objects.get(plan=plan, is_current=True)
    assert draw.witness == "市纪委监委派驻纪检组 王见证"
    return Inspection.objects.get(draw=draw)


def _record(page: Any, inspection: Inspection) -> None:
    page.get_by_role("link", name=inspection.institution.name).click()
    for check in inspection.plan.item.checkpoints.all():
        page.locator(f"input[name=cp{check.pk}_outcome][value=conforms]").check()
    page.get_by_label("检查日期").fill(page.evaluate("new Date().toLocaleDateString('sv')"))
    page.get_by_label("检查结果").select_option(label="未发现问题")
    page.get_by_label("检查情况").fill("资质齐全，执业范围与登记一致。")
    _shot(page, "3-recording")
    page.get_by_role("button", name="完成检查").click()
    expect(page.get_by_text("已完成").first).to_be_visible()
    _shot(page, "4-completed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_plan_draw_record_publish_and_the_portal_shows_it(
    live_server: Any, chromium: Any, world: Any
) -> None:
    institution = make_institution(world.commission, "莲花县琴亭镇卫生院", beds=40)
    item = make_item(world.commission)
    first = make_inspector(world.commission, "周执法", user=world.inspector)
    second = make_inspector(world.commission, "郑执法")

    staff = _sign_in(chromium, live_server, world.staff, reverse("supervision:plan_list"))
    plan = _create_plan(staff, str(item))
    inspection = _draw(staff, plan)
    assert inspection.institution == institution
    assert set(inspection.inspectors.all()) == {first, second}

    inspector = _sign_in(
        chromium, live_server, world.inspector, reverse("supervision:my_inspections")
    )
    _record(inspector, inspection)
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.COMPLETED
    assert inspection.checks.filter(outcome="conforms").count() == 3
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED

    staff.goto(f"{live_server.url}{reverse('supervision:plan_inspections', args=[plan.pk])}")
    staff.get_by_role("button", name="公示全部已完成的检查结果（1项）").click()
    expect(staff.get_by_text("已公示").first).to_be_visible()
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED

    public = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    portal = public.new_page()
    portal.goto(f"{live_server.url}{reverse('portal:inspection_plans')}")
    portal.get_by_role("link", name="2026年医疗机构依法执业双随机抽查").click()
    expect(portal.locator("main")).to_contain_text("莲花县琴亭镇卫生院")
    expect(portal.locator("main")).to_contain_text("未发现问题")
    html = portal.content()
    for secret in ("周执法", "郑执法", first.certificate_number, second.certificate_number):
        assert secret not in html
    _shot(portal, "5-portal")
