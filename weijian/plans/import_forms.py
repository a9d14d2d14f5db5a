"""Forms of the plan upload page: the file, then the preview where the user links unit names
to organizations, fixes the units of the tasks to check and the targets, before confirming."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization
from weijian.plans import preview
from weijian.plans.importers.files import unsupported
from weijian.plans.models import Comparator

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UNIT_SPLIT = re.compile(r"[、，,；;\n]+")
KEEP = ""  # the unit choice "keep the name as written, link no organization"
ROLE_LABELS = {"lead": "牵头单位", "partners": "配合单位", "responsible": "责任单位"}
TARGET_KEYS = ("indicator", "comparator", "value", "value_max", "unit", "year")


class PlanUploadForm(BootstrapMixin, forms.Form):
    document = forms.FileField(
        label="文件",
        help_text="分工方案、实施方案等公文（.txt 或 .docx），或任务分工表（.xlsx），不超过10MB",
    )
    owner: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label="方案责任单位", queryset=Organization.objects.none()
    )
    title = forms.CharField(
        label="方案标题", max_length=300, required=False, help_text="不填则取文中标题"
    )
    year = forms.IntegerField(
        label="发文年份",
        required=False,
        min_value=1949,
        max_value=2100,
        help_text="不填则取文号或落款中的年份；“5年内”等相对时间按此推算",
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organizations  # type: ignore[attr-defined]

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        problem = unsupported(Path(document.name).suffix)
        if problem is not None:
            raise forms.ValidationError(problem)
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过10MB")
        return document


def split_units(value: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in UNIT_SPLIT.split(value or "") if p.strip()))


class PlanPreviewForm(BootstrapMixin, forms.Form):
    """Fields: the plan's title and year; per unit name a choice of organization (or keep as
    written) and a box for another organization's full name; per task to check its units; per
    target its parts and whether to keep it."""

    title = forms.CharField(label="方案标题", max_length=300)
    year = forms.IntegerField(label="发文年份", required=False, min_value=1949, max_value=2100)

    def __init__(
        self,
        *args: Any,
        parsed: Mapping[str, Any],
        units: Sequence[Mapping[str, Any]],
        organizations: Sequence[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.parsed = parsed
        self.units = units
        self.organizations = organizations
        self.tasks = list(preview.walk(parsed.get("tasks") or []))
        self.reviewed = preview.review_indexes(parsed)
        header = parsed.get("plan") or {}
        self.fields["title"].initial = header.get("title") or ""
        self.fields["year"].initial = header.get("year")
        for index, unit in enumerate(units):
            if unit["via"] != "collective":
                self._unit_fields(index, unit)
        for index in self.reviewed:
            for key, label in ROLE_LABELS.items():
                self.fields[f"task{index}_{key}"] = forms.CharField(
                    label=label,
                    required=False,
                    initial="、".join(self.tasks[index][key]),
                    max_length=2000,
                )
        for index, position, target in self.target_items():
            self._target_fields(f"tg{index}_{position}", target)

    def _unit_fields(self, index: int, unit: Mapping[str, Any]) -> None:
        choices = [(KEEP, "按原文保存，不关联单位")]
        choices += [(str(pk), f"{name}（{score:.0%}）") for pk, name, score in unit["candidates"]]
        suggested = unit.get("suggested")
        self.fields[f"unit{index}"] = forms.ChoiceField(
            label=unit["name"],
            choices=choices,
            required=False,
            initial=str(suggested) if suggested else KEEP,
        )
        self.fields[f"unit{index}_other"] = forms.CharField(
            label="或输入单位全称", required=False, max_length=200
        )

    def _target_fields(self, prefix: str, target: Mapping[str, Any]) -> None:
        self.fields[f"{prefix}_keep"] = forms.BooleanField(
            label="保留", required=False, initial=True
        )
        self.fields[f"{prefix}_indicator"] = forms.CharField(
            label="指标", max_length=200, initial=target.get("indicator") or target.get("text")
        )
        self.fields[f"{prefix}_comparator"] = forms.ChoiceField(
            label="比较", choices=Comparator.choices, initial=target.get("comparator") or "="
        )
        self.fields[f"{prefix}_value"] = forms.FloatField(
            label="目标值", initial=target.get("value")
        )
        self.fields[f"{prefix}_value_max"] = forms.FloatField(
            label="上限", required=False, initial=target.get("value_max")
        )
        self.fields[f"{prefix}_unit"] = forms.CharField(
            label="单位", max_length=20, required=False, initial=target.get("unit") or ""
        )
        self.fields[f"{prefix}_year"] = forms.IntegerField(
            label="年份", required=False, min_value=1949, max_value=2100, initial=target.get("year")
        )

    # --- what the template iterates ----------------------------------------------------

    def target_items(self) -> list[tuple[int, int, Mapping[str, Any]]]:
        return [
            (index, position, target)
            for index, task in enumerate(self.tasks)
            for position, target in enumerate(task.get("targets") or [])
        ]

    def unit_table(self) -> list[dict[str, Any]]:
        rows = []
        for index, unit in enumerate(self.units):
            row: dict[str, Any] = {"unit": unit}
            if unit["via"] != "collective":
                row["choice"] = self[f"unit{index}"]
                row["other"] = self[f"unit{index}_other"]
            rows.append(row)
        return rows

    def review_table(self) -> list[dict[str, Any]]:
        return [
            {
                "task": self.tasks[index],
                "fields": [self[f"task{index}_{key}"] for key in ROLE_LABELS],
            }
            for index in self.reviewed
        ]

    def target_table(self) -> list[dict[str, Any]]:
        return [
            {
                "task": self.tasks[index],
                "target": target,
                "keep": self[f"tg{index}_{position}_keep"],
                "fields": [self[f"tg{index}_{position}_{key}"] for key in TARGET_KEYS],
            }
            for index, position, target in self.target_items()
        ]

    # --- validation and the result ----------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index, unit in enumerate(self.units):
            other = (data.get(f"unit{index}_other") or "").strip()
            if unit["via"] == "collective" or not other:
                continue
            if preview.find_by_name(other, self.organizations) is None:
                self.add_error(
                    f"unit{index}_other", f"未找到名为“{other}”的单位（单位“{unit['name']}”）"
                )
        for index, position, _ in self.target_items():
            prefix = f"tg{index}_{position}"
            low, high = data.get(f"{prefix}_value"), data.get(f"{prefix}_value_max")
            if low is not None and high is not None and high < low:
                self.add_error(f"{prefix}_value_max", "上限不能小于目标值")
        return data

    def links(self) -> dict[str, int | None]:
        """Unit name → the organization chosen for it (None: keep as written)."""
        data, result = self.cleaned_data, {}
        for index, unit in enumerate(self.units):
            if unit["via"] == "collective":
                continue
            other = (data.get(f"unit{index}_other") or "").strip()
            found = preview.find_by_name(other, self.organizations) if other else None
            choice = data.get(f"unit{index}") or KEEP
            result[unit["name"]] = found.pk if found else (int(choice) if choice else None)
        return result

    def corrected(self) -> dict[str, Any]:
        data = self.cleaned_data
        task_units = {
            index: {key: split_units(data[f"task{index}_{key}"]) for key in ROLE_LABELS}
            for index in self.reviewed
        }
        targets: dict[tuple[int, int], dict[str, Any] | None] = {}
        for index, position, _ in self.target_items():
            prefix = f"tg{index}_{position}"
            if not data[f"{prefix}_keep"]:
                targets[(index, position)] = None
                continue
            targets[(index, position)] = {key: data[f"{prefix}_{key}"] for key in TARGET_KEYS}
        header = {"title": data["title"], "year": data.get("year")}
        return preview.corrected(self.parsed, header=header, task_units=task_units, targets=targets)
