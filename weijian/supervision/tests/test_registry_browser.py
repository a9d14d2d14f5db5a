"""The registry in a real browser: the filtered list, the archive page, and revealing an ID
number through htmx (the full number appears only after the click, and the click is audited)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_resident_id
from weijian.supervision.models import RiskGrade
from weijian.supervision.tests.factories import make_institution, make_practitioner

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_list_archive_and_reveal(live_server: Any, chromium: Any, world: Any) -> None:
    hospital = make_institution(
        world.county, "莲花县人民医院", beds=320, level="2", grade="A", address="莲花县琴亭镇"
    )
    make_institution(
        world.commission,
        "安源区康宁诊所",
        region_code="360302",
        category="primary_care",
        subcategory="诊所",
        risk_grade=RiskGrade.HIGH,
    )
    number = make_resident_id(77)
    doctor = make_practitioner(hospital, "张医生", id_number=number)
    list_url = reverse("supervision:institution_list")
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{list_url}")
    page.get_by_label("用户名").fill(world.staff.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{list_url}")
    expect(page.locator("#institutions")).to_contain_text("安源区康宁诊所")
    page.screenshot(path=str(ARTIFACTS / "supervision-institution-list.png"), full_page=True)

    page.get_by_label("区划").select_option("360321")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#institutions")).not_to_contain_text("安源区康宁诊所")
    page.get_by_role("link", name="莲花县人民医院").click()
    expect(page.locator("#check-cycle")).to_contain_text("校验周期：3年")
    page.screenshot(path=str(ARTIFACTS / "supervision-institution-archive.png"), full_page=True)

    page.get_by_role("link", name="张医生").click()
    assert number not in page.content()
    page.get_by_role("button", name="显示（将记录审计日志）").click()
    expect(page.locator("#id-reveal")).to_contain_text(number)
    page.screenshot(path=str(ARTIFACTS / "supervision-practitioner-reveal.png"), full_page=True)
    assert AuditEvent.objects.filter(action="data.reveal", object_id=str(doctor.pk)).count() == 1
    context.close()
