"""A plan's task tree, who carries each task, and its quantitative targets."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from weijian.orgs.models import Organization
from weijian.plans.models.documents import Document


class Plan(models.Model):
    document = models.ForeignKey(
        Document,
        verbose_name="来源公文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField("标题", max_length=300)
    owner = models.ForeignKey(
        Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="plans"
    )
    start_year = models.PositiveSmallIntegerField("起始年份", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("截止年份", null=True, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "方案"
        verbose_name_plural = "方案"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="plans_plan_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    label = models.CharField(
        "编号", max_length=20, blank=True, help_text="按原文，如：三、（二）1."
    )
    path = models.CharField("编号路径", max_length=255, blank=True, help_text="如：三.(二).1")
    title = models.CharField("标题", max_length=300, blank=True)
    text = models.TextField("内容", blank=True)
    due_on = models.DateField("完成时限", null=True, blank=True)
    due_text = models.CharField(
        "完成时限（原文）", max_length=100, blank=True, help_text="如：2020年底前、长期坚持"
    )
    order = models.PositiveIntegerField("顺序", default=0)
    line = models.PositiveIntegerField("原文行号", default=0)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["plan", "path"], name="plans_task_plan_path")]

    def __str__(self) -> str:
        return f"{self.path} {self.title}".strip()


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "牵头"
    PARTNER = "partner", "配合"
    RESPONSIBLE = "responsible", "责任"


class Assignment(models.Model):
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField("角色", max_length=20, choices=AssignmentRole.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_assignments",
    )
    raw_name = models.CharField("单位（原文）", max_length=200)
    confidence = models.FloatField("匹配置信度", null=True, blank=True)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="plans_assignment_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.raw_name}"


class Indicator(models.Model):
    name = models.CharField("名称", max_length=200, unique=True)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    higher_is_better = models.BooleanField("越高越好", default=True)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "≥"
    AT_MOST = "<=", "≤"
    EQUAL = "=", "="
    ABOUT = "~", "≈"


class Target(models.Model):
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="targets"
    )
    comparator = models.CharField("比较", max_length=2, choices=Comparator.choices)
    value = models.FloatField("目标值")
    value_max = models.FloatField("目标值上限", null=True, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    year = models.PositiveSmallIntegerField("目标年份", null=True, blank=True)
    baseline = models.FloatField("基线值", null=True, blank=True)
    text = models.CharField("原文", max_length=500, blank=True)

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_comparator_display()}{self.value:g}{self.unit}"
