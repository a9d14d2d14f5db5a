"""Sampling plans (抽查计划) and their draws (抽取). A draw stores its pool snapshot, rules and
seed so that it can be re-run and audited; a redraw is a new row with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.orgs.models import Organization, Region
from weijian.supervision.models.items import InspectionItem

USER = settings.AUTH_USER_MODEL


class PlanState(models.TextChoices):
    PENDING = "pending", "待抽取"
    DRAWN = "drawn", "已抽取"
    INSPECTING = "inspecting", "检查中"
    COMPLETED = "completed", "已完成"
    PUBLISHED = "published", "已公示"


def default_risk_weights() -> dict[str, float]:
    return {"low": 1.0, "medium": 2.0, "high": 4.0}


class SamplingPlan(models.Model):
    owner = models.ForeignKey(
        Organization,
        verbose_name="实施单位",
        on_delete=models.PROTECT,
        related_name="sampling_plans",
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    item = models.ForeignKey(
        InspectionItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="plans"
    )
    # Scope: empty means "any".
    regions = models.ManyToManyField(
        Region, verbose_name="抽查区域", blank=True, related_name="sampling_plans"
    )
    categories = models.JSONField("机构类别", default=list, blank=True)
    levels = models.JSONField("级别", default=list, blank=True)
    ownerships = models.JSONField("举办性质", default=list, blank=True)
    # Exactly one of object_count / object_ratio.
    object_count = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    object_ratio = models.DecimalField(
        "抽取比例", max_digits=5, decimal_places=4, null=True, blank=True, help_text="如0.05即5%"
    )
    group_size = models.PositiveSmallIntegerField("每组执法人员数", default=2)
    weighted = models.BooleanField("按风险等级加权", default=True)
    risk_weights = models.JSONField("风险权重", default=default_risk_weights)
    exclude_months = models.PositiveSmallIntegerField(
        "排除近N个月已检查的机构", default=0, help_text="0表示不排除"
    )
    avoid_previous_round = models.BooleanField("回避上一轮检查过的机构", default=True)
    witness = models.CharField("见证人", max_length=100, blank=True)
    planned_start = models.DateField("检查开始日期", null=True, blank=True)
    planned_end = models.DateField("检查结束日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=PlanState.choices, default=PlanState.PENDING
    )
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(object_count__isnull=True, object_ratio__isnull=False)
                | models.Q(object_count__isnull=False, object_ratio__isnull=True),
                name="supervision_plan_count_or_ratio",
            ),
            models.CheckConstraint(
                condition=models.Q(group_size__gte=2), name="supervision_plan_group_of_two"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def current_draw(self) -> Draw | None:
        return self.draws.filter(is_current=True).first()


class Draw(models.Model):
    """One draw of a plan. Never updated after it is made, except `is_current` on a redraw."""

    plan = models.ForeignKey(
        SamplingPlan, verbose_name="抽查计划", on_delete=models.CASCADE, related_name="draws"
    )
    number = models.PositiveSmallIntegerField("抽取次序")
    seed = models.BigIntegerField("随机种子")
    rules = models.JSONField("抽取规则")
    # {"institutions": [[key, name, weight], …], "inspectors": [{…}, …], "as_of": "YYYY-MM-DD"}
    snapshot = models.JSONField("抽取时的名录快照")
    snapshot_digest = models.CharField("快照摘要（SM3）", max_length=64)
    result = models.JSONField("抽取结果")
    witness = models.CharField("见证人", max_length=100, blank=True)
    reason = models.TextField("重新抽取原因", blank=True)
    is_current = models.BooleanField("当前有效", default=True)
    drawn_by = models.ForeignKey(
        USER, verbose_name="抽取人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间")

    class Meta:
        verbose_name = "抽取记录"
        verbose_name_plural = "抽取记录"
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="supervision_draw_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(is_current=True),
                name="supervision_draw_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}：第{self.number}次抽取"
