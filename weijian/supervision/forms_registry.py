"""Forms of the institution and practitioner registries: filters, create/edit, practice sites.

Every message is Chinese and names what is wrong; the code validators (统一社会信用代码,
执业许可证登记号, 身份证号) give the exact position of a wrong character."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError

from weijian.accounts.forms import BootstrapMixin
from weijian.core.identifiers import validate_resident_id, validate_uscc
from weijian.orgs.models import Region
from weijian.supervision import selectors_registry as selectors
from weijian.supervision.identifiers import license_region, validate_license_number
from weijian.supervision.models import (
    SUBCATEGORIES,
    HospitalLevel,
    Institution,
    InstitutionCategory,
    InstitutionStatus,
    Ownership,
    PracticeSite,
    Practitioner,
    PractitionerKind,
    RiskGrade,
)
from weijian.supervision.services.institutions import FIELDS, rule_errors
from weijian.supervision.services.practitioners import id_index

if TYPE_CHECKING:
    from weijian.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Sub-categories grouped under their category, for a select with <optgroup>s.
GROUPED_SUBCATEGORIES = [
    (InstitutionCategory(category).label, [(name, name) for name in names])
    for category, names in SUBCATEGORIES.items()
]


def _any(label: str, choices: Any) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _region_label(region: Region) -> str:
    return f"{region.code} {region.name}"


# --- institutions -----------------------------------------------------------------------------


class InstitutionFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="名称或代码", required=False, max_length=100)
    region = forms.ModelChoiceField(
        label="区划", required=False, queryset=Region.objects.none(), empty_label="全部区划"
    )
    category = forms.ChoiceField(
        label="类别", required=False, choices=_any("全部类别", InstitutionCategory.choices)
    )
    subcategory = forms.ChoiceField(
        label="子类",
        required=False,
        choices=_any("全部子类", GROUPED_SUBCATEGORIES),
    )
    ownership = forms.ChoiceField(
        label="举办性质", required=False, choices=_any("全部性质", Ownership.choices)
    )
    level = forms.ChoiceField(
        label="级别", required=False, choices=_any("全部级别", HospitalLevel.choices)
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=_any("全部状态", InstitutionStatus.choices)
    )
    risk_grade = forms.ChoiceField(
        label="风险等级", required=False, choices=_any("全部风险等级", RiskGrade.choices)
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: forms.ModelChoiceField[Region] = self.fields["region"]  # type: ignore[assignment]
        region_field.queryset = selectors.region_choices(user=user)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] += " form-select-sm" if select else " form-control-sm"

    def to_filter(self) -> selectors.InstitutionFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.InstitutionFilter(
            q=(data.get("q") or "").strip(),
            region=data.get("region"),
            category=data.get("category", ""),
            subcategory=data.get("subcategory", ""),
            ownership=data.get("ownership", ""),
            level=data.get("level", ""),
            status=data.get("status", ""),
            risk_grade=data.get("risk_grade", ""),
        )


class InstitutionForm(BootstrapMixin, forms.ModelForm):  # type: ignore[type-arg]
    subcategory = forms.ChoiceField(
        label="机构子类",
        required=False,
        choices=_any("（不填）", GROUPED_SUBCATEGORIES),
    )

    class Meta:
        model = Institution
        fields = list(FIELDS)
        widgets = {"license_valid_from": DATE, "license_valid_until": DATE}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supervisor: forms.ModelChoiceField[Any] = self.fields["supervisor"]  # type: ignore[assignment]
        supervisor.queryset = selectors.supervisor_choices(user=user)
        if self.instance.pk is None:
            supervisor.initial = user.organization_id
        region: forms.ModelChoiceField[Region] = self.fields["region"]  # type: ignore[assignment]
        region.queryset = Region.objects.order_by("code")
        region.label_from_instance = _region_label  # type: ignore[method-assign,assignment]
        self.fields["uscc"].help_text = "18位，如：12360300MB1234567X"
        self.fields["license_number"].help_text = "22位；第10至15位为登记地行政区划代码"

    def clean_uscc(self) -> str:
        number = validate_uscc(self.cleaned_data.get("uscc"))
        taken = Institution.objects.filter(uscc=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f"统一社会信用代码{number}已登记，不能重复登记同一机构")
        return number

    def clean_license_number(self) -> str:
        value = self.cleaned_data.get("license_number") or ""
        if not value.strip():
            return ""
        number = validate_license_number(value)
        taken = Institution.objects.filter(license_number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f"执业许可证登记号{number}已被其他机构使用")
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("license_number") or ""
        known = (
            set(Region.objects.filter(code=license_region(number)).values_list("code", flat=True))
            if number
            else set()
        )
        for name, message in rule_errors(data, known_regions=known).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


# --- practitioners ----------------------------------------------------------------------------


class PractitionerFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label="类别", required=False, choices=_any("全部类别", PractitionerKind.choices)
    )
    name = forms.CharField(label="姓名", required=False, max_length=50)
    institution = forms.CharField(label="执业机构", required=False, max_length=100)
    license_number = forms.CharField(label="执业证书编码", required=False, max_length=30)
    id_number = forms.CharField(
        label="身份证号", required=False, max_length=30, help_text="按身份证号查询将记入审计日志"
    )

    def __init__(self, *args: Any, may_search_id: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Finding who holds an ID number is as sensitive as revealing one: 科室人员 only.
        if not may_search_id:
            del self.fields["id_number"]

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number") or ""
        return validate_resident_id(value) if value.strip() else ""

    def to_filter(self) -> selectors.PractitionerFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.PractitionerFilter(
            kind=data.get("kind", ""),
            name=(data.get("name") or "").strip(),
            institution=(data.get("institution") or "").strip(),
            license_number=(data.get("license_number") or "").strip(),
            id_number=data.get("id_number", ""),
        )


class InstitutionByCodeField(forms.CharField):
    """An institution named by its 统一社会信用代码, among `queryset`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, max_length=30, **kwargs)
        self.queryset = Institution.objects.none()

    def clean(self, value: Any) -> Institution:
        number = validate_uscc(super().clean(value))
        found = self.queryset.filter(uscc=number).first()
        if found is None:
            raise ValidationError(f"统一社会信用代码为{number}的机构不在您可管理的机构名录中")
        return found


