"""Idle timeout and the TOTP second factor."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from weijian.accounts import services
from weijian.conftest import PASSWORD
from weijian.core.models import AuditEvent


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_idle_user_is_signed_out_after_thirty_minutes(client, world):
    start = timezone.now()
    with time_machine.travel(start):
        client.force_login(world.leader)
        assert client.get("/office/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29)):
        assert client.get("/office/").status_code == 200  # activity resets the clock
    with time_machine.travel(start + timedelta(minutes=29 + 31)):
        response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.idle_logout", actor=world.leader).exists()


def test_htmx_requests_are_redirected_by_header(client, world):
    start = timezone.now()
    with time_machine.travel(start):
        client.force_login(world.leader)
        client.get("/office/")
    with time_machine.travel(start + timedelta(minutes=31)):
        response = client.get("/office/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": current_token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_user_enrols_and_then_needs_the_token_at_each_login(client, world):
    device = enrol(client, world.leader)
    assert AuditEvent.objects.filter(action="otp.enrol", actor=world.leader).exists()
    client.logout()
    client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
    response = client.get("/office/")
    assert response["Location"] == reverse("accounts:otp_verify")
    response = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert "动态口令不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_failed").exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):  # a fresh time step
        response = client.post(reverse("accounts:otp_verify"), {"token": current_token(device)})
        assert response.status_code == 302
        assert client.get("/office/").status_code == 200


def test_an_unverified_session_cannot_change_the_password(client, world):
    enrol(client, world.leader)
    client.logout()
    client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
    response = client.get(reverse("accounts:password_change"))
    assert response["Location"] == reverse("accounts:otp_verify")


def test_security_administrator_can_make_the_second_factor_mandatory(client, world):
    services.security_policy_update(actor=world.security_admin, require_otp=True)
    client.force_login(world.inspector)
    response = client.get("/office/")
    assert response["Location"] == reverse("accounts:otp_setup")
    enrol(client, world.inspector)
    assert client.get("/office/").status_code == 200
    response = client.post(reverse("accounts:otp_remove"))
    assert TOTPDevice.objects.filter(user=world.inspector).exists()  # may not remove it now


def test_user_may_remove_his_device_when_not_mandatory(client, world):
    enrol(client, world.leader)
    client.post(reverse("accounts:otp_remove"))
    assert not TOTPDevice.objects.filter(user=world.leader).exists()
    assert AuditEvent.objects.filter(action="otp.remove", actor=world.leader).exists()
