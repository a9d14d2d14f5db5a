"""Office hours by season (春夏 / 秋冬), morning and afternoon sessions."""

from __future__ import annotations

from django.db import models

from weijian.orgs.models.places import Organization


class OfficeHours(models.Model):
    """One season's schedule. A season runs from one month-day to another (it may wrap the
    year end); without dates it applies all year. Statutory holidays and 调休 working days come
    from core.workdays."""

    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="office_hours"
    )
    season = models.CharField("时段名称", max_length=20, help_text="如：春夏、秋冬、全年")
    start_month = models.PositiveSmallIntegerField("起始月", null=True, blank=True)
    start_day = models.PositiveSmallIntegerField("起始日", null=True, blank=True)
    end_month = models.PositiveSmallIntegerField("截止月", null=True, blank=True)
    end_day = models.PositiveSmallIntegerField("截止日", null=True, blank=True)
    morning_start = models.TimeField("上午开始")
    morning_end = models.TimeField("上午结束")
    afternoon_start = models.TimeField("下午开始", null=True, blank=True)
    afternoon_end = models.TimeField("下午结束", null=True, blank=True)

    class Meta:
        verbose_name = "办公时间"
        verbose_name_plural = "办公时间"
        ordering = ["organization", "start_month", "start_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_end__gt=models.F("morning_start")),
                name="office_hours_morning_order",
            ),
            models.CheckConstraint(
                condition=models.Q(afternoon_start__isnull=True)
                | models.Q(afternoon_start__gte=models.F("morning_end")),
                name="office_hours_afternoon_after_morning",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.season}"
