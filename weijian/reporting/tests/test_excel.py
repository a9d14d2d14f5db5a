"""The Excel round trip of a unit's report: the template (opened with openpyxl), the upload's
preview with row-level errors, the confirmation that writes drafts."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from weijian.core.models import AuditEvent
from weijian.reporting import excel
from weijian.reporting.models import ProgressReport, ReportStatus, TargetValue
from weijian.reporting.services.submission import report_save_draft, report_submit
from weijian.reporting.tests.factories import Reporting, good_draft, make_reporting

KEY = "2024-05"


@pytest.fixture
def reporting(world) -> Reporting:
    return make_reporting(world)


def url(reporting: Reporting, name: str, *extra: str) -> str:
    args = [reporting.cycle.pk, reporting.world.county.pk, KEY, *extra]
    return reverse(f"reporting:{name}", args=args)


def _submit_april(reporting: Reporting) -> None:
    """The county's April report: in progress, 60 %, every target met."""
    reporting.open("2024-04")
    county = reporting.world.county
    for report in reporting.reports(county, "2024-04"):
        report_save_draft(actor=reporting.county_reporter, report=report, draft=good_draft(report))
    report_submit(
        actor=reporting.county_reporter,
        cycle=reporting.cycle,
        organization=county,
        period="2024-04",
    )


