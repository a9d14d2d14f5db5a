"""The expert pool: the list and its export with masked phones, the audited reveal, the forms,
status changes, and who may open what."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from weijian.core.models import AuditEvent
from weijian.supervision.models import Expert, PoolStatus
from weijian.supervision.services import pools as service

LIST = reverse("supervision:expert_list")


@pytest.fixture
def experts(world):
    surgeon = service.expert_create(
        actor=world.staff,
        owner=world.commission,
        name="陈外科",
        workplace="萍乡市人民医院",
        title="主任医师",
        specialties=["医疗服务"],
        phone="13812345678",
    )
    hygienist = service.expert_create(
        actor=world.staff,
        owner=world.county,
        name="刘卫生",
        workplace="莲花县疾控中心",
        specialties=["公共场所卫生"],
    )
    Expert.objects.create(owner=world.elsewhere, name="渝中专家", workplace="渝中区某医院")
    return surgeon, hygienist


def test_the_phone_is_stored_encrypted_and_never_audited(world, experts):
    surgeon = experts[0]
    assert Expert.objects.get(pk=surgeon.pk).phone == "13812345678"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM supervision_expert WHERE id = %s", [surgeon.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    event = AuditEvent.objects.filter(action="supervision.expert_create").order_by("pk")[0]
    assert "13812345678" not in str(event.summary)


def test_rules_are_said_in_chinese(world):
    cases = [
        ({"name": ""}, "name", "请填写姓名"),
        ({"workplace": ""}, "workplace", "请填写工作单位"),
        ({"phone": "12345"}, "phone", "联系电话格式不正确（手机号码11位，或“区号-电话号码”）"),
    ]
    for fields, field, message in cases:
        values = {"owner": world.commission, "name": "甲", "workplace": "乙", **fields}
        with pytest.raises(ValidationError) as error:
            service.expert_create(actor=world.staff, **values)
        assert error.value.message_dict == {field: [message]}
    with pytest.raises(PermissionDenied):
        service.expert_create(
            actor=world.outsider, owner=world.commission, name="甲", workplace="乙"
        )
    assert not Expert.objects.exists()


def test_the_list_masks_phones_and_filters(world, experts, login_as):
    client = login_as(world.staff)
    page = client.get(LIST).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "渝中专家" not in page
    rows = client.get(LIST, {"specialty": "公共场所卫生"}).context["page"]
    assert [expert.name for expert in rows] == ["刘卫生"]
    service.expert_set_status(actor=world.staff, expert=experts[1], status=PoolStatus.SUSPENDED)
    rows = client.get(LIST, {"status": "active"}).context["page"]
    assert [expert.name for expert in rows] == ["陈外科"]


def test_the_list_runs_a_constant_number_of_queries(world, login_as, django_assert_max_num_queries):
    client = login_as(world.staff)
    for n in range(3):
        Expert.objects.create(
            owner=world.county, name=f"甲{n}", workplace="医院", phone="13800000000"
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(20):
        Expert.objects.create(owner=world.county, name=f"乙{n}", workplace="医院")
    with django_assert_max_num_queries(len(few)):
        client.get(LIST)


def test_reveal_is_audited_and_only_for_staff_in_scope(world, experts, login_as):
    surgeon = experts[0]
    url = reverse("supervision:expert_reveal_phone", args=[surgeon.pk])
    response = login_as(world.staff).post(url)
    assert "13812345678" in response.content.decode()
    event = AuditEvent.objects.get(action="data.reveal")
    assert event.object_id == str(surgeon.pk) and event.summary["field"] == "phone"
    assert login_as(world.leader).post(url).status_code == 403
    assert login_as(world.outsider).post(url).status_code == 404
    assert login_as(world.staff).get(url).status_code == 405
    assert AuditEvent.objects.filter(action="data.reveal").count() == 1


def test_the_export_masks_phones_and_is_audited(world, experts, login_as):
    response = login_as(world.leader).get(reverse("supervision:expert_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][4] == "联系电话"
    phones = {row[0]: row[4] for row in rows[1:]}
    assert phones["陈外科"] == "138****5678" and not phones["刘卫生"]
    assert "13812345678" not in str(rows)
    assert AuditEvent.objects.get(action="data.export").summary["what"] == "专家库"


def test_create_and_edit_through_the_forms(world, experts, login_as):
    client = login_as(world.staff)
    client.post(
        reverse("supervision:expert_create"),
        {
            "name": "孙放射",
            "owner": world.county.pk,
            "workplace": "莲花县人民医院",
            "specialties": ["放射卫生"],
            "other_specialties": "核医学",
            "phone": "0799-6123456",
        },
    )
    expert = Expert.objects.get(name="孙放射")
    assert expert.specialties == ["放射卫生", "核医学"] and expert.phone == "0799-6123456"
    edit = reverse("supervision:expert_edit", args=[expert.pk])
    page = client.get(edit).content.decode()
    assert "0799-6123456" not in page and "0799-***3456" in page
    values = {"name": "孙放射", "owner": world.county.pk, "workplace": "萍乡市第二医院"}
    client.post(edit, values)
    expert.refresh_from_db()
    assert expert.workplace == "萍乡市第二医院" and expert.phone == "0799-6123456"
    client.post(edit, {**values, "clear_phone": "on"})
    expert.refresh_from_db()
    assert expert.phone == ""
    updates = AuditEvent.objects.filter(action="supervision.expert_update").order_by("-pk")
    changes = updates[0].summary
    assert changes["changes"]["phone"] == "（已修改）"
    response = client.post(edit, {**values, "name": ""})
    assert response.context["form"].errors["name"] == ["请填写姓名"]


def test_status_changes_through_the_page(world, experts, login_as):
    surgeon = experts[0]
    client = login_as(world.staff)
    client.post(reverse("supervision:expert_status", args=[surgeon.pk]), {"status": "left"})
    assert Expert.objects.get(pk=surgeon.pk).status == PoolStatus.LEFT
    event = AuditEvent.objects.get(action="supervision.expert_status")
    assert event.summary["status"] == ["在库", "已出库"]


def test_outsiders_anonymous_and_wrong_roles(world, experts, client, login_as):
    surgeon = experts[0]
    edit = reverse("supervision:expert_edit", args=[surgeon.pk])
    response = client.get(LIST)
    assert response.status_code == 302 and "/login" in response["Location"]
    outsider = login_as(world.outsider)
    assert outsider.get(edit).status_code == 404
    status = reverse("supervision:expert_status", args=[surgeon.pk])
    assert outsider.post(status, {"status": "left"}).status_code == 404
    assert [e.name for e in outsider.get(LIST).context["page"]] == ["渝中专家"]
    assert login_as(world.county_reporter).get(LIST).status_code == 403
    assert login_as(world.inspector).get(LIST).status_code == 403
    assert login_as(world.leader).get(edit).status_code == 403
    assert Expert.objects.get(pk=surgeon.pk).status == PoolStatus.ACTIVE
