"""load_demo: demo mode only, idempotent, demo accounts that can sign in at once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from weijian.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from weijian.accounts.models import User
from weijian.orgs.models import Organization


@pytest.mark.django_db
def test_refuses_outside_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="WEIJIAN_DEMO=1"):
        call_command("load_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_is_idempotent_and_prints_the_logins(settings, capsys, client):
    settings.DEMO = True
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Organization.objects.count())
    call_command("load_demo")
    assert (
        (User.objects.count(), Organization.objects.count()) == counts == (len(DEMO_ACCOUNTS), 28)
    )
    assert DEMO_PASSWORD in first
    for username, *_ in DEMO_ACCOUNTS:
        assert username in first
    # A demo account signs in straight to the home page: no first-login change.
    client.post(reverse("accounts:login"), {"username": "reporter", "password": DEMO_PASSWORD})
    assert client.get("/office/").status_code == 200
    reporter = User.objects.get(username="reporter")
    assert reporter.is_demo and reporter.organization.name == "莲花县卫生健康委员会"
    county = reporter.organization
    assert county.parent is not None and county.path.startswith(county.parent.path)


@pytest.mark.django_db
def test_bootstrap_admin_creates_the_first_administrator(monkeypatch, capsys):
    monkeypatch.setenv("WEIJIAN_BOOTSTRAP_PASSWORD", "First-Admin-2026")
    call_command(
        "bootstrap_admin",
        "--organization",
        "临江市卫生健康和医疗保障局",
        "--region",
        "220681",
        "--username",
        "linjiang",
        "--full-name",
        "管理员",
    )
    user = User.objects.get(username="linjiang")
    assert user.role_names() == ["系统管理员"]
    assert user.organization.region_id == "220681"
    assert user.password_changed_at is None  # must change at first login
    assert not user.is_demo
    with pytest.raises(CommandError, match="已存在"):
        call_command(
            "bootstrap_admin", "--organization", "x", "--username", "linjiang", "--full-name", "y"
        )


@pytest.mark.django_db
def test_bootstrap_admin_refuses_a_weak_password_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("WEIJIAN_BOOTSTRAP_PASSWORD", "weak")
    with pytest.raises(CommandError, match="密码太短"):
        call_command(
            "bootstrap_admin",
            "--organization",
            "某单位",
            "--username",
            "someone",
            "--full-name",
            "某人",
        )
    assert not User.objects.exists()
    assert not Organization.objects.exists()
