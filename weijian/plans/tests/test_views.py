"""The plan pages: plans, the task tree with its filters, my organization's tasks, documents."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.plans.models import Assignment, Document, Plan
from weijian.plans.services import plan_import_apply

COUNTY = "莲花县卫生健康委员会"
HOSPITAL = "莲花县人民医院"


def _task(path: str, title: str, **fields: Any) -> dict[str, Any]:
    label = path.rsplit(".", 1)[-1]
    return {
        "label": label,
        "path": path,
        "title": title,
        "text": fields.pop("text", ""),
        "lead": fields.pop("lead", []),
        "partners": fields.pop("partners", []),
        "responsible": fields.pop("responsible", []),
        "targets": fields.pop("targets", []),
        "children": fields.pop("children", []),
    }


def _parsed(tasks: list[dict[str, Any]], number: str = "萍卫发〔2018〕5号") -> dict[str, Any]:
    return {
        "plan": {"title": "健康萍乡行动方案", "document_number": number, "year": 2018},
        "tasks": tasks,
        "units": [],
        "warnings": [],
    }


SMALL = [
    _task(
        "一",
        "总体任务",
        lead=[COUNTY],
        children=[
            _task(
                "一.1",
                "提高医师数量",
                text="到2020年每千人口执业医师数达到3.5人以上。",
                lead=[HOSPITAL],
                partners=["不存在的单位"],
                targets=[
                    {"indicator": "每千人口执业医师数", "comparator": ">=", "value": 3.5,
                     "unit": "人", "year": 2020},
                ],
            ),
            _task(
                "一.2",
                "降低死亡率",
                partners=[COUNTY],
                responsible=[HOSPITAL],
                targets=[
                    {"indicator": "孕产妇死亡率", "comparator": "<=", "value": 10,
                     "unit": "/10万", "year": 2020},
                    {"indicator": "人均预期寿命", "comparator": "~", "value": 78,
                     "unit": "岁", "year": 2030},
                ],
            ),
        ],
    ),
    _task("二", "保障措施", responsible=["各有关单位"]),
]  # fmt: skip


def _large(sections: int) -> list[dict[str, Any]]:
    """`sections` × 5 tasks, each with units and a target, three levels deep."""
    return [
        _task(
            f"{s}",
            f"第{s}部分",
            lead=[COUNTY],
            children=[
                _task(
                    f"{s}.{i}",
                    f"任务{s}-{i}",
                    lead=[HOSPITAL],
                    partners=[COUNTY, f"单位{s}{i}"],
                    targets=[{"indicator": f"指标{s}{i}", "comparator": ">=", "value": i,
                              "unit": "%", "year": 2025}],
                    children=[_task(f"{s}.{i}.1", f"措施{s}-{i}", responsible=[COUNTY])],
                )
                for i in range(1, 3)
            ],
        )
        for s in range(1, sections + 1)
    ]  # fmt: skip


def _plan(owner, tasks=None, number="萍卫发〔2018〕5号") -> Plan:
    return plan_import_apply(
        parsed=_parsed(SMALL if tasks is None else tasks, number),
        owner=owner,
        actor=None,
        source="测试",
    )


def _paths(html: str) -> list[str]:
    return re.findall(r'data-path="([^"]*)"', html)


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plans:plan_list", "plans:my_tasks", "plans:document_list"])
def test_anonymous_is_sent_to_log_in(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_anonymous_is_sent_to_log_in_from_a_plan(client, world):
    plan = _plan(world.county)
    response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404_and_sees_no_foreign_plan(login_as, world):
    plan = _plan(world.county)
    own = _plan(world.elsewhere, [_task("一", "本区任务")], number="渝中卫发〔2019〕1号")
    client = login_as(world.outsider)
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 404
    plans = client.get(reverse("plans:plan_list")).content.decode()
    assert reverse("plans:plan_detail", args=[plan.pk]) not in plans
    assert reverse("plans:plan_detail", args=[own.pk]) in plans
    documents = client.get(reverse("plans:document_list")).content.decode()
    assert "萍卫发" not in documents and "渝中卫发〔2019〕1号" in documents
    tasks = client.get(reverse("plans:my_tasks")).content.decode()
    assert "总体任务" not in tasks


def test_auditor_without_the_module_is_refused(login_as, world):
    client = login_as(world.auditor)
    assert client.get(reverse("plans:plan_list")).status_code == 403


def test_navigation_opens_the_plans(login_as, world):
    html = login_as(world.leader).get(reverse("core:home")).content.decode()
    assert reverse("plans:plan_list") in html


# --- plan list --------------------------------------------------------------------------------


def test_plan_list_shows_number_owner_and_task_count(login_as, world):
    _plan(world.county)
    html = login_as(world.leader).get(reverse("plans:plan_list")).content.decode()
    assert "健康萍乡行动方案" in html and "萍卫发〔2018〕5号" in html and COUNTY in html
    assert re.search(r'<td class="text-end">4</td>', html)


def test_plan_list_runs_constant_queries(login_as, world):
    client = login_as(world.leader)
    _plan(world.county)
    client.get(reverse("plans:plan_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("plans:plan_list"))
    for year in range(2010, 2016):
        _plan(world.county, _large(2), number=f"萍卫发〔{year}〕1号")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("plans:plan_list"))
    assert len(many) == len(one)


# --- the tree ---------------------------------------------------------------------------------


def test_tree_shows_units_and_targets(login_as, world):
    plan = _plan(world.commission)
    html = login_as(world.leader).get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert _paths(html) == ["一", "一.1", "一.2", "二"]
    assert html.count("<details") == html.count("</details>") == 1  # only 一 has children
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    for label in ("牵头", "配合", "责任"):
        assert f"{label}</span>" in html
    county = reverse("orgs:organization_profile", args=[world.county.pk])
    assert f'<a href="{county}">{COUNTY}</a>' in html
    assert '不存在的单位 <span class="badge text-bg-warning">未匹配</span>' in html
    assert "每千人口执业医师数 ≥ 3.5人（2020年）" in html
    assert "孕产妇死亡率 ≤ 10/10万（2020年）" in html
    assert "人均预期寿命 ≈ 78岁（2030年）" in html
    assert "到2020年每千人口执业医师数达到3.5人以上。" in html


def test_tree_filters_by_unit_and_role(login_as, world):
    plan = _plan(world.commission)
    client = login_as(world.leader)
    url = reverse("plans:plan_detail", args=[plan.pk])
    page = client.get(url)
    keys = [u.key for u in page.context["units"]]
    # Resolved organizations first, then the raw names no organization was found for.
    assert set(keys[:2]) == {f"o{world.county.pk}", f"o{world.hospital.pk}"}
    assert sorted(keys[2:]) == sorted(["n不存在的单位", "n各有关单位"])

    county_lead = client.get(url, {"unit": f"o{world.county.pk}", "role": "lead"})
    assert _paths(county_lead.content.decode()) == ["一"]
    county_any = client.get(url, {"unit": f"o{world.county.pk}"})
    assert _paths(county_any.content.decode()) == ["一", "一.2"]
    partners = client.get(url, {"role": "partner"})
    assert _paths(partners.content.decode()) == ["一", "一.1", "一.2"]
    assert [n.matched for n in partners.context["tree"].roots] == [False]
    unmatched = client.get(url, {"unit": "n不存在的单位"})
    assert _paths(unmatched.content.decode()) == ["一", "一.1"]
    responsible = client.get(url, {"unit": "n各有关单位", "role": "responsible"})
    assert _paths(responsible.content.decode()) == ["二"]
    nothing = client.get(url, {"unit": "n不存在的单位", "role": "lead"}).content.decode()
    assert _paths(nothing) == [] and "没有符合条件的任务" in nothing
    # A unit that is not the plan's is ignored: the whole tree.
    assert len(_paths(client.get(url, {"unit": "o999999"}).content.decode())) == 4


def test_tree_runs_constant_queries_whatever_the_plan_size(login_as, world):
    small = _plan(world.commission)
    large = _plan(world.commission, _large(20), number="萍卫发〔2019〕9号")
    assert large.tasks.count() == 100 and Assignment.objects.filter(task__plan=large).count() == 180
    client = login_as(world.leader)
    client.get(reverse("plans:plan_detail", args=[small.pk]))  # warm the session and caches
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    html = response.content.decode()  # the large plan: every level nests and closes
    assert html.count("<details") == html.count("</details>") == 60
    assert _paths(html)[:4] == ["1", "1.1", "1.1.1", "1.2"]
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as filtered:
        client.get(
            reverse("plans:plan_detail", args=[large.pk]),
            {"unit": f"o{world.county.pk}", "role": "partner"},
        )
    assert len(filtered) == counts[1]


# --- my tasks ---------------------------------------------------------------------------------


def test_my_tasks_lists_lead_and_partner_tasks_of_my_organization(login_as, world):
    _plan(world.county)
    client = login_as(world.county_reporter)
    response = client.get(reverse("plans:my_tasks"))
    html = response.content.decode()
    lead, partner = html.split('<h2 class="h5 mt-3">牵头</h2>')[1].split(
        '<h2 class="h5 mt-3">配合</h2>'
    )
    assert "总体任务" in lead and "降低死亡率" not in lead
    assert "降低死亡率" in partner and "总体任务" not in partner
    assert "孕产妇死亡率 ≤ 10/10万" in partner
    assert "提高医师数量" not in html  # the hospital's, not the county's
    assert "保障措施" not in html


def test_my_tasks_lists_a_task_once_per_role(login_as, world):
    plan = _plan(world.county, [_task("一", "重复", lead=[COUNTY, COUNTY])])
    assert Assignment.objects.filter(task__plan=plan, organization=world.county).count() == 2
    response = login_as(world.county_reporter).get(reverse("plans:my_tasks"))
    assert response.context["page"].paginator.count == 1


def test_my_tasks_only_from_visible_plans(login_as, world):
    _plan(world.commission)  # the county is named there, but the plan is above its tree
    response = login_as(world.county_reporter).get(reverse("plans:my_tasks"))
    assert response.context["page"].paginator.count == 0


def test_my_tasks_runs_constant_queries(login_as, world):
    client = login_as(world.county_reporter)
    _plan(world.county)
    client.get(reverse("plans:my_tasks"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans:my_tasks"))
    _plan(world.county, _large(5), number="萍卫发〔2019〕9号")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("plans:my_tasks"))
    assert len(many) == len(few)


# --- documents --------------------------------------------------------------------------------


def test_document_search_by_number_and_title(login_as, world):
    _plan(world.county)
    Document.objects.create(
        number="萍卫办字〔2020〕12号",
        issuer_code="萍卫办字",
        year=2020,
        serial=12,
        title="关于开展健康促进县建设的通知",
        issuer=world.commission,
    )
    Document.objects.create(number="渝卫发〔2020〕1号", issuer_code="渝卫发", year=2020,
                            serial=1, title="外地文件", issuer=world.elsewhere)  # fmt: skip
    client = login_as(world.leader)
    url = reverse("plans:document_list")

    def numbers(**params: str) -> list[str]:
        page = client.get(url, params).context["page"]
        return sorted(d.number for d in page)

    assert numbers() == ["萍卫办字〔2020〕12号", "萍卫发〔2018〕5号"]
    assert numbers(q="〔2018〕5号") == ["萍卫发〔2018〕5号"]
    assert numbers(q="萍卫发[2018]5号") == ["萍卫发〔2018〕5号"]  # brackets as typed
    assert numbers(q="健康促进") == ["萍卫办字〔2020〕12号"]
    assert numbers(q="外地") == []
    html = client.get(url, {"q": "5号"}).content.decode()
    assert "健康萍乡行动方案" in html  # the plan made from it


def test_document_list_runs_constant_queries(login_as, world):
    client = login_as(world.leader)
    _plan(world.county)
    client.get(reverse("plans:document_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("plans:document_list"))
    for year in range(2010, 2015):
        _plan(world.county, [], number=f"萍卫发〔{year}〕1号")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("plans:document_list"))
    assert len(many) == len(one)
