"""The practitioner pages: masked ID numbers, the audited reveal, search through the blind
index, the forms and the practice sites (多机构执业备案)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from weijian.core.crypto import blind_index
from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_resident_id
from weijian.supervision.models import Institution, PracticeSite, Practitioner
from weijian.supervision.tests.factories import make_institution, make_practitioner

pytestmark = pytest.mark.django_db

LIST = reverse("supervision:practitioner_list")
CREATE = reverse("supervision:practitioner_create")
ID_NUMBER = make_resident_id(4242)


def url(name: str, obj: Any) -> str:
    return reverse(f"supervision:{name}", args=[obj.pk])


@pytest.fixture
def hospital(world: Any) -> Institution:
    return make_institution(world.county, "莲花县人民医院")


@pytest.fixture
def doctor(hospital: Institution) -> Practitioner:
    return make_practitioner(hospital, "张医生", id_number=ID_NUMBER)


def test_list_masks_and_searches_by_id_number(
    world: Any, login_as: Any, doctor: Practitioner, hospital: Institution
) -> None:
    make_practitioner(hospital, "李护士", kind="nurse")
    far = make_practitioner(
        make_institution(world.elsewhere, "渝中区医院", region_code="500103"), "王"
    )
    client = login_as(world.staff)
    page = client.get(LIST)
    html = page.content.decode()
    assert ID_NUMBER not in html and ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:] in html
    assert [p.name for p in page.context["page"]] == ["李护士", "张医生"]
    assert far.name not in html
    found = client.get(LIST, {"id_number": ID_NUMBER[:6] + " " + ID_NUMBER[6:]})
    assert [p.pk for p in found.context["page"]] == [doctor.pk]
    assert ID_NUMBER not in found.content.decode()
    assert [p.name for p in client.get(LIST, {"kind": "nurse"}).context["page"]] == ["李护士"]
    assert [p.pk for p in client.get(LIST, {"name": "张"}).context["page"]] == [doctor.pk]
    by_license = client.get(LIST, {"license_number": doctor.license_number})
    assert [p.pk for p in by_license.context["page"]] == [doctor.pk]
    by_institution = client.get(LIST, {"institution": hospital.uscc}).context["page"]
    assert len(by_institution) == 2
    bad = client.get(LIST, {"id_number": "123"})
    assert "居民身份证号应为18位" in bad.content.decode()


def test_list_runs_a_constant_number_of_queries(
    world: Any, login_as: Any, hospital: Institution
) -> None:
    client = login_as(world.staff)
    make_practitioner(hospital, "医生")
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(15):
        make_practitioner(make_institution(world.county, f"机构{n}"), f"医生{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_list_guards(world: Any, client: Any, login_as: Any) -> None:
    assert client.get(LIST).status_code == 302
    assert login_as(world.county_reporter).get(LIST).status_code == 403
    assert login_as(world.inspector).get(LIST).status_code == 403
    assert login_as(world.leader).get(LIST).status_code == 200


def test_export_masks_id_numbers(world: Any, login_as: Any, doctor: Practitioner) -> None:
    response = login_as(world.staff).get(reverse("supervision:practitioner_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "张医生"
    assert rows[1][2] == ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]
    assert ID_NUMBER not in str(rows)
    assert AuditEvent.objects.filter(action="data.export", actor=world.staff).count() == 1


def test_detail_never_shows_the_full_number(
    world: Any, login_as: Any, doctor: Practitioner
) -> None:
    html = login_as(world.staff).get(url("practitioner_detail", doctor)).content.decode()
    assert ID_NUMBER not in html
    assert url("practitioner_reveal_id", doctor) in html
    leader_html = login_as(world.leader).get(url("practitioner_detail", doctor)).content.decode()
    assert ID_NUMBER not in leader_html
    assert url("practitioner_reveal_id", doctor) not in leader_html


def test_reveal_is_audited_once(world: Any, login_as: Any, doctor: Practitioner) -> None:
    client = login_as(world.staff)
    reveal = url("practitioner_reveal_id", doctor)
    assert client.get(reveal).status_code == 405
    response = client.post(reveal)
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    events = AuditEvent.objects.filter(action="data.reveal")
    assert events.count() == 1
    assert events[0].actor == world.staff and events[0].object_id == str(doctor.pk)


def test_reveal_guards(world: Any, client: Any, login_as: Any, doctor: Practitioner) -> None:
    reveal = url("practitioner_reveal_id", doctor)
    assert client.post(reveal).status_code == 302
    assert login_as(world.leader).post(reveal).status_code == 403
    assert login_as(world.outsider).post(reveal).status_code == 404
    assert not AuditEvent.objects.filter(action="data.reveal").exists()


def test_detail_guards(world: Any, client: Any, login_as: Any, doctor: Practitioner) -> None:
    page = url("practitioner_detail", doctor)
    assert client.get(page).status_code == 302
    assert login_as(world.outsider).get(page).status_code == 404
    assert login_as(world.county_reporter).get(page).status_code == 403


def test_create_stores_the_compact_number_and_its_index(
    world: Any, login_as: Any, hospital: Institution
) -> None:
    spaced = f"{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}"
    data = {
        "kind": "physician",
        "name": "赵医生",
        "id_number": spaced,
        "license_number": "110360000000123",
        "institution": hospital.uscc,
        "practice_category": "临床",
        "practice_scope": "内科专业",
        "status": "active",
    }
    response = login_as(world.staff).post(CREATE, data)
    person = Practitioner.objects.get(name="赵医生")
    assert response.status_code == 302
    assert person.id_number == ID_NUMBER
    assert person.id_number_index == blind_index(ID_NUMBER, purpose="resident_id")
    event = AuditEvent.objects.get(action="supervision.practitioner_create")
    assert ID_NUMBER not in str(event.summary)
    again = login_as(world.staff).post(CREATE, {**data, "name": "重复"})
    errors = again.context["form"].errors
    assert "该身份证号已登记" in errors["id_number"][0]
    assert "执业证书编码110360000000123已登记" in errors["license_number"][0]
    wrong = login_as(world.staff).post(CREATE, {**data, "id_number": ID_NUMBER[:-1] + "0"})
    assert "居民身份证号" in wrong.context["form"].errors["id_number"][0]


def test_create_refuses_an_institution_out_of_scope(world: Any, login_as: Any) -> None:
    far = make_institution(world.elsewhere, "渝中区医院", region_code="500103")
    data = {
        "kind": "physician",
        "name": "赵医生",
        "id_number": ID_NUMBER,
        "license_number": "1",
        "institution": far.uscc,
        "status": "active",
    }
    response = login_as(world.staff).post(CREATE, data)
    assert "不在您可管理的机构名录中" in response.context["form"].errors["institution"][0]
    assert login_as(world.leader).post(CREATE, data).status_code == 403


def test_edit_keeps_the_number_when_left_empty(
    world: Any, login_as: Any, doctor: Practitioner, hospital: Institution
) -> None:
    client = login_as(world.staff)
    form_page = client.get(url("practitioner_edit", doctor)).content.decode()
    assert ID_NUMBER not in form_page
    data = {
        "kind": "physician",
        "name": "张医生",
        "id_number": "",
        "license_number": doctor.license_number,
        "institution": hospital.uscc,
        "practice_scope": "外科专业",
        "status": "active",
    }
    assert client.post(url("practitioner_edit", doctor), data).status_code == 302
    doctor.refresh_from_db()
    assert doctor.id_number == ID_NUMBER and doctor.practice_scope == "外科专业"
    event = AuditEvent.objects.get(action="supervision.practitioner_update")
    assert event.summary["changes"]["practice_scope"] == ["内科专业", "外科专业"]
    assert login_as(world.outsider).get(url("practitioner_edit", doctor)).status_code == 404


def test_practice_sites(
    world: Any, login_as: Any, doctor: Practitioner, hospital: Institution
) -> None:
    other = make_institution(world.commission, "萍乡市人民医院", region_code="360302")
    client = login_as(world.staff)
    add = url("practice_site_add", doctor)
    primary = client.post(add, {"institution": hospital.uscc, "filed_on": "2024-03-01"})
    assert primary.status_code == 400
    assert "主要执业机构" in primary.content.decode()
    assert (
        client.post(add, {"institution": other.uscc, "filed_on": "2024-03-01"}).status_code == 302
    )
    duplicate = client.post(add, {"institution": other.uscc, "filed_on": "2024-04-01"})
    assert duplicate.status_code == 400 and "不能重复备案" in duplicate.content.decode()
    site = PracticeSite.objects.get()
    assert AuditEvent.objects.filter(action="supervision.practice_site_add").count() == 1
    end = url("practice_site_end", site)
    client.post(end, {"ended_on": "2024-01-01"})
    site.refresh_from_db()
    assert site.ended_on is None
    client.post(end, {"ended_on": "2024-06-30"})
    site.refresh_from_db()
    assert str(site.ended_on) == "2024-06-30"
    assert AuditEvent.objects.filter(action="supervision.practice_site_end").count() == 1
    html = client.get(url("practitioner_detail", doctor)).content.decode()
    assert "萍乡市人民医院" in html and "2024-06-30" in html
    assert login_as(world.outsider).post(end, {"ended_on": "2024-07-01"}).status_code == 404
    assert login_as(world.leader).post(add, {}).status_code == 403
