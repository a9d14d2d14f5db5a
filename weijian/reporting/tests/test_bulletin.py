"""The monthly notice: its figures on a scenario counted by hand, the .docx and .pdf that
`make_bulletin` writes (opened with python-docx, the PDF's text extracted), and the command's
refusals.

May 2024 of the factories' plan (due Thursday 30 May, end of day). Counted by hand:
- 莲花县卫生健康委员会 reports its three tasks on 28 May (on time). 一.1 states 3.2 doctors per
  1,000 against the target ≥ 3.5 (missed, "招聘计划尚未完成"); 二 states 78 years against ≈ 78
  (met). Expected 3, submitted 3, on time 3: completeness and timeliness 100 %; achievement
  1 of 2 targets = 50 %; score 0.4 × 0.5 + 0.3 × 1 + 0.3 × 1 = 80.0.
- 莲花县人民医院 reports 一.2 on 2 June (late) as 滞后 at 30 % ("产科医师不足"), stating 8 per
  100,000 against ≤ 10 (met); it never reports 二 (missing). Expected 2, submitted 1, on time 0:
  completeness 50 %, timeliness 0 %, achievement 100 %; score 0.4 + 0.15 + 0 = 55.0.
So the county ranks first, the hospital second; the hospital is named as late (1 report) and
as missing (1 report); the lagging tasks are 一.1 (county, target missed) and 一.2 (hospital,
滞后)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from weijian.conftest import ARTIFACTS
from weijian.core.models import AuditEvent
from weijian.reporting.bulletin import bulletin_data
from weijian.reporting.models import (
    Bulletin,
    ProgressReport,
    ReportStatus,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.tests.factories import COUNTY, HOSPITAL, Reporting, make_reporting

MAY = "2024-05"
NOTICE_DAY = datetime.datetime(2024, 6, 5, 10, tzinfo=SHANGHAI)
TITLE = "关于2024年5月《健康萍乡行动方案》任务进展情况的通报"
RANKING = [
    ["位次", "单位", "应报", "已报", "按时", "报送率", "及时率", "目标完成率", "得分"],
    ["1", COUNTY, "3", "3", "3", "100.0%", "100.0%", "50.0%", "80.0"],
    ["2", HOSPITAL, "2", "1", "0", "50.0%", "0.0%", "100.0%", "55.0"],
]
LAGGING = [
    ["序号", "任务", "责任单位", "进度", "未达目标及原因"],
    [
        "1",
        "一.1 提高医师数量",
        COUNTY,
        "推进中，60%",
        "每千人口执业医师数当前3.2人（目标≥3.5人）；原因：招聘计划尚未完成",
    ],
    ["2", "一.2 降低孕产妇死亡率", HOSPITAL, "滞后，30%", "原因：产科医师不足"],
]
NARRATIVE = "各单位高度重视，按月报送工作进展。\n个别单位报送不及时，请抓紧整改。"


def _submit(report: ProgressReport, when: datetime.datetime, **fields: object) -> None:
    values = {
        "status": ReportStatus.SUBMITTED,
        "submitted_at": when,
        "first_submitted_at": when,
        "on_time": when <= report.due_at,
        "task_status": TaskStatus.IN_PROGRESS,
        "percent": 60,
        "progress": "按计划推进。",
        **fields,
    }
    ProgressReport.objects.filter(pk=report.pk).update(**values)


def _value(reporting: Reporting, report: ProgressReport, path: str, value: float) -> None:
    TargetValue.objects.create(report=report, target=reporting.target(path), value=value)


def may_scenario(world) -> Reporting:
    """The scenario of the module's docstring, with a saved notice (文号, narrative, 抄送)."""
    reporting = make_reporting(world)
    reporting.open(MAY)
    county = {r.task.path: r for r in reporting.reports(world.county, MAY)}
    hospital = {r.task.path: r for r in reporting.reports(world.hospital, MAY)}
    on_time = datetime.datetime(2024, 5, 28, 16, tzinfo=SHANGHAI)
    late = datetime.datetime(2024, 6, 2, 9, tzinfo=SHANGHAI)
    _submit(county["一"], on_time)
    _submit(county["一.1"], on_time, shortfall_reason="招聘计划尚未完成")
    _value(reporting, county["一.1"], "一.1", 3.2)
    _submit(county["二"], on_time)
    _value(reporting, county["二"], "二", 78)
    _submit(
        hospital["一.2"],
        late,
        task_status=TaskStatus.LAGGING,
        percent=30,
        shortfall_reason="产科医师不足",
    )
    _value(reporting, hospital["一.2"], "一.2", 8)
    Bulletin.objects.create(
        cycle=reporting.cycle,
        period=MAY,
        title=TITLE,
        number="萍卫通〔2024〕5号",
        narrative=NARRATIVE,
        cc="市委办公室\n市政府办公室",
    )
    return reporting


