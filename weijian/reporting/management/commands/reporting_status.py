"""`manage.py reporting_status --plan ID --period YYYY-MM [--cycle ID] [--json]`: per unit, the
expected, submitted, on-time and accepted reports of the period, completeness, timeliness,
target achievement, score and rank. The period's expected reports are opened first (idempotent)."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weijian.core.dates import chinese_date
from weijian.plans.models import Plan
from weijian.reporting.models import ReportingCycle
from weijian.reporting.periods import Period, PeriodError
from weijian.reporting.services.expected import open_period
from weijian.reporting.status import region_figures, task_figures, unit_status


class Command(BaseCommand):
    help = (
        "按单位统计某方案某填报期间的应报、已报、按时、已通过数，报送率、及时率、目标完成率、"
        "得分和位次。期间格式：2024-05（月）、2024-Q2（季）、2024-H1（半年）、2024（年）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="方案编号")
        parser.add_argument("--period", required=True, help="填报期间，如 2024-05")
        parser.add_argument("--cycle", type=int, help="填报周期编号（方案有多个同频次周期时指定）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument(
            "--by",
            choices=["unit", "task", "region"],
            default="unit",
            help="统计口径：按单位（默认，含得分和位次）、按任务或按区划",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"编号为 {options['plan']} 的方案不存在。")
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        cycle = self._cycle(plan, period, options.get("cycle"))
        open_period(cycle, period, source="manage.py reporting_status")
        if options["by"] != "unit":
            self._groups(plan, cycle, period, options["by"], as_json=options["json"])
            return
        units = unit_status(cycle, period.key)
        if options["json"]:
            result = {
                "plan": plan.pk,
                "period": period.key,
                "cycle": cycle.pk,
                "units": [unit.to_json() for unit in units],
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self._table(plan, cycle, period, units)

    def _cycle(self, plan: Plan, period: Period, pk: int | None) -> ReportingCycle:
        cycles = ReportingCycle.objects.filter(plan=plan, frequency=period.frequency)
        if pk is not None:
            cycle = cycles.filter(pk=pk).first()
            if cycle is None:
                raise CommandError(
                    f"方案“{plan.title}”没有编号为 {pk} 的{_frequency(period)}填报周期。"
                )
            return cycle
        found = list(cycles.filter(is_active=True)[:2])
        if not found:
            raise CommandError(f"方案“{plan.title}”没有{_frequency(period)}填报周期。")
        if len(found) > 1:
            raise CommandError(
                f"方案“{plan.title}”有多个{_frequency(period)}填报周期，请用 --cycle 指定。"
            )
        return found[0]

    def _groups(
        self, plan: Plan, cycle: ReportingCycle, period: Period, by: str, *, as_json: bool
    ) -> None:
        figures = (task_figures if by == "task" else region_figures)(cycle, period.key)
        if as_json:
            key = "tasks" if by == "task" else "regions"
            result = {"plan": plan.pk, "period": period.key, "cycle": cycle.pk}
            result[key] = [row.to_json() for row in figures]  # type: ignore[assignment]
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{plan.title}　{cycle.name}　{period.label}（按{BY[by]}）")
        for row in figures:
            self.stdout.write(
                f"{_pad(row.key + ' ' + row.label[:16], 40)}应报 {row.expected:>5}  已报 "
                f"{row.submitted:>5}  按时 {row.on_time:>5}  报送率 {row.completeness:>6.1%}  "
                f"及时率 {row.timeliness:>6.1%}"
            )

    def _table(self, plan: Plan, cycle: ReportingCycle, period: Period, units: list[Any]) -> None:
        due = chinese_date(cycle.due_date(period))
        self.stdout.write(f"{plan.title}　{cycle.name}　{period.label}（截止 {due}）")
        self.stdout.write(HEADER)
        for unit in units:
            achievement = "—" if unit.achievement is None else f"{unit.achievement:.0%}"
            self.stdout.write(
                f"{unit.rank:>4}  {_pad(unit.unit[:14], 16)}{unit.expected:>6}{unit.submitted:>5}"
                f"{unit.on_time:>5}{unit.accepted:>5}  {unit.completeness:>6.0%}  "
                f"{unit.timeliness:>6.0%}  {achievement:>8}  {unit.score:.3f}"
            )
        if not units:
            self.stdout.write("该期间没有应报单位（任务未分配到已启用的单位，或单位尚未成立）。")


HEADER = "位次  单位              应报 已报 按时 通过  报送率  及时率  目标完成  得分"
BY = {"task": "任务", "region": "区划"}
FREQUENCIES = {"month": "月度", "quarter": "季度", "half_year": "半年", "year": "年度"}


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, counting Chinese characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


def _frequency(period: Period) -> str:
    return FREQUENCIES[period.frequency]
