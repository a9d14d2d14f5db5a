"""Forms of the inspection pages: the group's record (facts and checklist), a photo, the
rectification follow-up, the list filter and the summary's year."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.supervision.models import (
    CheckOutcome,
    CheckPoint,
    Inspection,
    InspectionResult,
    InspectionState,
)
from weijian.supervision.services.inspections import CheckEntry, Record

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def outcome_field(name: str) -> str:
    return f"cp{name}_outcome"


def note_field(name: str) -> str:
    return f"cp{name}_note"


class RecordForm(BootstrapMixin, forms.Form):
    """The facts of the inspection, then one outcome and one note per check point."""

    inspected_on = forms.DateField(label="检查日期", required=False, widget=DATE)
    result = forms.ChoiceField(
        label="检查结果",
        required=False,
        choices=[("", "（请选择）"), *InspectionResult.choices],
    )
    rectification_deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    summary = forms.CharField(
        label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, inspection: Inspection, checkpoints: list[CheckPoint], **kwargs: Any
    ) -> None:
        self.checkpoints = checkpoints
        results = {r.check_point_id: r for r in inspection.checks.all()}
        kwargs.setdefault("initial", self._initial(inspection, results))
        super().__init__(*args, **kwargs)
        for cp in checkpoints:
            self.fields[outcome_field(str(cp.pk))] = forms.ChoiceField(
                label=cp.content,
                required=False,
                choices=CheckOutcome.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[note_field(str(cp.pk))] = forms.CharField(
                label="情况说明",
                required=False,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"}),
            )

    @staticmethod
    def _initial(inspection: Inspection, results: dict[int, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "inspected_on": inspection.inspected_on,
            "result": inspection.result,
            "rectification_deadline": inspection.rectification_deadline,
            "summary": inspection.summary,
        }
        for check_point_id, result in results.items():
            initial[outcome_field(str(check_point_id))] = result.outcome
            initial[note_field(str(check_point_id))] = result.note
        return initial

    def lines(self) -> list[tuple[CheckPoint, forms.BoundField, forms.BoundField]]:
        return [
            (cp, self[outcome_field(str(cp.pk))], self[note_field(str(cp.pk))])
            for cp in self.checkpoints
        ]

    def record(self) -> Record:
        data = self.cleaned_data
        return Record(
            inspected_on=data.get("inspected_on"),
            result=data.get("result") or "",
            summary=(data.get("summary") or "").strip(),
            rectification_deadline=data.get("rectification_deadline"),
            checks=[
                CheckEntry(
                    check_point_id=cp.pk,
                    outcome=data.get(outcome_field(str(cp.pk))) or "",
                    note=(data.get(note_field(str(cp.pk))) or "").strip(),
                )
                for cp in self.checkpoints
            ],
        )

    def messages(self) -> list[str]:
        found: list[str] = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            found.extend(f"{label}：{error}" if label else str(error) for error in errors)
        return found


class PhotoForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="照片",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": "请选择要上传的照片", "empty": "上传的文件是空的"},
    )
    check_point = forms.TypedChoiceField(label="对应检查要点", required=False, coerce=int)
    caption = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args: Any, checkpoints: list[CheckPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", "（整体）")]
        choices += [(cp.pk, f"{cp.order}. {cp.content}") for cp in checkpoints]
        cast(forms.TypedChoiceField, self.fields["check_point"]).choices = choices
        self.checkpoints = {cp.pk: cp for cp in checkpoints}

    def selected_check_point(self) -> CheckPoint | None:
        value = self.cleaned_data.get("check_point")
        return self.checkpoints.get(value) if value else None


class RectificationForm(BootstrapMixin, forms.Form):
    rectified_on = forms.DateField(
        label="整改完成日期",
        widget=DATE,
        error_messages={"required": "请填写整改完成日期", "invalid": "请输入有效的日期"},
    )
    note = forms.CharField(
        label="复查情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写整改复查情况"},
    )


class InspectionFilterForm(BootstrapMixin, forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *InspectionState.choices]
    )
    overdue = forms.BooleanField(label="仅显示逾期未公示", required=False)


class YearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
