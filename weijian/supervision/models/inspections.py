"""Inspections: one per institution drawn, recorded by its group, then published (一公开)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.supervision.models.institutions import Institution
from weijian.supervision.models.items import CheckPoint
from weijian.supervision.models.pools import Inspector
from weijian.supervision.models.sampling import Draw, SamplingPlan

USER = settings.AUTH_USER_MODEL


class InspectionState(models.TextChoices):
    PENDING = "pending", "待检查"
    RECORDING = "recording", "检查中"
    COMPLETED = "completed", "已完成"


class InspectionResult(models.TextChoices):
    NO_PROBLEM = "no_problem", "未发现问题"
    RECTIFY = "rectify", "责令整改"
    CASE = "case", "立案查处"
    REFERRED = "referred", "移送有关部门"
    NOT_FOUND = "not_found", "未发现检查对象"


class RectificationStatus(models.TextChoices):
    NONE = "", "无需整改"
    ONGOING = "ongoing", "整改中"
    DONE = "done", "已整改"
    OVERDUE = "overdue", "逾期未整改"


class CheckOutcome(models.TextChoices):
    CONFORMS = "conforms", "符合"
    NONCONFORMS = "nonconforms", "不符合"
    NOT_APPLICABLE = "na", "不适用"


class Inspection(models.Model):
    plan = models.ForeignKey(
        SamplingPlan, verbose_name="抽查计划", on_delete=models.CASCADE, related_name="inspections"
    )
    draw = models.ForeignKey(
        Draw, verbose_name="抽取记录", on_delete=models.CASCADE, related_name="inspections"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspections"
    )
    inspectors = models.ManyToManyField(
        Inspector, verbose_name="检查人员", related_name="inspections"
    )
    state = models.CharField(
        "状态", max_length=12, choices=InspectionState.choices, default=InspectionState.PENDING
    )
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    result = models.CharField(
        "检查结果", max_length=12, choices=InspectionResult.choices, blank=True
    )
    summary = models.TextField("检查情况", blank=True)
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    rectification_status = models.CharField(
        "整改情况", max_length=10, choices=RectificationStatus.choices, blank=True, default=""
    )
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification_note = models.TextField("整改复查情况", blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    publication_due = models.DateField("应公示日期", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["plan_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "institution"], name="supervision_inspection_once"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "inspected_on"], name="supervision_insp_inst"),
            models.Index(fields=["published_at"], name="supervision_insp_published"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}：{self.institution}"


class CheckResult(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="checks"
    )
    check_point = models.ForeignKey(
        CheckPoint, verbose_name="检查要点", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("检查结论", max_length=12, choices=CheckOutcome.choices)
    note = models.TextField("情况说明", blank=True)

    class Meta:
        verbose_name = "检查要点结果"
        verbose_name_plural = "检查要点结果"
        ordering = ["inspection_id", "check_point__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "check_point"], name="supervision_check_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_point}：{self.get_outcome_display()}"


def photo_path(instance: InspectionPhoto, filename: str) -> str:
    return f"supervision/inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="photos"
    )
    check_point = models.ForeignKey(
        CheckPoint,
        verbose_name="检查要点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField("照片", upload_to=photo_path)
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name
