"""Officials, their posts and the leaders' division of work (领导分工)."""

from __future__ import annotations

from django.db import models

from weijian.orgs.models.places import Organization, Region
from weijian.orgs.models.structure import Department


class Person(models.Model):
    """A named official. Officials' names and posts are public information."""

    name = models.CharField("姓名", max_length=50)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A person's position in an organization over a period: titles such as 党组书记、局长,
    a 职级 such as 一级主任科员, and the order in which leaders are listed."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="posts"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="posts"
    )
    department = models.ForeignKey(
        Department, verbose_name="内设机构", null=True, blank=True, on_delete=models.SET_NULL
    )
    titles = models.JSONField("职务", default=list, blank=True)
    grade = models.CharField("职级", max_length=30, blank=True, help_text="如：一级主任科员")
    is_leader = models.BooleanField("领导班子成员", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    start_on = models.DateField("任职日期", null=True, blank=True)
    end_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["organization", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(start_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="post_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{'、'.join(self.titles)}）"

    @property
    def title_text(self) -> str:
        return "、".join(self.titles)

    @property
    def is_current(self) -> bool:
        return self.end_on is None


class LeaderAssignment(models.Model):
    """What one leader is responsible for: 负责 text, 分管科室, 协助分管, 联系单位, 联系点.
    Names that could not be resolved to registry records are kept as written."""

    post = models.OneToOneField(
        Post, verbose_name="任职", on_delete=models.CASCADE, related_name="assignment"
    )
    responsibilities = models.TextField("负责工作", blank=True)
    supervised_departments = models.ManyToManyField(
        Department, verbose_name="分管科室", blank=True, related_name="supervisors"
    )
    assisted_departments = models.ManyToManyField(
        Department, verbose_name="协助分管科室", blank=True, related_name="assistant_supervisors"
    )
    liaison_organizations = models.ManyToManyField(
        Organization, verbose_name="联系单位", blank=True, related_name="liaison_leaders"
    )
    liaison_regions = models.ManyToManyField(
        Region, verbose_name="联系点", blank=True, related_name="liaison_leaders"
    )
    unresolved = models.JSONField(
        "未能匹配的名称", default=dict, blank=True, help_text="按类别保存原文中未能匹配的名称"
    )

    class Meta:
        verbose_name = "领导分工"
        verbose_name_plural = "领导分工"

    def __str__(self) -> str:
        return f"{self.post.person.name}的分工"
