"""填报周期: how often the units of a plan report, when each period's report is due, when the
window opens and when the period locks; reopenings of one unit × one period."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from weijian.core.workdays import next_workday
from weijian.orgs.models import Organization
from weijian.plans.models import Plan, Task
from weijian.reporting.periods import MONTHS, Frequency, Period, end_of_day, month_day


class DueRule(models.TextChoices):
    DAY_OF_MONTH = "day_of_month", "期末月的某日前"
    DAYS_AFTER = "days_after", "期满后若干日内"


class ReportingCycle(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="cycles"
    )
    name = models.CharField("名称", max_length=100, help_text="如：月度进展填报")
    frequency = models.CharField(
        "填报频次", max_length=20, choices=Frequency.choices, default=Frequency.MONTH
    )
    due_rule = models.CharField(
        "截止规则", max_length=20, choices=DueRule.choices, default=DueRule.DAY_OF_MONTH
    )
    due_day = models.PositiveSmallIntegerField(
        "截止日", default=30, help_text="期末月的第几日（超过当月天数按月末计），如每月30日前"
    )
    days_after = models.PositiveSmallIntegerField(
        "期满后天数", default=0, help_text="截止规则为“期满后若干日内”时使用"
    )
    next_workday = models.BooleanField("遇节假日顺延", default=False)
    window_days = models.PositiveSmallIntegerField(
        "填报窗口（天）",
        null=True,
        blank=True,
        help_text="截止日前多少天开放填报；不填则期初即可填报",
    )
    lock_after_days = models.PositiveSmallIntegerField(
        "逾期锁定（天）", null=True, blank=True, help_text="截止后多少天锁定；不填则不锁定"
    )
    include_partners = models.BooleanField("配合单位也须填报", default=False)
    tasks = models.ManyToManyField(
        Task,
        verbose_name="填报任务",
        blank=True,
        related_name="cycles",
        help_text="不选则为方案中所有有牵头或责任单位的任务",
    )
    weight_achievement = models.FloatField("目标完成权重", default=0.4)
    weight_completeness = models.FloatField("报送率权重", default=0.3)
    weight_timeliness = models.FloatField("及时率权重", default=0.3)
    escalate_after_misses = models.PositiveSmallIntegerField(
        "提交会议的逾期次数",
        default=2,
        help_text="同一任务同一单位逾期达到此次数，问责事项列入领导小组下次会议议题",
    )
    starts_on = models.DateField("起始日期", help_text="第一个填报期间包含此日")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "填报周期"
        verbose_name_plural = "填报周期"
        ordering = ["plan", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_day__gte=1) & Q(due_day__lte=31),
                name="reporting_cycle_due_day_range",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reporting_cycle_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weight_achievement__gte=0)
                & Q(weight_completeness__gte=0)
                & Q(weight_timeliness__gte=0),
                name="reporting_cycle_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}：{self.name}"

    # --- the rule applied to a period ------------------------------------------------------

    def period(self, key: str) -> Period:
        """The period named by `key`, which must be of this cycle's frequency."""
        period = Period.parse(key)
        if period.frequency != self.frequency:
            raise ValueError(f"“{key}”不是{self.get_frequency_display()}的填报期间")
        return period

    def due_date(self, period: Period) -> datetime.date:
        if self.due_rule == DueRule.DAYS_AFTER:
            day = period.end + datetime.timedelta(days=self.days_after)
        else:
            day = month_day(period.year, period.last_month, self.due_day)
        return next_workday(day) if self.next_workday else day

    def due_at(self, period: Period) -> datetime.datetime:
        """The end of the due day, Asia/Shanghai."""
        return end_of_day(self.due_date(period))

    def opens_on(self, period: Period) -> datetime.date:
        if self.window_days is None:
            return period.start
        return self.due_date(period) - datetime.timedelta(days=self.window_days)

    def locks_at(self, period: Period) -> datetime.datetime | None:
        if self.lock_after_days is None:
            return None
        return end_of_day(self.due_date(period) + datetime.timedelta(days=self.lock_after_days))

    def months(self) -> int:
        return MONTHS[Frequency(self.frequency)]


class Reopening(models.Model):
    """One unit × one period of a cycle opened again after its lock, until a moment."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name="填报周期", on_delete=models.CASCADE, related_name="reopenings"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="reopenings"
    )
    period = models.CharField("填报期间", max_length=7)
    reason = models.CharField("原因", max_length=500)
    until = models.DateTimeField("开放至")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("操作时间", auto_now_add=True)

    class Meta:
        verbose_name = "重新开放"
        verbose_name_plural = "重新开放"
        ordering = ["-at"]
        indexes = [models.Index(fields=["cycle", "organization", "period"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.period}"
