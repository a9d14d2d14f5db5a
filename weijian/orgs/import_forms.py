"""Forms of the profile upload page: the file, then the preview where the user corrects the
extracted departments and leaders before confirming."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LIST_SPLIT = re.compile(r"[、，,；;\s]+")
SECTIONS = {
    "duties": "职责（含职能转变）",
    "boundaries": "职责分工",
    "staffing": "编制",
    "committees": "议事协调机构",
    "office_hours": "办公时间",
}


class ProfileUploadForm(BootstrapMixin, forms.Form):
    document = forms.FileField(
        label="文件", help_text="机构简介、领导分工通知或议事协调机构名单，.txt 或 .docx，不超过5MB"
    )
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label="导入到", queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        if not document.name.lower().endswith((".txt", ".docx")):
            raise forms.ValidationError("只支持 .txt 或 .docx 文件")
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过5MB")
        return document


def joined(values: list[str]) -> str:
    return "、".join(values)


def split(value: str) -> list[str]:
    return [item for item in LIST_SPLIT.split(value or "") if item]


class ProfilePreviewForm(BootstrapMixin, forms.Form):
    """One row of fields per department and per leader, and one switch per other section."""

    def __init__(self, *args: Any, profile: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        for index, department in enumerate(profile.get("departments", [])):
            self._row(
                f"dep{index}",
                department.get("name", ""),
                {"aliases": department.get("aliases", [])},
            )
        for index, leader in enumerate(profile.get("leaders", [])):
            lists = {key: leader.get(key, []) for key in LEADER_LISTS}
            self._row(f"lead{index}", leader.get("name", ""), lists)
        for key, label in SECTIONS.items():
            self.fields[f"section_{key}"] = forms.BooleanField(
                label=label, required=False, initial=True
            )

    def _row(self, prefix: str, name: str, lists: dict[str, list[str]]) -> None:
        self.fields[f"{prefix}_include"] = forms.BooleanField(
            label="导入", required=False, initial=True
        )
        self.fields[f"{prefix}_name"] = forms.CharField(label="名称", max_length=100, initial=name)
        for key, values in lists.items():
            self.fields[f"{prefix}_{key}"] = forms.CharField(
                label=LIST_LABELS[key], required=False, initial=joined(values)
            )

    def rows(self, prefix: str, count: int, keys: tuple[str, ...]) -> list[list[Any]]:
        return [
            [self[f"{prefix}{i}_include"], self[f"{prefix}{i}_name"]]
            + [self[f"{prefix}{i}_{key}"] for key in keys]
            for i in range(count)
        ]

    def department_rows(self) -> list[list[Any]]:
        return self.rows("dep", len(self.profile.get("departments", [])), ("aliases",))

    def leader_rows(self) -> list[list[Any]]:
        return self.rows("lead", len(self.profile.get("leaders", [])), LEADER_LISTS)

    def section_fields(self) -> list[Any]:
        return [self[f"section_{key}"] for key in SECTIONS]

    def corrected(self) -> dict[str, Any]:
        """The profile with the user's corrections: renamed, dropped and re-listed items."""
        data, profile = self.cleaned_data, dict(self.profile)
        profile["departments"] = [
            {**item, "name": data[f"dep{i}_name"], "aliases": split(data[f"dep{i}_aliases"])}
            for i, item in enumerate(self.profile.get("departments", []))
            if data[f"dep{i}_include"]
        ]
        profile["leaders"] = [
            {
                **item,
                "name": data[f"lead{i}_name"],
                **{k: split(data[f"lead{i}_{k}"]) for k in LEADER_LISTS},
            }
            for i, item in enumerate(self.profile.get("leaders", []))
            if data[f"lead{i}_include"]
        ]
        for key in SECTIONS:
            if not data[f"section_{key}"]:
                profile[key] = {} if key == "staffing" else []
        return profile


LEADER_LISTS = ("titles", "supervises", "assists", "liaisons", "liaison_regions")
LIST_LABELS = {
    "aliases": "别名",
    "titles": "职务",
    "supervises": "分管",
    "assists": "协助分管",
    "liaisons": "联系单位",
    "liaison_regions": "联系点",
}
