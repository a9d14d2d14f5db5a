"""Account writes: one function per use case, each audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from weijian.accounts.access import (
    require_admin_over,
    require_grantable,
    require_manageable,
    require_top_level_role,
)
from weijian.accounts.models import SecurityPolicy, User
from weijian.accounts.roles import ADMIN_ROLES, Role
from weijian.core import audit, personal_data
from weijian.orgs.models import Organization

audit.register_actions(
    {
        "user.create": "新建用户",
        "user.update": "修改用户",
        "user.roles": "调整角色",
        "user.password_reset": "重置密码",
        "user.password_change": "修改密码",
        "user.unlock": "解除锁定",
        "otp.enrol": "启用动态口令",
        "otp.remove": "停用动态口令",
        "security_policy.update": "修改安全策略",
    }
)


def check_role_set(roles: Iterable[str]) -> list[str]:
    """Validate a set of role names: known roles, and at most one of the three administrators."""
    chosen = sorted(set(roles))
    unknown = [name for name in chosen if name not in Role.values]
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(unknown)}")
    admins = [name for name in chosen if name in ADMIN_ROLES]
    if len(admins) > 1:
        raise ValidationError(
            f"系统管理员、安全管理员、审计管理员三者互斥，不能同时授予：{'、'.join(admins)}"
        )
    return chosen


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "organization": user.organization_id,
        "email": user.email,
        "is_active": user.is_active,
        "phone_set": bool(user.phone),
    }


def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    organization: Organization,
    password: str,
    roles: Iterable[str] = (),
    email: str = "",
    phone: str = "",
) -> User:
    require_admin_over(actor=actor, organizations=[organization])
    require_grantable(actor=actor, roles=roles)
    with transaction.atomic():
        chosen = check_role_set(roles)
        if User.objects.filter(username=username).exists():
            raise ValidationError(f"用户名“{username}”已存在")
        user = User(
            username=username,
            full_name=full_name,
            organization=organization,
            email=email,
            phone=phone,
        )
        validate_password(password, user)
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=chosen))
        audit.record(
            action="user.create",
            actor=actor,
            obj=user,
            organization=organization,
            summary={**_snapshot(user), "roles": chosen},
        )
        return user


def user_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    organization: Organization,
    email: str,
    phone: str,
    is_active: bool,
) -> User:
    require_manageable(actor=actor, user=user)
    require_admin_over(actor=actor, organizations=[organization])
    with transaction.atomic():
        if user == actor and not is_active:
            raise ValidationError("不能停用自己的账户")
        before = _snapshot(user)
        user.full_name, user.organization, user.email = full_name, organization, email
        user.phone, user.is_active = phone, is_active
        user.save()
        audit.record(
            action="user.update",
            actor=actor,
            obj=user,
            organization=organization,
            summary=audit.changes(before, _snapshot(user)),
        )
        return user


def user_set_roles(*, actor: User, user: User, roles: Iterable[str]) -> User:
    roles = list(roles)
    require_manageable(actor=actor, user=user)
    require_grantable(actor=actor, roles=roles)
    with transaction.atomic():
        if user == actor:
            raise ValidationError("不能调整自己的角色，请由其他系统管理员办理")
        chosen = check_role_set(roles)
        before = sorted(user.groups.values_list("name", flat=True))
        user.groups.set(Group.objects.filter(name__in=chosen))
        user.__dict__.pop("_weijian_roles", None)  # the per-request role cache (roles.py)
        audit.record(
            action="user.roles",
            actor=actor,
            obj=user,
            organization=user.organization,
            summary={"roles": [before, chosen]},
        )
        return user


def user_reset_password(*, actor: User, user: User, password: str) -> User:
    """Set a temporary password; the user must change it at the next login."""
    require_manageable(actor=actor, user=user)
    with transaction.atomic():
        _set_temporary_password(user, password)
        audit.record(
            action="user.password_reset", actor=actor, obj=user, organization=user.organization
        )
        return user


def _set_temporary_password(user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = None
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "password_changed_at", "failed_logins", "locked_until"])


def user_unlock(*, actor: User, user: User) -> User:
    require_manageable(actor=actor, user=user)
    with transaction.atomic():
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
        audit.record(action="user.unlock", actor=actor, obj=user, organization=user.organization)
        return user


@transaction.atomic
def user_phone_reveal(*, actor: User, user: User) -> str:
    """The system administrator sees a user's phone number in clear; audited."""
    require_manageable(actor=actor, user=user)
    return personal_data.reveal(actor=actor, obj=user, field="phone")


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """The user changes his own password (the form has checked the old one)."""
    validate_password(new_password, user)
    if user.check_password(new_password):
        raise ValidationError("新密码不能与原密码相同")
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(action="user.password_change", actor=user, obj=user)
    return user


