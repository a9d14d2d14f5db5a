"""Forms of the unit alias and collective unit pages. They offer the organizations of the
user's subtree and check formats; `units_services` keeps the rules and writes the audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization
from weijian.plans import units_selectors
from weijian.plans.models import CollectiveUnit, OrganizationAlias

if TYPE_CHECKING:
    from weijian.accounts.models import User


def _indented(organization: Organization, top: int) -> str:
    return "\u3000" * max(organization.depth - top, 0) + organization.name


class TreeChoice(forms.ModelChoiceField):
    """An organization of the user's subtree, indented by level."""

    top = 0

    def label_from_instance(self, obj: Organization) -> str:
        return _indented(obj, self.top)


class TreeMultipleChoice(forms.ModelMultipleChoiceField):
    top = 0

    def label_from_instance(self, obj: Organization) -> str:
        return _indented(obj, self.top)


def _offer(field: forms.Field, *, user: User, keep: list[int] | None = None) -> None:
    """Offer the user's subtree (and `keep`) in `field`, indented from his own level."""
    assert isinstance(field, TreeChoice | TreeMultipleChoice)  # noqa: S101 (declared below)
    field.queryset = units_selectors.organization_choices(user=user, keep=keep)
    field.top = user.organization.depth


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AliasForm(BootstrapMixin, forms.Form):
    organization = TreeChoice(
        label="单位",
        queryset=Organization.objects.none(),
        empty_label="请选择单位",
        error_messages={
            "required": "请选择单位",
            "invalid_choice": "所选单位不在您的管辖范围内，请重新选择",
        },
    )
    name = forms.CharField(
        label="别名",
        max_length=200,
        help_text="文件中对该单位的称呼，如：市卫计委、市食药监局",
        error_messages={"required": "请填写别名"},
    )
    valid_from = forms.DateField(
        label="启用日期",
        required=False,
        widget=date_input(),
        help_text="不填表示不限；如机构改革后启用的新简称，填改革之日",
    )
    valid_to = forms.DateField(
        label="停用日期",
        required=False,
        widget=date_input(),
        help_text="不填表示至今有效；如单位更名或并入其他单位，填旧名称停用之日",
    )

    def __init__(
        self, *args: Any, user: User, alias: OrganizationAlias | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = [alias.organization_id] if alias is not None else None
        _offer(self.fields["organization"], user=user, keep=keep)

    @staticmethod
    def initial_for(alias: OrganizationAlias) -> dict[str, Any]:
        return {
            "organization": alias.organization_id,
            "name": alias.name,
            "valid_from": alias.valid_from,
            "valid_to": alias.valid_to,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "停用日期不能早于启用日期")
        return data


COLLECTIVE_HELP = (
    "文件中泛指一组单位的写法，如“各县（区）卫生健康委”指本市所辖各县、区的卫生健康委员会，"
    "“各县（区）人民政府”指各县、区人民政府。导入方案时，写有该名称的任务将分解到下方选择的"
    "每一个单位。"
)


class CollectiveForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label="名称",
        max_length=200,
        help_text=COLLECTIVE_HELP,
        error_messages={"required": "请填写名称"},
    )
    members = TreeMultipleChoice(
        label="包含单位",
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": "12"}),
        help_text="按住 Ctrl（Mac 上为 Command）键可选择多个单位；只能选择您管辖范围内的单位",
        error_messages={
            "required": "请至少选择一个包含单位",
            "invalid_choice": "所选单位不在您的管辖范围内，请重新选择",
            "invalid_pk_value": "所选单位不存在，请重新选择",
        },
    )

    def __init__(
        self, *args: Any, user: User, collective: CollectiveUnit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = [m.pk for m in collective.members.all()] if collective is not None else None
        _offer(self.fields["members"], user=user, keep=keep)

    @staticmethod
    def initial_for(collective: CollectiveUnit) -> dict[str, Any]:
        return {"name": collective.name, "members": [m.pk for m in collective.members.all()]}
