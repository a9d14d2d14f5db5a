"""Forms of the registry back office. They check what one form can know (formats, the
choices offered, a number already taken) and hand plain values to the services, which keep
the rules and the audit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs import registry_pages
from weijian.orgs.models import (
    Committee,
    CommitteeKind,
    Department,
    DepartmentKind,
    Duty,
    DutyKind,
    MemberRole,
    Organization,
    Post,
)
from weijian.orgs.names import normalize_name, normalize_names

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

SMALL_INT_MAX = 32767  # PositiveSmallIntegerField
_LIST_SEPARATORS = re.compile(r"[、，,；;\n\r]+")


def split_names(text: str) -> list[str]:
    """ "党组书记、局长" or one per line → normalised names without blanks or repeats."""
    return normalize_names(_LIST_SEPARATORS.split(text or ""))


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}), **kwargs
    )


def time_field(label: str, *, required: bool = True) -> forms.TimeField:
    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    return forms.TimeField(label=label, required=required, widget=widget)


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def set_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Offer `queryset` in the choice field `name` (the choices depend on the page)."""
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = queryset


class OrganizationChoices(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": "8"})

    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class OrganizationDetailsForm(BootstrapMixin, forms.Form):
    plates = forms.CharField(
        label="加挂牌子",
        required=False,
        widget=text_area(2),
        help_text="多个牌子用“、”或换行分隔，如：临江市中医药管理局、临江市疾病预防控制局",
    )
    rank = forms.CharField(label="机构规格", max_length=20, required=False)
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字"},
    )
    phone = forms.CharField(label="联系电话", max_length=50, required=False)
    website = forms.URLField(
        label="网站",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "请填写完整的网址，如 https://…"},
    )
    opened_on = date_field("成立日期")
    closed_on = date_field("撤销日期")
    publishes = forms.BooleanField(label="在门户公开机构信息", required=False)

    @staticmethod
    def initial_for(organization: Organization) -> dict[str, Any]:
        return {
            "plates": "、".join(organization.plates),
            "rank": organization.rank,
            "address": organization.address,
            "postcode": organization.postcode,
            "phone": organization.phone,
            "website": organization.website,
            "opened_on": organization.opened_on,
            "closed_on": organization.closed_on,
            "publishes": organization.publishes,
        }

    def clean_plates(self) -> list[str]:
        return split_names(self.cleaned_data["plates"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("opened_on")
            and data.get("closed_on")
            and data["closed_on"] < data["opened_on"]
        ):
            self.add_error("closed_on", "撤销日期不能早于成立日期")
        return data


class DepartmentForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    aliases = forms.CharField(
        label="别名",
        required=False,
        help_text="同一科室的其他名称，用“、”分隔，如：人事科、安全生产科",
    )
    kind = forms.ChoiceField(label="类别", choices=DepartmentKind.choices)
    duties = forms.CharField(label="职责", required=False, widget=text_area(5))
    order = forms.IntegerField(label="排序", initial=0, min_value=0, max_value=SMALL_INT_MAX)

    @staticmethod
    def initial_for(department: Department) -> dict[str, Any]:
        return {
            "name": department.name,
            "aliases": "、".join(department.aliases),
            "kind": department.kind,
            "duties": department.duties,
            "order": department.order,
        }

    def clean_aliases(self) -> list[str]:
        return split_names(self.cleaned_data["aliases"])


class DutyForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(
        label="所属", queryset=Department.objects.none(), required=False, empty_label="本单位"
    )
    kind = forms.ChoiceField(label="类别", choices=DutyKind.choices)
    number = forms.IntegerField(label="序号", min_value=1, max_value=32767)
    text = forms.CharField(label="内容", widget=text_area(4))

    def __init__(
        self, *args: Any, organization: Organization, duty: Duty | None = None, **kwargs: Any
    ) -> None:
        if duty is not None:
            kwargs.setdefault(
                "initial",
                {
                    "department": duty.department_id,
                    "kind": duty.kind,
                    "number": duty.number,
                    "text": duty.text,
                },
            )
        super().__init__(*args, **kwargs)
        self.organization, self.duty = organization, duty
        set_choices(
            self, "department", registry_pages.department_choices(organization=organization)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "number" in data
            and "kind" in data
            and registry_pages.duty_number_taken(
                organization=self.organization,
                department=data.get("department"),
                kind=data["kind"],
                number=data["number"],
                duty=self.duty,
            )
        ):
            where = data["department"].name if data.get("department") else "本单位"
            kind = DutyKind(data["kind"]).label
            self.add_error("number", f"{where}的{kind}已有第{data['number']}条，请换一个序号")
        return data


class DutyBoundaryForm(BootstrapMixin, forms.Form):
    other_name = forms.CharField(
        label="对方单位", max_length=200, required=False, help_text="按文件原文填写"
    )
    other = forms.ModelChoiceField(
        label="对应系统内单位",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不关联）",
    )
    text = forms.CharField(label="分工内容", widget=text_area(5))
    order = forms.IntegerField(label="排序", initial=0, min_value=0, max_value=SMALL_INT_MAX)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "other", registry_pages.organization_choices(user=user))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("other_name") and data.get("other"):
            data["other_name"] = data["other"].name
        if not data.get("other_name") and not self.has_error("other"):
            self.add_error("other_name", "请填写对方单位，或选择系统内的单位")
        return data


