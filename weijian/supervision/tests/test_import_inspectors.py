"""The inspector-pool import with employment history and declared relatives (回避)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from weijian.core.models import AuditEvent
from weijian.supervision.importers import inspectors as columns
from weijian.supervision.models import (
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    PoolStatus,
)
from weijian.supervision.tests.factories import make_inspector, make_institution

pytestmark = pytest.mark.django_db

KIND = "inspectors"
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
    return SimpleUploadedFile("执法人员.xlsx", buffer.getvalue())


def row(n: int, **changes: Any) -> list[Any]:
    values = {
        columns.NAME: f"执法{n}",
        columns.CERTIFICATE: f"赣卫执{n:06d}",
        columns.ORGANIZATION: "",
        columns.VALID_FROM: "2022-01-01",
        columns.VALID_UNTIL: datetime.date(2030, 12, 31),
        columns.SPECIALTIES: "医疗服务、公共场所卫生",
        columns.REGIONS: "360321、360322",
        columns.STATUS: "",
        columns.EMPLOYMENT: "",
        columns.RELATIVES: "",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def preview(client: Any, rows: Sequence[Sequence[Any]]) -> Any:
    response = client.post(UPLOAD, {"file": xlsx(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_import_writes_inspectors_with_conflicts(
    world: Any, login_as: Any, hospitals: tuple[Institution, Institution]
) -> None:
    county, city = hospitals
    client = login_as(world.staff)
    first = row(
        1,
        **{
            columns.ORGANIZATION: world.county.name,
            columns.EMPLOYMENT: f"{county.uscc}@2010-09-01~2018-06-30；{city.uscc}",
            columns.RELATIVES: f"{city.uscc}@配偶@2024-01-05",
        },
    )
    page = preview(client, [first, row(2, **{columns.STATUS: "暂停抽取"})])
    assert page.context["plan"].errors == []
    assert client.post(page.request["PATH_INFO"]).status_code == 302
    inspector = Inspector.objects.get(certificate_number="赣卫执000001")
    assert inspector.organization == world.county
    assert inspector.specialties == ["医疗服务", "公共场所卫生"]
    assert sorted(inspector.regions.values_list("code", flat=True)) == ["360321", "360322"]
    employment = InspectorEmployment.objects.get(inspector=inspector, institution=county)
    assert (str(employment.started_on), str(employment.ended_on)) == ("2010-09-01", "2018-06-30")
    assert InspectorEmployment.objects.filter(inspector=inspector, institution=city).exists()
    relative = InspectorRelative.objects.get(inspector=inspector)
    assert (relative.institution, relative.relation) == (city, "配偶")
    assert Inspector.objects.get(certificate_number="赣卫执000002").status == PoolStatus.SUSPENDED
    event = AuditEvent.objects.get(action="supervision.inspector_import")
    assert event.summary["created"] == 2 and event.summary["employments"] == 2


def test_every_row_error_is_listed(
    world: Any, login_as: Any, hospitals: tuple[Institution, Institution]
) -> None:
    county, _ = hospitals
    far = make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    foreign = make_inspector(world.elsewhere, "外地执法")
    rows = [
        row(1),
        row(2, **{columns.CERTIFICATE: "赣卫执000001"}),
        row(3, **{columns.EMPLOYMENT: f"{far.uscc}@2010-01-01"}),
        row(4, **{columns.RELATIVES: f"{county.uscc}"}),
        row(5, **{columns.REGIONS: "360321、999999", columns.VALID_UNTIL: ""}),
        row(6, **{columns.CERTIFICATE: foreign.certificate_number}),
        row(7, **{columns.ORGANIZATION: world.elsewhere.name}),
        row(8, **{columns.EMPLOYMENT: f"{county.uscc}@2019-01-01~2018-01-01"}),
    ]
    client = login_as(world.staff)
    page = preview(client, rows)
    errors = page.context["plan"].errors
    expected = [
        "第3行“执法证号”：与第2行重复",
        f"第4行“工作经历”：“{far.uscc}@2010-01-01”中的统一社会信用代码{far.uscc}不在机构名录中",
        "第5行“亲属回避”：",
        "第6行“执法证有效期至”：不能为空",
        "第6行“负责区域”：行政区划代码999999不存在",
        "第7行“执法证号”：该执法人员属于其他单位，您无权修改",
        f"第8行“所在单位”：“{world.elsewhere.name}”不是本单位或下级单位",
        "第9行“工作经历”：",
    ]
    for message in expected:
        assert any(error.startswith(message) for error in errors), (message, errors)
    assert client.post(page.request["PATH_INFO"]).status_code == 400
    assert Inspector.objects.count() == 1  # the outsider's own


def test_update_adds_conflicts_without_deleting(
    world: Any, login_as: Any, hospitals: tuple[Institution, Institution]
) -> None:
    county, city = hospitals
    inspector = make_inspector(world.commission, "周执法")
    InspectorEmployment.objects.create(inspector=inspector, institution=county)
    InspectorRelative.objects.create(inspector=inspector, institution=county, relation="子女")
    client = login_as(world.staff)
    changed = row(
        1,
        **{
            columns.CERTIFICATE: inspector.certificate_number,
            columns.NAME: "周执法",
            columns.REGIONS: "",
            columns.EMPLOYMENT: f"{county.uscc}@2001-01-01~",
            columns.RELATIVES: f"{city.uscc}@兄弟姐妹",
        },
    )
    page = preview(client, [changed])
    assert (page.context["plan"].created, page.context["plan"].updated) == (0, 1)
    assert client.post(page.request["PATH_INFO"]).status_code == 302
    employment = InspectorEmployment.objects.get(inspector=inspector)
    assert str(employment.started_on) == "2001-01-01"
    assert InspectorRelative.objects.filter(inspector=inspector).count() == 2


def test_guards(world: Any, client: Any, login_as: Any) -> None:
    assert client.get(UPLOAD).status_code == 302
    assert login_as(world.leader).post(UPLOAD, {}).status_code == 403
    staff = login_as(world.staff)
    response = staff.post(UPLOAD, {"file": xlsx([row(1)])})
    url = response["Location"]
    assert login_as(world.outsider).post(url).status_code == 404
    assert not Inspector.objects.exists()
