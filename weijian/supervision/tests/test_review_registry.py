"""Review checks of the registries: the full 身份证号 never appears in an import preview, the
stashed upload, an export file or an audit event; invalid codes refused in Chinese with the row
and column; large imports all or nothing; the confirmation validates the rows again;
duplicates inside a file caught."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_license_number, make_resident_id, make_uscc
from weijian.supervision.importers import institutions as inst_columns
from weijian.supervision.importers import practitioners as columns
from weijian.supervision.models import Institution, Practitioner
from weijian.supervision.tests.factories import make_institution, make_practitioner

pytestmark = pytest.mark.django_db

PEOPLE = reverse("supervision:registry_import", args=["practitioners"])
PLACES = reverse("supervision:registry_import", args=["institutions"])
HEADER = [column.name for column in columns.COLUMNS]
INST_HEADER = [column.name for column in inst_columns.COLUMNS]


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> Path:
    settings.WEIJIAN_IMPORT_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"


@pytest.fixture
def hospital(world: Any) -> Institution:
    return make_institution(world.county, "莲花县人民医院")


def xlsx(sheet_name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("上传.xlsx", buffer.getvalue())


def person(n: int, institution: Institution, **changes: Any) -> list[Any]:
    values = {
        columns.KIND: "医师",
        columns.NAME: f"医生{n}",
        columns.ID_NUMBER: make_resident_id(n),
        columns.LICENSE: f"11036{n:010d}",
        columns.CATEGORY: "临床",
        columns.SCOPE: "内科专业",
        columns.INSTITUTION: institution.uscc,
        columns.STATUS: "",
        columns.SITES: "",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def place(n: int, **changes: Any) -> list[Any]:
    values = {name: "" for name in INST_HEADER}
    values.update(
        {
            inst_columns.NAME: f"测试诊所{n}",
            inst_columns.USCC: make_uscc(n, region_code="360321"),
            inst_columns.LICENSE: make_license_number(n, region_code="360321"),
            inst_columns.CATEGORY: "基层医疗卫生机构",
            inst_columns.SUBCATEGORY: "诊所",
            inst_columns.OWNERSHIP: "民营",
            inst_columns.REGION: "360321",
        }
    )
    values.update(changes)
    return [values[name] for name in INST_HEADER]


def upload_people(client: Any, rows: Sequence[Sequence[Any]]) -> str:
    response = client.post(PEOPLE, {"file": xlsx(columns.SHEET, HEADER, rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def upload_places(client: Any, rows: Sequence[Sequence[Any]]) -> str:
    response = client.post(PLACES, {"file": xlsx(inst_columns.SHEET, INST_HEADER, rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def no_full_id(text: str, numbers: Sequence[str]) -> None:
    for number in numbers:
        assert number not in text, number


def test_preview_with_errors_and_the_stash_never_hold_a_full_id(
    world: Any, login_as: Any, hospital: Institution, import_dir: Path
) -> None:
    existing = make_practitioner(hospital, "老医生", id_number=make_resident_id(70))
    numbers = [make_resident_id(n) for n in (1, 2, 70)]
    rows = [
        person(1, hospital),
        person(2, hospital, **{columns.KIND: "医生"}),  # a wrong cell beside a valid ID
        person(3, hospital, **{columns.ID_NUMBER: make_resident_id(1)}),  # same person twice
        person(4, hospital, **{columns.ID_NUMBER: make_resident_id(70)}),  # registered already
    ]
    client = login_as(world.staff)
    url = upload_people(client, rows)
    for stashed in import_dir.glob("*.json"):
        no_full_id(stashed.read_text(encoding="utf-8"), numbers)
    page = client.get(url)
    html = page.content.decode()
    errors = page.context["plan"].errors
    assert any(e.startswith("第3行“类别”") for e in errors)
    assert any(e.startswith("第4行“身份证号”：与第2行是同一人") for e in errors)
    taken = "第5行“身份证号”：该身份证号已登记为另一名医师"
    assert any(e.startswith(taken) and existing.license_number in e for e in errors)
    no_full_id(html, numbers)
    assert '<th scope="col">姓名</th>' in html  # people have names, not 名称
    refused = client.post(url)
    assert refused.status_code == 400
    no_full_id(refused.content.decode(), numbers)
    assert Practitioner.objects.count() == 1


def test_bad_resident_ids_are_named_by_row_and_column(
    world: Any, login_as: Any, hospital: Institution
) -> None:
    good = make_resident_id(5)
    checksum = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        person(5, hospital, **{columns.ID_NUMBER: checksum}),
        person(6, hospital, **{columns.ID_NUMBER: good[:15]}),
        person(7, hospital, **{columns.ID_NUMBER: good[:6] + "20261340" + good[14:]}),
    ]
    client = login_as(world.staff)
    page = client.get(upload_people(client, rows))
    errors = page.context["plan"].errors
    assert errors[0].startswith("第2行“身份证号”：居民身份证号校验位错误")
    assert errors[1].startswith("第3行“身份证号”：居民身份证号应为18位，实际为15位")
    assert errors[2].startswith("第4行“身份证号”：居民身份证号")
    no_full_id(page.content.decode(), [checksum])


def test_large_practitioner_file_with_a_bad_last_row_writes_nothing(
    world: Any, login_as: Any, hospital: Institution
) -> None:
    rows = [person(n, hospital) for n in range(1, 1501)]
    unknown = make_uscc(987_654, region_code="360300")  # valid, but no such institution
    rows[-1] = person(1500, hospital, **{columns.INSTITUTION: unknown})
    client = login_as(world.staff)
    url = upload_people(client, rows)
    refused = client.post(url)
    assert refused.status_code == 400
    assert refused.context["plan"].errors[0].startswith("第1501行“主要执业机构统一社会信用代码”")
    assert Practitioner.objects.count() == 0
    assert not AuditEvent.objects.filter(action="supervision.practitioner_import").exists()
    rows[-1] = person(1500, hospital)
    done = client.post(upload_people(client, rows))
    assert done.status_code == 302
    assert Practitioner.objects.count() == 1500
    event = AuditEvent.objects.get(action="supervision.practitioner_import")
    no_full_id(str(event.summary), [make_resident_id(n) for n in range(1, 1501)])


def test_confirm_validates_again_and_writes_nothing(
    world: Any, login_as: Any, hospital: Institution
) -> None:
    client = login_as(world.staff)
    url = upload_places(client, [place(1), place(2), place(3)])
    assert client.get(url).context["plan"].errors == []
    # Another authority registers the second code between the preview and the confirmation.
    make_institution(
        world.elsewhere, "外地诊所", uscc=make_uscc(2, region_code="360321"),
        license_number="", region_code="500103",
    )  # fmt: skip
    refused = client.post(url)
    assert refused.status_code == 400
    assert any(e.startswith("第3行“统一社会信用代码”") for e in refused.context["plan"].errors)
    assert Institution.objects.count() == 2  # the hospital and the other authority's clinic
    # Same for people: the ID number taken meanwhile.
    people_url = upload_people(client, [person(8, hospital), person(9, hospital)])
    assert client.get(people_url).context["plan"].errors == []
    make_practitioner(hospital, "抢先", id_number=make_resident_id(9))
    again = client.post(people_url)
    assert again.status_code == 400
    assert any(e.startswith("第3行“身份证号”") for e in again.context["plan"].errors)
    assert Practitioner.objects.count() == 1


def _wrong_check_digit(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def test_duplicates_inside_the_file(world: Any, login_as: Any) -> None:
    spaced = make_uscc(1, region_code="360321").lower()
    spaced = f"{spaced[:6]} {spaced[6:]}"
    rows = [
        place(1),
        place(2, **{inst_columns.USCC: spaced}),  # the same code, written differently
        place(3, **{inst_columns.LICENSE: make_license_number(1, region_code="360321")}),
        place(4, **{inst_columns.USCC: _wrong_check_digit(make_uscc(4, region_code="360321"))}),
        place(5, **{inst_columns.LICENSE: "PDY00001X99032111A1002"}),
    ]
    client = login_as(world.staff)
    page = client.get(upload_places(client, rows))
    errors = page.context["plan"].errors
    assert "第3行“统一社会信用代码”：与第2行重复，同一机构只能有一行" in errors
    assert "第4行“执业许可证登记号”：与第2行重复，登记号不能重复" in errors
    assert any(e.startswith("第5行“统一社会信用代码”：统一社会信用代码") for e in errors)
    licence = "第6行“执业许可证登记号”：执业许可证登记号第10至15位"
    assert any(e.startswith(licence) for e in errors), errors
    assert client.post(page.request["PATH_INFO"]).status_code == 400
    assert not Institution.objects.exists()


def _xlsx_text(content: bytes) -> str:
    """Every cell of every sheet, and the raw XML parts (shared strings included)."""
    book = load_workbook(io.BytesIO(content))
    cells = [str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return "\n".join(cells + parts)


def test_exports_and_audit_events_never_hold_a_full_id(
    world: Any, login_as: Any, hospital: Institution
) -> None:
    numbers = [make_resident_id(n) for n in range(11, 16)]
    people = [make_practitioner(hospital, f"医生{n}", id_number=x) for n, x in enumerate(numbers)]
    client = login_as(world.staff)
    export = client.get(reverse("supervision:practitioner_export"))
    no_full_id(_xlsx_text(export.content), numbers)
    searched = client.get(reverse("supervision:practitioner_export"), {"id_number": numbers[0]})
    assert "医生0" in _xlsx_text(searched.content)
    no_full_id(_xlsx_text(searched.content), numbers)
    edit = reverse("supervision:practitioner_edit", args=[people[1].pk])
    changed = make_resident_id(99)
    response = client.post(
        edit,
        {
            "kind": "physician", "name": "医生1", "id_number": changed,
            "license_number": people[1].license_number, "institution": hospital.uscc,
            "practice_category": "临床", "practice_scope": "内科专业", "status": "active",
        },
    )  # fmt: skip
    assert response.status_code == 302
    reveal = client.post(reverse("supervision:practitioner_reveal_id", args=[people[2].pk]))
    assert numbers[2] in reveal.content.decode()
    summaries = [str(e.summary) for e in AuditEvent.objects.all()]
    assert any("supervision.practitioner_update" == e.action for e in AuditEvent.objects.all())
    assert AuditEvent.objects.filter(action="data.reveal").count() == 1
    no_full_id("\n".join(summaries), [*numbers, changed])
