"""Forms of the accountability, supervision, meeting and year-end pages. They read formats and
offer the choices the user's scope allows; the services keep the rules (Chinese messages on
the field), so most fields are optional here and the service says what is missing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from weijian.accounts.forms import BootstrapMixin
from weijian.orgs.models import Committee, Organization
from weijian.plans.models import Plan, Task
from weijian.reporting.models import AccountabilityStatus, ProposalKind
from weijian.reporting.services import year_end

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE, **kwargs)


def text_area(label: str, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "　" * getattr(obj, "depth", 0) + obj.name


# --- accountability ---------------------------------------------------------------------------


class AccountabilityFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *AccountabilityStatus.choices],
    )
    plan = forms.TypedChoiceField(label="方案", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", "全部方案")] + [  # type: ignore[attr-defined]
            (p.pk, p.title) for p in plans
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"status": "", "plan": None}
        return {"status": self.cleaned_data["status"], "plan": self.cleaned_data["plan"]}


class ExplainForm(BootstrapMixin, forms.Form):
    explanation = text_area("逾期未完成的原因", rows=4)
    new_due_on = date_field("延期完成时限")


class CloseForm(BootstrapMixin, forms.Form):
    decision = text_area("处理意见", help_text="如：同意延期至某日；予以约谈；列入年终考核扣分等")


# --- visits -----------------------------------------------------------------------------------


class VisitForm(BootstrapMixin, forms.Form):
    organization = OrganizationChoice(
        label="被督导单位", queryset=Organization.objects.none(), required=False
    )
    visited_on = date_field("督导日期")
    purpose = forms.CharField(label="督导事项", required=False, max_length=300)
    team = forms.CharField(
        label="督导组成员", required=False, max_length=300, help_text="如：张三（组长）、李四"
    )
    plan = forms.ModelChoiceField(
        label="相关方案", queryset=Plan.objects.none(), required=False, empty_label="（不限）"
    )
    summary = text_area("总体情况", rows=5)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Organization],
        plans: QuerySet[Plan],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units  # type: ignore[attr-defined]
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(visit: Any) -> dict[str, Any]:
        return {
            "organization": visit.organization_id,
            "visited_on": visit.visited_on,
            "purpose": visit.purpose,
            "team": visit.team,
            "plan": visit.plan_id,
            "summary": visit.summary,
        }


class TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class FindingForm(BootstrapMixin, forms.Form):
    text = text_area("发现的问题", rows=4)
    task = TaskChoice(
        label="相关任务", queryset=Task.objects.none(), required=False, empty_label="（无）"
    )
    rectify_by = date_field("整改时限")
    rectified = forms.BooleanField(label="已整改", required=False)

    def __init__(self, *args: Any, tasks: QuerySet[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]
        if not tasks.exists():
            del self.fields["task"]

    @staticmethod
    def initial_for(finding: Any) -> dict[str, Any]:
        return {
            "text": finding.text,
            "task": finding.task_id,
            "rectify_by": finding.rectify_by,
            "rectified": finding.rectified,
        }


class RaiseForm(BootstrapMixin, forms.Form):
    committee = forms.ModelChoiceField(
        label="提交到", queryset=Committee.objects.none(), required=False, empty_label="请选择"
    )

    def __init__(self, *args: Any, committees: QuerySet[Committee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["committee"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.name}（{c.get_kind_display()}，{c.host.name}）"
        )


# --- meetings ---------------------------------------------------------------------------------


class MeetingForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="会议名称", required=False, max_length=200)
    held_on = date_field("会议日期")
    location = forms.CharField(label="地点", required=False, max_length=200)
    chair = forms.CharField(label="主持人", required=False, max_length=100)
    attendees = text_area("参会人员")
    minutes = text_area("会议纪要", rows=8, help_text="会议的总体情况；各议题的决定在议题中记录")

    @staticmethod
    def initial_for(meeting: Any) -> dict[str, Any]:
        return {name: getattr(meeting, name) for name in MeetingForm.base_fields}


class ItemForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="议题", required=False, max_length=300)
    description = text_area("说明")
    decision = text_area("会议决定", rows=4)

    def __init__(self, *args: Any, decided: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not decided:
            del self.fields["decision"]

    @staticmethod
    def initial_for(item: Any) -> dict[str, Any]:
        return {"title": item.title, "description": item.description, "decision": item.decision}


class FollowUpForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="议定事项", required=False, max_length=300)
    organization = OrganizationChoice(
        label="责任单位（牵头）", queryset=Organization.objects.none(), required=False
    )
    due_on = date_field("完成时限")
    text = text_area("具体要求")

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units  # type: ignore[attr-defined]


# --- year end ---------------------------------------------------------------------------------


class ProposeForm(BootstrapMixin, forms.Form):
    top = forms.IntegerField(label="拟表扬单位数", initial=year_end.TOP, min_value=0, max_value=100)
    threshold = forms.FloatField(
        label="得分线",
        initial=year_end.THRESHOLD,
        min_value=0,
        max_value=1,
        help_text="年度平均得分低于此值的单位列入拟通报批评",
    )
    accountabilities = forms.IntegerField(
        label="问责次数",
        initial=year_end.ACCOUNTABILITIES,
        min_value=0,
        max_value=100,
        help_text="年内问责达到此次数的单位列入拟通报批评（0为不按问责次数）",
    )


class ProposalForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ProposalKind.choices)
    reason = text_area("理由")
    included = forms.BooleanField(label="列入名单", required=False)

    @staticmethod
    def initial_for(proposal: Any) -> dict[str, Any]:
        return {"kind": proposal.kind, "reason": proposal.reason, "included": proposal.included}


class ProposalAddForm(BootstrapMixin, forms.Form):
    organization = OrganizationChoice(
        label="单位", queryset=Organization.objects.none(), required=False
    )
    kind = forms.ChoiceField(label="类别", choices=ProposalKind.choices)
    reason = text_area("理由")

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units  # type: ignore[attr-defined]