def _template(client, reporting: Reporting) -> Workbook:
    response = client.get(url(reporting, "report_template"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _upload(client, reporting: Reporting, book: Workbook):
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("五月进展.xlsx", buffer.getvalue())
    return client.post(url(reporting, "report_upload"), {"file": upload})


def _column(name: str) -> int:
    return excel.COLUMNS.index(name) + 1


def test_the_template_is_prefilled_from_last_month(login_as, reporting):
    _submit_april(reporting)
    client = login_as(reporting.county_reporter)
    client.get(url(reporting, "report_page"))
    # One task of May already has a draft: the template keeps it rather than April's.
    drafted = reporting.reports(reporting.world.county, KEY)[2]
    report_save_draft(
        actor=reporting.county_reporter,
        report=drafted,
        draft=good_draft(drafted, progress="五月已开展宣传3场", percent=70),
    )
    book = _template(client, reporting)
    ws = book["进展报告"]
    assert [cell.value for cell in ws[1]] == list(excel.COLUMNS)
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    may = reporting.reports(reporting.world.county, KEY)
    assert [row[0] for row in rows] == [report.pk for report in may]
    assert [row[1:4] for row in rows] == [
        ["一", "总体任务", "牵头"],
        ["一.1", "提高医师数量", "牵头"],
        ["二", "推进全民健康生活方式", "责任"],
    ]
    doctors = rows[1]
    assert doctors[4] == "每千人口执业医师数 ≥ 3.5人（2030年）"
    assert doctors[5:9] == ["推进中", 60, "提高医师数量按计划推进。", "每千人口执业医师数=4.5"]
    assert rows[2][6:8] == [70, "五月已开展宣传3场"]
    # The status column offers the four states; the task columns are locked, the rest not.
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"未启动,推进中,已完成,滞后"'
    assert str(lists[0].sqref) == "F2:F4"
    assert ws.cell(2, _column("任务名称")).protection.locked
    assert not ws.cell(2, _column("任务状态")).protection.locked
    assert "填报单位：莲花县卫生健康委员会；填报期间：2024年5月" in book["填写说明"]["A2"].value
    event = AuditEvent.objects.get(action="data.export")
    assert event.summary["what"] == "进展报告模板：莲花县卫生健康委员会2024年5月"


def test_fill_upload_preview_confirm(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(url(reporting, "report_page"))
    life = reporting.reports(reporting.world.county, KEY)[2]
    report_save_draft(
        actor=reporting.county_reporter, report=life, draft=good_draft(life, next_steps="-按月推进")
    )
    book = _template(client, reporting)
    ws = book["进展报告"]
    # A text a spreadsheet would run as a formula is exported quoted, and read back as written.
    assert ws.cell(4, _column("下步打算")).value == "'-按月推进"
    ws.cell(3, _column("任务状态")).value = "滞后"
    ws.cell(3, _column("完成比例（%）")).value = 30
    ws.cell(3, _column("工作进展")).value = "招聘医师8名"
    ws.cell(3, _column("指标当前值")).value = "每千人口执业医师数=3.1人"
    ws.cell(3, _column("未完成原因")).value = "编制未到位"
    response = _upload(client, reporting, book)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert '<span id="count-changed">1</span>' in html and "第3行" in html
    assert "滞后" in html and "招聘医师8名" in html and "3.1" in html
    assert "确认导入" in html
    assert (
        ProgressReport.objects.get(pk=reporting.reports(reporting.world.county, KEY)[1].pk).status
        == "pending"
    )

    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302 and confirmed["Location"] == url(reporting, "report_page")
    rows = reporting.reports(reporting.world.county, KEY)
    doctors = rows[1]
    assert (doctors.status, doctors.task_status, doctors.percent) == ("draft", "lagging", 30)
    assert (doctors.progress, doctors.shortfall_reason) == ("招聘医师8名", "编制未到位")
    assert TargetValue.objects.get(report=doctors).value == 3.1
    assert rows[2].next_steps == "-按月推进"
    assert rows[0].status == "pending" and rows[0].updated_by is None  # unchanged: not written
    event = AuditEvent.objects.get(action="reporting.import")
    assert event.summary == {"unit": "莲花县卫生健康委员会", "period": KEY,
                             "source": "五月进展.xlsx", "reports": 1}  # fmt: skip
    page = client.get(url(reporting, "report_page")).content.decode()
    assert "已导入 1 项任务的填报内容，保存为草稿，尚未报送。" in page


def test_an_error_row_is_named_and_nothing_is_written(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(url(reporting, "report_page"))
    book = _template(client, reporting)
    ws = book["进展报告"]
    ws.cell(2, _column("工作进展")).value = "已部署"
    ws.cell(3, _column("任务状态")).value = "完成了"
    ws.cell(4, _column("完成比例（%）")).value = "一半"
    response = _upload(client, reporting, book)
    html = client.get(response["Location"]).content.decode()
    assert "第3行：任务状态“完成了”无法识别，应为 未启动、推进中、已完成、滞后" in html
    assert "第4行：完成比例“一半”应为0到100之间的整数" in html
    assert "确认导入" not in html
    client.post(response["Location"])  # a forced confirmation writes nothing either
    assert not ProgressReport.objects.exclude(status=ReportStatus.PENDING).exists()
    assert not ProgressReport.objects.exclude(progress="").exists()
    assert not AuditEvent.objects.filter(action="reporting.import").exists()


def test_cancel_drops_the_upload(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(url(reporting, "report_page"))
    book = _template(client, reporting)
    book["进展报告"].cell(2, _column("工作进展")).value = "已部署"
    preview = _upload(client, reporting, book)["Location"]
    token = preview.rstrip("/").rsplit("/", 1)[-1]
    client.post(url(reporting, "report_upload_cancel", token))
    assert client.get(preview).status_code == 404
    assert not ProgressReport.objects.exclude(progress="").exists()


def test_a_file_that_is_not_the_template_is_refused(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(url(reporting, "report_page"))
    garbage = SimpleUploadedFile("x.xlsx", b"not a zip")
    html = client.post(url(reporting, "report_upload"), {"file": garbage}).content.decode()
    assert "无法读取该文件，请上传本页下载的Excel模板（.xlsx）" in html
    other = Workbook()
    other.active.append(["任务", "进展"])
    html = _upload(client, reporting, other).content.decode()
    assert "表头缺少“报告编号”、“任务状态”" in html
    csv = SimpleUploadedFile("x.csv", b"a,b")
    html = client.post(url(reporting, "report_upload"), {"file": csv}).content.decode()
    assert "请上传 .xlsx 格式的Excel文件" in html


# --- reading rows, without the pages -------------------------------------------------------


def _rows(reporting: Reporting) -> dict[int, ProgressReport]:
    reporting.open(KEY)
    return {r.pk: r for r in reporting.reports(reporting.world.county, KEY)}


class Cell:
    def __init__(self, value, number_format="General"):
        self.value, self.number_format = value, number_format


def _line(report_id, **columns):
    cells = {name: Cell(None) for name in excel.COLUMNS}
    cells[excel.KEY] = Cell(report_id)
    cells.update({name: Cell(value) for name, value in columns.items()})
    return cells


def test_parse_reads_units_percent_signs_and_names_every_problem(reporting):
    reports = _rows(reporting)
    first, doctors, life = reports
    hospital = reporting.reports(reporting.world.hospital, KEY)[0]
    result = excel.parse_rows(
        [
            (2, _line(doctors, **{"任务状态": "推进中", "完成比例（%）": "80%",
                                  "指标当前值": "每千人口执业医师数＝3.6人"})),
            (3, _line(life, **{"指标当前值": "人均寿命=78\n人均预期寿命=七十八"})),
            (4, _line(first, **{"指标当前值": "1"})),
            (5, _line(doctors)),
            (6, _line(hospital.pk)),
            (7, _line(None, **{"工作进展": "新加的一行"})),
        ],
        reports,
    )  # fmt: skip
    assert result.errors == [
        "第3行：指标“人均寿命”不是该任务的目标，应为：人均预期寿命",
        "第3行：指标“人均预期寿命”的当前值“七十八”不是数字",
        "第4行：该任务没有量化目标，指标当前值应留空",
        f"第5行：与第2行是同一任务（报告编号{doctors}），请删除重复行",
        f"第6行：报告编号“{hospital.pk}”不是本单位本期的报告，请使用本期下载的模板",
        "第7行：缺少报告编号，请在本页下载的模板中填写，不要增加或复制行",
    ]
    (row,) = result.rows
    target = reporting.target("一.1")
    assert (row.line, row.draft.task_status, row.draft.percent) == (2, "in_progress", 80)
    assert row.draft.values == {target.pk: 3.6}
    assert [c.field for c in row.changes] == ["任务状态", "完成比例（%）", "每千人口执业医师数"]


def test_a_percent_cell_formatted_as_percent_is_read_as_percent(reporting):
    reports = _rows(reporting)
    first = next(iter(reports))
    cells = _line(first)
    cells["完成比例（%）"] = Cell(0.45, "0%")
    (row,) = excel.parse_rows([(2, cells)], reports).rows
    assert row.draft.percent == 45
    cells["完成比例（%）"] = Cell(0.5)
    result = excel.parse_rows([(2, cells)], reports)
    assert result.errors == ["第2行：完成比例“0.5”应为0到100之间的整数"]


def test_a_submitted_report_cannot_be_imported(reporting):
    reports = _rows(reporting)
    first = next(iter(reports))
    ProgressReport.objects.filter(pk=first).update(status=ReportStatus.SUBMITTED)
    reports = {r.pk: r for r in reporting.reports(reporting.world.county, KEY)}
    result = excel.parse_rows([(2, _line(first, **{"工作进展": "改"}))], reports)
    assert result.errors == ["第2行：任务“一 总体任务”的报告已报送，不能再修改"]
    assert re.match(r"第2行", result.errors[0])
