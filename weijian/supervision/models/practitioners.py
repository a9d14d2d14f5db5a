"""Practitioners (医务人员) and their other practice sites (多机构执业备案)."""

from __future__ import annotations

from django.db import models

from weijian.core.crypto import EncryptedCharField
from weijian.supervision.models.institutions import Institution


class PractitionerKind(models.TextChoices):
    PHYSICIAN = "physician", "医师"
    NURSE = "nurse", "护士"
    PHARMACIST = "pharmacist", "药师"
    TECHNICIAN = "technician", "技师"


class PractitionerStatus(models.TextChoices):
    ACTIVE = "active", "执业"
    SUSPENDED = "suspended", "暂停执业"
    CANCELLED = "cancelled", "注销"


class Practitioner(models.Model):
    kind = models.CharField("类别", max_length=12, choices=PractitionerKind.choices)
    name = models.CharField("姓名", max_length=50)
    # Personal data: SM4-encrypted, found through the blind index (purpose "resident_id").
    id_number = EncryptedCharField("身份证号", max_length=18)
    id_number_index = models.CharField("身份证号索引", max_length=64, db_index=True, editable=False)
    license_number = models.CharField("执业证书编码", max_length=30)
    practice_category = models.CharField("执业类别", max_length=30, blank=True)
    practice_scope = models.CharField("执业范围", max_length=100, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name="主要执业机构",
        on_delete=models.PROTECT,
        related_name="practitioners",
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=PractitionerStatus.choices,
        default=PractitionerStatus.ACTIVE,
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "医务人员"
        verbose_name_plural = "医务人员"
        ordering = ["institution_id", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "license_number"], name="supervision_practitioner_license"
            ),
            models.UniqueConstraint(
                fields=["kind", "id_number_index"], name="supervision_practitioner_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class PracticeSite(models.Model):
    """A filed practice at another institution (多机构执业备案)."""

    practitioner = models.ForeignKey(
        Practitioner, verbose_name="医务人员", on_delete=models.CASCADE, related_name="sites"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="执业机构",
        on_delete=models.PROTECT,
        related_name="visiting_practitioners",
    )
    filed_on = models.DateField("备案日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "多机构执业备案"
        verbose_name_plural = "多机构执业备案"
        ordering = ["practitioner_id", "filed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "institution", "filed_on"],
                name="supervision_practice_site_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner}：{self.institution}"
