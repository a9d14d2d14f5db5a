"""The unit's report as an Excel round trip: download the period's template (one row per task,
pre-filled with the previous period's values where this period is still empty), fill it in
offline, upload it, see per row what changes and which rows are wrong, then confirm.

The key column (the report's id) is hidden and locked: it ties a row to its report whatever the
user does with the order of the rows. Reading is pure: it returns rows and row-level errors and
writes nothing; `services.submission.report_import_apply` writes the confirmed rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from weijian.core.exports import FORMULA_STARTS
from weijian.core.xlsx import Sheet, workbook
from weijian.plans.models import Target
from weijian.reporting.models import ProgressReport, ReportStatus, TaskStatus
from weijian.reporting.models.reports import EDITABLE_STATES
from weijian.reporting.selectors import target_text, task_role_label
from weijian.reporting.services.submission import STATUS_NAMES, TEXT_FIELDS, Draft

SHEET = "进展报告"
KEY = "报告编号"
STATUS = "任务状态"
PERCENT = "完成比例（%）"
VALUES = "指标当前值"
TEXT_COLUMNS = {
    "progress": "工作进展",
    "shortfall_reason": "未完成原因",
    "difficulties": "困难和问题",
    "next_steps": "下步打算",
}
COLUMNS = (
    KEY,
    "任务编号",
    "任务名称",
    "承担角色",
    "量化目标",
    STATUS,
    PERCENT,
    TEXT_COLUMNS["progress"],
    VALUES,
    TEXT_COLUMNS["shortfall_reason"],
    TEXT_COLUMNS["difficulties"],
    TEXT_COLUMNS["next_steps"],
)
EDITABLE_COLUMNS = (STATUS, PERCENT, VALUES, *TEXT_COLUMNS.values())
REQUIRED_COLUMNS = (KEY, *EDITABLE_COLUMNS)
STATUS_BY_LABEL = {label: value for value, label in TaskStatus.choices}
_PAIR = re.compile(r"^(?P<name>[^=＝:：]*)[=＝:：](?P<value>.*)$")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
_NUMBER = re.compile(r"^(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?P<rest>.*)$")
INSTRUCTIONS = (
    "每行是本单位本期的一项任务；第一列“报告编号”已隐藏，请不要增加、删除或复制行。",
    f"任务状态从下拉列表中选择：{STATUS_NAMES}。",
    "完成比例填0到100之间的整数；任务状态为已完成时应为100。",
    "指标当前值每行一项，写成“指标名=数值”，如：每千人口执业医师数=3.2；没有量化目标的任务留空。",
    "任务滞后或指标未达到目标时，必须填写未完成原因。",
    "本期尚未填写的任务已按上期填报的内容预填，请逐项核对更新。",
    "上传后先预览每行的修改和错误，确认后保存为草稿；报送仍需在填报页面点击“报送本期报告”。",
)


# --- the template -------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _template_row(report: ProgressReport, source: ProgressReport) -> list[Any]:
    targets = list(report.task.targets.all())
    values = {value.target_id: value.value for value in source.values.all()}
    status = TaskStatus(source.task_status).label if source.task_status else ""
    return [
        report.pk,
        report.task.path or report.task.label,
        report.task.title,
        task_role_label(report),
        "\n".join(target_text(target) for target in targets),
        status,
        source.percent,
        source.progress,
        "\n".join(f"{t.indicator.name}={_number(values.get(t.pk))}" for t in targets),
        source.shortfall_reason,
        source.difficulties,
        source.next_steps,
    ]


def template_book(
    *,
    reports: Sequence[ProgressReport],
    previous: Mapping[int, ProgressReport],
    heading: str,
) -> Workbook:
    """The template: a report never saved this period is pre-filled from the previous
    period's report of the same task (`previous`, by task id)."""
    rows = [
        _template_row(
            report,
            previous.get(report.task_id, report)
            if report.status == ReportStatus.PENDING
            else report,
        )
        for report in reports
    ]
    notes = [[heading], *([line] for line in INSTRUCTIONS)]
    book = workbook([Sheet(SHEET, COLUMNS, rows), Sheet("填写说明", ["填写说明"], notes)])
    _protect(book[SHEET], len(rows))
    return book


