"""Core tables: the append-only audit trail and the working-day calendar overrides."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计事件只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计事件只能追加，不能删除")


class AuditEvent(models.Model):
    """One row per security event or state change. Never updated, never deleted by the app.

    On PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0002); only
    `prune_audit` may delete rows older than the retention floor.
    """

    occurred_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField("用户名", max_length=150, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    summary = models.JSONField("内容摘要", default=dict, blank=True)
    success = models.BooleanField("成功", default=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-occurred_at"], name="audit_org_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计事件只能追加，不能删除")

    @property
    def action_label(self) -> str:
        from weijian.core.audit import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)

    @property
    def object_label(self) -> str:
        """The object's kind in Chinese (its model's verbose name), else the raw type."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    @property
    def summary_text(self) -> str:
        return json.dumps(self.summary, ensure_ascii=False, default=str)


class WorkdayYear(models.Model):
    """A year whose holiday arrangement has been entered by hand in the override table.

    chinesecalendar covers 2004–2026; a later year must be declared here (with its overrides)
    before working-day arithmetic will run in it.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于某年部分节假日安排的通知"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class WorkdayOverride(models.Model):
    """One day whose status differs from the calendar: a holiday or a 调休 working weekend."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=100, help_text="如：春节、国庆节调休上班")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "休息"
        return f"{self.day:%Y-%m-%d} {self.name}（{kind}）"