_STAFFING_LINE = re.compile(r"^(?P<title>.+?)\s*[:：]?\s*(?P<count>\d+)\s*名?$")


def parse_staffing_lines(text: str) -> list[tuple[str, int]]:
    """ "副局长 3" per line → [("副局长", 3)]; every bad line is named in the error."""
    posts: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _STAFFING_LINE.match(line)
        if not match:
            errors.append(f"第{number}行“{line}”无法识别，应写作“职务 职数”，如“副局长 3”")
            continue
        title, count = normalize_name(match["title"]), int(match["count"])
        if count > SMALL_INT_MAX:
            errors.append(f"第{number}行：职数{count}过大")
        elif title in seen:
            errors.append(f"第{number}行：职务“{title}”与第{seen[title]}行重复")
        else:
            seen[title] = number
            posts.append((title, count))
    if errors:
        raise ValidationError(errors)
    return posts


class StaffingForm(BootstrapMixin, forms.Form):
    administrative = forms.IntegerField(
        label="行政编制（名）", required=False, min_value=0, max_value=SMALL_INT_MAX
    )
    posts = forms.CharField(
        label="领导职数",
        required=False,
        widget=text_area(6),
        help_text="每行一个职务和职数，如：局长 1、副局长 3、科级领导职数 14",
    )
    note = forms.CharField(label="说明", required=False, widget=text_area(2))

    def clean_posts(self) -> list[tuple[str, int]]:
        return parse_staffing_lines(self.cleaned_data["posts"])


class PostForm(BootstrapMixin, forms.Form):
    person_name = forms.CharField(label="姓名", max_length=50)
    titles = forms.CharField(
        label="职务", max_length=200, help_text="多个职务用“、”分隔，如：党组书记、局长"
    )
    grade = forms.CharField(
        label="职级", max_length=30, required=False, help_text="如：一级主任科员"
    )
    department = forms.ModelChoiceField(
        label="所在内设机构", queryset=Department.objects.none(), required=False
    )
    is_leader = forms.BooleanField(label="领导班子成员", required=False, initial=True)
    order = forms.IntegerField(label="排序", initial=0, min_value=0, max_value=SMALL_INT_MAX)
    start_on = date_field("任职日期")
    end_on = date_field("离任日期")

    def __init__(
        self, *args: Any, organization: Organization, post: Post | None = None, **kwargs: Any
    ) -> None:
        if post is not None:
            kwargs.setdefault(
                "initial",
                {
                    "titles": post.title_text,
                    "grade": post.grade,
                    "department": post.department_id,
                    "is_leader": post.is_leader,
                    "order": post.order,
                    "start_on": post.start_on,
                    "end_on": post.end_on,
                },
            )
        super().__init__(*args, **kwargs)
        set_choices(
            self, "department", registry_pages.department_choices(organization=organization)
        )
        if post is not None:
            del self.fields["person_name"]  # a post belongs to one person for good

    def clean_titles(self) -> list[str]:
        titles = split_names(self.cleaned_data["titles"])
        if not titles:
            raise ValidationError("请填写职务")
        return titles

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", "离任日期不能早于任职日期")
        return data


