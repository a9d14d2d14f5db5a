"""`manage.py make_bulletin --plan ID --period YYYY-MM --out DIR [--cycle ID]`: the monthly notice
(通报) of a plan's reporting period, written as DIR/bulletin.docx and DIR/bulletin.pdf.

The period's expected reports are opened first (idempotent), as for reporting_status. Both files
are made in memory before either is written, so a missing font leaves no half notice behind; the
directory is created when missing. The export is written to the audit trail."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from weijian.core import audit
from weijian.core.documents import FontError, docx_bytes, pdf_bytes
from weijian.plans.models import Plan
from weijian.reporting.bulletin import bulletin_data, bulletin_document
from weijian.reporting.models import ReportingCycle
from weijian.reporting.periods import Period, PeriodError
from weijian.reporting.services.expected import open_period

SOURCE = "manage.py make_bulletin"
FREQUENCIES = {"month": "月度", "quarter": "季度", "half_year": "半年", "year": "年度"}


class Command(BaseCommand):
    help = (
        "生成某方案某填报期间的通报（各单位排名、逾期和未报送单位、进展滞后的任务），"
        "写入 DIR/bulletin.docx 和 DIR/bulletin.pdf。期间格式：2024-05（月）、2024-Q2（季）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="方案编号")
        parser.add_argument("--period", required=True, help="填报期间，如 2024-05")
        parser.add_argument("--out", required=True, help="输出目录（不存在时创建）")
        parser.add_argument("--cycle", type=int, help="填报周期编号（方案有多个同频次周期时指定）")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("owner").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"编号为 {options['plan']} 的方案不存在。")
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        out = _out_dir(options["out"])
        cycle = _cycle(plan, period, options.get("cycle"))
        open_period(cycle, period, source=SOURCE)
        data = bulletin_data(cycle, period)
        document = bulletin_document(data, today=timezone.localdate())
        try:
            files = {"bulletin.docx": docx_bytes(document), "bulletin.pdf": pdf_bytes(document)}
        except FontError as exc:
            raise CommandError(str(exc)) from None
        written = _write(out, files)
        _audit(cycle, period, data.title, files)
        self.stdout.write(
            f"已生成通报“{data.title}”：{'、'.join(str(path) for path in written)}"
            f"（{len(data.units)}个单位，逾期报送{len(data.late)}个，未报送{len(data.missing)}个，"
            f"进展滞后的任务{len(data.lagging)}项）"
        )


def _out_dir(value: str) -> Path:
    out = Path(value).expanduser()
    if out.exists() and not out.is_dir():
        raise CommandError(f"输出位置“{value}”已存在且不是目录。")
    return out


def _cycle(plan: Plan, period: Period, pk: int | None) -> ReportingCycle:
    frequency = FREQUENCIES[period.frequency]
    cycles = ReportingCycle.objects.select_related("plan__owner").filter(
        plan=plan, frequency=period.frequency
    )
    if pk is not None:
        cycle = cycles.filter(pk=pk).first()
        if cycle is None:
            raise CommandError(f"方案“{plan.title}”没有编号为 {pk} 的{frequency}填报周期。")
        return cycle
    found = list(cycles.filter(is_active=True)[:2])
    if not found:
        raise CommandError(f"方案“{plan.title}”没有{frequency}填报周期。")
    if len(found) > 1:
        raise CommandError(f"方案“{plan.title}”有多个{frequency}填报周期，请用 --cycle 指定。")
    return found[0]


def _write(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Each file through a temporary one in the same directory, renamed into place."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in files.items():
            handle, temporary = tempfile.mkstemp(dir=out, prefix=f".{name}.")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, out / name)
            written.append(out / name)
    except OSError as exc:
        raise CommandError(f"无法写入输出目录“{out}”：{exc.strerror or exc}") from None
    return written


def _audit(cycle: ReportingCycle, period: Period, title: str, files: dict[str, bytes]) -> None:
    audit.record(
        action="data.export",
        actor=None,
        obj=cycle,
        organization=cycle.plan.owner,
        username=SOURCE,
        summary={
            "what": f"通报：{title}",
            "period": period.key,
            "format": "docx+pdf",
            "bytes": sum(len(data) for data in files.values()),
        },
    )
