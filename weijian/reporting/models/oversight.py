"""What follows the reports: the monthly notice (通报), accountability for late tasks (问责),
supervision visits (督导) and their findings, meetings of a committee with agenda items,
decisions and follow-up actions, and the year-end commendation and sanction proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from weijian.orgs.models import Committee, Organization
from weijian.plans.models import Plan, Task
from weijian.reporting.models.cycles import ReportingCycle

USER = settings.AUTH_USER_MODEL


class Bulletin(models.Model):
    """The notice of one cycle × period: the editable parts (the figures are computed)."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name="填报周期", on_delete=models.CASCADE, related_name="bulletins"
    )
    period = models.CharField("填报期间", max_length=7)
    title = models.CharField("标题", max_length=200, blank=True)
    number = models.CharField("文号", max_length=100, blank=True)
    narrative = models.TextField("总体情况", blank=True)
    cc = models.TextField("抄送", blank=True, help_text="每行一个单位或职务")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        USER,
        verbose_name="编辑人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "period"], name="reporting_bulletin_once")
        ]

    def __str__(self) -> str:
        return self.title or f"{self.cycle} {self.period}"


class AccountabilityStatus(models.TextChoices):
    OPEN = "open", "待说明"
    EXPLAINED = "explained", "已说明"
    CLOSED = "closed", "已办结"
    ESCALATED = "escalated", "已提交会议"


class Accountability(models.Model):
    """A task past its due date and not complete: the lead unit explains and sets a new date."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="accountabilities"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        ReportingCycle,
        verbose_name="填报周期",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountabilities",
    )
    period = models.CharField("发现期间", max_length=7, blank=True)
    due_on = models.DateField("原完成时限")
    misses = models.PositiveSmallIntegerField("逾期次数", default=1)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=AccountabilityStatus.choices,
        default=AccountabilityStatus.OPEN,
    )
    explanation = models.TextField("原因说明", blank=True)
    new_due_on = models.DateField("延期完成时限", null=True, blank=True)
    decision = models.TextField("处理意见", blank=True)
    agenda_item = models.ForeignKey(
        "AgendaItem",
        verbose_name="会议议题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountabilities",
    )
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "问责"
        verbose_name_plural = "问责"
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["task", "organization"], name="reporting_acc_task_org")]

    def __str__(self) -> str:
        return f"{self.organization} {self.task}"


class SupervisionVisit(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="被督导单位", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        Organization, verbose_name="督导单位", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name="方案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    visited_on = models.DateField("督导日期")
    team = models.CharField("督导组成员", max_length=300, blank=True)
    purpose = models.CharField("督导事项", max_length=300)
    summary = models.TextField("总体情况", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "督导"
        verbose_name_plural = "督导"
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.organization}"


class VisitFinding(models.Model):
    visit = models.ForeignKey(
        SupervisionVisit, verbose_name="督导", on_delete=models.CASCADE, related_name="findings"
    )
    text = models.TextField("发现的问题")
    task = models.ForeignKey(
        Task,
        verbose_name="相关任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rectify_by = models.DateField("整改时限", null=True, blank=True)
    rectified = models.BooleanField("已整改", default=False)
    agenda_item = models.ForeignKey(
        "AgendaItem",
        verbose_name="会议议题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )

    class Meta:
        verbose_name = "督导发现"
        verbose_name_plural = "督导发现"
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name="议事协调机构", on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    location = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=100, blank=True)
    attendees = models.TextField("参会人员", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name="议定事项任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text="会议决定的后续工作记为此方案中的任务",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class AgendaSource(models.TextChoices):
    WRITTEN = "written", "直接提出"
    VISIT = "visit", "督导发现"
    ACCOUNTABILITY = "accountability", "问责"


class AgendaItem(models.Model):
    """An item for a committee's meeting; without a meeting it waits for the next one."""

    committee = models.ForeignKey(
        Committee, verbose_name="议事协调机构", on_delete=models.CASCADE, related_name="agenda"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    source = models.CharField(
        "来源", max_length=20, choices=AgendaSource.choices, default=AgendaSource.WRITTEN
    )
    title = models.CharField("议题", max_length=300)
    description = models.TextField("说明", blank=True)
    decision = models.TextField("会议决定", blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议议题"
        verbose_name_plural = "会议议题"
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """A follow-up action decided on an agenda item: a task with an owner and a deadline."""

    item = models.ForeignKey(
        AgendaItem, verbose_name="议题", on_delete=models.CASCADE, related_name="follow_ups"
    )
    task = models.OneToOneField(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="follow_up"
    )

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"

    def __str__(self) -> str:
        return str(self.task)


class ProposalKind(models.TextChoices):
    COMMEND = "commend", "拟表扬"
    SANCTION = "sanction", "拟通报批评"


class YearEndProposal(models.Model):
    """A proposed commendation or sanction from the year's record, for people to edit."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name="填报周期", on_delete=models.CASCADE, related_name="proposals"
    )
    year = models.PositiveSmallIntegerField("年度")
    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("类别", max_length=20, choices=ProposalKind.choices)
    score = models.FloatField("年度得分", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    included = models.BooleanField("列入名单", default=True)
    updated_by = models.ForeignKey(
        USER,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "年终奖惩建议"
        verbose_name_plural = "年终奖惩建议"
        ordering = ["cycle", "year", "kind", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "year", "organization"], name="reporting_proposal_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organization} {self.get_kind_display()}"
