"""Forms of the inspector and expert pools. They read formats and offer the choices the user's
scope allows; the services keep the rules and say in Chinese what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Organization, Region
from weijian.supervision import selectors_pools as selectors
from weijian.supervision.models import Expert, Inspector, Institution, PoolStatus
from weijian.supervision.services.pools import SPECIALTIES, parse_specialties, regions_covered_by

if TYPE_CHECKING:
    from weijian.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SPECIALTY_CHOICES = [(name, name) for name in SPECIALTIES]
RELATIONS = ("配偶", "子女", "父母", "兄弟姐妹", "配偶的父母", "其他近亲属")


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        error_messages={"invalid": f"{label}不是有效的日期", "required": f"请填写{label}"},
    )


def text_field(label: str, length: int, *, required: bool = False, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=length,
        error_messages={
            "required": f"请填写{label}",
            "max_length": f"{label}不能超过{length}个字",
        },
        **kwargs,
    )


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "　" * getattr(obj, "depth", 0) + obj.name


class RegionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


def _unit_field(label: str, *, required: bool = True) -> OrganizationChoice:
    return OrganizationChoice(
        label=label,
        queryset=Organization.objects.none(),
        required=required,
        empty_label="全部单位" if not required else "请选择",
        error_messages={"required": f"请选择{label}", "invalid_choice": f"请选择有效的{label}"},
    )


def specialty_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="专业领域",
        required=False,
        choices=SPECIALTY_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


def other_specialties_field() -> forms.CharField:
    return text_field("其他专业领域", 200, help_text="不在上列的，多个用“、”或“，”分隔")


def split_specialties(values: list[str]) -> dict[str, Any]:
    """The initial values of the two specialty fields for a saved list."""
    fixed = [value for value in values if value in SPECIALTIES]
    other = [value for value in values if value not in SPECIALTIES]
    return {"specialties": fixed, "other_specialties": "、".join(other)}


class SpecialtiesMixin:
    """Joins the checked and the typed specialties into `cleaned_data["specialties"]`."""

    cleaned_data: dict[str, Any]

    def join_specialties(self) -> None:
        typed = parse_specialties(self.cleaned_data.pop("other_specialties", "") or "")
        self.cleaned_data["specialties"] = [*self.cleaned_data.get("specialties", []), *typed]


# --- inspectors -------------------------------------------------------------------------------


class InspectorFilterForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="姓名", required=False, max_length=50)
    certificate = forms.CharField(label="执法证号", required=False, max_length=30)
    organization = _unit_field("所在单位", required=False)
    specialty = forms.ChoiceField(
        label="专业领域", required=False, choices=[("", "全部专业"), *SPECIALTY_CHOICES]
    )
    region = forms.ModelChoiceField(
        label="负责区域", queryset=Region.objects.none(), required=False, empty_label="全部区域"
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *PoolStatus.choices]
    )
    validity = forms.ChoiceField(
        label="执法证",
        required=False,
        choices=[("", "全部"), *selectors.VALIDITY_CHOICES],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.units(user=user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions_covered_by(user.organization)  # type: ignore[attr-defined]

    def to_filter(self) -> selectors.InspectorFilter:
        if not self.is_valid():
            return selectors.InspectorFilter()
        return selectors.InspectorFilter.from_data(self.cleaned_data)


class InspectorForm(SpecialtiesMixin, BootstrapMixin, forms.Form):
    name = text_field("姓名", 50, required=True)
    organization = _unit_field("所在单位")
    certificate_number = text_field("执法证号", 30, required=True)
    certificate_valid_from = date_field("执法证有效期起")
    certificate_valid_until = date_field("执法证有效期至", required=True)
    specialties = specialty_field()
    other_specialties = other_specialties_field()
    regions = RegionChoices(
        label="负责区域",
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "负责区域“%(value)s”不在本单位辖区内"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.units(user=user)  # type: ignore[attr-defined]
        self.fields["regions"].queryset = regions_covered_by(user.organization)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        valid_from = self.cleaned_data.get("certificate_valid_from")
        valid_until = self.cleaned_data.get("certificate_valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("certificate_valid_until", "执法证有效期至不能早于有效期起")
        self.join_specialties()
        return self.cleaned_data

    @staticmethod
    def initial_for(inspector: Inspector) -> dict[str, Any]:
        return {
            "name": inspector.name,
            "organization": inspector.organization_id,
            "certificate_number": inspector.certificate_number,
            "certificate_valid_from": inspector.certificate_valid_from,
            "certificate_valid_until": inspector.certificate_valid_until,
            "regions": [region.pk for region in inspector.regions.all()],
            **split_specialties(inspector.specialties),
        }


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=PoolStatus.choices,
        error_messages={"required": "请选择状态", "invalid_choice": "请选择有效的状态"},
    )


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}（{obj.username}，{obj.organization.name}）"


class LinkUserForm(BootstrapMixin, forms.Form):
    user = UserChoice(
        label="登录账户",
        empty_label="请选择",
        queryset=get_user_model().objects.none(),
        help_text="本单位及下级单位持有“执法人员”角色、尚未关联其他执法人员的账户",
        error_messages={"required": "请选择登录账户", "invalid_choice": "请选择有效的登录账户"},
    )

    def __init__(self, *args: Any, user: User, inspector: Inspector, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = selectors.linkable_users(user=user, inspector=inspector)
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["user"].initial = inspector.user_id


class InstitutionField(forms.CharField):
    """An institution in the user's scope, typed as its USCC or its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "机构")
        kwargs.setdefault("help_text", "输入统一社会信用代码或机构名称，可从提示中选择")
        kwargs.setdefault("error_messages", {"required": "请输入机构的统一社会信用代码或名称"})
        super().__init__(max_length=200, **kwargs)
        self.user: User | None = None

    def clean(self, value: Any) -> Any:  # type: ignore[override]
        text = super().clean(value)
        return resolve_institution(user=self.user, text=text)


