"""The plan page runs the same number of queries for a plan of five tasks and for one of
several hundred: four levels deep, units resolved by name, plate, alias and collective or left
unmatched, many organizations, targets on distinct indicators, deadlines; for a reader, with
each filter, and for an editor (who also sees the unmatched units panel)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.accounts.roles import Role
from weijian.conftest import make_org, make_user
from weijian.orgs.models import OrganizationKind
from weijian.plans.models import Assignment, CollectiveUnit, OrganizationAlias, Plan, Target
from weijian.plans.services import plan_import_apply

DEPARTMENTS = ["公安局", "教育局", "财政局", "民政局", "人力资源和社会保障局", "医疗保障局"]
UNRESOLVED = ["市委宣传部", "市总工会", "团市委"]


def _node(path: str, children: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "label": path.rsplit(".", 1)[-1],
        "path": path,
        "title": f"任务{path}",
        "text": f"任务{path}的内容。",
        "lead": fields.get("lead", []),
        "partners": fields.get("partners", []),
        "responsible": fields.get("responsible", []),
        "targets": fields.get("targets", []),
        "due": fields.get("due"),
        "children": children,
    }


def _tree(sections: int, fan: int, units: list[str]) -> list[dict[str, Any]]:
    """`sections` sections, each with `fan` items of `fan` measures of two sub-items (four
    levels); every measure has a lead, partners and a target, every sub-item a responsible
    unit; names cycle through `units`."""
    count = 0

    def pick(k: int) -> list[str]:
        nonlocal count
        count += 1
        return [units[(count + i) % len(units)] for i in range(k)]

    def measure(path: str) -> dict[str, Any]:
        subs = [_node(f"{path}.({n})", [], responsible=pick(1)) for n in (1, 2)]
        target = {"indicator": f"指标{count % 20}", "comparator": ">=", "value": count % 90}
        target |= {"unit": "%", "year": 2025}
        due = datetime.date(2025, 12, 31).isoformat()
        return _node(path, subs, lead=pick(1), partners=pick(3), targets=[target], due=due)

    return [
        _node(
            f"{s}",
            [
                _node(f"{s}.({i})", [measure(f"{s}.({i}).{m}") for m in range(1, fan + 1)])
                for i in range(1, fan + 1)
            ],
            lead=pick(1),
        )
        for s in range(1, sections + 1)
    ]


def _import(owner, tasks: list[dict[str, Any]], number: str) -> Plan:
    parsed = {
        "plan": {"title": "分工方案", "document_number": number, "year": 2021},
        "tasks": tasks,
        "units": [],
        "warnings": [],
    }
    return plan_import_apply(parsed=parsed, owner=owner, actor=None, source="测试")


@pytest.fixture
def registry(world):
    """Departments under the commission, a plate, an alias and a collective."""
    for name in DEPARTMENTS:
        make_org(f"萍乡市{name}", world.commission, OrganizationKind.GOVERNMENT_DEPARTMENT)
    world.commission.plates = ["萍乡市中医药管理局"]
    world.commission.save(update_fields=["plates"])
    OrganizationAlias.objects.create(organization=world.county, name="莲花县卫健委")
    collective = CollectiveUnit.objects.create(name="各县（区）卫生健康委")
    collective.members.set([world.county, world.hospital])
    names = [f"萍乡市{name}" for name in DEPARTMENTS]  # exact names
    names += ["萍乡市中医药管理局", "莲花县卫健委", "各县（区）卫生健康委", "市教育局"]
    # The small plan draws names 1 to 7: one of them unmatched, as in the large plan.
    return [names[0], UNRESOLVED[0], *names[1:], *UNRESOLVED[1:]]


def _queries(client, plan: Plan, params: dict[str, str]) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("plans:plan_detail", args=[plan.pk]), params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_tree_page_queries_do_not_grow_with_the_plan(login_as, world, registry):
    small = _import(world.commission, _tree(1, 1, registry), "萍卫发〔2021〕1号")
    large = _import(world.commission, _tree(6, 4, registry), "萍卫发〔2021〕2号")
    assert small.tasks.count() == 5 and large.tasks.count() == 6 * (1 + 4 * (1 + 4 * 3))
    assert Assignment.objects.filter(task__plan=small, organization=None).exists()
    assignments = Assignment.objects.filter(task__plan=large)
    assert assignments.filter(organization=None).count() > 100  # unmatched names
    linked = assignments.exclude(organization=None).values("organization").distinct().count()
    assert linked >= len(DEPARTMENTS) + 2  # departments, the commission, county and hospital
    assert Target.objects.filter(task__plan=large).values("indicator").distinct().count() == 20

    reader = login_as(world.leader)
    _queries(reader, small, {})  # warm the session and caches
    department = assignments.filter(raw_name="萍乡市公安局").first()
    assert department is not None
    filters: list[dict[str, str]] = [
        {},
        {"unit": f"o{department.organization_id}"},
        {"unit": f"o{world.county.pk}", "role": "partner"},
        {"unit": f"n{UNRESOLVED[0]}"},
        {"role": "responsible"},
    ]
    for params in filters:
        few, _ = _queries(reader, small, params)
        many, html = _queries(reader, large, params)
        assert many == few, params
        if not params:
            assert html.count('data-path="') == 6 * 53
            assert 'data-path="6.(4).4.(2)"' in html  # the fourth level, last task
            assert html.count("<details") == html.count("</details>") == 6 * (1 + 4 * (1 + 4))

    editor = login_as(make_user("plan-editor", world.commission, Role.STAFF))
    few, _ = _queries(editor, small, {})
    many, html = _queries(editor, large, {})
    assert many == few
    assert UNRESOLVED[0] in html.split('id="unmatched"', 1)[1]  # the editor's panel is there
