"""Users, the security policy and login-failure state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from weijian.core.crypto import EncryptedCharField


class User(AbstractUser):
    """A staff account. Belongs to one Organization; roles are Django groups (see roles.py)."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField("姓名", max_length=50)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="所属单位", on_delete=models.PROTECT, related_name="users"
    )
    phone = EncryptedCharField("手机号码", max_length=20, blank=True)  # personal data: SM4
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    is_demo = models.BooleanField("演示账户", default=False)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["organization__path", "username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    def is_locked(self, *, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now

    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())


class SecurityPolicy(models.Model):
    """The single row of settings the security administrator controls (RULES.md defaults)."""

    force_change_on_first_login = models.BooleanField("首次登录强制修改密码", default=True)
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）",
        default=90,
        validators=[MaxValueValidator(365)],
        help_text="到期后强制修改密码；0 表示不限",
    )
    lockout_threshold = models.PositiveSmallIntegerField(
        "连续失败锁定次数", default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        "锁定时长（分钟）", default=30, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "空闲超时（分钟）", default=30, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    require_otp = models.BooleanField("工作人员必须启用动态口令", default=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="security_policy_single_row"),
            models.CheckConstraint(
                condition=models.Q(lockout_threshold__gte=1, lockout_minutes__gte=1),
                name="security_policy_lockout_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(idle_timeout_minutes__gte=1, idle_timeout_minutes__lte=480),
                name="security_policy_idle_range",
            ),
        ]

    def __str__(self) -> str:
        return "安全策略"

    @classmethod
    def current(cls) -> SecurityPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def password_change_due(self, user: User, *, now: Any = None) -> bool:
        """True when `user` must change his password: never changed (if the policy forces a change
        on first login) or changed longer ago than the maximum age. Demo accounts are exempt."""
        if user.is_demo:
            return False
        changed_at = user.password_changed_at
        if changed_at is None:
            if self.force_change_on_first_login:
                return True
            changed_at = user.date_joined
        if self.password_max_age_days == 0:
            return False
        now = now or timezone.now()
        return bool(changed_at + timedelta(days=self.password_max_age_days) <= now)
