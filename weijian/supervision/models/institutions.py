"""The institution registry (一户一档): every regulated body with its licence facts."""

from __future__ import annotations

from django.db import models

from weijian.core.identifiers import uscc_validator
from weijian.orgs.models import Organization, Region
from weijian.supervision.identifiers import license_number_validator


class InstitutionCategory(models.TextChoices):
    HOSPITAL = "hospital", "医院"
    PRIMARY_CARE = "primary_care", "基层医疗卫生机构"
    PUBLIC_HEALTH = "public_health", "专业公共卫生机构"
    OTHER = "other", "其他"


# Sub-categories per category, as written on licences (医疗机构类别).
SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    InstitutionCategory.HOSPITAL: (
        "综合医院",
        "中医医院",
        "中西医结合医院",
        "民族医院",
        "专科医院",
        "康复医院",
        "护理院",
    ),
    InstitutionCategory.PRIMARY_CARE: (
        "社区卫生服务中心",
        "社区卫生服务站",
        "乡镇卫生院",
        "村卫生室",
        "门诊部",
        "诊所",
        "医务室",
    ),
    InstitutionCategory.PUBLIC_HEALTH: (
        "疾病预防控制中心",
        "妇幼保健院",
        "专科疾病防治机构",
        "急救中心",
        "采供血机构",
        "健康教育机构",
    ),
    InstitutionCategory.OTHER: (
        "医学检验实验室",
        "医学影像诊断中心",
        "血液透析中心",
        "安宁疗护中心",
        "其他",
    ),
}


class Ownership(models.TextChoices):
    PUBLIC = "public", "公立"
    PRIVATE = "private", "民营"


class HospitalLevel(models.TextChoices):
    LEVEL_3 = "3", "三级"
    LEVEL_2 = "2", "二级"
    LEVEL_1 = "1", "一级"
    UNRATED = "0", "未定级"


class HospitalGrade(models.TextChoices):
    A = "A", "甲等"
    B = "B", "乙等"
    C = "C", "丙等"
    UNGRADED = "", "未定等"


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", "正常执业"
    SUSPENDED = "suspended", "停业"
    CLOSED = "closed", "注销"


class RiskGrade(models.TextChoices):
    """The risk grade a draw may weight by (RULES.md: complaints, violations, poor credit)."""

    LOW = "low", "低风险"
    MEDIUM = "medium", "中风险"
    HIGH = "high", "高风险"


# Beds from which the licence check (校验) runs every 3 years instead of every year.
LICENSE_CHECK_BEDS = 100


class Institution(models.Model):
    name = models.CharField("机构名称", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[uscc_validator]
    )
    license_number = models.CharField(
        "执业许可证登记号", max_length=22, blank=True, validators=[license_number_validator]
    )
    category = models.CharField("机构类别", max_length=20, choices=InstitutionCategory.choices)
    subcategory = models.CharField("机构子类", max_length=20, blank=True)
    ownership = models.CharField("举办性质", max_length=10, choices=Ownership.choices)
    for_profit = models.BooleanField("营利性", default=False)
    level = models.CharField(
        "级别", max_length=1, choices=HospitalLevel.choices, default=HospitalLevel.UNRATED
    )
    grade = models.CharField(
        "等次", max_length=1, choices=HospitalGrade.choices, blank=True, default=""
    )
    beds = models.PositiveIntegerField("核定床位", default=0)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=200, blank=True)
    license_valid_from = models.DateField("许可证有效期起", null=True, blank=True)
    license_valid_until = models.DateField("许可证有效期至", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=InstitutionStatus.choices, default=InstitutionStatus.ACTIVE
    )
    risk_grade = models.CharField(
        "风险等级", max_length=10, choices=RiskGrade.choices, default=RiskGrade.LOW
    )
    # The health authority that supervises it: every read is scoped through this organization.
    supervisor = models.ForeignKey(
        Organization,
        verbose_name="监管单位",
        on_delete=models.PROTECT,
        related_name="supervised_institutions",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "医疗卫生机构"
        verbose_name_plural = "医疗卫生机构"
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["license_number"],
                condition=~models.Q(license_number=""),
                name="supervision_institution_license_unique",
            )
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="supervision_inst_region"),
            models.Index(fields=["supervisor", "category"], name="supervision_inst_supervisor"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def license_check_years(self) -> int:
        """The licence-check (校验) cycle: 1 year under 100 beds, 3 years from 100."""
        return 3 if self.beds >= LICENSE_CHECK_BEDS else 1

    @property
    def level_grade(self) -> str:
        """三级甲等, 二级, 未定级 …"""
        if self.level == HospitalLevel.UNRATED:
            return HospitalLevel.UNRATED.label
        return self.get_level_display() + (self.get_grade_display() if self.grade else "")