@pytest.fixture
def scenario(world) -> Reporting:
    return may_scenario(world)


def test_figures_counted_by_hand(scenario):
    data = bulletin_data(scenario.cycle, scenario.cycle.period(MAY))
    assert [(u.rank, u.unit, round(u.score, 4)) for u in data.units] == [
        (1, COUNTY, 0.8),
        (2, HOSPITAL, 0.55),
    ]
    assert [(u.unit, u.late) for u in data.late] == [(HOSPITAL, 1)]
    assert [(u.unit, u.missing) for u in data.missing] == [(HOSPITAL, 1)]
    assert [(t.task, t.unit) for t in data.lagging] == [
        ("一.1 提高医师数量", COUNTY),
        ("一.2 降低孕产妇死亡率", HOSPITAL),
    ]
    assert (data.expected, data.submitted, data.on_time) == (5, 4, 3)
    assert data.cc == ["市委办公室", "市政府办公室"]


def test_without_a_saved_notice_the_title_is_the_default(world):
    reporting = make_reporting(world)
    reporting.open(MAY)
    data = bulletin_data(reporting.cycle, reporting.cycle.period(MAY))
    assert data.title == TITLE
    assert data.bulletin.pk is None and data.lagging == []
    assert [u.missing for u in data.missing] == [3, 2]


# --- the files -----------------------------------------------------------------------------


@pytest.fixture
def written(scenario, tmp_path) -> Path:
    out = tmp_path / "notices" / "2024-05"
    with time_machine.travel(NOTICE_DAY, tick=False):
        call_command(
            "make_bulletin",
            plan=scenario.plan.pk,
            period=MAY,
            out=str(out),
            stdout=io.StringIO(),
        )
    return out


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_command_writes_both_files_and_audits_the_export(written, scenario):
    assert sorted(path.name for path in written.iterdir()) == ["bulletin.docx", "bulletin.pdf"]
    event = AuditEvent.objects.get(action="data.export")
    assert event.actor_username == "manage.py make_bulletin"
    assert event.organization == scenario.world.commission
    assert event.summary["what"] == f"通报：{TITLE}"


