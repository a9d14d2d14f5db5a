"""The monthly notice (通报) of a cycle × period: its figures and its editable parts, made into a
公文 for weijian.core.documents.

The figures are computed: the ranking of the units by score (status.unit_status: the cycle's
weights of target achievement, completeness and timeliness), the units that reported late or
not at all, and the lagging tasks (submitted reports whose task is 滞后 or whose reported value
misses a target). The editable parts are the `Bulletin` row of the cycle × period: title, 文号,
narrative (总体情况) and the 抄送 list; until someone saves one, a default title is used.

A few queries whatever the number of units: the two of unit_status, one for the lagging
reports and one for their missed targets."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from weijian.core.documents import Document, Heading, Paragraph, Table
from weijian.core.documents.model import Align
from weijian.plans.selectors import target_value
from weijian.reporting.models import (
    Bulletin,
    ProgressReport,
    ReportingCycle,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.models.reports import SUBMITTED_STATES
from weijian.reporting.periods import Period
from weijian.reporting.status import UnitStatus, met_case, unit_status

ADDRESSEE = "各有关单位"
RANKING_HEADER = ["位次", "单位", "应报", "已报", "按时", "报送率", "及时率", "目标完成率", "得分"]
RANKING_WIDTHS = [2.2, 9, 2.2, 2.2, 2.2, 3.2, 3.2, 3.6, 2.6]
RANKING_ALIGN: list[Align] = [
    *("center", "left", "right", "right", "right", "right", "right", "right", "right")
]
LAGGING_HEADER = ["序号", "任务", "责任单位", "进度", "未达目标及原因"]
LAGGING_WIDTHS = [2.2, 8, 6, 3.4, 10.8]
LAGGING_ALIGN: list[Align] = ["center", "left", "left", "center", "left"]
TABLE_PT = 10.5  # 五号: the tables of a notice hold nine columns


@dataclass(frozen=True)
class LaggingTask:
    task: str  # 一.2 降低孕产妇死亡率
    unit: str
    status: str  # 滞后, 推进中 … ("" when not stated)
    percent: int | None
    unmet: list[str]  # 孕产妇死亡率当前12/10万（目标≤10/10万）
    reason: str

    @property
    def progress(self) -> str:
        percent = f"{self.percent}%" if self.percent is not None else ""
        return "，".join(part for part in (self.status, percent) if part)

    @property
    def explanation(self) -> str:
        parts = [*self.unmet]
        if self.reason:
            parts.append(f"原因：{self.reason}")
        return "；".join(parts)


@dataclass
class BulletinData:
    cycle: ReportingCycle
    period: Period
    bulletin: Bulletin
    units: list[UnitStatus]
    lagging: list[LaggingTask] = field(default_factory=list)

    @property
    def late(self) -> list[UnitStatus]:
        """Units with reports submitted after the due moment, the latest first."""
        return sorted((u for u in self.units if u.late), key=lambda u: (-u.late, u.unit))

    @property
    def missing(self) -> list[UnitStatus]:
        """Units with reports not submitted at all, the most missing first."""
        return sorted((u for u in self.units if u.missing), key=lambda u: (-u.missing, u.unit))

    @property
    def expected(self) -> int:
        return sum(unit.expected for unit in self.units)

    @property
    def submitted(self) -> int:
        return sum(unit.submitted for unit in self.units)

    @property
    def on_time(self) -> int:
        return sum(unit.on_time for unit in self.units)

    @property
    def completeness(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def timeliness(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    @property
    def title(self) -> str:
        return self.bulletin.title or default_title(self.cycle, self.period)

    @property
    def cc(self) -> list[str]:
        return cc_names(self.bulletin.cc)

    @property
    def weights(self) -> tuple[float, float, float]:
        """The cycle's weights of achievement, completeness and timeliness, as shares of 1."""
        cycle = self.cycle
        raw = (cycle.weight_achievement, cycle.weight_completeness, cycle.weight_timeliness)
        total = sum(raw)
        if not total:
            return (0.0, 0.0, 0.0)
        return (raw[0] / total, raw[1] / total, raw[2] / total)


def default_title(cycle: ReportingCycle, period: Period) -> str:
    return f"关于{period.label}《{cycle.plan.title}》任务进展情况的通报"


def cc_names(text: str) -> list[str]:
    """The 抄送 list as typed: one unit or office a line (commas and 、 also separate)."""
    names = text.replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines()
    return [name.strip().rstrip("。.") for name in names if name.strip().rstrip("。.")]


def bulletin_get(cycle: ReportingCycle, period: Period) -> Bulletin:
    """The saved notice of the cycle × period, or an unsaved one with the default title."""
    found = Bulletin.objects.filter(cycle=cycle, period=period.key).first()
    return found or Bulletin(cycle=cycle, period=period.key, title=default_title(cycle, period))


def bulletin_data(cycle: ReportingCycle, period: Period) -> BulletinData:
    return BulletinData(
        cycle=cycle,
        period=period,
        bulletin=bulletin_get(cycle, period),
        units=unit_status(cycle, period.key),
        lagging=lagging_tasks(cycle, period.key),
    )


# --- lagging tasks ---------------------------------------------------------------------------


def _missed_values(cycle: ReportingCycle, period: str) -> QuerySet[TargetValue]:
    values = TargetValue.objects.filter(
        report__cycle=cycle, report__period=period, report__status__in=SUBMITTED_STATES
    )
    return values.annotate(met=met_case()).filter(met=0)


