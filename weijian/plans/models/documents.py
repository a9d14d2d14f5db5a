"""公文: an official document, with its 发文字号 parsed (core.docnumbers) into issuer code, year
and serial so that the same document is stored once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from weijian.orgs.models import Organization


class Disclosure(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class Document(models.Model):
    number = models.CharField("发文字号", max_length=100, blank=True, help_text="按原文")
    issuer_code = models.CharField("发文机关代字", max_length=50, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    serial = models.PositiveIntegerField("序号", null=True, blank=True)
    title = models.CharField("标题", max_length=300)
    issuer = models.ForeignKey(
        Organization,
        verbose_name="发文机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    signed_on = models.DateField("成文日期", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    index_number = models.CharField("索引号", max_length=100, blank=True)
    disclosure = models.CharField(
        "公开方式", max_length=20, choices=Disclosure.choices, default=Disclosure.PROACTIVE
    )
    body = models.TextField("正文", blank=True)
    attachments = models.JSONField(
        "附件", default=list, blank=True, help_text="附件标题，按原文顺序"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["-year", "issuer_code", "-serial", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="plans_document_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(serial__isnull=True) | ~Q(issuer_code=""),
                name="plans_document_number_has_issuer",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(published_on__gte=models.F("signed_on")),
                name="plans_document_published_after_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title
