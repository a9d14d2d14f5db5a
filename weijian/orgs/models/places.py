"""Regions and organizations: the tree every record hangs from."""

from __future__ import annotations

from datetime import date

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
    # Details an agency profile carries (GLOSSARY: 加挂牌子, 机构规格).
    plates = models.JSONField("加挂牌子", default=list, blank=True)
    rank = models.CharField("机构规格", max_length=20, blank=True, help_text="如：正科级、副处级")
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    website = models.URLField("网站", blank=True)
    opened_on = models.DateField("成立日期", null=True, blank=True)
    closed_on = models.DateField("撤销日期", null=True, blank=True)
    publishes = models.BooleanField(
        "在门户公开机构信息",
        default=False,
        help_text="公开后，门户网站展示机构概况、内设机构、领导分工和办公时间",
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(opened_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="org_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def segment(self) -> str:
        return f"{self.pk:0{PATH_SEGMENT_WIDTH}d}{PATH_SEPARATOR}"

    def is_open_on(self, day: date) -> bool:
        """Whether the body existed on `day` (opened and not yet closed)."""
        if self.opened_on and day < self.opened_on:
            return False
        return not (self.closed_on and day >= self.closed_on)

    def is_within(self, other: Organization) -> bool:
        """True when this organization is `other` or lies below it."""
        return self.path.startswith(other.path)
