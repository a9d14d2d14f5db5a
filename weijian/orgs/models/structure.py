"""Inside an organization: departments, numbered duties, duty boundaries, staffing."""

from __future__ import annotations

from django.db import models

from weijian.orgs.models.places import Organization


class DepartmentKind(models.TextChoices):
    INTERNAL = "内设机构", "内设机构"
    PARTY = "机关党组织", "机关党组织"
    SECTION = "内设科室", "内设科室"


class Department(models.Model):
    """An internal unit. Its name and aliases (办公室 also called 人事科 …) are unique within the
    organization: the name by a constraint, the aliases by the service that writes them."""

    organization = models.ForeignKey(
        Organization, verbose_name="所属单位", on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField("名称", max_length=100)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField(
        "类别", max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.INTERNAL
    )
    duties = models.TextField("职责", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "内设机构"
        verbose_name_plural = "内设机构"
        ordering = ["organization", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class DutyKind(models.TextChoices):
    DUTY = "duty", "主要职责"
    TRANSFORMATION = "transformation", "职能转变"


class Duty(models.Model):
    """A numbered duty of an organization, or of one of its departments."""

    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="duties"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="内设机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="numbered_duties",
    )
    number = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类别", max_length=20, choices=DutyKind.choices, default=DutyKind.DUTY)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "职责"
        verbose_name_plural = "职责"
        ordering = ["organization", "department", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "number"],
                condition=models.Q(department__isnull=True),
                name="duty_unique_number_of_organization",
            ),
            models.UniqueConstraint(
                fields=["department", "kind", "number"],
                condition=models.Q(department__isnull=False),
                name="duty_unique_number_of_department",
            ),
        ]

    def __str__(self) -> str:
        return f"（{self.number}）{self.text[:30]}"


class DutyBoundary(models.Model):
    """How a duty is split with another organization (与XX的有关职责分工). The other body is
    kept as written and linked when it is in the registry."""

    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="duty_boundaries"
    )
    other_name = models.CharField("对方单位（原文）", max_length=200)
    other = models.ForeignKey(
        Organization,
        verbose_name="对方单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("分工内容")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "职责分工"
        verbose_name_plural = "职责分工"
        ordering = ["organization", "order", "id"]

    def __str__(self) -> str:
        return f"与{self.other_name}的职责分工"


class StaffingQuota(models.Model):
    """An organization's establishment (编制): administrative posts and leadership posts."""

    organization = models.OneToOneField(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="staffing"
    )
    administrative = models.PositiveSmallIntegerField("行政编制", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "编制"
        verbose_name_plural = "编制"

    def __str__(self) -> str:
        return f"{self.organization}的编制"


class StaffingPost(models.Model):
    """A title with its number of posts: 局长 1, 副局长 3, 科级领导 14."""

    quota = models.ForeignKey(
        StaffingQuota, verbose_name="编制", on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField("职务", max_length=50)
    count = models.PositiveSmallIntegerField("职数")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导职数"
        verbose_name_plural = "领导职数"
        ordering = ["quota", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quota", "title"], name="staffing_post_unique_title"),
        ]

    def __str__(self) -> str:
        return f"{self.title}{self.count}名"