class PostEndForm(BootstrapMixin, forms.Form):
    end_on = forms.DateField(
        label="离任日期", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


class LeaderAssignmentForm(BootstrapMixin, forms.Form):
    responsibilities = forms.CharField(
        label="负责工作",
        required=False,
        widget=text_area(4),
        help_text="如：主持局党组和行政全面工作",
    )
    supervised = forms.ModelMultipleChoiceField(
        label="分管科室",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assisted = forms.ModelMultipleChoiceField(
        label="协助分管科室",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    liaison_organizations = OrganizationChoices(
        label="联系单位",
        queryset=Organization.objects.none(),
        required=False,
        help_text="可多选（按住 Ctrl 或 ⌘ 键）；只列出您管理范围内的单位",
    )
    liaison_regions = forms.CharField(
        label="联系点（区划代码）",
        required=False,
        help_text="填写行政区划代码，多个用空格或“、”分隔，如：360302 360313",
    )

    def __init__(self, *args: Any, post: Post, user: User | AnonymousUser, **kwargs: Any) -> None:
        assignment = getattr(post, "assignment", None)
        if assignment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "responsibilities": assignment.responsibilities,
                    "supervised": list(assignment.supervised_departments.all()),
                    "assisted": list(assignment.assisted_departments.all()),
                    "liaison_organizations": list(assignment.liaison_organizations.all()),
                    "liaison_regions": " ".join(r.code for r in assignment.liaison_regions.all()),
                },
            )
        super().__init__(*args, **kwargs)
        departments = registry_pages.department_choices(organization=post.organization)
        for name in ("supervised", "assisted"):
            set_choices(self, name, departments)
        organizations = registry_pages.organization_choices(user=user)
        set_choices(self, "liaison_organizations", organizations)
        # Liaisons outside the editor's scope are not offered, and not dropped either.
        in_scope = set(organizations.values_list("pk", flat=True))
        self.kept_organizations = (
            [o for o in assignment.liaison_organizations.all() if o.pk not in in_scope]
            if assignment is not None
            else []
        )
        self.unresolved = assignment.unresolved if assignment is not None else {}

    def clean_liaison_regions(self) -> list[Any]:
        codes = [
            code
            for code in re.split(r"[\s、，,；;]+", self.cleaned_data["liaison_regions"])
            if code
        ]
        regions = registry_pages.regions_by_code(codes)
        unknown = [code for code in codes if code not in regions]
        if unknown:
            raise ValidationError(f"系统中没有这些区划代码：{'、'.join(unknown)}")
        return [regions[code] for code in dict.fromkeys(codes)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("supervised") or []) & set(data.get("assisted") or [])
        if both:
            names = "、".join(sorted(d.name for d in both))
            self.add_error("assisted", f"同一科室不能既分管又协助分管：{names}")
        return data


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _month_day(value: str) -> tuple[int, int] | None:
    value = (value or "").strip()
    if not value:
        return None
    match = _MONTH_DAY.match(value)
    if not match:
        raise ValidationError("请按“月-日”填写，如 10-1 或 10月1日")
    return int(match[1]), int(match[2])


class OfficeHoursForm(BootstrapMixin, forms.Form):
    season = forms.CharField(label="时段名称", max_length=20, help_text="如：春夏、秋冬、全年")
    start = forms.CharField(
        label="起始日期（月-日）", required=False, help_text="如 5-1；全年适用时起止都不填"
    )
    end = forms.CharField(label="截止日期（月-日）", required=False, help_text="如 9-30")
    morning_start = time_field("上午开始")
    morning_end = time_field("上午结束")
    afternoon_start = time_field("下午开始", required=False)
    afternoon_end = time_field("下午结束", required=False)

    @staticmethod
    def initial_for(hours: Any) -> dict[str, Any]:
        def md(month: int | None, day: int | None) -> str:
            return f"{month}-{day}" if month and day else ""

        return {
            "season": hours.season,
            "start": md(hours.start_month, hours.start_day),
            "end": md(hours.end_month, hours.end_day),
            "morning_start": hours.morning_start,
            "morning_end": hours.morning_end,
            "afternoon_start": hours.afternoon_start,
            "afternoon_end": hours.afternoon_end,
        }

    def clean_start(self) -> tuple[int, int] | None:
        return _month_day(self.cleaned_data["start"])

    def clean_end(self) -> tuple[int, int] | None:
        return _month_day(self.cleaned_data["end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("afternoon_start")) != bool(data.get("afternoon_end")):
            self.add_error("afternoon_end", "下午的开始和结束时间须同时填写，或都不填")
        return data


class CommitteeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=CommitteeKind.choices)
    parent = forms.ModelChoiceField(
        label="上级组织",
        queryset=Committee.objects.none(),
        required=False,
        empty_label="（无）",
        help_text="工作推进组、办公室等下设机构选择其所属的领导小组或联席会议",
    )
    office_location = forms.CharField(label="办公室设在", max_length=200, required=False)
    meeting_rule = forms.CharField(
        label="会议制度", max_length=100, required=False, help_text="如：每半年1次、每月1次"
    )
    duties = forms.CharField(label="职责", required=False, widget=text_area(4))
    order = forms.IntegerField(label="排序", initial=0, min_value=0, max_value=SMALL_INT_MAX)

    def __init__(
        self, *args: Any, host: Organization, committee: Committee | None = None, **kwargs: Any
    ) -> None:
        if committee is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": committee.name,
                    "kind": committee.kind,
                    "parent": committee.parent_id,
                    "office_location": committee.office_location,
                    "meeting_rule": committee.meeting_rule,
                    "duties": committee.duties,
                    "order": committee.order,
                },
            )
        super().__init__(*args, **kwargs)
        self.host, self.committee = host, committee
        set_choices(
            self, "parent", registry_pages.committee_parent_choices(host=host, committee=committee)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = normalize_name(data.get("name", ""))
        if name and registry_pages.committee_name_taken(
            host=self.host, parent=data.get("parent"), name=name, committee=self.committee
        ):
            self.add_error("name", f"{self.host.name}已有名为“{name}”的同级机构")
        return data


class CommitteeMemberForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label="身份", choices=MemberRole.choices)
    person_name = forms.CharField(label="姓名", max_length=50, required=False)
    post_text = forms.CharField(
        label="职务", max_length=200, required=False, help_text="按文件原文，如：市政府副市长"
    )
    organization_name = forms.CharField(
        label="单位", max_length=200, required=False, help_text="成员单位或成员所在单位"
    )
    organization = forms.ModelChoiceField(
        label="对应系统内单位",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不关联）",
    )
    liaison_name = forms.CharField(label="联络员", max_length=50, required=False)
    liaison_post = forms.CharField(label="联络员职务", max_length=200, required=False)
    order = forms.IntegerField(label="排序", initial=0, min_value=0, max_value=SMALL_INT_MAX)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organization", registry_pages.organization_choices(user=user))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_org = bool(data.get("organization_name") or data.get("organization"))
        if data.get("role") == MemberRole.MEMBER_ORGANIZATION and not has_org:
            self.add_error("organization_name", "成员单位须写明单位名称")
        elif not data.get("person_name") and not has_org:
            self.add_error("person_name", "请填写姓名或单位")
        return data