def _protect(ws: Any, count: int) -> None:
    """Hide and lock the key column, lock the task columns, offer the status list."""
    ws.column_dimensions["A"].hidden = True
    last = count + 1
    status_column = get_column_letter(COLUMNS.index(STATUS) + 1)
    percent_column = get_column_letter(COLUMNS.index(PERCENT) + 1)
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(TaskStatus.labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="任务状态",
        error=f"请从列表中选择：{STATUS_NAMES}",
    )
    percents = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成比例",
        error="请填写0到100之间的整数",
    )
    ws.add_data_validation(statuses)
    ws.add_data_validation(percents)
    if count:
        statuses.add(f"{status_column}2:{status_column}{last}")
        percents.add(f"{percent_column}2:{percent_column}{last}")
    editable = {COLUMNS.index(name) + 1 for name in EDITABLE_COLUMNS}
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell in row:
            if cell.column in editable:
                cell.protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.formatRows = False  # rows may grow to show long text


def template_bytes(
    *,
    reports: Sequence[ProgressReport],
    previous: Mapping[int, ProgressReport],
    unit: str,
    period_label: str,
) -> bytes:
    book = template_book(
        reports=reports, previous=previous, heading=f"填报单位：{unit}；填报期间：{period_label}"
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_filename(unit: str, period_label: str) -> str:
    """莲花县卫生健康委员会2024年5月进展报告-202405201530.xlsx."""
    stem = _UNSAFE.sub("_", f"{unit}{period_label}进展报告").strip("_.")[:80]
    return f"{stem}-{timezone.localtime().strftime('%Y%m%d%H%M')}.xlsx"


# --- reading an upload --------------------------------------------------------------------


class ExcelError(ValueError):
    """A file that cannot be read as the template; the message is for the user."""


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class ImportRow:
    line: int
    report: ProgressReport
    draft: Draft
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[str]

    @property
    def changed(self) -> list[ImportRow]:
        return [row for row in self.rows if row.changes]


def read_sheet(upload: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """(line, {column: cell}) for every non-empty row under the header of the template."""
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExcelError("无法读取该文件，请上传本页下载的Excel模板（.xlsx）") from exc
    try:
        ws = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = ws.iter_rows()
        header = [_text(cell.value) for cell in next(rows, ())]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            names = "、".join(f"“{name}”" for name in missing)
            raise ExcelError(f"表头缺少{names}列，请使用本页下载的模板")
        found = []
        for line, row in enumerate(rows, start=2):
            cells = {header[i]: cell for i, cell in enumerate(row) if i < len(header)}
            if any(_text(cell.value) for cell in cells.values()):
                found.append((line, cells))
        return found
    finally:
        book.close()


def _text(value: Any) -> str:
    """A cell as text; the quote `safe_cell` put before a formula-like text is dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def parse_rows(
    rows: Iterable[tuple[int, Mapping[str, Any]]], reports: Mapping[int, ProgressReport]
) -> ImportResult:
    """Check each row against the unit's reports for the period (`reports`, by id, with
    their values and their tasks' targets prefetched)."""
    result = ImportResult(rows=[], errors=[])
    seen: dict[int, int] = {}
    for line, cells in rows:
        errors: list[str] = []
        report = _report(line, cells.get(KEY), reports, seen, errors)
        if report is None:
            result.errors.extend(errors)
            continue
        draft = _draft(line, cells, list(report.task.targets.all()), errors)
        if draft is None:
            result.errors.extend(errors)
            continue
        result.rows.append(ImportRow(line, report, draft, changes(report, draft)))
    if not result.rows and not result.errors:
        result.errors.append("文件中没有任务行，请使用本页下载的模板填写")
    return result


def _report(
    line: int,
    cell: Any,
    reports: Mapping[int, ProgressReport],
    seen: dict[int, int],
    errors: list[str],
) -> ProgressReport | None:
    key = _text(cell.value if cell is not None else None)
    if not key:
        errors.append(f"第{line}行：缺少报告编号，请在本页下载的模板中填写，不要增加或复制行")
        return None
    report = reports.get(int(key)) if key.isdigit() else None
    if report is None:
        errors.append(f"第{line}行：报告编号“{key}”不是本单位本期的报告，请使用本期下载的模板")
        return None
    if report.pk in seen:
        errors.append(
            f"第{line}行：与第{seen[report.pk]}行是同一任务（报告编号{key}），请删除重复行"
        )
        return None
    seen[report.pk] = line
    if report.status not in EDITABLE_STATES:
        errors.append(
            f"第{line}行：任务“{report.task}”的报告{report.get_status_display()}，不能再修改"
        )
        return None
    return report


def _draft(
    line: int, cells: Mapping[str, Any], targets: list[Target], errors: list[str]
) -> Draft | None:
    status_text = _text(cells[STATUS].value) if STATUS in cells else ""
    status = STATUS_BY_LABEL.get(status_text, "")
    if status_text and not status:
        errors.append(f"第{line}行：任务状态“{status_text}”无法识别，应为 {STATUS_NAMES}")
    percent = _percent(line, cells.get(PERCENT), errors)
    values = _values(line, _text(cells[VALUES].value) if VALUES in cells else "", targets, errors)
    texts = {
        name: _text(cells[column].value) if column in cells else ""
        for name, column in TEXT_COLUMNS.items()
    }
    if errors:
        return None
    return Draft(task_status=status, percent=percent, values=values, **texts)


def _percent(line: int, cell: Any, errors: list[str]) -> int | None:
    value = cell.value if cell is not None else None
    if value is None or _text(value) == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if "%" in (getattr(cell, "number_format", "") or "") and number <= 1:
            number *= 100
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[%％]?\s*", str(value))
        number = float(match.group(1)) if match else -1.0
    if not number.is_integer() or not 0 <= number <= 100:
        errors.append(f"第{line}行：完成比例“{_text(value)}”应为0到100之间的整数")
        return None
    return int(number)


def _values(
    line: int, text: str, targets: list[Target], errors: list[str]
) -> dict[int, float | None]:
    """“指标名=数值” lines → target pk → value (a target not written has no value)."""
    values: dict[int, float | None] = {target.pk: None for target in targets}
    lines = [part.strip() for part in re.split(r"[\n；;]+", text) if part.strip()]
    if lines and not targets:
        errors.append(f"第{line}行：该任务没有量化目标，指标当前值应留空")
        return values
    by_name = {target.indicator.name: target for target in targets}
    names = "、".join(by_name)
    for part in lines:
        match = _PAIR.match(part)
        if match is None and len(targets) == 1:
            name, raw = targets[0].indicator.name, part
        elif match is None:
            errors.append(f"第{line}行：指标当前值“{part}”应写成“指标名=数值”，每行一项")
            continue
        else:
            name, raw = match["name"].strip(), match["value"].strip()
        target = by_name.get(name)
        if target is None:
            errors.append(f"第{line}行：指标“{name}”不是该任务的目标，应为：{names}")
            continue
        if raw:
            number = _indicator_number(raw, target)
            if number is None:
                errors.append(f"第{line}行：指标“{name}”的当前值“{raw}”不是数字")
            values[target.pk] = number
    return values


def _indicator_number(raw: str, target: Target) -> float | None:
    """3.2 · 3.2人 · 95% (the target's unit may follow the number)."""
    match = _NUMBER.match(raw.replace(",", "").replace("，", ""))
    if match is None:
        return None
    rest = match["rest"].strip()
    if rest and rest not in {target.unit, target.indicator.unit, "%", "％"}:
        return None
    return float(match["number"])


# --- what changes -------------------------------------------------------------------------


def _status_label(value: str) -> str:
    return TaskStatus(value).label if value else ""


def changes(report: ProgressReport, draft: Draft) -> list[Change]:
    """The fields the draft changes in the report, with their labels, before and after."""
    found: list[Change] = []

    def compare(label: str, before: str, after: str) -> None:
        if before != after:
            found.append(Change(label, before, after))

    compare(STATUS, _status_label(report.task_status), _status_label(draft.task_status))
    compare(PERCENT, _number(report.percent), _number(draft.percent))
    stored = {value.target_id: value.value for value in report.values.all()}
    for target in report.task.targets.all():
        compare(
            target.indicator.name,
            _number(stored.get(target.pk)),
            _number(draft.values.get(target.pk)),
        )
    for name in TEXT_FIELDS:
        compare(TEXT_COLUMNS[name], getattr(report, name), getattr(draft, name))
    return found
