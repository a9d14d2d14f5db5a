"""Forms of the review and cycle pages. They read formats and offer choices; the services in
`services.review` and `services.cycles` keep the rules (with Chinese messages on the field)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from weijian.accounts.forms import BootstrapMixin
from weijian.plans.models import Plan, Task
from weijian.reporting.models import DueRule, ReportingCycle, ReportStatus
from weijian.reporting.periods import Frequency, Period
from weijian.reporting.services.cycles import CYCLE_FIELDS
from weijian.reporting.services.review import REASON_LENGTH

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REOPEN_DAYS = 7

# --- review -----------------------------------------------------------------------------------

WAITING = ""
STATUS_CHOICES = [
    (WAITING, "待本级办理"),
    (ReportStatus.SUBMITTED.value, ReportStatus.SUBMITTED.label),
    (ReportStatus.APPROVED.value, ReportStatus.APPROVED.label),
    (ReportStatus.ACCEPTED.value, ReportStatus.ACCEPTED.label),
    (ReportStatus.RETURNED.value, ReportStatus.RETURNED.label),
]


class QueueFilterForm(BootstrapMixin, forms.Form):
    cycle = forms.TypedChoiceField(label="填报周期", required=False, coerce=int, empty_value=None)
    period = forms.ChoiceField(label="填报期间", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_CHOICES)

    def __init__(
        self, *args: Any, cycles: list[ReportingCycle], periods: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", "全部周期")] + [  # type: ignore[attr-defined]
            (c.pk, f"{c.plan.title} · {c.name}") for c in cycles
        ]
        self.fields["period"].choices = [("", "全部期间")] + [  # type: ignore[attr-defined]
            (key, Period.parse(key).label) for key in periods
        ]

    def filters(self) -> dict[str, Any]:
        """The chosen filters; an invalid choice counts as no choice."""
        if not self.is_valid():
            return {"cycle": None, "period": "", "status": WAITING}
        return {k: self.cleaned_data[k] for k in ("cycle", "period", "status")}


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="退回原因",
        required=False,  # the service says 请填写退回原因 in Chinese
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="将显示给填报单位，请写明需要修改或补充的内容",
    )


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="重新开放原因",
        required=False,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    until = forms.DateField(label="开放至", required=False, widget=DATE)

    @staticmethod
    def default_initial() -> dict[str, Any]:
        return {"until": timezone.localdate() + datetime.timedelta(days=REOPEN_DAYS)}


class BulkAcceptForm(forms.Form):
    """The queue's checkboxes: each names a unit report as cycle|period|organization."""

    selected = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = self.data.getlist("selected") if hasattr(self.data, "getlist") else []
        self.fields["selected"].choices = [(v, v) for v in values]  # type: ignore[attr-defined]

    def groups(self) -> dict[tuple[int, str], list[int]]:
        """{(cycle, period): [organization, …]}; malformed values are left out."""
        found: dict[tuple[int, str], list[int]] = {}
        if not self.is_valid():
            return found
        for value in self.cleaned_data["selected"]:
            parts = value.split("|")
            if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
                continue
            found.setdefault((int(parts[0]), parts[1]), []).append(int(parts[2]))
        return found


# --- cycles -----------------------------------------------------------------------------------


def _task_label(task: Task) -> str:
    indent = "\u3000" * task.path.count(".")
    return f"{indent}{task.path} {task.title}".rstrip()


class TaskChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _task_label(obj)


class CycleForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", required=False, help_text="如：月度进展填报")
    frequency = forms.ChoiceField(label="填报频次", choices=Frequency.choices)
    due_rule = forms.ChoiceField(label="截止规则", choices=DueRule.choices)
    due_day = forms.IntegerField(
        label="截止日",
        required=False,
        help_text="截止规则为“期末月的某日前”时使用：期末月的第几日，超过当月天数按月末计",
    )
    days_after = forms.IntegerField(
        label="期满后天数",
        required=False,
        help_text="截止规则为“期满后若干日内”时使用，最多90天",
    )
    next_workday = forms.BooleanField(label="截止日遇节假日顺延至下一个工作日", required=False)
    window_days = forms.IntegerField(
        label="填报窗口（天）",
        required=False,
        help_text="截止日前多少天开放填报；不填则期初即可填报",
    )
    lock_after_days = forms.IntegerField(
        label="逾期锁定（天）",
        required=False,
        help_text="截止后多少天锁定，锁定后须上级单位重新开放才能补报；不填则不锁定",
    )
    include_partners = forms.BooleanField(label="配合单位也须填报", required=False)
    tasks = TaskChoice(
        label="填报任务",
        queryset=Task.objects.none(),
        required=False,
        help_text="按住 Ctrl 可多选；不选则为方案中所有有牵头或责任单位的任务",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    weight_achievement = forms.FloatField(label="目标完成权重", required=False)
    weight_completeness = forms.FloatField(label="报送率权重", required=False)
    weight_timeliness = forms.FloatField(label="及时率权重", required=False)
    starts_on = forms.DateField(
        label="起始日期", required=False, widget=DATE, help_text="第一个填报期间包含此日"
    )
    ends_on = forms.DateField(label="结束日期", required=False, widget=DATE)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tasks = self.fields["tasks"]
        tasks.queryset = plan.tasks.order_by("order", "pk")  # type: ignore[attr-defined]

    @staticmethod
    def initial_new() -> dict[str, Any]:
        return {
            "name": "月度进展填报",
            "frequency": Frequency.MONTH,
            "due_rule": DueRule.DAY_OF_MONTH,
            "due_day": 30,
            "days_after": 0,
            "weight_achievement": 0.4,
            "weight_completeness": 0.3,
            "weight_timeliness": 0.3,
            "starts_on": timezone.localdate().replace(day=1),
        }

    @staticmethod
    def initial_for(cycle: ReportingCycle) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(cycle, name) for name in CYCLE_FIELDS}
        initial["tasks"] = list(cycle.tasks.values_list("pk", flat=True))
        return initial


class OpenPeriodForm(forms.Form):
    period = forms.CharField(max_length=7)
