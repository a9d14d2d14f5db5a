"""The system administrator manages users and roles within his subtree; the three
administrators stay apart."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from weijian.accounts import services
from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.core.models import AuditEvent


def test_the_three_administrator_roles_exclude_each_other(world):
    with pytest.raises(ValidationError, match="三者互斥"):
        services.check_role_set([Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
    with pytest.raises(ValidationError, match="三者互斥"):
        services.user_bootstrap(
            username="both",
            full_name="两者",
            organization=world.commission,
            password="Initial-Pass-2024",
            roles=[Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
        )
    assert not User.objects.filter(username="both").exists()
    assert services.check_role_set([Role.AUDIT_ADMIN, Role.LEADER]) == ["审计管理员", "领导"]


def test_system_administrator_cannot_make_a_security_or_audit_administrator(world, client):
    for roles in ([Role.AUDIT_ADMIN], [Role.SECURITY_ADMIN, Role.LEADER]):
        with pytest.raises(PermissionDenied, match="不能授予"):
            services.user_set_roles(actor=world.commission_admin, user=world.leader, roles=roles)
        with pytest.raises(PermissionDenied, match="不能授予"):
            services.user_create(
                actor=world.commission_admin,
                username="spy",
                full_name="耳目",
                organization=world.county,
                password="Initial-Pass-2024",
                roles=roles,
            )
    assert world.leader.role_names() == ["领导"]
    assert not User.objects.filter(username="spy").exists()
    assert (
        AuditEvent.objects.filter(action="access.denied", actor=world.commission_admin).count() == 4
    )
    client.force_login(world.commission_admin)
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert 'value="系统管理员"' in form
    assert 'value="审计管理员"' not in form and 'value="安全管理员"' not in form


@pytest.mark.parametrize("target", ["auditor", "security_admin"])
def test_system_administrator_cannot_touch_the_other_administrators(world, client, target):
    subject = getattr(world, target)
    calls = [
        lambda: services.user_reset_password(
            actor=world.commission_admin, user=subject, password="Hijack-Pass-2024"
        ),
        lambda: services.user_unlock(actor=world.commission_admin, user=subject),
        lambda: services.user_set_roles(actor=world.commission_admin, user=subject, roles=[]),
        lambda: services.user_update(
            actor=world.commission_admin,
            user=subject,
            full_name="改名",
            organization=subject.organization,
            email="",
            phone="",
            is_active=False,
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="三员|不由系统管理员维护"):
            call()
    subject.refresh_from_db()
    assert subject.is_active and subject.check_password("Test-Weijian-2024")
    client.force_login(world.commission_admin)
    page = client.get(reverse("accounts:user_edit", args=[subject.pk])).content.decode()
    assert "不由系统管理员维护" in page
    response = client.post(
        reverse("accounts:user_reset_password", args=[subject.pk]), {"password": "Hijack-Pass-2024"}
    )
    assert response.status_code == 403


def test_an_administrator_role_combines_with_business_roles(world):
    services.user_set_roles(
        actor=world.commission_admin, user=world.leader, roles=[Role.LEADER, Role.SYSTEM_ADMIN]
    )
    assert world.leader.role_names() == ["系统管理员", "领导"]
    event = AuditEvent.objects.get(action="user.roles")
    assert event.summary["roles"] == [["领导"], ["系统管理员", "领导"]]


def test_a_refused_edit_writes_nothing(client, world):
    """Editing himself, an administrator may change his name but not his roles: the whole
    edit is refused, the name included."""
    client.force_login(world.commission_admin)
    response = client.post(
        reverse("accounts:user_edit", args=[world.commission_admin.pk]),
        {
            "full_name": "新名字",
            "organization": world.commission.pk,
            "roles": [Role.SYSTEM_ADMIN, Role.LEADER],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "不能调整自己的角色" in response.content.decode()
    world.commission_admin.refresh_from_db()
    assert world.commission_admin.full_name == "王管理"
    assert world.commission_admin.role_names() == ["系统管理员"]
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_nobody_changes_his_own_roles(world):
    with pytest.raises(ValidationError, match="不能调整自己的角色"):
        services.user_set_roles(actor=world.commission_admin, user=world.commission_admin, roles=[])


def test_system_administrator_cannot_manage_users_outside_his_subtree(world):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=world.commission_admin,
            username="far",
            full_name="远方",
            organization=world.elsewhere,
            password="Initial-Pass-2024",
        )
    with pytest.raises(PermissionDenied):
        services.user_unlock(actor=world.commission_admin, user=world.outsider)
    assert (
        AuditEvent.objects.filter(action="access.denied", actor=world.commission_admin).count() == 2
    )


def test_county_administrator_does_not_reach_the_commission(world, client):
    county_admin = services.user_create(
        actor=world.commission_admin,
        username="countyadmin",
        full_name="县管理员",
        organization=world.county,
        password="Initial-Pass-2024",
        roles=[Role.SYSTEM_ADMIN],
    )
    county_admin.password_changed_at = county_admin.date_joined
    county_admin.save()
    client.force_login(county_admin)
    listed = client.get(reverse("accounts:user_list")).content.decode()
    assert "reporter" in listed
    assert "auditor" not in listed
    assert client.get(reverse("accounts:user_edit", args=[world.auditor.pk])).status_code == 404


def test_user_create_page_creates_the_user_with_roles(client, world):
    client.force_login(world.commission_admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "liuqing",
            "full_name": "刘青",
            "organization": world.hospital.pk,
            "roles": [Role.REPORTER],
            "password": "Lianhua-Hosp-2024",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="liuqing")
    assert user.organization == world.hospital
    assert user.role_names() == ["填报员"]
    assert user.password_changed_at is None


def test_user_create_page_shows_errors_in_chinese(client, world):
    client.force_login(world.commission_admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "a b",
            "full_name": "",
            "organization": world.elsewhere.pk,
            "password": "short",
            "phone": "12345",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名只能由" in page
    assert "手机号码应为以1开头的11位数字" in page
    assert "选择一个有效的选项" in page  # an organization outside the subtree is not offered
    assert not User.objects.filter(full_name="").exists()


def test_user_edit_page_updates_and_changes_roles(client, world):
    client.force_login(world.commission_admin)
    response = client.post(
        reverse("accounts:user_edit", args=[world.county_reporter.pk]),
        {
            "full_name": "陈填报",
            "organization": world.county.pk,
            "email": "chen@example.gov.cn",
            "phone": "13812345678",
            "roles": [Role.REPORTER, Role.STAFF],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.county_reporter.refresh_from_db()
    assert world.county_reporter.email == "chen@example.gov.cn"
    assert world.county_reporter.role_names() == ["填报员", "科室人员"]
    assert AuditEvent.objects.filter(
        action="user.update", object_id=str(world.county_reporter.pk)
    ).exists()


@pytest.mark.parametrize(
    ("who", "url_name", "allowed"),
    [
        ("commission_admin", "accounts:user_list", True),
        ("commission_admin", "accounts:security_policy", False),
        ("commission_admin", "core:audit_list", False),
        ("security_admin", "accounts:security_policy", True),
        ("security_admin", "accounts:user_list", False),
        ("security_admin", "core:audit_list", False),
        ("auditor", "core:audit_list", True),
        ("auditor", "accounts:user_list", False),
        ("auditor", "accounts:security_policy", False),
        ("auditor", "core:workday_list", False),
    ],
)
def test_each_administrator_does_only_his_own_work(client, world, who, url_name, allowed):
    client.force_login(getattr(world, who))
    response = client.get(reverse(url_name))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert AuditEvent.objects.filter(action="access.denied", actor=getattr(world, who)).exists()


def test_phone_is_encrypted_at_rest_and_never_shown_in_clear(client, world):
    from django.db import connection

    world.county_reporter.phone = "13812345678"
    world.county_reporter.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [world.county_reporter.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4gcm1:")
    assert "13812345678" not in stored
    client.force_login(world.commission_admin)
    url = reverse("accounts:user_edit", args=[world.county_reporter.pk])
    page = client.get(url).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    client.post(
        url,
        {
            "full_name": "陈填报",
            "organization": world.county.pk,
            "roles": [Role.REPORTER],
            "is_active": "on",
        },
    )
    world.county_reporter.refresh_from_db()
    assert world.county_reporter.phone == "13812345678"  # blank kept the stored number


def test_revealing_the_phone_is_audited_and_scoped(client, world):
    world.county_reporter.phone = "13812345678"
    world.county_reporter.save()
    client.force_login(world.commission_admin)
    url = reverse("accounts:user_reveal_phone", args=[world.county_reporter.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert "13812345678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="data.reveal")
    assert event.actor == world.commission_admin
    assert event.object_id == str(world.county_reporter.pk)
    assert event.summary["field"] == "phone"
    client.force_login(world.outsider)
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.filter(action="data.reveal").count() == 1
