"""Finding who holds an ID number is as sensitive as revealing one: only 科室人员 may search by
身份证号, and every such search is audited with the number masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.supervision.codes import make_resident_id
from weijian.supervision.tests.factories import make_institution, make_practitioner

pytestmark = pytest.mark.django_db
URL = reverse("supervision:practitioner_list")


@pytest.fixture
def people(world):
    hospital = make_institution(world.commission, "莲花县人民医院")
    wanted = make_resident_id(501)
    make_practitioner(hospital, "张医生", id_number=wanted)
    make_practitioner(hospital, "李护士", id_number=make_resident_id(502))
    return wanted


def test_staff_search_by_id_number_is_audited_masked(world, login_as, people):
    response = login_as(world.staff).get(URL, {"id_number": people})
    html = response.content.decode()
    assert "张医生" in html and "李护士" not in html
    event = AuditEvent.objects.get(action="data.lookup")
    assert event.actor == world.staff
    assert event.summary == {
        "field": "身份证号",
        "value": people[:3] + "*" * 11 + people[-4:],
        "results": 1,
    }
    assert people not in str(event.summary)


def test_leader_cannot_search_by_id_number(world, login_as, people):
    response = login_as(world.leader).get(URL, {"id_number": people})
    html = response.content.decode()
    assert 'name="id_number"' not in html
    assert "张医生" in html and "李护士" in html  # the parameter is ignored
    assert not AuditEvent.objects.filter(action="data.lookup").exists()


def test_export_by_id_number_is_audited_too(world, login_as, people):
    login_as(world.staff).get(reverse("supervision:practitioner_export"), {"id_number": people})
    assert AuditEvent.objects.filter(action="data.lookup", actor=world.staff).count() == 1
    export = AuditEvent.objects.get(action="data.export")
    assert export.summary["rows"] == 1 and people not in str(export.summary)