def test_docx_is_a_notice_with_the_ranking_and_the_late_units(written):
    word = open_docx(str(written / "bulletin.docx"))
    section = word.sections[0]
    sizes = [section.page_width, section.page_height]
    assert [size.twips for size in sizes if size is not None] == [11906, 16838]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins if margin is not None] == [37, 35, 28, 26]
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts[0] == "萍卫通〔2024〕5号"
    title = word.paragraphs[2]
    assert title.text.replace("\n", "") == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {run.font.size for run in title.runs} == {Pt(22)}
    assert "各有关单位：" in texts
    ranking, lagging = word.tables
    assert _rows(ranking) == RANKING
    assert _rows(lagging) == LAGGING
    starts = ("一、", "二、", "三、", "四、", "（一", "（二")
    headings = [text for text in texts if text[:2] in starts]
    assert headings == [
        "一、总体情况",
        "二、各单位排名",
        "三、逾期报送和未报送单位",
        "（一）逾期报送的单位",
        "（二）未报送的单位",
        "四、进展滞后的任务",
    ]
    late = texts.index("（一）逾期报送的单位")
    assert texts[late + 1] == f"{HOSPITAL}（1份）。"
    assert texts[late + 3] == f"{HOSPITAL}（1份）。"
    summary = next(text for text in texts if text.startswith("本期应报送"))
    assert "报告5份，已报送4份，报送率80.0%" in summary and "及时率60.0%" in summary
    assert "各单位高度重视，按月报送工作进展。" in texts
    assert "个别单位报送不及时，请抓紧整改。" in texts
    body = word.paragraphs[texts.index("各单位高度重视，按月报送工作进展。")]
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert {run.font.size for run in body.runs} == {Pt(16)}
    issuer = texts.index("萍乡市卫生健康委员会")
    assert texts[issuer + 1] == "2024年6月5日"
    assert "抄送：市委办公室，市政府办公室。" in texts


def pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join("".join(page.get_textpage().get_text_range().split()) for page in pdf)
    finally:
        pdf.close()


def test_pdf_carries_the_same_content(written):
    text = pdf_text(written / "bulletin.pdf")
    for expected in [
        "萍卫通〔2024〕5号",
        TITLE,
        "一、总体情况",
        "各单位高度重视，按月报送工作进展。",
        "".join(RANKING[0]),
        "".join(RANKING[1]),
        "".join(RANKING[2]),
        "三、逾期报送和未报送单位（一）逾期报送的单位" + f"{HOSPITAL}（1份）。",
        "（二）未报送的单位" + f"{HOSPITAL}（1份）。",
        "一.1提高医师数量",
        "产科医师不足",
        "萍乡市卫生健康委员会2024年6月5日",
        "抄送：市委办公室，市政府办公室。",
    ]:
        assert expected in text, expected


def test_pdf_renders_to_a_readable_page(written):
    pdf = pdfium.PdfDocument(str(written / "bulletin.pdf"))
    ARTIFACTS.mkdir(exist_ok=True)
    for number in range(len(pdf)):
        image = pdf[number].render(scale=1.5).to_pil()
        image.save(ARTIFACTS / f"reporting-bulletin-page{number + 1}.png")
    assert len(pdf) >= 1
    pdf.close()


# --- refusals ------------------------------------------------------------------------------


def _command(**options: object) -> None:
    call_command("make_bulletin", stdout=io.StringIO(), **options)


def test_an_unknown_plan_is_refused_in_chinese(db, tmp_path):
    with pytest.raises(CommandError, match="编号为 999 的方案不存在"):
        _command(plan=999, period=MAY, out=str(tmp_path))


def test_a_bad_period_is_refused_in_chinese(scenario, tmp_path):
    with pytest.raises(CommandError, match="2024-13"):
        _command(plan=scenario.plan.pk, period="2024-13", out=str(tmp_path))


def test_a_period_of_another_frequency_has_no_cycle(scenario, tmp_path):
    with pytest.raises(CommandError, match="没有季度填报周期"):
        _command(plan=scenario.plan.pk, period="2024-Q2", out=str(tmp_path))


def test_an_output_that_is_a_file_is_refused(scenario, tmp_path):
    target = tmp_path / "bulletin"
    target.write_text("x")
    with pytest.raises(CommandError, match="不是目录"):
        _command(plan=scenario.plan.pk, period=MAY, out=str(target))


def test_a_missing_font_writes_nothing(scenario, tmp_path, settings):
    settings.WEIJIAN_PDF_FONT = "/nonexistent/fangsong.ttf"
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="WEIJIAN_PDF_FONT"):
        _command(plan=scenario.plan.pk, period=MAY, out=str(out))
    assert not out.exists()
    assert not AuditEvent.objects.filter(action="data.export").exists()
