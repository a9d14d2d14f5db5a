"""Names documents use for units: aliases of one organization (valid for a period, as bodies
are renamed and merged) and collective wordings that stand for a set of organizations."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q

from weijian.orgs.models import Organization


class OrganizationAlias(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("别名", max_length=200, help_text="如：市卫计委")
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["name", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "valid_from"],
                name="plans_alias_unique_name_start",
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(valid_from__isnull=True),
                name="plans_alias_unique_name_open_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="plans_alias_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.organization}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class CollectiveUnit(models.Model):
    name = models.CharField("名称", max_length=200, unique=True, help_text="如：各县（区）人民政府")
    members = models.ManyToManyField(
        Organization, verbose_name="包含单位", related_name="collectives", blank=True
    )

    class Meta:
        verbose_name = "泛指单位"
        verbose_name_plural = "泛指单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
