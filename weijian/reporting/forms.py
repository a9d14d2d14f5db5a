"""Forms of the unit's report page: one form per task (prefixed with the report's id, so that
all tasks sit in one page form), an attachment, and the Excel upload."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.plans.models import Target
from weijian.reporting.models import ProgressReport, TaskStatus
from weijian.reporting.selectors import target_text
from weijian.reporting.services.submission import TEXT_FIELDS, Draft

MAX_EXCEL_BYTES = 5 * 1024 * 1024
NUMBER_ERRORS = {"invalid": "请输入数字"}
PERCENT_ERRORS = {
    "invalid": "请输入0到100之间的整数",
    "min_value": "完成比例不能小于0",
    "max_value": "完成比例不能大于100",
}


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(BootstrapMixin, forms.Form):
    """One task of the unit's report; a number field per target of the task (`t<target pk>`)."""

    task_status = forms.ChoiceField(
        label="任务状态", choices=[("", "请选择"), *TaskStatus.choices], required=False
    )
    percent = forms.IntegerField(
        label="完成比例（%）",
        min_value=0,
        max_value=100,
        required=False,
        error_messages=PERCENT_ERRORS,
    )
    progress = _text("工作进展")
    shortfall_reason = _text("未完成原因", "任务滞后或指标未达到目标时必填")
    difficulties = _text("困难和问题")
    next_steps = _text("下步打算")

    def __init__(
        self,
        data: Any = None,
        *,
        report: ProgressReport,
        targets: Sequence[Target],
        **kwargs: Any,
    ) -> None:
        values = {value.target_id: value.value for value in report.values.all()}
        initial = {
            "task_status": report.task_status,
            "percent": report.percent,
            **{name: getattr(report, name) for name in TEXT_FIELDS},
            **{f"t{target.pk}": values.get(target.pk) for target in targets},
        }
        super().__init__(data, prefix=f"r{report.pk}", initial=initial, **kwargs)
        self.report = report
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"t{target.pk}"] = forms.FloatField(
                label=target.indicator.name,
                required=False,
                help_text=f"目标：{target_text(target)}",
                error_messages=NUMBER_ERRORS,
                widget=forms.NumberInput(attrs={"step": "any", "class": "form-control"}),
            )
        for bound in self.fields.values():
            bound.widget.attrs.setdefault("autocomplete", "off")

    def target_fields(self) -> list[tuple[Target, forms.BoundField]]:
        return [(target, self[f"t{target.pk}"]) for target in self.targets]

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TEXT_FIELDS]

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            task_status=data["task_status"],
            percent=data["percent"],
            **{name: data[name] for name in TEXT_FIELDS},
            values={target.pk: data[f"t{target.pk}"] for target in self.targets},
        )

    def messages(self) -> list[str]:
        """The form's errors as sentences naming the task and the field."""
        task = f"任务“{self.report.task}”"
        return [
            f"{task}的{self.fields[name].label}：{error}"
            for name, errors in self.errors.items()
            for error in errors
        ]


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件", error_messages={"required": "请选择要上传的文件"})


class ExcelUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Excel文件",
        help_text="请使用本页下载的模板（.xlsx），不超过5MB",
        error_messages={"required": "请选择要上传的文件"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() != ".xlsx":
            raise forms.ValidationError("请上传 .xlsx 格式的Excel文件（可先下载本期模板）")
        if upload.size > MAX_EXCEL_BYTES:
            raise forms.ValidationError("文件超过5MB")
        return upload
