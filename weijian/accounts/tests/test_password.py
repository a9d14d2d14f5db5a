"""Password rules, the forced change on first login and after the maximum age."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from weijian.accounts import services
from weijian.accounts.models import SecurityPolicy, User
from weijian.accounts.validators import character_classes
from weijian.conftest import PASSWORD
from weijian.core.models import AuditEvent

CHANGE = reverse("accounts:password_change")


def test_character_classes_are_counted():
    assert character_classes("abcdefgh") == ["小写字母"]
    assert character_classes("Abc1!") == ["大写字母", "小写字母", "数字", "特殊符号"]
    assert character_classes("密码abc") == ["小写字母", "特殊符号"]


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!xyz", "至少需要10个字符"),
        ("abcdefghijk1", "至少3类"),
        ("Password123", "太常见"),
        ("1234567890123", "只包含数字"),
    ],
)
def test_weak_passwords_are_refused_with_chinese_reasons(password, fragment):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any(fragment in message for message in caught.value.messages), caught.value.messages


@pytest.mark.django_db
def test_password_similar_to_the_username_is_refused(world):
    user = User(username="chenxiaoming", full_name="陈小明", organization=world.county)
    with pytest.raises(ValidationError) as caught:
        validate_password("Chenxiaoming1", user)
    assert any("太相似" in message for message in caught.value.messages)


@pytest.mark.django_db
def test_strong_password_passes(world):
    validate_password("Lianhua-County-2024", world.county_reporter)


def test_new_account_must_change_its_password_before_anything_else(client, world):
    user = services.user_create(
        actor=world.commission_admin,
        username="newcomer",
        full_name="新同事",
        organization=world.county,
        password="Initial-Pass-2024",
        roles=["填报员"],
    )
    client.post(
        reverse("accounts:login"), {"username": "newcomer", "password": "Initial-Pass-2024"}
    )
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"] == CHANGE
    page = client.get(CHANGE).content.decode()
    assert "须先修改密码" in page
    response = client.post(
        CHANGE,
        {
            "old_password": "Initial-Pass-2024",
            "new_password": "Brand-New-Pass-2024",
            "new_password_again": "Brand-New-Pass-2024",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-New-Pass-2024")
    assert user.password_changed_at is not None
    assert client.get("/office/").status_code == 200  # still signed in, now free to go
    assert AuditEvent.objects.filter(action="user.password_change", actor=user).exists()


def test_change_refuses_a_wrong_old_password_and_a_mismatch(client, world):
    client.force_login(world.leader)
    response = client.post(
        CHANGE,
        {"old_password": "nope", "new_password": "Brand-New-Pass-2024", "new_password_again": "x"},
    )
    page = response.content.decode()
    assert "原密码不正确" in page
    assert "两次输入的新密码不一致" in page
    world.leader.refresh_from_db()
    assert world.leader.check_password(PASSWORD)


def test_password_older_than_ninety_days_must_be_changed(client, world):
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client.force_login(world.leader)
        response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"] == CHANGE


def test_security_administrator_can_change_the_rules(client, world):
    services.security_policy_update(
        actor=world.security_admin, password_max_age_days=0, force_change_on_first_login=False
    )
    policy = SecurityPolicy.current()
    assert not policy.password_change_due(
        User(password_changed_at=None, date_joined=timezone.now())
    )
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        client.force_login(world.leader)
        assert client.get("/office/").status_code == 200
    event = AuditEvent.objects.get(action="security_policy.update")
    assert event.summary["password_max_age_days"] == [90, 0]


def test_only_the_security_administrator_changes_the_policy(world):
    for actor in (world.commission_admin, world.auditor):
        with pytest.raises(Exception, match="安全管理员"):
            services.security_policy_update(actor=actor, lockout_threshold=10)
    assert SecurityPolicy.current().lockout_threshold == 5


def test_policy_page_refuses_values_out_of_range(client, world):
    client.force_login(world.security_admin)
    response = client.post(
        reverse("accounts:security_policy"),
        {
            "password_max_age_days": 90,
            "lockout_threshold": 0,
            "lockout_minutes": 30,
            "idle_timeout_minutes": 30,
        },
    )
    assert response.status_code == 200
    assert "大于或等于1" in response.content.decode()
    assert SecurityPolicy.current().lockout_threshold == 5


def test_admin_reset_forces_a_change_and_unlocks(client, world):
    world.county_reporter.locked_until = timezone.now() + timedelta(minutes=10)
    world.county_reporter.save()
    services.user_reset_password(
        actor=world.commission_admin, user=world.county_reporter, password="Temporary-Pass-77"
    )
    world.county_reporter.refresh_from_db()
    assert world.county_reporter.password_changed_at is None
    assert not world.county_reporter.is_locked()
    assert world.county_reporter.check_password("Temporary-Pass-77")


@pytest.mark.django_db
def test_password_containing_the_username_is_refused(world):
    user = User(username="newbie", full_name="新人", organization=world.county)
    with pytest.raises(ValidationError) as caught:
        validate_password("newbie12345A", user)
    assert "密码不能包含用户名。" in caught.value.messages
