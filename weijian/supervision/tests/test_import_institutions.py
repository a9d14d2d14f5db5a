"""The institution import: template, preview with every row error, all-or-nothing confirm."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_license_number, make_uscc
from weijian.supervision.importers import institutions as columns
from weijian.supervision.models import Institution
from weijian.supervision.tests.factories import make_institution

pytestmark = pytest.mark.django_db

KIND = "institutions"
UPLOAD = reverse("supervision:registry_import", args=[KIND])
HEADER = [column.name for column in columns.COLUMNS]


@pytest.fixture(autouse=True)
def private_import_dir(settings: Any, tmp_path: Path) -> Path:
    settings.WEIJIAN_IMPORT_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"


def xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]], name: str = "机构.xlsx") -> Any:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(columns.SHEET)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(n: int, **changes: Any) -> list[Any]:
    values = {
        columns.NAME: f"测试诊所{n}",
        columns.USCC: make_uscc(n, region_code="360321"),
        columns.LICENSE: make_license_number(n, region_code="360321"),
        columns.CATEGORY: "基层医疗卫生机构",
        columns.SUBCATEGORY: "诊所",
        columns.OWNERSHIP: "民营",
        columns.FOR_PROFIT: "是",
        columns.LEVEL: "",
        columns.GRADE: "",
        columns.BEDS: 0,
        columns.REGION: "360321",
        columns.ADDRESS: "莲花县",
        columns.VALID_FROM: "2024-01-01",
        columns.VALID_UNTIL: "2029-12-31",
        columns.STATUS: "",
        columns.RISK: "",
        columns.SUPERVISOR: "",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def upload(client: Any, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> Any:
    return client.post(UPLOAD, {"file": xlsx(header, rows)})


def preview_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_template_has_the_exact_headers_and_notes(world: Any, login_as: Any) -> None:
    response = login_as(world.staff).get(
        reverse("supervision:registry_import_template", args=[KIND])
    )
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book[columns.SHEET][1]] == HEADER
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert "统一社会信用代码" in notes and "填写说明" in notes


def test_preview_lists_every_row_error_in_chinese(world: Any, login_as: Any) -> None:
    client = login_as(world.staff)
    good = row(1)
    bad_code = row(2, **{columns.USCC: make_uscc(2, region_code="360321")[:-1] + "0"})
    if bad_code[1] == make_uscc(2, region_code="360321"):
        bad_code = row(2, **{columns.USCC: make_uscc(2, region_code="360321")[:-1] + "1"})
    duplicate = row(3, **{columns.USCC: good[1]})
    wrong_sub = row(4, **{columns.SUBCATEGORY: "综合医院", columns.GRADE: "甲等"})
    bad_region = row(5, **{columns.REGION: "999999", columns.VALID_UNTIL: "2020-02-30"})
    license_region = row(6, **{columns.LICENSE: make_license_number(6, region_code="110101")})
    foreign = row(7, **{columns.SUPERVISOR: world.elsewhere.name})
    rows = [good, bad_code, duplicate, wrong_sub, bad_region, license_region, foreign]
    page = client.get(preview_url(upload(client, rows)))
    html = page.content.decode()
    errors = page.context["plan"].errors
    expected = [
        "第3行“统一社会信用代码”：统一社会信用代码校验位错误",
        "第4行“统一社会信用代码”：与第2行重复",
        "第5行“机构子类”：机构子类“综合医院”不属于机构类别“基层医疗卫生机构”",
        "第5行“等次”：未定级的机构不能填写等次",
        "第6行“所在区划代码”：行政区划代码“999999”不存在",
        "第6行“许可证有效期至”：日期“2020-02-30”无效",
        "第7行“执业许可证登记号”：执业许可证登记号第10至15位的行政区划代码110101在行政区划表中不存在",
        f"第8行“监管单位”：“{world.elsewhere.name}”不是本单位或下级卫生健康行政部门",
    ]
    for message in expected:
        assert any(error.startswith(message) for error in errors), (message, errors)
        assert message.split("：")[0] in html
    assert page.context["plan"].created == 1
    assert page.context["plan"].error_rows == 6
    assert 'id="confirm" disabled' in html
    refused = client.post(page.request["PATH_INFO"])
    assert refused.status_code == 400
    assert "未写入任何数据" in refused.content.decode()
    assert not Institution.objects.exists()
    assert not AuditEvent.objects.filter(action="supervision.institution_import").exists()


def test_missing_headers_and_bad_files_are_refused(world: Any, login_as: Any) -> None:
    client = login_as(world.staff)
    response = upload(client, [row(1)[1:]], header=HEADER[1:])
    assert "表头缺少“机构名称”列" in response.content.decode()
    junk = client.post(UPLOAD, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert "无法读取该文件" in junk.content.decode()
    csv = client.post(UPLOAD, {"file": SimpleUploadedFile("x.csv", b"a,b")})
    assert "只能上传.xlsx" in csv.content.decode()


def test_existing_codes_update_and_foreign_ones_are_refused(world: Any, login_as: Any) -> None:
    mine = make_institution(world.county, "旧名称")
    theirs = make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    client = login_as(world.staff)
    rows = [
        row(1, **{columns.USCC: mine.uscc, columns.LICENSE: "", columns.NAME: "新名称"}),
        row(2, **{columns.USCC: theirs.uscc, columns.LICENSE: ""}),
    ]
    page = client.get(preview_url(upload(client, rows)))
    assert page.context["plan"].errors == [
        "第3行“统一社会信用代码”：该机构已由其他监管单位登记，您无权修改"
    ]
    fixed = client.get(preview_url(upload(client, rows[:1])))
    assert (fixed.context["plan"].created, fixed.context["plan"].updated) == (0, 1)
    assert client.post(fixed.request["PATH_INFO"]).status_code == 302
    mine.refresh_from_db()
    assert mine.name == "新名称" and mine.supervisor == world.commission
    assert mine.category == "primary_care" and mine.for_profit


def test_supervisor_column_names_an_org_of_the_subtree(world: Any, login_as: Any) -> None:
    client = login_as(world.staff)
    response = upload(client, [row(1, **{columns.SUPERVISOR: world.county.name})])
    assert client.post(preview_url(response)).status_code == 302
    assert Institution.objects.get().supervisor == world.county


def test_large_file_is_all_or_nothing(world: Any, login_as: Any) -> None:
    started = time.monotonic()
    client = login_as(world.staff)
    rows = [row(n) for n in range(1, 5001)]
    rows[-1] = row(5000, **{columns.CATEGORY: "医馆"})
    url = preview_url(upload(client, rows))
    refused = client.post(url)
    assert refused.status_code == 400
    assert refused.context["plan"].errors == [
        "第5001行“机构类别”：“医馆”无法识别，应为：医院、基层医疗卫生机构、专业公共卫生机构、其他"
    ]
    assert Institution.objects.count() == 0
    rows[-1] = row(5000)
    done = client.post(preview_url(upload(client, rows)))
    assert done.status_code == 302
    assert Institution.objects.count() == 5000
    event = AuditEvent.objects.get(action="supervision.institution_import")
    assert event.summary["created"] == 5000 and event.actor == world.staff
    assert time.monotonic() - started < 30


def test_import_guards(world: Any, client: Any, login_as: Any, private_import_dir: Path) -> None:
    assert client.get(UPLOAD).status_code == 302
    assert login_as(world.leader).get(UPLOAD).status_code == 403
    assert login_as(world.county_reporter).get(UPLOAD).status_code == 403
    assert (
        login_as(world.staff).get(reverse("supervision:registry_import", args=["x"])).status_code
        == 404
    )
    staff = login_as(world.staff)
    url = preview_url(upload(staff, [row(1)]))
    outsider = login_as(world.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url).status_code == 404
    assert not Institution.objects.exists()
    staff = login_as(world.staff)
    cancel = url.rstrip("/") + "/cancel/"
    assert staff.post(cancel).status_code == 302
    assert list(private_import_dir.glob("*.json")) == []
    assert staff.get(url).status_code == 404
