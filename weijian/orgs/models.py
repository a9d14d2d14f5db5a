"""Regions and organizations: the tree every record hangs from."""

from __future__ import annotations

from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "地级"
    COUNTY = 3, "县级"
    TOWNSHIP = 4, "乡级"


class Region(models.Model):
    """An administrative division with its GB/T 2260 code (9 digits for 乡镇/街道)."""

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    HEALTH_AUTHORITY = "health_authority", "卫生健康行政部门"
    GOVERNMENT = "government", "人民政府"
    GOVERNMENT_DEPARTMENT = "government_department", "政府部门"
    PUBLIC_HEALTH = "public_health", "专业公共卫生机构"
    HOSPITAL = "hospital", "医疗机构"
    PRIMARY_CARE = "primary_care", "基层医疗卫生机构"
    OTHER = "other", "其他"


PATH_SEGMENT_WIDTH = 8
PATH_SEPARATOR = "/"


class Organization(models.Model):
    """Any body that takes part in governance. `path` is the materialised path of primary keys
    from the root, e.g. ``00000001/00000004/``, so a subtree is one indexed prefix query."""

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=32, choices=OrganizationKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", null=True, blank=True, on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def segment(self) -> str:
        return f"{self.pk:0{PATH_SEGMENT_WIDTH}d}{PATH_SEPARATOR}"

    def is_within(self, other: Organization) -> bool:
        """True when this organization is `other` or lies below it."""
        return self.path.startswith(other.path)
