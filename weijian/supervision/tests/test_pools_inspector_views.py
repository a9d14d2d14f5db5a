"""The inspector pool's pages: the filtered list and its export, one inspector, the forms,
and who may open what."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from weijian.core.models import AuditEvent
from weijian.orgs.models import Region
from weijian.supervision.models import Inspector, PoolStatus
from weijian.supervision.tests.factories import make_inspector, make_institution
from weijian.supervision.tests.test_pools_inspectors import drawn

TODAY = datetime.datetime(2024, 6, 10, 9, tzinfo=datetime.UTC)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pool(world):
    """Three inspectors: valid, expiring within 30 days, expired."""
    valid = make_inspector(
        world.county, "张有效", specialties=["医疗服务"], certificate_number="赣卫执100001"
    )
    valid.regions.set([Region.objects.get(code="360321")])
    expiring = make_inspector(
        world.commission,
        "李将到期",
        specialties=["职业卫生"],
        certificate_valid_until=datetime.date(2024, 7, 1),
    )
    expired = make_inspector(
        world.county,
        "王过期",
        certificate_valid_until=datetime.date(2024, 5, 31),
        status=PoolStatus.SUSPENDED,
    )
    make_inspector(world.elsewhere, "渝中执法")
    return valid, expiring, expired


def names(response) -> list[str]:
    return sorted(inspector.name for inspector, _ in response.context["rows"])


LIST = reverse("supervision:inspector_list")


def test_the_list_shows_the_subtree_and_filters(world, pool, login_as):
    client = login_as(world.staff)
    assert names(client.get(LIST)) == ["张有效", "李将到期", "王过期"]
    cases = [
        ({"name": "张"}, ["张有效"]),
        ({"certificate": "100001"}, ["张有效"]),
        ({"organization": world.county.pk}, ["张有效", "王过期"]),
        ({"specialty": "职业卫生"}, ["李将到期"]),
        ({"region": "360321"}, ["张有效"]),
        ({"status": "suspended"}, ["王过期"]),
        ({"validity": "valid"}, ["张有效", "李将到期"]),
        ({"validity": "expired"}, ["王过期"]),
        ({"validity": "expiring"}, ["李将到期"]),
    ]
    for query, expected in cases:
        assert names(client.get(LIST, query)) == expected, query


def test_a_county_user_sees_only_his_county(world, pool, login_as):
    from weijian.accounts.roles import Role
    from weijian.conftest import make_user

    county_staff = make_user("county_staff", world.county, Role.STAFF)
    assert names(login_as(county_staff).get(LIST)) == ["张有效", "王过期"]


def _count(client, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, query or {}).status_code == 200
    return len(queries)


def test_the_list_runs_a_constant_number_of_queries(world, login_as):
    client = login_as(world.staff)
    regions = list(Region.objects.filter(code__startswith="3603"))
    for n in range(3):
        make_inspector(world.county, f"甲{n}").regions.set(regions)
    few = _count(client)
    for n in range(20):
        make_inspector(world.county, f"乙{n}").regions.set(regions)
    assert _count(client) == few
    assert _count(client, {"region": "360321", "specialty": "医疗服务"}) <= few + 1


def test_the_detail_shows_certificate_history_and_inspections(world, pool, login_as):
    valid, expiring, expired = pool
    hospital = make_institution(world.county, "莲花县人民医院")
    valid.employments.create(institution=hospital, started_on=datetime.date(2010, 1, 1))
    valid.relatives.create(institution=hospital, relation="配偶")
    inspection = drawn(world, valid)
    valid.user = world.inspector
    valid.save()
    client = login_as(world.staff)
    page = client.get(reverse("supervision:inspector_detail", args=[valid.pk])).content.decode()
    for text in ("赣卫执100001", "医疗服务", "莲花县", "莲花县人民医院", "配偶", "周执法"):
        assert text in page
    assert inspection.plan.title in page and "莲花县妇幼保健院" in page
    expired_page = client.get(reverse("supervision:inspector_detail", args=[expired.pk]))
    assert "已过期（10天）" in expired_page.content.decode()
    soon = client.get(reverse("supervision:inspector_detail", args=[expiring.pk]))
    assert "21天后到期" in soon.content.decode()


def test_outsiders_get_404_and_anonymous_users_log_in(world, pool, client, login_as):
    valid = pool[0]
    urls = [
        reverse("supervision:inspector_detail", args=[valid.pk]),
        reverse("supervision:inspector_edit", args=[valid.pk]),
        reverse("supervision:inspector_delete", args=[valid.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    outsider = login_as(world.outsider)
    for url in urls:
        assert outsider.get(url).status_code == 404
    posts = [
        reverse("supervision:inspector_status", args=[valid.pk]),
        reverse("supervision:inspector_link_user", args=[valid.pk]),
        reverse("supervision:employment_add", args=[valid.pk]),
        reverse("supervision:relative_add", args=[valid.pk]),
        reverse("supervision:inspector_delete", args=[valid.pk]),
    ]
    for url in posts:
        assert outsider.post(url, {"status": "left"}).status_code == 404
    assert Inspector.objects.get(pk=valid.pk).status == PoolStatus.ACTIVE
    assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).exists()
    assert [i.name for i, _ in outsider.get(LIST).context["rows"]] == ["渝中执法"]


def test_wrong_roles_are_refused(world, pool, login_as):
    reporter = login_as(world.county_reporter)
    assert reporter.get(LIST).status_code == 403
    assert reporter.get(reverse("supervision:inspector_export")).status_code == 403
    inspector_user = login_as(world.inspector)
    assert inspector_user.get(LIST).status_code == 200
    assert inspector_user.get(reverse("supervision:inspector_create")).status_code == 403
    response = inspector_user.post(
        reverse("supervision:inspector_status", args=[pool[0].pk]), {"status": "left"}
    )
    assert response.status_code == 403
    assert Inspector.objects.get(pk=pool[0].pk).status == PoolStatus.ACTIVE


def test_creating_an_inspector_through_the_form(world, login_as):
    client = login_as(world.staff)
    response = client.post(
        reverse("supervision:inspector_create"),
        {
            "name": "赵新人",
            "organization": world.county.pk,
            "certificate_number": "赣卫执555555",
            "certificate_valid_from": "2024-01-01",
            "certificate_valid_until": "2028-12-31",
            "specialties": ["医疗服务", "学校卫生"],
            "other_specialties": "院感防控、医疗废物",
            "regions": ["360321", "360302"],
        },
    )
    inspector = Inspector.objects.get(certificate_number="赣卫执555555")
    assert response["Location"] == reverse("supervision:inspector_detail", args=[inspector.pk])
    assert inspector.specialties == ["医疗服务", "学校卫生", "院感防控", "医疗废物"]
    assert set(inspector.regions.values_list("code", flat=True)) == {"360321", "360302"}
    assert AuditEvent.objects.filter(action="supervision.inspector_create").exists()


def test_the_form_says_what_is_wrong_in_chinese(world, pool, login_as):
    client = login_as(world.staff)
    response = client.post(
        reverse("supervision:inspector_create"),
        {
            "name": "",
            "organization": world.elsewhere.pk,
            "certificate_number": "赣卫执100001",
            "certificate_valid_from": "2025-01-01",
            "certificate_valid_until": "2024-12-31",
            "regions": ["500103"],
        },
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["请填写姓名"]
    assert errors["organization"] == ["请选择有效的所在单位"]
    assert errors["certificate_valid_until"] == ["执法证有效期至不能早于有效期起"]
    assert errors["regions"] == ["负责区域“500103”不在本单位辖区内"]
    response = client.post(
        reverse("supervision:inspector_create"),
        {
            "name": "重号",
            "organization": world.county.pk,
            "certificate_number": "赣卫执100001",
            "certificate_valid_until": "2028-12-31",
        },
    )
    assert response.context["form"].errors["certificate_number"] == [
        "执法证号“赣卫执100001”已登记在执法人员张有效名下"
    ]
    assert Inspector.objects.count() == 4


def test_editing_keeps_the_values_and_saves_changes(world, pool, login_as):
    valid = pool[0]
    client = login_as(world.staff)
    url = reverse("supervision:inspector_edit", args=[valid.pk])
    form = client.get(url).context["form"]
    assert form.initial["specialties"] == ["医疗服务"] and form.initial["regions"] == ["360321"]
    client.post(
        url,
        {
            "name": "张有效",
            "organization": world.county.pk,
            "certificate_number": "赣卫执100001",
            "certificate_valid_until": "2031-12-31",
            "specialties": ["医疗服务"],
        },
    )
    valid.refresh_from_db()
    assert valid.certificate_valid_until == datetime.date(2031, 12, 31)
    assert not valid.regions.exists()
    assert AuditEvent.objects.filter(action="supervision.inspector_update").exists()


def test_status_change_through_the_page(world, pool, login_as):
    client = login_as(world.staff)
    url = reverse("supervision:inspector_status", args=[pool[0].pk])
    client.post(url, {"status": "left"})
    assert Inspector.objects.get(pk=pool[0].pk).status == PoolStatus.LEFT
    assert AuditEvent.objects.filter(action="supervision.inspector_status").count() == 1
    response = client.post(url, {"status": "left"}, follow=True)
    assert "该执法人员已是“已出库”状态" in response.content.decode()


def test_delete_asks_first_and_refuses_a_drawn_inspector(world, pool, login_as):
    valid, expiring, _ = pool
    client = login_as(world.staff)
    url = reverse("supervision:inspector_delete", args=[expiring.pk])
    assert "确认删除" in client.get(url).content.decode()
    assert Inspector.objects.filter(pk=expiring.pk).exists()
    assert client.post(url)["Location"] == LIST
    assert not Inspector.objects.filter(pk=expiring.pk).exists()
    drawn(world, valid)
    url = reverse("supervision:inspector_delete", args=[valid.pk])
    assert "不能删除" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "已被抽取参加检查，不能删除" in response.content.decode()
    assert Inspector.objects.filter(pk=valid.pk).exists()


def test_linking_an_account_through_the_page(world, pool, login_as):
    valid = pool[0]
    client = login_as(world.staff)
    page = client.get(reverse("supervision:inspector_detail", args=[valid.pk]))
    offered = list(page.context["link_form"].fields["user"].queryset)
    assert offered == [world.inspector]
    client.post(
        reverse("supervision:inspector_link_user", args=[valid.pk]), {"user": world.leader.pk}
    )
    assert Inspector.objects.get(pk=valid.pk).user is None
    client.post(
        reverse("supervision:inspector_link_user", args=[valid.pk]), {"user": world.inspector.pk}
    )
    assert Inspector.objects.get(pk=valid.pk).user == world.inspector
    client.post(reverse("supervision:inspector_unlink_user", args=[valid.pk]))
    assert Inspector.objects.get(pk=valid.pk).user is None


def test_employment_by_uscc_or_name_through_the_page(world, pool, login_as):
    valid = pool[0]
    hospital = make_institution(world.county, "莲花县人民医院")
    make_institution(world.county, "莲花县人民医院分院")
    client = login_as(world.staff)
    url = reverse("supervision:employment_add", args=[valid.pk])
    response = client.post(url, {"institution": "莲花县"})
    assert response.context["employment_form"].errors["institution"] == [
        "“莲花县”匹配到多个机构，请输入统一社会信用代码或完整名称"
    ]
    response = client.post(url, {"institution": "渝中"})
    assert response.context["employment_form"].errors["institution"] == [
        "在本单位管辖范围内没有找到机构“渝中”"
    ]
    client.post(url, {"institution": hospital.uscc.lower(), "started_on": "2012-09-01"})
    employment = valid.employments.get()
    assert employment.institution == hospital
    assert employment.started_on == datetime.date(2012, 9, 1)
    relative_url = reverse("supervision:relative_add", args=[valid.pk])
    client.post(relative_url, {"institution": "莲花县人民医院", "relation": "配偶"})
    assert valid.relatives.get().institution == hospital
    client.post(reverse("supervision:employment_remove", args=[employment.pk]))
    client.post(reverse("supervision:relative_remove", args=[valid.relatives.get().pk]))
    assert not valid.employments.exists() and not valid.relatives.exists()


def test_institution_suggestions_stay_in_scope(world, login_as):
    make_institution(world.county, "莲花县人民医院")
    make_institution(world.elsewhere, "渝中区人民医院", region_code="500103")
    client = login_as(world.staff)
    url = reverse("supervision:inspector_institution_options")
    page = client.get(url, {"institution": "人民医院"}).content.decode()
    assert "莲花县人民医院" in page and "渝中区人民医院" not in page
    assert login_as(world.outsider).get(url, {"institution": "莲花"}).content.decode().strip() == ""


def test_the_export_follows_the_filters_and_is_audited(world, pool, login_as):
    client = login_as(world.staff)
    response = client.get(reverse("supervision:inspector_export"), {"validity": "valid"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "所在单位", "执法证号")
    assert sorted(row[0] for row in rows[1:]) == ["张有效", "李将到期"]
    event = AuditEvent.objects.get(action="data.export")
    assert event.summary["what"] == "执法人员名录"
    assert event.summary["filters"] == {"validity": "valid"}
