"""Leading groups, joint meetings and task groups, with their members and offices."""

from __future__ import annotations

from django.db import models

from weijian.orgs.models.people import Person
from weijian.orgs.models.places import Organization


class CommitteeKind(models.TextChoices):
    LEADING_GROUP = "领导小组", "领导小组"
    JOINT_MEETING = "联席会议", "联席会议"
    TASK_GROUP = "工作推进组", "工作推进组"
    OFFICE = "办公室", "办公室"


class Committee(models.Model):
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=10, choices=CommitteeKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subgroups",
    )
    host = models.ForeignKey(
        Organization, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="committees"
    )
    office_location = models.CharField("办公室设在", max_length=200, blank=True)
    duties = models.TextField("职责", blank=True)
    meeting_rule = models.CharField("会议制度", max_length=100, blank=True, help_text="如：每月1次")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "议事协调机构"
        verbose_name_plural = "议事协调机构"
        ordering = ["host", "parent_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "parent", "name"], name="committee_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "组长", "组长"
    CONVENER = "召集人", "召集人"
    DEPUTY = "副组长", "副组长"
    DEPUTY_CONVENER = "副召集人", "副召集人"
    MEMBER = "成员", "成员"
    MEMBER_ORGANIZATION = "成员单位", "成员单位"
    OFFICE_DIRECTOR = "办公室主任", "办公室主任"
    OFFICE_DEPUTY = "办公室副主任", "办公室副主任"


class CommitteeMember(models.Model):
    """A person on a committee (name, post as written, organization), or a member organization
    with its liaison person. Names are kept as written; links are set where they resolve."""

    committee = models.ForeignKey(
        Committee, verbose_name="议事协调机构", on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField("身份", max_length=10, choices=MemberRole.choices)
    person_name = models.CharField("姓名", max_length=50, blank=True)
    person = models.ForeignKey(
        Person, verbose_name="人员", null=True, blank=True, on_delete=models.SET_NULL
    )
    post_text = models.CharField("职务（原文）", max_length=200, blank=True)
    organization_name = models.CharField("单位（原文）", max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="单位", null=True, blank=True, on_delete=models.SET_NULL
    )
    liaison_name = models.CharField("联络员", max_length=50, blank=True)
    liaison_post = models.CharField("联络员职务", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        ordering = ["committee", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person_name="", organization_name="", post_text=""),
                name="committee_member_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.person_name or self.organization_name}"