class PractitionerForm(BootstrapMixin, forms.ModelForm):  # type: ignore[type-arg]
    id_number = forms.CharField(label="身份证号", max_length=30)
    institution = InstitutionByCodeField(
        label="主要执业机构（统一社会信用代码）",
        help_text="填写机构名录中的统一社会信用代码",
    )

    class Meta:
        model = Practitioner
        fields = [
            "kind",
            "name",
            "license_number",
            "practice_category",
            "practice_scope",
            "status",
        ]

    field_order = ["kind", "name", "id_number", "license_number", "institution"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: InstitutionByCodeField = self.fields["institution"]  # type: ignore[assignment]
        field.queryset = selectors.institutions_visible(user)
        if self.instance.pk is not None:
            self.initial.setdefault("institution", self.instance.institution.uscc)
            # The ID number is never sent to the browser: left empty, it stays unchanged.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = "不修改请留空"

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number") or ""
        if not value.strip() and self.instance.pk is not None:
            return str(self.instance.id_number)
        number = validate_resident_id(value)
        kind = self.cleaned_data.get("kind")
        taken = Practitioner.objects.filter(kind=kind, id_number_index=id_index(number))
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError("该身份证号已登记为同类别的另一名医务人员")
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("kind"), data.get("license_number")
        if kind and number:
            taken = Practitioner.objects.filter(kind=kind, license_number=number)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("license_number", f"执业证书编码{number}已登记，不能重复登记")
        return data

    def _post_clean(self) -> None:
        """The service sets the ID number and its index; skip the model's own checks here."""


class PracticeSiteForm(BootstrapMixin, forms.Form):
    institution = InstitutionByCodeField(label="执业机构（统一社会信用代码）")
    filed_on = forms.DateField(label="备案日期", widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: InstitutionByCodeField = self.fields["institution"]  # type: ignore[assignment]
        field.queryset = selectors.site_institution_choices(user=user)


class PracticeSiteEndForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label="终止日期", widget=DATE)

    def __init__(self, *args: Any, site: PracticeSite, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site

    def clean_ended_on(self) -> Any:
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.site.filed_on:
            raise ValidationError("终止日期不能早于备案日期")
        return ended_on


# --- imports ----------------------------------------------------------------------------------

MAX_UPLOAD = 20 * 1024 * 1024


class ImportUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Excel文件（.xlsx）", help_text="请使用本页下载的模板填写，不超过20MB"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError("只能上传.xlsx格式的Excel文件，请在Excel中另存为.xlsx后再上传")
        if upload.size > MAX_UPLOAD:
            raise ValidationError("文件超过20MB，请分批导入")
        return upload
