"""A real browser (Debian's Chromium, driven by Playwright) through the first login.

Skips only when Chromium is absent, and never in CI (WEIJIAN_REQUIRE_BROWSER=1), where
.ci/run installs it. The screenshots are kept under test-artifacts/.
"""

from __future__ import annotations

import pytest

from weijian.accounts import services
from weijian.accounts.roles import Role
from weijian.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(chromium):
    return chromium.new_page(locale="zh-CN", viewport={"width": 1280, "height": 800})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_login_changes_the_password_and_reaches_home(live_server, browser_page, world):
    services.user_create(
        actor=world.commission_admin,
        username="xinren",
        full_name="新同事",
        organization=world.county,
        password="Initial-Pass-2024",
        roles=[Role.REPORTER],
    )
    page = browser_page
    page.goto(f"{live_server.url}/office/")
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").fill("xinren")
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("用户名或密码错误").is_visible()

    page.get_by_label("用户名").fill("xinren")
    page.get_by_label("密码").fill("Initial-Pass-2024")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/password/")
    assert page.get_by_text("须先修改密码").is_visible()
    page.screenshot(path=str(ARTIFACTS / "browser-password-change.png"), full_page=True)

    page.get_by_label("原密码").fill("Initial-Pass-2024")
    page.get_by_label("新密码", exact=True).fill("Lianhua-Fresh-2024")
    page.get_by_label("确认新密码").fill("Lianhua-Fresh-2024")
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url("**/office/")
    assert page.locator("#home-organization").inner_text() == "莲花县卫生健康委员会"
    assert page.get_by_text("密码已修改").is_visible()
    page.screenshot(path=str(ARTIFACTS / "browser-home.png"), full_page=True)
    assert (ARTIFACTS / "browser-home.png").stat().st_size > 10_000
