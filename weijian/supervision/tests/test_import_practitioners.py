"""The practitioner import: ID numbers checked and indexed, other practice sites, all or
nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from weijian.core.crypto import blind_index
from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_resident_id
from weijian.supervision.importers import practitioners as columns
from weijian.supervision.models import Institution, PracticeSite, Practitioner
from weijian.supervision.tests.factories import make_institution, make_practitioner

pytestmark = pytest.mark.django_db

KIND = "practitioners"
UPLOAD = reverse("supervision:registry_import", args=[KIND])
HEADER = [column.name for column in columns.COLUMNS]


@pytest.fixture(autouse=True)
def private_import_dir(settings: Any, tmp_path: Path) -> None:
    settings.WEIJIAN_IMPORT_DIR = str(tmp_path / "imports")


@pytest.fixture
def hospitals(world: Any) -> tuple[Institution, Institution]:
    return (
        make_institution(world.county, "莲花县人民医院"),
        make_institution(world.commission, "萍乡市人民医院", region_code="360302"),
    )


def xlsx(rows: Sequence[Sequence[Any]]) -> Any:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(columns.SHEET)
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("医务人员.xlsx", buffer.getvalue())


def row(n: int, institution: Institution, **changes: Any) -> list[Any]:
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


def preview(client: Any, rows: Sequence[Sequence[Any]]) -> Any:
    response = client.post(UPLOAD, {"file": xlsx(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_import_creates_people_and_sites(
    world: Any, login_as: Any, hospitals: tuple[Institution, Institution]
) -> None:
    county, city = hospitals
    client = login_as(world.staff)
    sites = f"{city.uscc}@2024-03-01"
    page = preview(client, [row(1, county, **{columns.SITES: sites}), row(2, city)])
    html = page.content.decode()
    assert page.context["plan"].errors == []
    assert make_resident_id(1) not in html
    assert client.post(page.request["PATH_INFO"]).status_code == 302
    person = Practitioner.objects.get(name="医生1")
    assert person.id_number == make_resident_id(1)
    assert person.id_number_index == blind_index(make_resident_id(1), purpose="resident_id")
    site = PracticeSite.objects.get()
    assert (site.practitioner, site.institution, str(site.filed_on)) == (person, city, "2024-03-01")
    event = AuditEvent.objects.get(action="supervision.practitioner_import")
    assert event.summary["created"] == 2 and event.summary["sites"] == 1
    assert make_resident_id(1) not in str(event.summary)


def test_every_row_error_is_listed(
    world: Any, login_as: Any, hospitals: tuple[Institution, Institution]
) -> None:
    county, city = hospitals
    far = make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    existing = make_practitioner(county, "老医生", id_number=make_resident_id(50))
    bad_id = make_resident_id(3)[:-1] + ("0" if make_resident_id(3)[-1] != "0" else "1")
    rows = [
        row(1, county),
        row(2, county, **{columns.LICENSE: f"11036{1:010d}"}),
        row(3, county, **{columns.ID_NUMBER: bad_id}),
        row(4, far),
        row(5, county, **{columns.SITES: f"{county.uscc}@2024-01-01"}),
        row(6, county, **{columns.SITES: f"{city.uscc}"}),
        row(7, county, **{columns.ID_NUMBER: make_resident_id(50)}),
        row(8, county, **{columns.KIND: "医生"}),
    ]
    page = preview(client := login_as(world.staff), rows)
    errors = page.context["plan"].errors
    expected = [
        "第3行“执业证书编码”：与第2行重复",
        "第4行“身份证号”：居民身份证号",
        f"第5行“主要执业机构统一社会信用代码”：统一社会信用代码为{far.uscc}的机构不在您可管理的机构名录中",
        "第6行“其他执业机构”：",
        "第7行“其他执业机构”：",
        f"第8行“身份证号”：该身份证号已登记为另一名医师（执业证书编码{existing.license_number}）",
        "第9行“类别”：“医生”无法识别，应为：医师、护士、药师、技师",
    ]
    for message in expected:
        assert any(error.startswith(message) for error in errors), (message, errors)
    assert client.post(page.request["PATH_INFO"]).status_code == 400
    assert Practitioner.objects.count() == 1


def test_existing_certificate_updates_and_keeps_sites(
    world: Any, login_as: Any, hospitals: tuple[Institution, Institution]
) -> None:
    county, city = hospitals
    person = make_practitioner(county, "张医生", id_number=make_resident_id(9))
    PracticeSite.objects.create(practitioner=person, institution=city, filed_on="2023-01-01")
    client = login_as(world.staff)
    changed = row(
        9,
        county,
        **{
            columns.LICENSE: person.license_number,
            columns.NAME: "张医生",
            columns.SCOPE: "外科专业",
            columns.SITES: f"{city.uscc}@2024-05-01",
        },
    )
    page = preview(client, [changed])
    assert (page.context["plan"].created, page.context["plan"].updated) == (0, 1)
    assert client.post(page.request["PATH_INFO"]).status_code == 302
    person.refresh_from_db()
    assert person.practice_scope == "外科专业"
    assert PracticeSite.objects.count() == 1  # the open filing there is kept, not doubled


def test_guards(world: Any, client: Any, login_as: Any) -> None:
    assert client.get(UPLOAD).status_code == 302
    assert login_as(world.inspector).get(UPLOAD).status_code == 403
    template = reverse("supervision:registry_import_template", args=[KIND])
    assert login_as(world.county_reporter).get(template).status_code == 403
    assert login_as(world.staff).get(template).status_code == 200
