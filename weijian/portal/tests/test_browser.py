"""A real browser (Debian's Chromium, driven by Playwright) through the 临江 bureau's portal
pages, on a phone (390×844) and on a desktop. Screenshots go to test-artifacts/.

Skips only when Chromium is absent, and never in CI (WEIJIAN_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from weijian.conftest import ARTIFACTS
from weijian.orgs.office_hours import SHANGHAI
from weijian.portal.tests.conftest import BUREAU, STAFF_PHONE, build_linjiang

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
# What each page must say, reached through the sub-navigation.
PAGES = [
    (
        "profile",
        "机构职能",
        ["加挂临江市中医药管理局、临江市疾病预防控制局牌子", "主要职责", "行政编制"],
    ),
    ("departments", "内设机构", ["办公室（人事科、安全生产科）", "分管领导：高彦、张纯波（协助）"]),
    (
        "leaders",
        "领导分工",
        ["党组书记、局长、一级主任科员", "临江市人民医院、临江市疾病预防控制中心"],
    ),
    ("hours", "办公时间", ["现在办公（上午 8:30—11:30）", "10月1日至次年4月30日", "13:30—17:00"]),
]

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_linjiang_portal_pages(live_server, chromium, device):
    linjiang = build_linjiang()
    context = chromium.new_context(locale="zh-CN", **VIEWPORTS[device])
    page = context.new_page()
    # A working Monday morning in 秋冬, for the server; the browser's clock does not matter.
    with time_machine.travel(datetime.datetime(2024, 11, 25, 9, 5, tzinfo=SHANGHAI)):
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="机构概况").first.click()
        page.wait_for_url("**/organizations/")
        _check(page, device, "list", [BUREAU])
        page.get_by_role("link", name=BUREAU).click()
        page.wait_for_url(f"**/organizations/{linjiang.bureau.pk}/")
        for slug, label, texts in PAGES:
            page.get_by_role("navigation", name="机构信息").get_by_role("link", name=label).click()
            page.wait_for_load_state()
            assert page.locator(".breadcrumb-item.active").inner_text() == label
            _check(page, device, slug, [BUREAU, *texts])
    context.close()


def _check(page, device: str, slug: str, texts: list[str]) -> None:
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{text!r} missing on {slug} ({device})"
    assert STAFF_PHONE not in body
    # Nothing wider than the screen: the page reads without scrolling sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{slug} ({device}) is {overflow}px wider than the screen"
    path = ARTIFACTS / f"portal-linjiang-{slug}-{device}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
