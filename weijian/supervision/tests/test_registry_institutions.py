"""The institution registry pages: list and filters, export, create / edit, the archive."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_license_number, make_uscc
from weijian.supervision.models import (
    Draw,
    Inspection,
    InspectionResult,
    InspectionState,
    Institution,
    PracticeSite,
    RiskGrade,
    SamplingPlan,
)
from weijian.supervision.tests.factories import make_institution, make_item, make_practitioner

pytestmark = pytest.mark.django_db

LIST = reverse("supervision:institution_list")
CREATE = reverse("supervision:institution_create")


def detail_url(institution: Institution) -> str:
    return reverse("supervision:institution_detail", args=[institution.pk])


def edit_url(institution: Institution) -> str:
    return reverse("supervision:institution_edit", args=[institution.pk])


def form_data(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "莲花县中医院",
        "uscc": make_uscc(9001, region_code="360321"),
        "license_number": make_license_number(9001, region_code="360321"),
        "category": "hospital",
        "subcategory": "中医医院",
        "ownership": "public",
        "level": "2",
        "grade": "A",
        "beds": "150",
        "region": "360321",
        "address": "莲花县琴亭镇",
        "license_valid_from": "2024-01-01",
        "license_valid_until": "2028-12-31",
        "status": "active",
        "risk_grade": "low",
        "supervisor": world.county.pk,
    }
    data.update(changes)
    return data


# --- list, filters, scope -----------------------------------------------------------------


def test_list_is_scoped_and_filtered(world: Any, login_as: Any) -> None:
    county_hospital = make_institution(world.county, "莲花县人民医院")
    city_clinic = make_institution(
        world.commission,
        "安源区诊所",
        region_code="360302",
        category="primary_care",
        subcategory="诊所",
        risk_grade=RiskGrade.HIGH,
    )
    far = make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    client = login_as(world.staff)
    page = client.get(LIST)
    names = [row.name for row in page.context["page"]]
    assert names == ["安源区诊所", "莲花县人民医院"]
    assert far.name not in page.content.decode()
    by_region = client.get(LIST, {"region": "360300"}).context["page"]
    assert {row.pk for row in by_region} == {county_hospital.pk, city_clinic.pk}
    by_county = client.get(LIST, {"region": "360321"}).context["page"]
    assert [row.pk for row in by_county] == [county_hospital.pk]
    filtered = client.get(LIST, {"category": "primary_care", "risk_grade": "high"})
    assert [row.pk for row in filtered.context["page"]] == [city_clinic.pk]
    by_code = client.get(LIST, {"q": county_hospital.uscc}).context["page"]
    assert [row.pk for row in by_code] == [county_hospital.pk]
    by_sub = client.get(LIST, {"subcategory": "综合医院", "level": "0", "status": "active"})
    assert [row.pk for row in by_sub.context["page"]] == [county_hospital.pk]
    assert [row.pk for row in client.get(LIST, {"ownership": "private"}).context["page"]] == []
    outsider = login_as(world.outsider).get(LIST)
    assert [row.pk for row in outsider.context["page"]] == [far.pk]


def _count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_runs_a_constant_number_of_queries(world: Any, login_as: Any) -> None:
    client = login_as(world.staff)
    make_institution(world.county, "机构1")
    few = _count_queries(client, LIST + "?region=360300")
    for n in range(20):
        make_institution(world.commission, f"机构{n + 2}", region_code="360302")
    assert _count_queries(client, LIST + "?region=360300") == few


def test_list_guards(world: Any, client: Any, login_as: Any) -> None:
    assert client.get(LIST).status_code == 302
    assert "/login" in client.get(LIST)["Location"]
    assert login_as(world.county_reporter).get(LIST).status_code == 403
    assert login_as(world.inspector).get(LIST).status_code == 200


def test_export_is_filtered_and_audited(world: Any, login_as: Any) -> None:
    make_institution(world.county, "莲花县人民医院", beds=120)
    make_institution(world.commission, "安源区诊所", region_code="360302")
    make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    client = login_as(world.staff)
    response = client.get(reverse("supervision:institution_export"), {"region": "360321"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("机构名称", "统一社会信用代码", "执业许可证登记号")
    assert [row[0] for row in rows[1:]] == ["莲花县人民医院"]
    assert rows[1][-1] == "3年"
    event = AuditEvent.objects.get(action="data.export")
    assert event.actor == world.staff
    assert event.summary["rows"] == 1
    assert event.summary["filters"] == {"region": "360321"}
    assert client.get(reverse("supervision:institution_export")).status_code == 200
    assert (
        login_as(world.county_reporter).get(reverse("supervision:institution_export")).status_code
        == 403
    )


# --- create and edit ----------------------------------------------------------------------


def test_staff_creates_an_institution(world: Any, login_as: Any) -> None:
    client = login_as(world.staff)
    form = client.get(CREATE).context["form"]
    assert form.fields["supervisor"].initial == world.commission.pk
    offered = set(form.fields["supervisor"].queryset)
    assert world.county in offered and world.elsewhere not in offered
    response = client.post(CREATE, form_data(world))
    institution = Institution.objects.get(name="莲花县中医院")
    assert response.status_code == 302
    assert response["Location"] == detail_url(institution)
    assert institution.supervisor == world.county
    assert institution.level_grade == "二级甲等"
    event = AuditEvent.objects.get(action="supervision.institution_create")
    assert event.actor == world.staff and event.object_id == str(institution.pk)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"uscc": "12360321MB000000XX"}, "uscc", "统一社会信用代码"),
        ({"license_number": "ABC"}, "license_number", "执业许可证登记号应为22位，实际为3位"),
        ({"subcategory": "诊所"}, "subcategory", "机构子类“诊所”不属于机构类别“医院”"),
        ({"level": "0", "grade": "A"}, "grade", "未定级的机构不能填写等次"),
        ({"license_valid_until": "2023-01-01"}, "license_valid_until", "不能早于有效期起"),
        (
            {"license_number": make_license_number(5, region_code="110101")},
            "license_number",
            "行政区划代码110101在行政区划表中不存在",
        ),
    ],
)
def test_create_refuses_with_chinese_messages(
    world: Any, login_as: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    response = login_as(world.staff).post(CREATE, form_data(world, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not Institution.objects.filter(name="莲花县中医院").exists()


def test_create_refuses_a_registered_code(world: Any, login_as: Any) -> None:
    existing = make_institution(world.county, "莲花县人民医院")
    data = form_data(world, uscc=existing.uscc, license_number=existing.license_number)
    response = login_as(world.staff).post(CREATE, data)
    errors = response.context["form"].errors
    assert f"统一社会信用代码{existing.uscc}已登记" in errors["uscc"][0]
    assert "已被其他机构使用" in errors["license_number"][0]


def test_create_guards(world: Any, client: Any, login_as: Any) -> None:
    assert client.get(CREATE).status_code == 302
    assert login_as(world.leader).get(CREATE).status_code == 403
    assert login_as(world.county_reporter).post(CREATE, form_data(world)).status_code == 403
    response = login_as(world.outsider).post(CREATE, form_data(world))
    assert "supervisor" in response.context["form"].errors
    assert not Institution.objects.exists()


def test_staff_edits_and_the_change_is_audited(world: Any, login_as: Any) -> None:
    institution = make_institution(world.county, "莲花县人民医院", beds=50)
    client = login_as(world.staff)
    data = form_data(
        world, name="莲花县人民医院", uscc=institution.uscc, license_number="", beds="200"
    )
    response = client.post(edit_url(institution), data)
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.beds == 200 and institution.license_check_years == 3
    event = AuditEvent.objects.get(action="supervision.institution_update")
    assert event.summary["changes"]["beds"] == [50, 200]


def test_edit_guards(world: Any, client: Any, login_as: Any) -> None:
    institution = make_institution(world.county, "莲花县人民医院")
    url = edit_url(institution)
    assert client.get(url).status_code == 302
    assert login_as(world.outsider).get(url).status_code == 404
    assert login_as(world.leader).get(url).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied").exists()


# --- the archive --------------------------------------------------------------------------


def _inspection(institution: Institution, staff: Any, **fields: Any) -> Inspection:
    item = make_item(institution.supervisor)
    plan = SamplingPlan.objects.create(
        owner=institution.supervisor,
        year=2024,
        title="2024年医疗机构抽查",
        item=item,
        object_count=1,
    )
    draw = Draw.objects.create(
        plan=plan,
        number=1,
        seed=1,
        rules={},
        snapshot={},
        snapshot_digest="0" * 64,
        result={},
        drawn_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC),
    )
    return Inspection.objects.create(plan=plan, draw=draw, institution=institution, **fields)


def test_archive_shows_everything_known(world: Any, login_as: Any) -> None:
    institution = make_institution(world.county, "莲花县人民医院", beds=150, level="2", grade="A")
    other = make_institution(world.county, "莲花县中医院", beds=20)
    make_practitioner(institution, "张医生")
    visitor = make_practitioner(other, "李医生")
    PracticeSite.objects.create(
        practitioner=visitor, institution=institution, filed_on=datetime.date(2024, 2, 1)
    )
    _inspection(
        institution,
        world.staff,
        state=InspectionState.COMPLETED,
        inspected_on=datetime.date(2024, 3, 5),
        result=InspectionResult.RECTIFY,
        publication_due=datetime.date(2099, 1, 1),
    )
    client = login_as(world.staff)
    page = client.get(detail_url(institution)).content.decode()
    assert "校验周期：3年" in page and "二级甲等" in page
    assert "张医生" in page and "李医生" in page
    assert "2024年医疗机构抽查" in page and "责令整改" in page and "待公示" in page
    for section in ("信用记录", "执法案件", "投诉"):
        assert section in page
    assert page.count("暂无") >= 3
    assert "校验周期：1年" in client.get(detail_url(other)).content.decode()


def test_archive_runs_a_constant_number_of_queries(world: Any, login_as: Any) -> None:
    institution = make_institution(world.county, "莲花县人民医院")
    client = login_as(world.staff)
    make_practitioner(institution, "医生0")
    few = _count_queries(client, detail_url(institution))
    other = make_institution(world.county, "莲花县中医院")
    for n in range(10):
        make_practitioner(institution, f"医生{n + 1}")
        visitor = make_practitioner(other, f"访客{n}")
        PracticeSite.objects.create(
            practitioner=visitor, institution=institution, filed_on=datetime.date(2024, 1, 1)
        )
    _inspection(institution, world.staff)
    assert _count_queries(client, detail_url(institution)) == few


def test_archive_guards(world: Any, client: Any, login_as: Any) -> None:
    institution = make_institution(world.county, "莲花县人民医院")
    url = detail_url(institution)
    assert client.get(url).status_code == 302
    assert login_as(world.outsider).get(url).status_code == 404
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor == world.outsider
    assert login_as(world.county_reporter).get(url).status_code == 403
    page = login_as(world.inspector).get(url)
    assert page.status_code == 200
    assert "仅供科室人员和领导查看" in page.content.decode()
