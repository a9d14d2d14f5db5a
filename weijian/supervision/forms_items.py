"""Forms of the inspection item list and its checklists; the services keep the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization
from weijian.supervision import selectors_pools as selectors
from weijian.supervision.forms_pools import OrganizationChoice, text_field
from weijian.supervision.models import CheckPoint, InspectionItem
from weijian.supervision.services.items import ITEM_FIELDS

if TYPE_CHECKING:
    from weijian.accounts.models import User


def _area(label: str, length: int, *, required: bool, rows: int = 3, **kwargs: Any) -> Any:
    return text_field(
        label, length, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class ItemFilterForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="事项名称、子项或编号", required=False, max_length=100)
    active = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "停用")]
    )

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"text": data.get("text") or "", "active": data.get("active") or ""}


class ItemForm(BootstrapMixin, forms.Form):
    owner = OrganizationChoice(
        label="制定单位",
        queryset=Organization.objects.none(),
        error_messages={"required": "请选择制定单位", "invalid_choice": "请选择有效的制定单位"},
    )
    code = text_field("事项编号", 30, help_text="可不填")
    name = text_field("事项名称", 200, required=True)
    sub_item = text_field("子项", 200)
    basis = _area("抽查依据", 5000, required=True, help_text="法律、法规、规章名称及条款")
    subject = text_field("抽查主体", 200, required=True, help_text="如：卫生健康行政部门")
    object_scope = text_field("抽查对象", 200, required=True, help_text="如：辖区内医疗机构")
    ratio = text_field("抽查比例", 100, required=True, help_text="如：不低于5%")
    frequency = text_field("抽查频次", 100, required=True, help_text="如：每年不少于2次")
    method = text_field("抽查方式", 100, required=True, help_text="如：现场检查、书面检查")
    inspector_requirements = text_field(
        "检查人员要求", 200, required=True, help_text="如：不少于2名持有执法证的执法人员"
    )

    def __init__(self, *args: Any, user: User, item: InspectionItem | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if item is None:
            self.fields["owner"].queryset = selectors.units(user=user)  # type: ignore[attr-defined]
        else:
            del self.fields["owner"]  # an item stays with the unit that made it

    @staticmethod
    def initial_for(item: InspectionItem) -> dict[str, Any]:
        return {field: getattr(item, field) for field in ITEM_FIELDS}


class CheckPointForm(BootstrapMixin, forms.Form):
    content = _area("检查内容", 300, required=True, rows=2)
    basis = text_field(
        "法律依据", 300, required=True, help_text="如：《医疗机构管理条例》第二十四条"
    )

    @staticmethod
    def initial_for(point: CheckPoint) -> dict[str, Any]:
        return {"content": point.content, "basis": point.basis}
