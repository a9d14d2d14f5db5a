"""The unit alias and collective unit pages: who reaches them, what they change, what plan
imports then resolve, the Excel export, the lists' constant queries, and the unmatched-names
panel's 同时记为该单位的别名."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from weijian.accounts.roles import Role
from weijian.conftest import make_org, make_user
from weijian.core.models import AuditEvent
from weijian.core.tests.test_pages import EXTERNAL, INLINE_SCRIPT, INLINE_STYLE
from weijian.plans.models import Assignment, CollectiveUnit, OrganizationAlias
from weijian.plans.resolve import UnitResolver, tree_of
from weijian.plans.services import plan_import_apply
from weijian.plans.tests.test_edit_views import make_plan, messages_of, node

D = datetime.date
ALIASES = reverse("plans:alias_list")
COLLECTIVES = reverse("plans:collective_list")


@pytest.fixture
def county_staff(world):
    return make_user("county_staff", world.county, Role.STAFF)


@pytest.fixture
def district(world):
    return make_org("安源区卫生健康委员会", world.commission)


@pytest.fixture
def alias(world) -> OrganizationAlias:
    return OrganizationAlias.objects.create(organization=world.county, name="县卫计委")


@pytest.fixture
def collective(world) -> CollectiveUnit:
    collective = CollectiveUnit.objects.create(name="各县（区）卫生健康委")
    collective.members.add(world.county)
    return collective


def write_urls(alias: OrganizationAlias, collective: CollectiveUnit) -> list[str]:
    return [
        reverse("plans:alias_create"),
        reverse("plans:alias_edit", args=[alias.pk]),
        reverse("plans:alias_delete", args=[alias.pk]),
        reverse("plans:collective_create"),
        reverse("plans:collective_edit", args=[collective.pk]),
        reverse("plans:collective_delete", args=[collective.pk]),
    ]


def read_urls() -> list[str]:
    return [ALIASES, reverse("plans:alias_export"), COLLECTIVES]


def table(response) -> str:
    """The rows of a list page (its help text names examples)."""
    return response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def unchanged(world, alias: OrganizationAlias, collective: CollectiveUnit) -> bool:
    alias.refresh_from_db()
    collective.refresh_from_db()
    return (
        OrganizationAlias.objects.count() == 1
        and alias.name == "县卫计委"
        and CollectiveUnit.objects.count() == 1
        and list(collective.members.all()) == [world.county]
    )


# --- access -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, world, alias, collective):
    for url in [*read_urls(), *write_urls(alias, collective)]:
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login") + "?next="), url


def test_outsider_gets_404_and_sees_nothing_of_the_other_tree(login_as, world, alias, collective):
    client = login_as(world.outsider)  # 科室人员 of another tree
    others = [
        reverse("plans:alias_edit", args=[alias.pk]),
        reverse("plans:alias_delete", args=[alias.pk]),
        reverse("plans:collective_edit", args=[collective.pk]),
        reverse("plans:collective_delete", args=[collective.pk]),
    ]
    for url in others:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "外人"}).status_code == 404, url
    for url in (ALIASES, COLLECTIVES):
        rows = table(client.get(url))
        assert "县卫计委" not in rows and "各县（区）卫生健康委" not in rows
    form = client.get(reverse("plans:alias_create")).content.decode()
    assert world.county.name not in form and world.elsewhere.name in form
    planted = client.post(
        reverse("plans:alias_create"), {"organization": world.county.pk, "name": "外人"}
    )
    assert planted.status_code == 200
    assert "所选单位不在您的管辖范围内，请重新选择" in planted.content.decode()
    members = client.post(
        reverse("plans:collective_create"), {"name": "各县", "members": [world.county.pk]}
    )
    assert "所选单位不在您的管辖范围内" in members.content.decode()
    assert unchanged(world, alias, collective)
    assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).exists()


@pytest.mark.parametrize("who", ["leader", "county_reporter"])
def test_a_reader_sees_the_lists_and_gets_403_on_writes(login_as, world, alias, collective, who):
    client = login_as(getattr(world, who))
    for url in read_urls():
        assert client.get(url).status_code == 200, url
    page = client.get(ALIASES).content.decode()
    assert "县卫计委" in page and reverse("plans:alias_create") not in page
    assert reverse("plans:alias_edit", args=[alias.pk]) not in page
    for url in write_urls(alias, collective):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "改"}).status_code == 403, url
    assert unchanged(world, alias, collective)


def test_a_system_administrator_is_refused(login_as, world, alias, collective):
    client = login_as(world.commission_admin)  # keeps accounts, not plans data
    for url in [*read_urls(), *write_urls(alias, collective)]:
        assert client.get(url).status_code == 403, url


# --- aliases ----------------------------------------------------------------------------------


def test_an_editor_adds_edits_and_deletes_an_alias(login_as, world, county_staff):
    client = login_as(county_staff)
    form = client.get(reverse("plans:alias_create")).content.decode()
    assert world.county.name in form and world.hospital.name in form
    assert world.commission.name not in form  # above him
    created = client.post(
        reverse("plans:alias_create"),
        {"organization": world.county.pk, "name": "县卫计委", "valid_to": "2019-01-31"},
    )
    assert created.status_code == 302 and created["Location"] == ALIASES
    assert messages_of(created) == ["已新增单位别名。"]
    alias = OrganizationAlias.objects.get()
    assert (alias.organization, alias.name, alias.valid_from, alias.valid_to) == (
        world.county,
        "县卫计委",
        None,
        D(2019, 1, 31),
    )
    page = client.get(ALIASES).content.decode()
    assert "县卫计委" in page and "2019-01-31" in page and "已停用" in page

    edit_url = reverse("plans:alias_edit", args=[alias.pk])
    assert 'value="县卫计委"' in client.get(edit_url).content.decode()
    edited = client.post(
        edit_url,
        {"organization": world.county.pk, "name": "县卫计委", "valid_from": "2013-03-01",
         "valid_to": "2019-01-31"},
    )  # fmt: skip
    assert edited["Location"] == ALIASES
    alias.refresh_from_db()
    assert alias.valid_from == D(2013, 3, 1)

    delete_url = reverse("plans:alias_delete", args=[alias.pk])
    confirm = client.get(delete_url).content.decode()
    assert "“莲花县卫生健康委员会”的别名“县卫计委”（有效期 2013-03-01 至 2019-01-31）" in confirm
    assert OrganizationAlias.objects.exists()  # a GET deletes nothing
    deleted = client.post(delete_url)
    assert deleted["Location"] == ALIASES
    assert messages_of(deleted) == ["已删除“莲花县卫生健康委员会”的别名“县卫计委”。"]
    assert not OrganizationAlias.objects.exists()
    actions = AuditEvent.objects.filter(action__startswith="unit_alias.", actor=county_staff)
    assert sorted(actions.values_list("action", flat=True)) == [
        "unit_alias.create",
        "unit_alias.delete",
        "unit_alias.update",
    ]


def test_the_alias_form_shows_the_rules_it_breaks(login_as, world, county_staff):
    client = login_as(county_staff)
    url = reverse("plans:alias_create")
    OrganizationAlias.objects.create(organization=world.county, name="县卫计委")
    backwards = client.post(
        url, {"organization": world.county.pk, "name": "县卫生局", "valid_from": "2019-02-01",
              "valid_to": "2019-01-01"},
    )  # fmt: skip
    assert "停用日期不能早于启用日期" in backwards.content.decode()
    overlap = client.post(url, {"organization": world.county.pk, "name": "县卫计委"})
    assert overlap.status_code == 200
    assert "已有别名“县卫计委”（有效期 不限 至 不限），与本条的有效期重叠" in (
        overlap.content.decode()
    )
    empty = client.post(url, {"organization": "", "name": ""}).content.decode()
    assert "请选择单位" in empty and "请填写别名" in empty
    assert OrganizationAlias.objects.count() == 1


def test_an_alias_made_on_the_page_resolves_inside_its_validity_only(login_as, world):
    client = login_as(world.staff)
    response = client.post(
        reverse("plans:alias_create"),
        {"organization": world.commission.pk, "name": "市卫计委", "valid_from": "2013-03-01",
         "valid_to": "2019-01-31"},
    )  # fmt: skip
    assert response.status_code == 302
    tree = tree_of(world.county)
    inside = UnitResolver(organizations=tree, on=D(2018, 6, 1)).resolve("市卫计委")
    assert inside is not None
    assert (inside.via, inside.organization, inside.confidence) == ("alias", world.commission, 1)
    before = UnitResolver(organizations=tree, on=D(2012, 6, 1)).resolve("市卫计委")
    after = UnitResolver(organizations=tree, on=D(2020, 6, 1)).resolve("市卫计委")
    assert before is None and after is None
    # and a plan of 2018 imported now is linked by it
    parsed = {"plan": {"title": "2018年方案", "year": 2018},
              "tasks": [node("一", "总体任务", lead=["市卫计委"])]}  # fmt: skip
    plan = plan_import_apply(parsed=parsed, owner=world.county, actor=None, source="测试")
    assert Assignment.objects.get(task__plan=plan).organization == world.commission


def test_the_alias_list_searches_and_pages_in_constant_queries(login_as, world):
    client = login_as(world.staff)
    OrganizationAlias.objects.create(organization=world.commission, name="市卫计委")
    OrganizationAlias.objects.create(organization=world.county, name="县卫生局")
    OrganizationAlias.objects.create(organization=world.elsewhere, name="渝中区卫计委")
    found = table(client.get(ALIASES, {"q": "卫计委"}))
    assert "市卫计委" in found and "县卫生局" not in found and "渝中区卫计委" not in found
    by_organization = table(client.get(ALIASES, {"q": "莲花县"}))
    assert "县卫生局" in by_organization and "市卫计委" not in by_organization
    assert "没有找到“无此名”" in table(client.get(ALIASES, {"q": "无此名"}))

    counts = []
    for extra in (0, 60):
        OrganizationAlias.objects.bulk_create(
            OrganizationAlias(organization=world.hospital, name=f"医院别名{extra}-{i}")
            for i in range(extra)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ALIASES, {"page": 2} if extra else {})
        assert response.status_code == 200
        counts.append(len(queries))
    assert "第 2 / 2 页" in response.content.decode()
    assert counts[0] == counts[1]


def test_the_alias_export_is_a_workbook_of_the_users_subtree_and_is_audited(login_as, world):
    OrganizationAlias.objects.create(
        organization=world.commission, name="市卫计委", valid_to=D(2019, 1, 31)
    )
    OrganizationAlias.objects.create(organization=world.county, name="=县卫生局")
    OrganizationAlias.objects.create(organization=world.elsewhere, name="渝中区卫计委")
    client = login_as(world.staff)
    response = client.get(reverse("plans:alias_export"))
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''%E5%8D%95%E4%BD%8D%E5%88%AB%E5%90%8D-"
        in (response["Content-Disposition"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["单位", "别名", "启用日期", "停用日期", "当前状态"]
    assert rows[1][:2] == [world.commission.name, "市卫计委"]
    assert rows[1][2] is None and rows[1][3].date() == D(2019, 1, 31) and rows[1][4] == "已停用"
    assert rows[2][:2] == [world.county.name, "'=县卫生局"]  # never run as a formula
    assert len(rows) == 3  # nothing of 渝中区
    event = AuditEvent.objects.get(action="data.export", actor=world.staff)
    assert event.summary == {"what": "单位别名", "format": "xlsx", "query": "", "rows": 2}
    searched = client.get(reverse("plans:alias_export"), {"q": "卫计委"})
    assert load_workbook(io.BytesIO(searched.content)).active.max_row == 2


# --- collective units -------------------------------------------------------------------------


def test_an_editor_adds_edits_and_deletes_a_collective(login_as, world, district):
    client = login_as(world.staff)
    url = reverse("plans:collective_create")
    form = client.get(url).content.decode()
    assert "“各县（区）卫生健康委”指本市所辖各县、区的卫生健康委员会" in form
    assert district.name in form and world.elsewhere.name not in form
    created = client.post(
        url, {"name": "各县（区）卫生健康委", "members": [world.county.pk, district.pk]}
    )
    assert created["Location"] == COLLECTIVES
    collective = CollectiveUnit.objects.get()
    assert set(collective.members.all()) == {world.county, district}
    page = client.get(COLLECTIVES).content.decode()
    assert f"{world.county.name}、{district.name}" in page
    assert reverse("plans:collective_edit", args=[collective.pk]) in page

    edit_url = reverse("plans:collective_edit", args=[collective.pk])
    edited = client.post(edit_url, {"name": "各县（区）卫健委", "members": [district.pk]})
    assert edited["Location"] == COLLECTIVES
    collective.refresh_from_db()
    assert collective.name == "各县（区）卫健委" and list(collective.members.all()) == [district]
    empty = client.post(edit_url, {"name": "各县（区）卫健委", "members": []})
    assert "请至少选择一个包含单位" in empty.content.decode()

    delete_url = reverse("plans:collective_delete", args=[collective.pk])
    assert district.name in client.get(delete_url).content.decode()
    deleted = client.post(delete_url)
    assert deleted["Location"] == COLLECTIVES
    assert messages_of(deleted) == ["已删除泛指单位“各县（区）卫健委”。"]
    assert not CollectiveUnit.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="collective_unit.").count() == 3


def test_a_collective_reaching_beyond_the_users_subtree_is_shown_in_part_and_locked(
    login_as, world, county_staff, district
):
    collective = CollectiveUnit.objects.create(name="各县（区）卫生健康委")
    collective.members.add(world.county, district)
    client = login_as(county_staff)
    page = client.get(COLLECTIVES).content.decode()
    assert "各县（区）卫生健康委" in page and world.county.name in page
    assert district.name not in page and "另有 1 个单位不在您的管辖范围内" in page
    assert reverse("plans:collective_edit", args=[collective.pk]) not in page
    for name in ("plans:collective_edit", "plans:collective_delete"):
        url = reverse(name, args=[collective.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "改", "members": [world.county.pk]}).status_code == 403
    assert collective.members.count() == 2


def test_the_collective_list_runs_constant_queries(login_as, world, district):
    client = login_as(world.staff)
    counts = []
    for size in (1, 30):
        for i in range(CollectiveUnit.objects.count(), size):
            collective = CollectiveUnit.objects.create(name=f"泛指{i}")
            collective.members.add(world.county, district, world.hospital)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(COLLECTIVES)
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.content.decode().count(district.name) == 30
    assert counts[0] == counts[1]
    assert "泛指1" in client.get(COLLECTIVES, {"q": "泛指1"}).content.decode()


# --- the unmatched-names panel ----------------------------------------------------------------


def test_linking_a_name_may_also_keep_it_as_an_alias(login_as, world):
    staff = make_user("plan_editor", world.commission, Role.STAFF)
    plan = make_plan(world.county)
    client = login_as(staff)
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert page.count('name="add_alias"') == 2 and "同时记为该单位的别名" in page
    url = reverse("plans:assignment_link_name", args=[plan.pk])
    response = client.post(
        url, {"raw_name": "市卫计委", "organization": world.commission.pk, "add_alias": "1"}
    )
    assert messages_of(response) == [
        "已将“市卫计委”匹配为“萍乡市卫生健康委员会”，共 3 处。",
        "已将“市卫计委”记为“萍乡市卫生健康委员会”的别名。",
    ]
    alias = OrganizationAlias.objects.get()
    assert (alias.organization, alias.name, alias.valid_from, alias.valid_to) == (
        world.commission,
        "市卫计委",
        None,
        None,
    )
    assert AuditEvent.objects.get(action="unit_alias.create").actor == staff
    # the next plan that writes it is linked at import
    again = make_plan(world.county)
    linked = Assignment.objects.filter(task__plan=again, raw_name="市卫计委")
    assert set(linked.values_list("organization", flat=True)) == {world.commission.pk}
    # a name already kept is not kept twice
    Assignment.objects.filter(task__plan=again, raw_name="市卫计委").update(organization=None)
    twice = client.post(
        url.replace(str(plan.pk), str(again.pk)),
        {"raw_name": "市卫计委", "organization": world.commission.pk, "add_alias": "1"},
    )
    assert messages_of(twice)[-1] == "“萍乡市卫生健康委员会”已有别名“市卫计委”，未重复登记。"
    # unticked: the name is linked, no alias is made
    client.post(url, {"raw_name": "市财政局", "organization": world.county.pk})
    assert OrganizationAlias.objects.count() == 1


def test_the_alias_of_an_organization_above_the_editor_is_refused_but_the_link_is_made(
    login_as, world, county_staff
):
    plan = make_plan(world.county)
    client = login_as(county_staff)
    response = client.post(
        reverse("plans:assignment_link_name", args=[plan.pk]),
        {"raw_name": "市卫计委", "organization": world.commission.pk, "add_alias": "1"},
    )
    assert messages_of(response) == [
        "已将“市卫计委”匹配为“萍乡市卫生健康委员会”，共 3 处。",
        "未记为别名：只有本单位或上级单位的科室人员可以维护该单位的别名和泛指单位。",
    ]
    assert not OrganizationAlias.objects.exists()
    assert (
        Assignment.objects.filter(raw_name="市卫计委", organization=world.commission).count() == 3
    )


# --- pages ------------------------------------------------------------------------------------


def test_every_page_renders_without_inline_code_or_external_hosts(
    login_as, world, alias, collective
):
    client = login_as(world.staff)
    pages = [ALIASES, COLLECTIVES, *write_urls(alias, collective)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not EXTERNAL.search(html), url
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
    nav = client.get(ALIASES).content.decode()
    assert f'nav-link active" href="{ALIASES}">单位别名</a>' in nav
