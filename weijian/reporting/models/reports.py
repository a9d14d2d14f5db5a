"""进展报告: one task × one organization × one period, created when the period is opened (so
that "expected" is a row, and completeness and timeliness are one aggregate query), filled in
by the unit, then reviewed up the hierarchy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from weijian.orgs.models import Organization
from weijian.plans.models import Target, Task
from weijian.reporting.models.cycles import ReportingCycle


class ReportStatus(models.TextChoices):
    PENDING = "pending", "未报"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


# A report counts as submitted (completeness) in these states: a returned report was submitted.
SUBMITTED_STATES = (
    ReportStatus.SUBMITTED,
    ReportStatus.APPROVED,
    ReportStatus.ACCEPTED,
    ReportStatus.RETURNED,
)
# The unit may still edit its report in these states.
EDITABLE_STATES = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    LAGGING = "lagging", "滞后"


class ProgressReport(models.Model):
    cycle = models.ForeignKey(
        ReportingCycle, verbose_name="填报周期", on_delete=models.CASCADE, related_name="reports"
    )
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="progress_reports"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="填报单位",
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    period = models.CharField("填报期间", max_length=7, help_text="如：2024-05、2024-Q2")
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    due_at = models.DateTimeField("截止时间")
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    on_time = models.BooleanField("按时报送", null=True, blank=True)
    task_status = models.CharField(
        "任务进度", max_length=20, choices=TaskStatus.choices, blank=True
    )
    percent = models.PositiveSmallIntegerField("完成比例（%）", null=True, blank=True)
    progress = models.TextField("工作进展", blank=True)
    shortfall_reason = models.TextField("未完成原因", blank=True)
    difficulties = models.TextField("困难和问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["cycle", "period", "organization", "task__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "task", "organization", "period"],
                name="reporting_report_unique_expected",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="reporting_report_percent_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cycle", "period", "organization"], name="reporting_cycle_period_org"
            ),
            models.Index(fields=["organization", "period"], name="reporting_org_period"),
            # the dashboard's "latest value up to a period" looks back along this
            models.Index(
                fields=["cycle", "organization", "period_start"], name="reporting_cycle_org_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.period} {self.task}"


class TargetValue(models.Model):
    """The current value of a target's indicator as a report states it."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="进展报告", on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(
        Target, verbose_name="目标", on_delete=models.CASCADE, related_name="reported_values"
    )
    value = models.FloatField("当前值", null=True, blank=True)

    class Meta:
        verbose_name = "指标当前值"
        verbose_name_plural = "指标当前值"
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="reporting_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.value}"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "报送"
    APPROVE = "approve", "审核通过"
    ACCEPT = "accept", "验收通过"
    RETURN = "return", "退回"
    REOPEN = "reopen", "重新开放"


class ReviewStep(models.Model):
    """One step of a unit's report for a period (all its tasks move together)."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name="填报周期", on_delete=models.CASCADE, related_name="reviews"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="填报单位", on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField("填报期间", max_length=7)
    action = models.CharField("操作", max_length=20, choices=ReviewAction.choices)
    reason = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_organization = models.ForeignKey(
        Organization,
        verbose_name="操作单位",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["cycle", "organization", "period"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.period} {self.get_action_display()}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进展报告",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("文件", upload_to="reports/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
