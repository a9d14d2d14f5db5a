"""The plan edit pages: who reaches them, what they change, where they return, what the plan
page offers an editor (edit links, the unmatched names) in a constant number of queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.accounts.roles import Role
from weijian.conftest import ARTIFACTS, PASSWORD, make_org, make_user
from weijian.core.models import AuditEvent
from weijian.core.tests.test_pages import EXTERNAL, INLINE_SCRIPT, INLINE_STYLE
from weijian.plans.models import Assignment, Plan, Target, Task
from weijian.plans.services import plan_import_apply

COUNTY = "莲花县卫生健康委员会"


def node(path: str, title: str, **fields: Any) -> dict[str, Any]:
    return {
        "label": path.rsplit(".", 1)[-1],
        "path": path,
        "title": title,
        "text": "",
        "lead": fields.get("lead", []),
        "partners": fields.get("partners", []),
        "responsible": [],
        "targets": fields.get("targets", []),
        "children": fields.get("children", []),
    }


SMALL = [
    node(
        "一",
        "总体任务",
        lead=[COUNTY],
        children=[
            node("一.1", "提高医师数量", lead=["市卫计委"],
                 targets=[{"indicator": "每千人口执业医师数", "comparator": ">=", "value": 3.5,
                           "unit": "人", "year": 2020}]),
            node("一.2", "降低死亡率", lead=["市卫计委"], partners=["市财政局"]),
        ],
    ),
    node("二", "保障措施", lead=["市卫计委"]),
]  # fmt: skip


def large(sections: int) -> list[dict[str, Any]]:
    return [
        node(
            f"{s}",
            f"第{s}部分",
            lead=[COUNTY],
            children=[
                node(f"{s}.{i}", f"任务{s}-{i}", lead=[f"单位{s}{i}"], partners=["市卫计委"],
                     targets=[{"indicator": f"指标{s}{i}", "comparator": ">=", "value": i}])
                for i in range(1, 4)
            ],
        )
        for s in range(1, sections + 1)
    ]  # fmt: skip


def make_plan(owner, tasks=None) -> Plan:
    parsed = {
        "plan": {"title": "健康莲花行动方案", "year": 2018},
        "tasks": SMALL if tasks is None else tasks,
    }
    return plan_import_apply(parsed=parsed, owner=owner, actor=None, source="测试")


@pytest.fixture
def plan(world) -> Plan:
    return make_plan(world.county)


@pytest.fixture
def staff(world):
    return make_user("plan_editor", world.commission, Role.STAFF)


def task(plan: Plan, path: str) -> Task:
    return Task.objects.get(plan=plan, path=path)


def plan_at(plan: Plan, task_pk: int | None = None) -> str:
    url = reverse("plans:plan_detail", args=[plan.pk])
    return f"{url}#task-{task_pk}" if task_pk else url


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- access -----------------------------------------------------------------------------------


def edit_urls(plan: Plan) -> list[str]:
    first = task(plan, "一.1")
    assignment = first.assignments.first()
    target = first.targets.first()
    assert assignment is not None and target is not None
    return [
        reverse("plans:plan_edit", args=[plan.pk]),
        reverse("plans:task_create", args=[plan.pk]),
        reverse("plans:task_create_child", args=[first.pk]),
        reverse("plans:task_edit", args=[first.pk]),
        reverse("plans:task_delete", args=[first.pk]),
        reverse("plans:assignment_add", args=[first.pk]),
        reverse("plans:assignment_edit", args=[assignment.pk]),
        reverse("plans:assignment_remove", args=[assignment.pk]),
        reverse("plans:target_add", args=[first.pk]),
        reverse("plans:target_edit", args=[target.pk]),
        reverse("plans:target_remove", args=[target.pk]),
    ]


def test_anonymous_is_sent_to_log_in(client, plan):
    for url in edit_urls(plan):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login") + "?next="), url
    link = reverse("plans:assignment_link_name", args=[plan.pk])
    assert client.post(link)["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404_and_changes_nothing(login_as, world, plan):
    client = login_as(world.outsider)  # 系统管理员 and 科室人员, of another tree
    for url in edit_urls(plan):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "外人"}).status_code == 404, url
    link = reverse("plans:assignment_link_name", args=[plan.pk])
    assert client.post(link, {"raw_name": "市卫计委"}).status_code == 404
    assert Task.objects.filter(plan=plan).count() == 4
    assert Assignment.objects.filter(task__plan=plan, organization__isnull=True).count() == 4
    assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).exists()


@pytest.mark.parametrize("who", ["leader", "county_reporter"])
def test_a_reader_without_an_editing_role_gets_403(login_as, world, plan, who):
    client = login_as(getattr(world, who))
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200
    for url in edit_urls(plan):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "改", "label": "9"}).status_code == 403, url
    link = reverse("plans:assignment_link_name", args=[plan.pk])
    response = client.post(link, {"raw_name": "市卫计委", "organization": world.county.pk})
    assert response.status_code == 403
    assert Task.objects.filter(plan=plan).count() == 4
    assert Plan.objects.get(pk=plan.pk).title == "健康莲花行动方案"
    assert not Assignment.objects.filter(raw_name="市卫计委", organization__isnull=False).exists()


def test_a_system_administrator_is_refused(login_as, world, plan):
    # He keeps accounts and the registry; plans are business data, kept by 科室人员.
    client = login_as(world.commission_admin)
    for url in edit_urls(plan):
        assert client.get(url).status_code == 403, url


# --- the plan page ----------------------------------------------------------------------------


def test_the_plan_page_offers_edit_links_only_to_editors(login_as, world, plan, staff):
    first = task(plan, "一")
    edit_link = reverse("plans:task_edit", args=[first.pk])
    reader = login_as(world.leader).get(reverse("plans:plan_detail", args=[plan.pk]))
    html = reader.content.decode()
    assert edit_link not in html and "修改方案" not in html and "未匹配单位（" not in html
    editor = login_as(staff).get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert f'id="task-{first.pk}"' in editor
    for url in (
        reverse("plans:plan_edit", args=[plan.pk]),
        reverse("plans:task_create", args=[plan.pk]),
        edit_link,
        reverse("plans:task_create_child", args=[first.pk]),
        reverse("plans:task_delete", args=[first.pk]),
    ):
        assert url in editor


def test_the_unmatched_panel_offers_likely_organizations_of_the_owners_tree(
    login_as, world, plan, staff
):
    html = login_as(staff).get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    panel = html.split('id="unmatched"', 1)[1].split("</section>", 1)[0]
    names = re.findall(r'name="raw_name" value="([^"]+)"', panel)
    assert names == ["市卫计委", "市财政局"]  # the most frequent first
    assert "（3 处）" in panel and "（1 处）" in panel
    first, second = [part.split("</select>", 1)[0] for part in panel.split("<select")[1:]]
    options = re.findall(r'<option value="(\d+)">([^<（]+)（\d+%）</option>', first)
    # only the likely ones: the county and the hospital are not offered for 市卫计委
    assert [(int(pk), label) for pk, label in options] == [
        (world.commission.pk, world.commission.name)
    ]
    assert "无近似单位，请输入全称" in second
    assert world.elsewhere.name not in panel
    assert panel.count("<form") == 2 and panel.count('name="organization_name"') == 2


def test_a_name_is_linked_by_the_full_name_of_any_organization_of_the_tree(
    login_as, world, plan, staff
):
    client = login_as(staff)
    url = reverse("plans:assignment_link_name", args=[plan.pk])
    response = client.post(url, {"raw_name": "市财政局", "organization_name": COUNTY})
    assert messages_of(response) == [f"已将“市财政局”匹配为“{COUNTY}”，共 1 处。"]
    linked = Assignment.objects.get(task__plan=plan, raw_name="市财政局")
    assert linked.organization == world.county
    missing = client.post(url, {"raw_name": "市卫计委", "organization_name": "市财政局"})
    assert messages_of(missing)[-1] == "未能匹配：未找到名为“市财政局”的单位"
    foreign = client.post(url, {"raw_name": "市卫计委", "organization_name": world.elsewhere.name})
    assert messages_of(foreign)[-1] == f"未能匹配：未找到名为“{world.elsewhere.name}”的单位"


def test_linking_a_name_from_the_panel_links_every_task(login_as, world, plan, staff):
    client = login_as(staff)
    url = reverse("plans:assignment_link_name", args=[plan.pk])
    response = client.post(url, {"raw_name": "市卫计委", "organization": world.commission.pk})
    assert response.status_code == 302 and response["Location"] == plan_at(plan) + "#unmatched"
    linked = Assignment.objects.filter(task__plan=plan, raw_name="市卫计委")
    assert set(linked.values_list("organization", flat=True)) == {world.commission.pk}
    assert messages_of(response) == ["已将“市卫计委”匹配为“萍乡市卫生健康委员会”，共 3 处。"]
    assert AuditEvent.objects.get(action="assignment.link_name").summary["count"] == 3
    html = client.get(plan_at(plan)).content.decode()
    assert 'name="raw_name" value="市卫计委"' not in html


def test_linking_without_an_organization_or_outside_the_tree_is_refused(
    login_as, world, plan, staff
):
    client = login_as(staff)
    url = reverse("plans:assignment_link_name", args=[plan.pk])
    empty = client.post(url, {"raw_name": "市卫计委", "organization": ""})
    assert empty.status_code == 302
    assert messages_of(empty) == ["未能匹配：请选择单位或输入单位全称"]
    foreign = client.post(url, {"raw_name": "市卫计委", "organization": world.elsewhere.pk})
    assert foreign.status_code == 302
    assert (
        messages_of(foreign)[-1] == "未能匹配：所选单位不在该方案责任单位所属的范围内，请重新选择"
    )
    gone = client.post(url, {"raw_name": "无此单位", "organization": world.county.pk})
    assert messages_of(gone)[-1] == "方案中没有未匹配的单位“无此单位”"
    assert not Assignment.objects.filter(task__plan=plan, organization=world.elsewhere).exists()
    assert Assignment.objects.filter(task__plan=plan, organization__isnull=True).count() == 4
    assert client.get(url).status_code == 405


def test_the_plan_page_with_edit_links_runs_constant_queries(login_as, world, staff):
    small = make_plan(world.county)
    bigger = make_plan(world.county, large(12))
    assert bigger.tasks.count() == 48
    client = login_as(staff)
    client.get(plan_at(small))  # warm the session
    counts = []
    for plan in (small, bigger):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(plan_at(plan))
        assert response.status_code == 200
        counts.append(len(queries))
    html = response.content.decode()
    assert html.count(">修改</a>") == 48 and html.count('name="raw_name"') == 37
    assert counts[0] == counts[1]


# --- the plan ---------------------------------------------------------------------------------


def test_editing_the_plan(login_as, plan, staff):
    client = login_as(staff)
    url = reverse("plans:plan_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert 'value="健康莲花行动方案"' in page
    bad = client.post(url, {"title": "健康莲花", "start_year": 2030, "end_year": 2020})
    assert bad.status_code == 200 and "截止年份不能早于起始年份" in bad.content.decode()
    response = client.post(url, {"title": "健康莲花2030", "start_year": 2018, "end_year": 2030})
    assert response.status_code == 302 and response["Location"] == plan_at(plan)
    assert messages_of(response) == ["已保存方案信息。"]
    plan.refresh_from_db()
    assert (plan.title, plan.start_year, plan.end_year) == ("健康莲花2030", 2018, 2030)
    assert "2018–2030" in client.get(plan_at(plan)).content.decode()


# --- tasks ------------------------------------------------------------------------------------


def test_adding_tasks_returns_to_the_new_task(login_as, plan, staff):
    client = login_as(staff)
    parent = task(plan, "一")
    child_url = reverse("plans:task_create_child", args=[parent.pk])
    assert "上级任务：一 总体任务" in client.get(child_url).content.decode()
    response = client.post(
        child_url, {"label": "3", "title": "推进分级诊疗", "due_on": "2020-12-31"}
    )
    created = task(plan, "一.3")
    assert response["Location"] == plan_at(plan, created.pk)
    assert created.due_on == datetime.date(2020, 12, 31)
    top = client.post(
        reverse("plans:task_create", args=[plan.pk]), {"label": "三、", "title": "组织实施"}
    )
    assert top["Location"] == plan_at(plan, task(plan, "三").pk)
    duplicate = client.post(child_url, {"label": "1", "title": "撞号"})
    assert duplicate.status_code == 200
    assert "同一上级下已有编号为“1”的任务" in duplicate.content.decode()
    assert Task.objects.filter(plan=plan).count() == 6


def test_the_task_page_edits_the_task_and_lists_its_units_and_targets(login_as, plan, staff):
    client = login_as(staff)
    first = task(plan, "一.1")
    url = reverse("plans:task_edit", args=[first.pk])
    page = client.get(url).content.decode()
    assignment = first.assignments.get()
    target = first.targets.get()
    for link in (
        reverse("plans:assignment_edit", args=[assignment.pk]),
        reverse("plans:assignment_remove", args=[assignment.pk]),
        reverse("plans:assignment_add", args=[first.pk]),
        reverse("plans:target_edit", args=[target.pk]),
        reverse("plans:target_remove", args=[target.pk]),
        reverse("plans:target_add", args=[first.pk]),
        reverse("plans:task_delete", args=[first.pk]),
    ):
        assert link in page
    assert "每千人口执业医师数" in page and "市卫计委" in page
    response = client.post(url, {"label": "1", "title": "增加医师", "text": "到2020年。"})
    assert response["Location"] == plan_at(plan, first.pk)
    first.refresh_from_db()
    assert (first.title, first.text) == ("增加医师", "到2020年。")
    assert AuditEvent.objects.get(action="task.update").summary["changes"]["title"] == [
        "提高医师数量",
        "增加医师",
    ]


def test_deleting_a_task_asks_first_with_what_goes(login_as, plan, staff):
    client = login_as(staff)
    first = task(plan, "一")
    url = reverse("plans:task_delete", args=[first.pk])
    confirm = client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "任务 3 项" in html and "任务分工 4 条" in html and "目标 1 项" in html
    assert Task.objects.filter(plan=plan).count() == 4  # a GET deletes nothing
    response = client.post(url)
    assert response["Location"] == plan_at(plan)
    assert [t.path for t in Task.objects.filter(plan=plan)] == ["二"]
    assert messages_of(response) == ["已删除任务“一 总体任务”。"]
    child = task(plan, "二")
    nested = client.post(reverse("plans:task_create_child", args=[child.pk]), {"title": "子项"})
    created = Task.objects.get(plan=plan, parent=child)
    assert nested["Location"] == plan_at(plan, created.pk)
    again = client.post(reverse("plans:task_delete", args=[created.pk]))
    assert again["Location"] == plan_at(plan, child.pk)  # back to the parent


# --- assignments ------------------------------------------------------------------------------


def test_adding_editing_and_removing_a_unit(login_as, world, plan, staff):
    client = login_as(staff)
    second = task(plan, "一.2")
    back = plan_at(plan, second.pk)
    added = client.post(
        reverse("plans:assignment_add", args=[second.pk]),
        {"role": "partner", "organization": world.hospital.pk, "raw_name": ""},
    )
    assert added["Location"] == back
    made = Assignment.objects.get(task=second, organization=world.hospital)
    assert made.raw_name == "莲花县人民医院" and made.confidence == 1.0

    unlinked = Assignment.objects.get(task=second, raw_name="市财政局")
    edit_url = reverse("plans:assignment_edit", args=[unlinked.pk])
    assert "（不匹配单位，仅保留原文名称）" in client.get(edit_url).content.decode()
    edited = client.post(
        edit_url, {"role": "lead", "organization": world.commission.pk, "raw_name": "市财政局"}
    )
    assert edited["Location"] == back
    unlinked.refresh_from_db()
    assert (unlinked.role, unlinked.organization, unlinked.confidence) == (
        "lead",
        world.commission,
        1.0,
    )
    foreign = client.post(
        edit_url, {"role": "lead", "organization": world.elsewhere.pk, "raw_name": ""}
    )
    assert (
        foreign.status_code == 200
        and "所选单位不在该方案责任单位所属的范围内" in foreign.content.decode()
    )

    remove_url = reverse("plans:assignment_remove", args=[unlinked.pk])
    assert "牵头单位“市财政局”" in client.get(remove_url).content.decode()
    removed = client.post(remove_url)
    assert removed["Location"] == back
    assert not Assignment.objects.filter(pk=unlinked.pk).exists()
    assert AuditEvent.objects.filter(action__startswith="assignment.").count() == 3


# --- targets ----------------------------------------------------------------------------------


def test_adding_editing_and_removing_a_target(login_as, plan, staff):
    client = login_as(staff)
    second = task(plan, "一.2")
    back = plan_at(plan, second.pk)
    add_url = reverse("plans:target_add", args=[second.pk])
    fields = {"indicator": "孕产妇死亡率", "comparator": "<=", "value": "10", "unit": "/10万",
              "year": "2020"}  # fmt: skip
    bad = client.post(add_url, {**fields, "value_max": "5"})
    assert bad.status_code == 200 and "目标值上限不能小于目标值" in bad.content.decode()
    assert client.post(add_url, fields)["Location"] == back
    target = Target.objects.get(task=second)
    assert (target.indicator.name, target.comparator, target.value) == ("孕产妇死亡率", "<=", 10)

    edit_url = reverse("plans:target_edit", args=[target.pk])
    assert 'value="孕产妇死亡率"' in client.get(edit_url).content.decode()
    assert client.post(edit_url, {**fields, "value": "8", "baseline": "12.5"})["Location"] == back
    target.refresh_from_db()
    assert (target.value, target.baseline) == (8, 12.5)

    remove_url = reverse("plans:target_remove", args=[target.pk])
    assert "孕产妇死亡率 ≤8/10万" in client.get(remove_url).content.decode()
    assert client.post(remove_url)["Location"] == back
    assert not Target.objects.filter(task=second).exists()


# --- pages ------------------------------------------------------------------------------------


def test_every_edit_page_renders_without_inline_code_or_external_hosts(login_as, plan, staff):
    client = login_as(staff)
    for url in [plan_at(plan), *edit_urls(plan)]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not EXTERNAL.search(html), url
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url


# --- in a browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_links_a_name_and_deletes_a_task_in_the_browser(live_server, chromium):
    # Not the `world` fixture: an earlier transactional test may have flushed the seeded
    # regions and roles, which the test database otherwise holds from its migrations.
    Group.objects.get_or_create(name=Role.STAFF)
    commission = make_org("萍乡市卫生健康委员会")
    staff = make_user("plan_editor", commission, Role.STAFF)
    plan = make_plan(make_org(COUNTY, commission))
    page = chromium.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{plan_at(plan)}")
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{plan_at(plan)}")
    page.screenshot(path=str(ARTIFACTS / "plans-edit-plan.png"), full_page=True)

    row = page.locator("#unmatched li", has_text="市卫计委")
    row.get_by_label("将“市卫计委”匹配为").select_option(str(commission.pk))
    row.get_by_role("button", name="匹配").click()
    page.wait_for_url("**#unmatched")
    assert "共 3 处" in page.locator(".alert").first.inner_text()
    linked = Assignment.objects.filter(task__plan=plan, raw_name="市卫计委")
    assert set(linked.values_list("organization", flat=True)) == {commission.pk}

    first = task(plan, "一")
    page.locator(f"#task-{first.pk}").get_by_role("link", name="删除").first.click()
    assert "任务分工 4 条" in page.content()
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_url(f"**{plan_at(plan)}")
    assert [t.path for t in Task.objects.filter(plan=plan)] == ["二"]
