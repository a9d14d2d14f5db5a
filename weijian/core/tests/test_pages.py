"""The shell: home page, navigation by role, security headers, no external hosts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from weijian.core.middleware import CONTENT_SECURITY_POLICY


def test_home_shows_organization_roles_and_open_modules(client, world):
    client.force_login(world.county_reporter)
    page = client.get(reverse("core:home")).content.decode()
    assert "莲花县卫生健康委员会" in page
    assert "填报员" in page
    assert "进展填报" in page
    assert "审计日志" not in page
    assert "用户与角色" not in page


def test_navigation_follows_the_roles(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("core:audit_list") in page
    assert reverse("accounts:user_list") not in page
    assert reverse("accounts:security_policy") not in page


@pytest.mark.django_db
def test_portal_home_answers_without_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "卫健综合治理平台" in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_back_office_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/office/"


def test_signed_in_pages_are_not_cached_and_carry_a_csp(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("accounts:profile"))
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"


def test_profile_masks_the_phone_number(client, world):
    world.leader.phone = "13812345678"
    world.leader.save()
    client.force_login(world.leader)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"""<style|\sstyle\s*=""", re.IGNORECASE)


def pages_for_everyone(world):
    return [
        (None, reverse("portal:home")),
        (None, reverse("accounts:login")),
        (world.leader, reverse("core:home")),
        (world.leader, reverse("accounts:profile")),
        (world.leader, reverse("accounts:password_change")),
        (world.leader, reverse("accounts:otp_setup")),
        (world.commission_admin, reverse("accounts:user_list")),
        (world.commission_admin, reverse("accounts:user_create")),
        (world.commission_admin, reverse("accounts:user_edit", args=[world.county_reporter.pk])),
        (world.commission_admin, reverse("orgs:organization_list")),
        (world.commission_admin, reverse("orgs:organization_detail", args=[world.county.pk])),
        (world.security_admin, reverse("accounts:security_policy")),
        (world.security_admin, reverse("core:workday_list")),
        (world.auditor, reverse("core:audit_list")),
    ]


def test_no_page_loads_anything_from_another_host_or_inline(client, world):
    for user, url in pages_for_everyone(world):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not EXTERNAL.search(html), f"{url} references an external host"
        assert not INLINE_SCRIPT.search(html), f"{url} has an inline script (the CSP forbids it)"
        assert not INLINE_STYLE.search(html), f"{url} has an inline style (the CSP forbids it)"


def test_the_registry_is_closed_to_the_security_and_audit_administrators(client, world):
    for user in (world.security_admin, world.auditor):
        client.force_login(user)
        assert client.get(reverse("orgs:organization_list")).status_code == 403
        assert (
            client.get(reverse("orgs:organization_detail", args=[world.commission.pk])).status_code
            == 403
        )
