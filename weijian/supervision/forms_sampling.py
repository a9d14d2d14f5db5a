"""Forms of the sampling pages: a plan, a draw, a redraw, the plan list's filter."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Region, RegionLevel
from weijian.supervision.access import ancestor_paths
from weijian.supervision.models import (
    HospitalLevel,
    InspectionItem,
    InstitutionCategory,
    Ownership,
    PlanState,
    SamplingPlan,
)
from weijian.supervision.selectors_pools import items_usable_by
from weijian.supervision.services.sampling import SEED_LIMIT
from weijian.supervision.snapshot import region_prefix

if TYPE_CHECKING:
    from weijian.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKS = forms.CheckboxSelectMultiple


def _weight(label: str, initial: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, initial=initial, min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )


def usable_items(user: User) -> Any:
    """Active items of the user's unit or a unit above it."""
    return items_usable_by(user).filter(owner__path__in=ancestor_paths(user.organization))


def scope_regions(user: User) -> Any:
    rows = Region.objects.filter(level__lte=RegionLevel.COUNTY)
    region = user.organization.region_id
    if region:
        rows = rows.filter(code__startswith=region_prefix(region))
    return rows.order_by("code")


class PlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=200)
    item = forms.ModelChoiceField(label="抽查事项", queryset=InspectionItem.objects.none())
    regions = forms.ModelMultipleChoiceField(
        label="抽查区域",
        queryset=Region.objects.none(),
        required=False,
        help_text="不选表示本单位所辖全部区域；可按住 Ctrl 多选。",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    categories = forms.MultipleChoiceField(
        label="机构类别",
        choices=InstitutionCategory.choices,
        required=False,
        widget=CHECKS,
        help_text="不选表示全部类别。",
    )
    levels = forms.MultipleChoiceField(
        label="级别",
        choices=HospitalLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ownerships = forms.MultipleChoiceField(
        label="举办性质",
        choices=Ownership.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    object_count = forms.IntegerField(label="抽取数量（家）", min_value=1, required=False)
    ratio_percent = forms.DecimalField(
        label="抽取比例（%）",
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text="抽取数量和抽取比例填写其中一项，如 5 即抽取 5%。",
    )
    group_size = forms.IntegerField(label="每组执法人员数", min_value=2, max_value=20, initial=2)
    weighted = forms.BooleanField(label="按风险等级加权", required=False, initial=True)
    weight_low = _weight("低风险权重", 1)
    weight_medium = _weight("中风险权重", 2)
    weight_high = _weight("高风险权重", 4)
    exclude_months = forms.IntegerField(
        label="排除近N个月已检查的机构",
        min_value=0,
        max_value=120,
        initial=0,
        help_text="0表示不排除",
    )
    avoid_previous_round = forms.BooleanField(
        label="回避上一轮检查过该机构的执法人员", required=False, initial=True
    )
    witness = forms.CharField(label="见证人", max_length=100, required=False)
    planned_start = forms.DateField(label="检查开始日期", required=False, widget=DATE)
    planned_end = forms.DateField(label="检查结束日期", required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = usable_items(user)  # type: ignore[attr-defined]
        self.fields["regions"].queryset = scope_regions(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("object_count") is None) == (data.get("ratio_percent") is None):
            self.add_error("object_count", "抽取数量和抽取比例须且只能填写一项。")
        return data

    @staticmethod
    def initial_for(plan: SamplingPlan) -> dict[str, Any]:
        weights = plan.risk_weights or {}
        ratio = plan.object_ratio
        return {
            **{
                name: getattr(plan, name)
                for name in (
                    "year title item categories levels ownerships object_count group_size "
                    "weighted exclude_months avoid_previous_round witness planned_start "
                    "planned_end"
                ).split()
            },
            "regions": list(plan.regions.all()),
            "ratio_percent": ratio * 100 if ratio is not None else None,
            "weight_low": weights.get("low", 1),
            "weight_medium": weights.get("medium", 2),
            "weight_high": weights.get("high", 4),
        }

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the plan services take it."""
        data = dict(self.cleaned_data)
        percent = data.pop("ratio_percent")
        data["object_ratio"] = (percent / 100).quantize(Decimal("0.0001")) if percent else None
        data["risk_weights"] = {
            grade: data.pop(f"weight_{grade}") for grade in ("low", "medium", "high")
        }
        return data


class DrawForm(BootstrapMixin, forms.Form):
    witness = forms.CharField(
        label="见证人",
        max_length=100,
        help_text="抽取须有见证人在场（如纪检监察人员、公证员），填写姓名及单位。",
    )
    seed = forms.IntegerField(
        label="随机种子（可不填）",
        min_value=0,
        max_value=SEED_LIMIT - 1,
        required=False,
        help_text="不填时由系统随机生成；如当场以公开方式产生种子，可在此填写。",
    )


class RedrawForm(DrawForm):
    reason = forms.CharField(
        label="重新抽取原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    field_order = ["reason", "witness", "seed"]


class PlanFilterForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *PlanState.choices]
    )
    item = forms.ModelChoiceField(
        label="抽查事项",
        required=False,
        queryset=InspectionItem.objects.none(),
        empty_label="全部事项",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items_usable_by(user)  # type: ignore[attr-defined]
