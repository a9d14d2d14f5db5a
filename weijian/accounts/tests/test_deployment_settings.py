"""Deployment-wide settings (the security policy, the working-day calendar) belong to the
administrators of a root organization; the 三员 accounts are kept on the server."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from weijian.accounts import services
from weijian.accounts.models import SecurityPolicy, User
from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core import services as core_services
from weijian.core.models import AuditEvent, WorkdayOverride


@pytest.fixture
def county_security(world) -> User:
    return make_user("county_security", world.county, Role.SECURITY_ADMIN)


@pytest.fixture
def county_admin(world) -> User:
    return make_user("county_admin", world.county, Role.SYSTEM_ADMIN)


def test_a_county_security_administrator_cannot_change_the_policy(client, county_security):
    with pytest.raises(PermissionDenied, match="最上级单位"):
        services.security_policy_update(actor=county_security, lockout_threshold=20)
    assert SecurityPolicy.current().lockout_threshold == 5
    assert AuditEvent.objects.filter(action="access.denied", actor=county_security).exists()
    client.force_login(county_security)
    assert client.get(reverse("accounts:security_policy")).status_code == 403
    assert reverse("accounts:security_policy") not in client.get("/office/").content.decode()


def test_a_county_system_administrator_cannot_change_the_calendar(client, county_admin):
    with pytest.raises(PermissionDenied, match="最上级单位"):
        core_services.workday_override_save(
            actor=county_admin, day=datetime.date(2025, 10, 1), is_workday=True, name="改"
        )
    assert not WorkdayOverride.objects.exists()
    client.force_login(county_admin)
    assert client.get(reverse("core:workday_list")).status_code == 403


@pytest.mark.django_db
def test_bootstrap_admin_sets_up_the_audit_administrator(monkeypatch, world):
    monkeypatch.setenv("WEIJIAN_BOOTSTRAP_PASSWORD", "Audit-Account-2026")
    call_command(
        "bootstrap_admin",
        "--organization",
        world.commission.name,
        "--username",
        "auditor2",
        "--full-name",
        "新审计",
        "--role",
        Role.AUDIT_ADMIN,
    )
    user = User.objects.get(username="auditor2")
    assert user.role_names() == ["审计管理员"]
    assert user.organization == world.commission  # an existing root is reused


def test_reset_password_on_the_server_unlocks_and_forces_a_change(monkeypatch, world, capsys):
    world.auditor.failed_logins = 3
    world.auditor.save()
    monkeypatch.setenv("WEIJIAN_BOOTSTRAP_PASSWORD", "Fresh-Audit-2026")
    call_command("reset_password", "auditor")
    world.auditor.refresh_from_db()
    assert world.auditor.check_password("Fresh-Audit-2026")
    assert world.auditor.password_changed_at is None and world.auditor.failed_logins == 0
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor_username == "manage.py reset_password"
    assert "已重置" in capsys.readouterr().out