def resolve_institution(*, user: User | None, text: str) -> Institution:
    """The one institution `text` names: its USCC, its exact name, or a unique match."""
    if user is None:
        raise forms.ValidationError("无法确定机构")
    matches = list(selectors.institutions_matching(user=user, text=text))
    for match in matches:
        if match.uscc == text.strip().upper() or match.name == text.strip():
            return match
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise forms.ValidationError(f"在本单位管辖范围内没有找到机构“{text}”")
    raise forms.ValidationError(f"“{text}”匹配到多个机构，请输入统一社会信用代码或完整名称")


class _InstitutionForm(BootstrapMixin, forms.Form):
    """A form naming an institution, with suggestions from the server as the user types
    (an htmx-filled <datalist>). `key` keeps two such forms on one page apart."""

    key = "institution"
    institution = InstitutionField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.key}_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.user = user  # type: ignore[attr-defined]
        field.widget.attrs.update(
            {
                "list": self.options_id,
                "autocomplete": "off",
                "hx-get": reverse("supervision:inspector_institution_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{self.options_id}",
            }
        )

    @property
    def options_id(self) -> str:
        return f"{self.key}-options"


class EmploymentForm(_InstitutionForm):
    key = "employment"
    started_on = date_field("起始日期")
    ended_on = date_field("结束日期")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "结束日期不能早于起始日期")
        return data


class RelativeForm(_InstitutionForm):
    key = "relative"
    relation = text_field("亲属关系", 20, required=True, help_text="如：" + "、".join(RELATIONS))
    declared_on = date_field("申报日期")


# --- experts ----------------------------------------------------------------------------------


class ExpertFilterForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="姓名或工作单位", required=False, max_length=50)
    specialty = forms.ChoiceField(
        label="专业领域", required=False, choices=[("", "全部专业"), *SPECIALTY_CHOICES]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *PoolStatus.choices]
    )

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {key: data.get(key) or "" for key in ("name", "specialty", "status")}


class ExpertForm(SpecialtiesMixin, BootstrapMixin, forms.Form):
    name = text_field("姓名", 50, required=True)
    owner = _unit_field("管理单位")
    workplace = text_field("工作单位", 200, required=True)
    title = text_field("职称", 50, help_text="如：主任医师、副教授")
    specialties = specialty_field()
    other_specialties = other_specialties_field()
    phone = text_field("联系电话", 20, help_text="手机号码或“区号-电话号码”")
    clear_phone = forms.BooleanField(label="清除联系电话", required=False)

    def __init__(self, *args: Any, user: User, expert: Expert | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.units(user=user)  # type: ignore[attr-defined]
        self.expert = expert
        if expert is None or not expert.phone:
            del self.fields["clear_phone"]
        else:
            self.fields["phone"].help_text = "留空则不修改（当前号码已加密保存，不在此显示）"

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.join_specialties()
        clear = self.cleaned_data.pop("clear_phone", False)
        if self.expert is not None and not self.cleaned_data.get("phone") and not clear:
            self.cleaned_data["phone"] = self.expert.phone or ""
        return self.cleaned_data

    @staticmethod
    def initial_for(expert: Expert) -> dict[str, Any]:
        return {
            "name": expert.name,
            "owner": expert.owner_id,
            "workplace": expert.workplace,
            "title": expert.title,
            **split_specialties(expert.specialties),
        }
