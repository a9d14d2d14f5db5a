"""Signing in: sessions, failures, lockout by username, and what the audit trail records."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from weijian.accounts.models import User
from weijian.conftest import PASSWORD
from weijian.core.models import AuditEvent

LOGIN = reverse("accounts:login")


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_good_login_reaches_home_with_a_new_session_key(client, world):
    client.get(LOGIN)
    before = client.session.session_key
    response = post_login(client, "reporter", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    assert client.session.session_key != before
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == world.county_reporter
    assert event.organization == world.county
    assert event.ip == "127.0.0.1"


def test_wrong_password_is_refused_with_a_chinese_message(client, world):
    response = post_login(client, "reporter", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    world.county_reporter.refresh_from_db()
    assert world.county_reporter.failed_logins == 1
    assert AuditEvent.objects.filter(action="auth.login_failed", success=False).count() == 1


def test_unknown_username_gets_the_same_message_and_is_audited(client, world):
    response = post_login(client, "nobody", "whatever-123")
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.actor_username == "nobody"


def test_five_failures_lock_the_account_and_the_sixth_attempt_is_refused(client, world):
    for _ in range(5):
        response = post_login(client, "reporter", "wrong-password")
    assert "已被锁定" in response.content.decode()
    response = post_login(client, "reporter", PASSWORD)  # the right password, sixth attempt
    assert response.status_code == 200
    assert "已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user = User.objects.get(username="reporter")
    assert user.locked_until is not None
    assert user.locked_until - timezone.now() > timedelta(minutes=29)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions.count("auth.login_failed") == 5
    assert actions.count("auth.locked") == 1
    assert actions[-1] == "auth.login_refused_locked"


def test_lock_is_by_username_not_by_address(client, world):
    for _ in range(5):
        post_login(client, "reporter", "wrong-password")
    response = post_login(client, "leader", PASSWORD)  # same client address, another account
    assert response.status_code == 302


def test_lock_lifts_after_thirty_minutes(client, world):
    for _ in range(5):
        post_login(client, "reporter", "wrong-password")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = post_login(client, "reporter", PASSWORD)
    assert response.status_code == 302


def test_lockout_is_visible_to_the_auditor_and_not_to_the_system_administrator(client, world):
    for _ in range(6):
        post_login(client, "reporter", "wrong-password")
    client.force_login(world.auditor)
    page = client.get(reverse("core:audit_list"), {"username": "reporter"}).content.decode()
    assert "账户锁定" in page
    assert "登录失败" in page
    client.force_login(world.commission_admin)
    assert client.get(reverse("core:audit_list")).status_code == 403


def test_logout_is_audited_and_ends_the_session(client, world):
    client.force_login(world.leader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.logout", actor=world.leader).exists()


def test_next_parameter_cannot_send_the_user_off_site(client, world):
    response = client.post(
        LOGIN + "?next=https://evil.example.com/", {"username": "leader", "password": PASSWORD}
    )
    assert response["Location"] == "/office/"