def lagging_tasks(cycle: ReportingCycle, period: str) -> list[LaggingTask]:
    """Submitted reports whose task is 滞后 or that miss a target (status.met_case, the rule of
    the ranking: a value not given misses), in task order."""
    missed = _missed_values(cycle, period)
    reports = (
        ProgressReport.objects.filter(cycle=cycle, period=period, status__in=SUBMITTED_STATES)
        .filter(Q(task_status=TaskStatus.LAGGING) | Q(pk__in=missed.values("report_id")))
        .select_related("task", "organization")
        .order_by("task__order", "task_id", "organization__name")
    )
    unmet: dict[int, list[str]] = defaultdict(list)
    for value in missed.select_related("target__indicator").order_by("target_id"):
        unmet[value.report_id].append(_missed_text(value))
    return [
        LaggingTask(
            task=str(report.task),
            unit=report.organization.name,
            status=report.get_task_status_display() if report.task_status else "",
            percent=report.percent,
            unmet=unmet.get(report.pk, []),
            reason=report.shortfall_reason.strip(),
        )
        for report in reports
    ]


def _missed_text(value: TargetValue) -> str:
    target = value.target
    goal = f"目标{target.get_comparator_display()}{target_value(target)}{target.unit}"
    if value.value is None:
        return f"{target.indicator.name}未填报当前值（{goal}）"
    return f"{target.indicator.name}当前{value.value:g}{target.unit}（{goal}）"


# --- the document ----------------------------------------------------------------------------


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def share(weight: float) -> str:
    """A weight as people write it: 40%, 33.3%."""
    return f"{round(weight * 100, 1):g}%"


def bulletin_document(data: BulletinData, *, today: datetime.date) -> Document:
    """The notice as a 公文: 总体情况, 各单位排名, 逾期报送和未报送单位, 进展滞后的任务."""
    owner = data.cycle.plan.owner.name
    blocks = [
        Paragraph(
            f"根据《{data.cycle.plan.title}》{data.cycle.name}要求，现将{data.period.label}"
            "各单位任务进展报送情况通报如下。"
        ),
        *_overview(data),
        *_ranking(data),
        *_late_and_missing(data),
        *_lagging(data),
    ]
    return Document(
        title=data.title,
        number=data.bulletin.number,
        addressee=ADDRESSEE,
        blocks=blocks,
        issuer=owner,
        date=today,
        cc=data.cc,
        printer=owner,
        printed_on=today,
    )


def _overview(data: BulletinData) -> list[Heading | Paragraph | Table]:
    summary = (
        f"本期应报送进展报告的单位{len(data.units)}个、报告{data.expected}份，"
        f"已报送{data.submitted}份，报送率{percent(data.completeness)}；"
        f"按时报送{data.on_time}份，及时率{percent(data.timeliness)}。"
        f"逾期报送的单位{len(data.late)}个，未报送的单位{len(data.missing)}个，"
        f"进展滞后或未达到目标的任务{len(data.lagging)}项。"
    )
    narrative = [line.strip() for line in data.bulletin.narrative.splitlines() if line.strip()]
    return [Heading("总体情况"), Paragraph(summary), *(Paragraph(line) for line in narrative)]


def _ranking(data: BulletinData) -> list[Heading | Paragraph | Table]:
    achievement, completeness, timeliness = data.weights
    method = (
        f"按目标完成率、报送率、及时率分别占{share(achievement)}、{share(completeness)}、"
        f"{share(timeliness)}的权重综合计分（满分100分；没有量化目标的单位按报送率和及时率"
        "计分），各单位排名如下："
    )
    if not data.units:
        return [Heading("各单位排名"), Paragraph("本期没有应报送进展报告的单位。")]
    rows = ranking_rows(data.units)
    table = Table(RANKING_HEADER, rows, RANKING_WIDTHS, RANKING_ALIGN, size=TABLE_PT)
    return [Heading("各单位排名"), Paragraph(method), table]


def ranking_rows(units: list[UnitStatus]) -> list[list[str]]:
    """The ranking table's rows: rates in per cent, the score out of 100."""
    return [
        [
            str(unit.rank),
            unit.unit,
            str(unit.expected),
            str(unit.submitted),
            str(unit.on_time),
            percent(unit.completeness),
            percent(unit.timeliness),
            percent(unit.achievement),
            f"{unit.score * 100:.1f}",
        ]
        for unit in units
    ]


def unit_counts(units: list[UnitStatus], count: str) -> str:
    """莲花县人民医院（2份）、… 。 or 无。"""
    if not units:
        return "无。"
    return "、".join(f"{unit.unit}（{getattr(unit, count)}份）" for unit in units) + "。"


def _late_and_missing(data: BulletinData) -> list[Heading | Paragraph | Table]:
    return [
        Heading("逾期报送和未报送单位"),
        Heading("逾期报送的单位", 2),
        Paragraph(unit_counts(data.late, "late")),
        Heading("未报送的单位", 2),
        Paragraph(unit_counts(data.missing, "missing")),
    ]


def _lagging(data: BulletinData) -> list[Heading | Paragraph | Table]:
    if not data.lagging:
        return [Heading("进展滞后的任务"), Paragraph("本期没有进展滞后或未达到目标的任务。")]
    rows = [
        [str(number), task.task, task.unit, task.progress, task.explanation]
        for number, task in enumerate(data.lagging, start=1)
    ]
    table = Table(LAGGING_HEADER, rows, LAGGING_WIDTHS, LAGGING_ALIGN, size=TABLE_PT)
    intro = "以下任务进展滞后或当前值未达到目标，请责任单位分析原因、加快推进："
    return [Heading("进展滞后的任务"), Paragraph(intro), table]
