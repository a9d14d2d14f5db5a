"""The inspector pool (执法人员名录库) with what 回避 needs, and the expert pool (专家库)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from weijian.core.crypto import EncryptedCharField
from weijian.orgs.models import Organization, Region
from weijian.supervision.models.institutions import Institution


class PoolStatus(models.TextChoices):
    ACTIVE = "active", "在库"
    SUSPENDED = "suspended", "暂停抽取"
    LEFT = "left", "已出库"


class Inspector(models.Model):
    name = models.CharField("姓名", max_length=50)
    organization = models.ForeignKey(
        Organization, verbose_name="所在单位", on_delete=models.PROTECT, related_name="inspectors"
    )
    # The login of the inspector, so that he can record the inspections he is drawn for.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspector",
    )
    certificate_number = models.CharField("执法证号", max_length=30, unique=True)
    certificate_valid_from = models.DateField("执法证有效期起", null=True, blank=True)
    certificate_valid_until = models.DateField("执法证有效期至")
    specialties = models.JSONField("专业领域", default=list, blank=True)
    regions = models.ManyToManyField(
        Region, verbose_name="负责区域", blank=True, related_name="inspectors"
    )
    status = models.CharField(
        "状态", max_length=10, choices=PoolStatus.choices, default=PoolStatus.ACTIVE
    )
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["organization_id", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def is_certified_on(self, day: datetime.date) -> bool:
        """In the pool and holding a valid enforcement certificate on `day`."""
        started = self.certificate_valid_from is None or self.certificate_valid_from <= day
        return self.status == PoolStatus.ACTIVE and started and day <= self.certificate_valid_until


class InspectorEmployment(models.Model):
    """An institution the inspector works or worked at: he may never inspect it (回避)."""

    inspector = models.ForeignKey(
        Inspector, verbose_name="执法人员", on_delete=models.CASCADE, related_name="employments"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="工作单位", on_delete=models.CASCADE, related_name="+"
    )
    started_on = models.DateField("起始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "工作经历"
        verbose_name_plural = "工作经历"
        ordering = ["inspector_id", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "institution"], name="supervision_employment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspector}：{self.institution}"


class InspectorRelative(models.Model):
    """A declared relative's institution: the inspector may not inspect it (回避)."""

    inspector = models.ForeignKey(
        Inspector, verbose_name="执法人员", on_delete=models.CASCADE, related_name="relatives"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="亲属所在机构", on_delete=models.CASCADE, related_name="+"
    )
    relation = models.CharField(
        "亲属关系", max_length=20, help_text="如：配偶、子女、父母、兄弟姐妹"
    )
    declared_on = models.DateField("申报日期", null=True, blank=True)

    class Meta:
        verbose_name = "亲属回避申报"
        verbose_name_plural = "亲属回避申报"
        ordering = ["inspector_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "institution", "relation"], name="supervision_relative_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspector}：{self.relation}在{self.institution}"


class Expert(models.Model):
    """A member of the expert pool, called in for technical questions during inspections."""

    name = models.CharField("姓名", max_length=50)
    owner = models.ForeignKey(
        Organization, verbose_name="管理单位", on_delete=models.PROTECT, related_name="experts"
    )
    workplace = models.CharField("工作单位", max_length=200)
    title = models.CharField("职称", max_length=50, blank=True)
    specialties = models.JSONField("专业领域", default=list, blank=True)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True)  # personal data: SM4
    status = models.CharField(
        "状态", max_length=10, choices=PoolStatus.choices, default=PoolStatus.ACTIVE
    )
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家"
        ordering = ["owner_id", "name", "id"]

    def __str__(self) -> str:
        return self.name
