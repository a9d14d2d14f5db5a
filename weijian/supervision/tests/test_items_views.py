"""The item list's pages: the list with the RULES.md columns and its export, one item with its
checklist, the forms, and who may open or change what."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.supervision.models import InspectionItem
from weijian.supervision.tests.factories import make_item
from weijian.supervision.tests.test_items_services import TEXTS, points, use_in_plan

LIST = reverse("supervision:item_list")
COLUMNS = [
    "事项名称",
    "子项",
    "抽查依据",
    "抽查主体",
    "抽查对象",
    "抽查比例",
    "抽查频次",
    "抽查方式",
    "检查人员要求",
]


@pytest.fixture
def items(world):
    return (
        make_item(world.commission, "市级事项"),
        make_item(world.county, "县级事项"),
        make_item(world.elsewhere, "渝中事项"),
    )


def detail(item) -> str:
    return reverse("supervision:item_detail", args=[item.pk])


def test_the_list_shows_the_columns_and_the_items_flowing_down(world, items, login_as):
    page = login_as(world.staff).get(LIST)
    text = page.content.decode()
    for column in COLUMNS:
        assert f">{column}</th>" in text
    assert {item.name for item in page.context["page"]} == {"市级事项", "县级事项"}
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    names = {item.name for item in login_as(county_staff).get(LIST).context["page"]}
    assert names == {"市级事项", "县级事项"}
    assert {i.name for i in login_as(world.outsider).get(LIST).context["page"]} == {"渝中事项"}


def test_the_list_filters(world, items, login_as):
    client = login_as(world.staff)
    assert [i.name for i in client.get(LIST, {"text": "县级"}).context["page"]] == ["县级事项"]
    items[0].is_active = False
    items[0].save()
    assert [i.name for i in client.get(LIST, {"active": "0"}).context["page"]] == ["市级事项"]


def test_the_list_runs_a_constant_number_of_queries(world, login_as):
    client = login_as(world.staff)
    for n in range(2):
        make_item(world.commission, f"甲{n}")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        make_item(world.county, f"乙{n}")
    assert count() == few


def test_the_detail_shows_the_ordered_checklist(world, items, login_as):
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    response = login_as(county_staff).get(detail(items[0]))
    text = response.content.decode()
    assert text.index("检查要点1") < text.index("检查要点2") < text.index("检查要点3")
    assert "《医疗机构管理条例》第11条" in text
    assert response.context["can_edit"] is False  # a unit below reads the city's item
    assert reverse("supervision:item_edit", args=[items[0].pk]) not in text
    assert login_as(world.staff).get(detail(items[1])).context["can_edit"] is True


def test_outsiders_anonymous_and_wrong_roles(world, items, client, login_as):
    item = items[0]
    point = item.checkpoints.first()
    gets = [
        detail(item),
        reverse("supervision:item_edit", args=[item.pk]),
        reverse("supervision:item_delete", args=[item.pk]),
        reverse("supervision:checkpoint_edit", args=[point.pk]),
    ]
    for url in [LIST, *gets]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    outsider = login_as(world.outsider)
    for url in gets:
        assert outsider.get(url).status_code == 404
    posts = [
        (reverse("supervision:item_active", args=[item.pk]), {"active": "0"}),
        (reverse("supervision:checkpoint_add", args=[item.pk]), {"content": "甲", "basis": "乙"}),
        (reverse("supervision:checkpoint_move", args=[point.pk]), {"direction": "down"}),
        (reverse("supervision:checkpoint_delete", args=[point.pk]), {}),
        (reverse("supervision:item_delete", args=[item.pk]), {}),
    ]
    for url, data in posts:
        assert outsider.post(url, data).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).count() >= 8
    reporter = login_as(world.county_reporter)
    assert reporter.get(LIST).status_code == 403
    assert reporter.get(detail(item)).status_code == 403
    leader = login_as(world.leader)
    assert leader.get(detail(item)).status_code == 200
    assert leader.post(*posts[0]).status_code == 403
    item.refresh_from_db()
    assert item.is_active and points(item) == ["检查要点1", "检查要点2", "检查要点3"]


def test_a_unit_below_is_refused_changes_to_an_item_above(world, items, login_as):
    county_staff = login_as(make_user("county_staff", world.county, Role.STAFF))
    response = county_staff.post(
        reverse("supervision:checkpoint_add", args=[items[0].pk]), {"content": "甲", "basis": "乙"}
    )
    assert response.status_code == 403
    assert items[0].checkpoints.count() == 3
    assert AuditEvent.objects.filter(action="access.denied", success=False).exists()


def test_create_and_edit_through_the_forms(world, login_as):
    client = login_as(world.staff)
    response = client.post(reverse("supervision:item_create"), {"owner": world.county.pk, **TEXTS})
    item = InspectionItem.objects.get()
    assert response["Location"] == detail(item) and item.owner == world.county
    response = client.post(
        reverse("supervision:item_edit", args=[item.pk]), {**TEXTS, "method": "书面检查"}
    )
    item.refresh_from_db()
    assert item.method == "书面检查" and item.owner == world.county
    response = client.post(reverse("supervision:item_create"), {**TEXTS, "basis": "", "owner": ""})
    errors = response.context["form"].errors
    assert errors["basis"] == ["请填写抽查依据"] and errors["owner"] == ["请选择制定单位"]
    response = client.post(
        reverse("supervision:item_create"), {**TEXTS, "owner": world.elsewhere.pk}
    )
    assert response.context["form"].errors["owner"] == ["请选择有效的制定单位"]
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "supervision.item_create" in actions and "supervision.item_update" in actions


def test_checklist_through_the_page(world, items, login_as):
    item = items[0]
    client = login_as(world.staff)
    client.post(
        reverse("supervision:checkpoint_add", args=[item.pk]),
        {"content": "医疗废物处置", "basis": "《医疗废物管理条例》第十二条"},
    )
    new = item.checkpoints.get(content="医疗废物处置")
    client.post(reverse("supervision:checkpoint_move", args=[new.pk]), {"direction": "up"})
    assert points(item) == ["检查要点1", "检查要点2", "医疗废物处置", "检查要点3"]
    client.post(
        reverse("supervision:checkpoint_edit", args=[new.pk]),
        {"content": "医疗废物分类处置", "basis": "《医疗废物管理条例》第十二条"},
    )
    first = item.checkpoints.get(content="检查要点1")
    client.post(reverse("supervision:checkpoint_delete", args=[first.pk]))
    assert points(item) == ["检查要点2", "医疗废物分类处置", "检查要点3"]
    response = client.post(
        reverse("supervision:checkpoint_add", args=[item.pk]), {"content": "", "basis": ""}
    )
    assert response.context["point_form"].errors["content"] == ["请填写检查内容"]
    response = client.post(
        reverse("supervision:checkpoint_move", args=[new.pk]),
        {"direction": "sideways"},
        follow=True,
    )
    assert "请选择上移或下移" in response.content.decode()


def test_deactivate_and_delete_refusal_through_the_page(world, items, login_as):
    item = items[0]
    use_in_plan(item)
    client = login_as(world.staff)
    delete = reverse("supervision:item_delete", args=[item.pk])
    assert "不能删除" in client.get(delete).content.decode()
    response = client.post(delete, follow=True)
    assert (
        "该抽查事项已被1个抽查计划使用，不能删除；不再使用的，请停用。" in response.content.decode()
    )
    client.post(reverse("supervision:item_active", args=[item.pk]), {"active": "0"})
    assert not InspectionItem.objects.get(pk=item.pk).is_active
    unused = items[1]
    assert (
        "确认删除"
        in client.get(reverse("supervision:item_delete", args=[unused.pk])).content.decode()
    )
    assert client.post(reverse("supervision:item_delete", args=[unused.pk]))["Location"] == LIST
    assert not InspectionItem.objects.filter(pk=unused.pk).exists()


def test_the_export_has_items_and_check_points_and_is_audited(world, items, login_as):
    response = login_as(world.leader).get(reverse("supervision:item_export"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["抽查事项", "检查要点"]
    item_rows = list(book["抽查事项"].iter_rows(values_only=True))
    assert list(item_rows[0][1:10]) == COLUMNS
    assert sorted(row[1] for row in item_rows[1:]) == ["县级事项", "市级事项"]
    point_rows = list(book["检查要点"].iter_rows(values_only=True))
    assert point_rows[0] == ("事项编号", "抽查事项", "序号", "检查内容", "法律依据")
    assert len(point_rows) == 1 + 6
    assert AuditEvent.objects.get(action="data.export").summary["what"] == "抽查事项清单"
