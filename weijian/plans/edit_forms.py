"""Forms of the plan edit pages. They check formats and offer the choices; the services in
`editing` keep the rules and write the audit."""

from __future__ import annotations

from typing import Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization
from weijian.plans.editing import YEARS
from weijian.plans.models import Assignment, AssignmentRole, Comparator, Plan, Target, Task
from weijian.plans.preview import find_by_name
from weijian.plans.resolve import tree_of

NO_ORGANIZATION = ("", "（不匹配单位，仅保留原文名称）")


def year_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=YEARS[0], max_value=YEARS[-1])


def number_field(label: str, *, required: bool = False) -> forms.FloatField:
    return forms.FloatField(
        label=label, required=required, widget=forms.NumberInput(attrs={"step": "any"})
    )


def tree_choices(plan: Plan) -> list[tuple[int, str]]:
    """The organizations of the owner's tree, indented by level, for a <select>."""
    organizations = tree_of(plan.owner)
    top = min((o.depth for o in organizations), default=0)
    return [(o.pk, "\u3000" * (o.depth - top) + o.name) for o in organizations]


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    start_year = year_field("起始年份")
    end_year = year_field("截止年份")

    @staticmethod
    def initial_for(plan: Plan) -> dict[str, Any]:
        return {"title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year}


class TaskForm(BootstrapMixin, forms.Form):
    label = forms.CharField(
        label="编号",
        max_length=20,
        required=False,
        help_text="按原文填写，如：三、（二）、1.、①；不填时按在同级中的位置编为 [n]",
    )
    title = forms.CharField(label="标题", max_length=300, required=False)
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(
        label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_text = forms.CharField(
        label="完成时限（原文）",
        max_length=100,
        required=False,
        help_text="如：2020年底前、长期坚持",
    )

    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        return {
            "label": task.label,
            "title": task.title,
            "text": task.text,
            "due_on": task.due_on,
            "due_text": task.due_text,
        }


class _TreeForm(BootstrapMixin, forms.Form):
    """A form with an `organization` choice among the plan owner's tree."""

    organization = forms.TypedChoiceField(
        label="单位",
        coerce=int,
        empty_value=None,
        error_messages={
            "required": "请选择单位",
            "invalid_choice": "所选单位不在该方案责任单位所属的范围内，请重新选择",
        },
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 (declared above)
        field.choices = [*self.blank_choice(), *tree_choices(plan)]

    def blank_choice(self) -> list[tuple[str, str]]:
        return [("", "请选择单位")]

    def clean_organization(self) -> Organization | None:
        pk = self.cleaned_data.get("organization")
        if pk is None:
            return None
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None:
            raise forms.ValidationError("该单位已不存在，请重新选择")
        return organization


class AssignmentForm(_TreeForm):
    """A unit of a task: an organization of the tree, the name as written, or both."""

    role = forms.ChoiceField(label="角色", choices=AssignmentRole.choices)
    raw_name = forms.CharField(
        label="单位（原文）",
        max_length=200,
        required=False,
        help_text="文件中写的单位名称；不填时用所选单位的名称",
    )
    field_order = ["role", "organization", "raw_name"]

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["organization"].required = False

    def blank_choice(self) -> list[tuple[str, str]]:
        return [NO_ORGANIZATION]

    @staticmethod
    def initial_for(assignment: Assignment) -> dict[str, Any]:
        return {
            "role": assignment.role,
            "organization": assignment.organization_id,
            "raw_name": assignment.raw_name,
        }


class LinkNameForm(_TreeForm):
    """Link every unmatched occurrence of a name in the plan to one organization: one of the
    offered candidates, or any organization of the tree by its full name; `add_alias` also
    keeps the name as an alias of that organization (for the plans imported later)."""

    raw_name = forms.CharField(max_length=200, widget=forms.HiddenInput)
    organization_name = forms.CharField(label="或输入单位全称", max_length=200, required=False)
    add_alias = forms.BooleanField(label="同时记为该单位的别名", required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        self.plan = plan
        self.fields["organization"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("organization_name") or "").strip()
        if name:
            found = find_by_name(name, tree_of(self.plan.owner))
            if found is None:
                self.add_error("organization_name", f"未找到名为“{name}”的单位")
            data["organization"] = found
        elif data.get("organization") is None and "organization" not in self.errors:
            self.add_error("organization", "请选择单位或输入单位全称")
        data.pop("organization_name", None)
        return data


class TargetForm(BootstrapMixin, forms.Form):
    indicator = forms.CharField(
        label="指标", max_length=200, help_text="如：每千常住人口执业（助理）医师数"
    )
    comparator = forms.ChoiceField(label="比较", choices=Comparator.choices)
    value = number_field("目标值", required=True)
    value_max = number_field("目标值上限")
    unit = forms.CharField(label="单位", max_length=20, required=False, help_text="如：人、%、岁")
    year = year_field("目标年份")
    baseline = number_field("基线值")
    text = forms.CharField(
        label="原文", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(target: Target) -> dict[str, Any]:
        return {
            "indicator": target.indicator.name,
            "comparator": target.comparator,
            "value": target.value,
            "value_max": target.value_max,
            "unit": target.unit,
            "year": target.year,
            "baseline": target.baseline,
            "text": target.text,
        }
