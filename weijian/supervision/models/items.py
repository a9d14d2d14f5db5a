"""The inspection item list (抽查事项清单): no inspection without an item and its legal basis."""

from __future__ import annotations

from django.db import models

from weijian.orgs.models import Organization


class InspectionItem(models.Model):
    owner = models.ForeignKey(
        Organization,
        verbose_name="制定单位",
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )
    code = models.CharField("事项编号", max_length=30, blank=True)
    name = models.CharField("事项名称", max_length=200)
    sub_item = models.CharField("子项", max_length=200, blank=True)
    basis = models.TextField("抽查依据")
    subject = models.CharField("抽查主体", max_length=200)
    object_scope = models.CharField("抽查对象", max_length=200)
    ratio = models.CharField("抽查比例", max_length=100, help_text="如：不低于5%")
    frequency = models.CharField("抽查频次", max_length=100, help_text="如：每年不少于2次")
    method = models.CharField("抽查方式", max_length=100, help_text="如：现场检查、书面检查")
    inspector_requirements = models.CharField(
        "检查人员要求", max_length=200, help_text="如：不少于2名持有执法证的执法人员"
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项"
        ordering = ["owner_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.sub_item}）" if self.sub_item else self.name


class CheckPoint(models.Model):
    """One line of an item's checklist (检查要点), with its legal basis."""

    item = models.ForeignKey(
        InspectionItem,
        verbose_name="抽查事项",
        on_delete=models.CASCADE,
        related_name="checkpoints",
    )
    order = models.PositiveIntegerField("序号", default=0)
    content = models.CharField("检查内容", max_length=300)
    basis = models.CharField("法律依据", max_length=300)

    class Meta:
        verbose_name = "检查要点"
        verbose_name_plural = "检查要点"
        ordering = ["item_id", "order", "id"]

    def __str__(self) -> str:
        return self.content
