"""The Excel exports: open the workbook and read it back; each download is audited."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from weijian.core.models import AuditEvent
from weijian.core.xlsx import XLSX_CONTENT_TYPE, Sheet, content_disposition, sheet_title, workbook
from weijian.orgs.tests.registry_helpers import build_bureau, build_committee, signed_in, url

pytestmark = pytest.mark.django_db


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_organization_export(client, world):
    build_bureau(world)
    response = signed_in(client, world.county_reporter).get(
        url("organization_export", world.county.pk)
    )
    book = _book(response)
    assert book.sheetnames == [
        "概况",
        "内设机构",
        "职责",
        "职责分工",
        "编制",
        "领导分工",
        "办公时间",
    ]
    overview = dict((row[0], row[1]) for row in _rows(book["概况"]))
    assert overview["名称"] == "莲花县卫生健康委员会" and overview["机构规格"] == "正科级"
    assert overview["加挂牌子"] == "莲花县中医药管理局"
    assert _rows(book["内设机构"])[1] == [1, "办公室", "人事科、安全生产科", "内设机构", None]
    assert _rows(book["职责"])[1:] == [
        ["本单位", "主要职责", 1, "贯彻执行卫生健康法律法规。"],
        ["本单位", "职能转变", 1, "更加注重预防为主。"],
    ]
    assert _rows(book["职责分工"])[1] == ["莲花县医疗保障局", "医保目录由医保局负责。"]
    assert _rows(book["编制"])[1:] == [["行政编制", 16, None], ["局长", 1, 1], ["副局长", 1, 1]]
    division = _rows(book["领导分工"])
    assert division[0] == [
        "姓名",
        "职务",
        "职级",
        "负责工作",
        "分管科室",
        "协助分管",
        "联系单位",
        "联系点",
    ]
    assert division[2] == [
        "领导1",
        "副局长",
        None,
        "负责工作1",
        "医政医管科",
        "办公室",
        "莲花县人民医院",
        None,
    ]
    assert _rows(book["办公时间"])[1] == [
        "秋冬",
        "10月1日",
        "4月30日",
        "08:30—12:00",
        "14:30—17:30",
    ]
    assert book["领导分工"]["A1"].font.bold
    assert (
        "filename*=UTF-8''" + quote("莲花县卫生健康委员会-机构信息")
        in response["Content-Disposition"]
    )
    event = AuditEvent.objects.get(action="data.export")
    assert event.actor == world.county_reporter
    assert event.summary["what"] == "机构信息：莲花县卫生健康委员会"


def test_committee_export(client, world):
    group = build_committee(world)
    response = signed_in(client, world.commission_admin).get(url("committee_export", group.pk))
    book = _book(response)
    assert book.sheetnames == ["成员", "成员单位"]
    members = _rows(book["成员"])
    assert members[0] == ["所属机构", "身份", "姓名", "职务", "单位"]
    assert members[1] == ["莲花县深化医改领导小组", "组长", "刘县长", "县长", None]
    assert ["医改联席会议", "召集人", "王副县长", "副县长", None] in members
    assert _rows(book["成员单位"])[1:] == [["医改联席会议", "莲花县财政局", "李联络", "预算股股长"]]
    event = AuditEvent.objects.get(action="data.export")
    assert event.summary["what"] == "议事协调机构成员名单：莲花县深化医改领导小组"
    assert event.organization == world.county


def test_outsider_cannot_export(client, world):
    group = build_committee(world)
    signed_in(client, world.outsider)
    assert client.get(url("committee_export", group.pk)).status_code == 404
    assert client.get(url("organization_export", world.county.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action="data.export").exists()


def test_workbook_guards_formulas_and_odd_characters():
    book = workbook([Sheet("a/b:c", ["名称"], [['=HYPERLINK("x")'], ["-1"], [3], ["a\x07b"]])])
    sheet = book["a_b_c"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "名称",
        '\'=HYPERLINK("x")',
        "'-1",
        3,
        "ab",
    ]
    assert sheet.column_dimensions["A"].width >= 6


def test_sheet_titles_and_filenames():
    assert sheet_title("x" * 40) == "x" * 31
    header = content_disposition("领导小组-202401011200.xlsx")
    assert header.startswith('attachment; filename="export-202401011200.xlsx"')
    assert header.endswith("filename*=UTF-8''" + quote("领导小组-202401011200.xlsx"))
