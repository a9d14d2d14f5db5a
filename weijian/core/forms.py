from __future__ import annotations

from typing import Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.core.audit import ACTION_LABELS
from weijian.core.models import WorkdayYear
from weijian.core.selectors import AuditFilter


def action_choices() -> list[tuple[str, str]]:
    return [("", "全部操作")] + sorted(ACTION_LABELS.items(), key=lambda item: item[0])


class AuditFilterForm(BootstrapMixin, forms.Form):
    start = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    username = forms.CharField(label="用户名", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False, choices=action_choices)
    success = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), ("1", "成功"), ("0", "失败")]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        success = {"1": True, "0": False}.get(data.get("success") or "")
        return AuditFilter(
            start=data.get("start"),
            end=data.get("end"),
            username=data.get("username", ""),
            action=data.get("action", ""),
            success=success,
        )


class WorkdayYearForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = WorkdayYear
        fields = ["year", "source"]


class WorkdayOverrideForm(BootstrapMixin, forms.Form):
    """One day's status; saving a day that already has an override replaces it."""

    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "放假（休息日）"), ("1", "调休上班（工作日）")],
        coerce=lambda value: value == "1",
    )
    name = forms.CharField(label="说明", max_length=100, help_text="如：春节、国庆节调休上班")