@transaction.atomic
def login_succeeded(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(action="auth.login", actor=user, obj=user)


@transaction.atomic
def login_failed(*, username: str) -> User | None:
    """Count a failure against `username`; lock the account at the policy's threshold.

    Returns the account when it exists (with fresh counters), None for an unknown name."""
    policy = SecurityPolicy.current()
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        audit.record(action="auth.login_failed", username=username, success=False)
        return None
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins", "locked_until"])
    audit.record(
        action="auth.login_failed",
        actor=user,
        obj=user,
        summary={"failed_logins": user.failed_logins},
        success=False,
    )
    if user.failed_logins >= policy.lockout_threshold:
        user.locked_until = timezone.now() + timedelta(minutes=policy.lockout_minutes)
        user.failed_logins = 0
        user.save(update_fields=["locked_until", "failed_logins"])
        audit.record(
            action="auth.locked",
            actor=user,
            obj=user,
            summary={
                "locked_until": _local(user.locked_until),
                "threshold": policy.lockout_threshold,
            },
            success=False,
        )
    return user


def _local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def login_refused_locked(*, user: User) -> None:
    audit.record(
        action="auth.login_refused_locked",
        actor=user,
        obj=user,
        summary={"locked_until": _local(user.locked_until)},
        success=False,
    )


@transaction.atomic
def otp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    if device.user_id != user.pk:
        raise PermissionDenied("不能启用他人的动态口令设备")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(action="otp.enrol", actor=user, obj=user)
    return device


@transaction.atomic
def otp_device_remove(*, user: User) -> None:
    if SecurityPolicy.current().require_otp:
        raise ValidationError("安全策略要求工作人员必须启用动态口令，不能停用")
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(action="otp.remove", actor=user, obj=user)


POLICY_FIELDS = (
    "force_change_on_first_login",
    "password_max_age_days",
    "lockout_threshold",
    "lockout_minutes",
    "idle_timeout_minutes",
    "require_otp",
)


def security_policy_update(*, actor: User, **values: Any) -> SecurityPolicy:
    require_top_level_role(actor=actor, roles=[Role.SECURITY_ADMIN], what="修改安全策略")
    with transaction.atomic():
        policy = SecurityPolicy.objects.select_for_update().get(pk=SecurityPolicy.current().pk)
        before = {name: getattr(policy, name) for name in POLICY_FIELDS}
        for name in POLICY_FIELDS:
            if name in values:
                setattr(policy, name, values[name])
        policy.full_clean()
        policy.save()
        after = {name: getattr(policy, name) for name in POLICY_FIELDS}
        audit.record(
            action="security_policy.update",
            actor=actor,
            obj=policy,
            summary=audit.changes(before, after),
        )
        return policy


@transaction.atomic
def user_bootstrap(
    *,
    username: str,
    full_name: str,
    organization: Organization,
    password: str,
    roles: Iterable[str],
    demo: bool = False,
    source: str = "manage.py",
) -> User:
    """Create an account from the command line, where no signed-in administrator exists yet
    (the first system administrator of a deployment; demo accounts). Audited under `source`.

    A demo account is exempt from the first-login change; any other starts with a forced change."""
    chosen = check_role_set(roles)
    user = User(username=username, full_name=full_name, organization=organization, is_demo=demo)
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now() if demo else None
    user.save()
    user.groups.set(Group.objects.filter(name__in=chosen))
    audit.record(
        action="user.create",
        organization=organization,
        obj=user,
        username=source,
        summary={**_snapshot(user), "roles": chosen, "demo": demo},
    )
    return user


def user_password_reset_on_server(*, username: str, password: str) -> User:
    """Reset any account's password from the command line (the only way for the security and
    audit administrators' accounts): unlocks it and forces a change at the next login."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"用户名“{username}”不存在")
    with transaction.atomic():
        _set_temporary_password(user, password)
        audit.record(
            action="user.password_reset",
            obj=user,
            organization=user.organization,
            username="manage.py reset_password",
        )
    return user
