"""The form of the monthly notice's editable parts; services.bulletin keeps the rules (the 文号's
format, a title required) with Chinese messages on the field."""

from __future__ import annotations

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.reporting.models import Bulletin


class BulletinForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="标题", required=False, max_length=200)
    number = forms.CharField(
        label="文号", required=False, max_length=100, help_text="如：萍卫通〔2024〕5号；可不填"
    )
    narrative = forms.CharField(
        label="总体情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写在统计数字之后；每段一行",
    )
    cc = forms.CharField(
        label="抄送",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个单位或职务，如：市委办公室",
    )

    @classmethod
    def initial_from(cls, bulletin: Bulletin) -> dict[str, str]:
        return {name: getattr(bulletin, name) for name in ("title", "number", "narrative", "cc")}
