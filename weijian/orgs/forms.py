"""Forms for creating and editing organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization, OrganizationKind, Region
from weijian.orgs.selectors import organization_parent_choices

if TYPE_CHECKING:
    from weijian.accounts.models import User


class ParentChoiceField(forms.ModelChoiceField):
    """Options indented by depth below the top of the user's subtree, so the select reads as
    the tree."""

    base_depth = 0

    def label_from_instance(self, obj: Organization) -> str:
        return "　" * max(obj.depth - self.base_depth, 0) + obj.name


class RegionCodeField(forms.ModelChoiceField):
    """A region typed as its code: a full code table is far too long for a select."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "12"})
    default_error_messages = {"invalid_choice": "系统中没有这个区划代码。"}


class OrganizationForm(BootstrapMixin, forms.Form):
    """New or existing organization. For an existing one the parent field is offered only when
    the current parent lies within the user's scope (an administrator cannot move the top of
    his own subtree)."""

    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=OrganizationKind.choices)
    parent = ParentChoiceField(
        label="上级单位", queryset=Organization.objects.none(), empty_label=None
    )
    region = RegionCodeField(
        label="所在区划代码",
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        help_text="填写6位、9位或12位行政区划代码，如 360302（安源区）；可不填。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(
        self, *args: Any, user: User, instance: Organization | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault("initial", _initial(instance))
        super().__init__(*args, **kwargs)
        self.instance = instance
        parent_field = cast(ParentChoiceField, self.fields["parent"])
        parent_field.base_depth = user.organization.depth
        parent_field.queryset = organization_parent_choices(user=user, moving=instance)
        if instance is None:
            del self.fields["is_active"]
            parent_field.initial = user.organization_id
        elif instance.parent is None or not instance.parent.is_within(user.organization):
            del self.fields["parent"]


def _initial(organization: Organization) -> dict[str, Any]:
    return {
        "name": organization.name,
        "kind": organization.kind,
        "parent": organization.parent_id,
        "region": organization.region_id,
        "is_active": organization.is_active,
    }
