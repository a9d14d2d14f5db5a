"""Editing a plan through its services: tasks and their paths, units, targets, the matching of
a name on many tasks at once; access, validation, and one audit event per change."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.plans import editing
from weijian.plans.models import Assignment, Indicator, Plan, Target, Task
from weijian.plans.selectors import plan_tree
from weijian.plans.services import plan_import_apply

COUNTY = "莲花县卫生健康委员会"
HOSPITAL = "莲花县人民医院"


def node(path: str, title: str, **fields: Any) -> dict[str, Any]:
    return {
        "label": path.rsplit(".", 1)[-1],
        "path": path,
        "title": title,
        "text": fields.get("text", ""),
        "lead": fields.get("lead", []),
        "partners": fields.get("partners", []),
        "responsible": [],
        "targets": fields.get("targets", []),
        "children": fields.get("children", []),
    }


TREE = [
    node(
        "一",
        "总体任务",
        lead=[COUNTY],
        children=[
            node("一.1", "提高医师数量", lead=["市卫计委"], partners=[HOSPITAL]),
            node(
                "一.2",
                "降低死亡率",
                lead=["市卫计委"],
                partners=["市财政局"],
                targets=[{"indicator": "孕产妇死亡率", "comparator": "<=", "value": 10,
                          "unit": "/10万", "year": 2020}],
                children=[node("一.2.(1)", "加强产科建设", partners=["市卫计委"])],
            ),
        ],
    ),
    node("二", "保障措施", lead=["市卫计委"]),
]  # fmt: skip


@pytest.fixture
def plan(world) -> Plan:
    parsed = {"plan": {"title": "健康莲花行动方案", "year": 2018}, "tasks": TREE}
    return plan_import_apply(parsed=parsed, owner=world.county, actor=None, source="测试")


@pytest.fixture
def staff(world):
    return make_user("plan_editor", world.commission, Role.STAFF)


def task(plan: Plan, path: str) -> Task:
    return Task.objects.get(plan=plan, path=path)


def event(action: str) -> AuditEvent:
    found = AuditEvent.objects.filter(action=action).order_by("-pk").first()
    assert found is not None, f"no {action} event"
    return found


def tree_paths(plan: Plan) -> list[str]:
    return [row.node.task.path for row in plan_tree(plan=plan).rows()]


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["county_reporter", "leader", "commission_admin", "outsider"])
def test_a_user_who_may_not_edit_the_owners_plans_is_refused(world, plan, who):
    # The system administrator keeps accounts and the registry, not the plans (business data).
    actor = getattr(world, who)
    first = task(plan, "一")
    attempts = [
        lambda: editing.plan_update(actor=actor, plan=plan, title="改"),
        lambda: editing.task_create(actor=actor, plan=plan, title="新任务"),
        lambda: editing.task_delete(actor=actor, task=first),
        lambda: editing.assignment_link_name(
            actor=actor, plan=plan, raw_name="市卫计委", organization=world.county
        ),
        lambda: editing.target_add(
            actor=actor, task=first, indicator="床位数", comparator=">=", value=1
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    denied = AuditEvent.objects.filter(action="access.denied", actor=actor, success=False)
    assert denied.count() == len(attempts)
    assert Task.objects.filter(plan=plan).count() == 5
    assert Plan.objects.get(pk=plan.pk).title == "健康莲花行动方案"
    assert not AuditEvent.objects.filter(action__startswith="task.").exists()


def test_a_county_editor_edits_the_county_plan_not_the_commissions(world, plan):
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    editing.plan_update(actor=county_staff, plan=plan, title="莲花县方案")
    above = Plan.objects.create(title="市方案", owner=world.commission)
    with pytest.raises(PermissionDenied):
        editing.plan_update(actor=county_staff, plan=above, title="改")


# --- the plan ---------------------------------------------------------------------------------


def test_plan_update_records_before_and_after(plan, staff):
    editing.plan_update(
        actor=staff, plan=plan, title="健康莲花2030", start_year=2018, end_year=2030
    )
    plan.refresh_from_db()
    assert (plan.title, plan.start_year, plan.end_year) == ("健康莲花2030", 2018, 2030)
    recorded = event("plan.update")
    assert recorded.actor == staff and recorded.organization == plan.owner
    assert recorded.summary["changes"] == {
        "end_year": [None, 2030],
        "title": ["健康莲花行动方案", "健康莲花2030"],
    }
    # Saving the same values again changes nothing and records nothing.
    editing.plan_update(
        actor=staff, plan=plan, title="健康莲花2030", start_year=2018, end_year=2030
    )
    assert AuditEvent.objects.filter(action="plan.update").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "方案标题不能为空"),
        ({"start_year": 2030, "end_year": 2020}, "end_year", "截止年份不能早于起始年份"),
        ({"start_year": 1800}, "start_year", "起始年份应在1900至2100年之间"),
        ({"end_year": 2200}, "end_year", "截止年份应在1900至2100年之间"),
    ],
)
def test_plan_update_refuses_bad_values(plan, staff, fields, field, message):
    values = {"title": "健康莲花", **fields}
    with pytest.raises(ValidationError) as refused:
        editing.plan_update(actor=staff, plan=plan, **values)
    assert refused.value.message_dict == {field: [message]}
    plan.refresh_from_db()
    assert plan.title == "健康莲花行动方案"


# --- tasks ------------------------------------------------------------------------------------


def test_a_child_goes_last_among_its_siblings_with_its_path(plan, staff):
    parent = task(plan, "一")
    created = editing.task_create(
        actor=staff,
        plan=plan,
        parent=parent,
        label="3.",
        title="推进分级诊疗",
        due_text="2020年底前",
    )
    assert created.path == "一.3" and created.label == "3" and created.parent == parent
    # Depth first: after 一's whole subtree, before 二.
    assert tree_paths(plan) == ["一", "一.1", "一.2", "一.2.(1)", "一.3", "二"]
    recorded = event("task.create")
    assert recorded.object_id == str(created.pk)
    assert recorded.summary["path"] == "一.3" and recorded.summary["due_text"] == "2020年底前"


def test_a_top_level_task_goes_last_and_labels_are_written_as_paths_are(plan, staff):
    third = editing.task_create(actor=staff, plan=plan, label="三、", title="组织实施")
    assert third.path == "三" and third.label == "三"
    sub = editing.task_create(
        actor=staff, plan=plan, parent=third, label="（一）", text="加强领导。"
    )
    assert sub.path == "三.(一)"
    circled = editing.task_create(actor=staff, plan=plan, parent=sub, label="①", title="建立机制")
    assert circled.path == "三.(一).①"
    assert tree_paths(plan)[-3:] == ["三", "三.(一)", "三.(一).①"]


def test_an_unlabelled_task_takes_its_position_as_path(plan, staff):
    parent = task(plan, "一")
    first = editing.task_create(actor=staff, plan=plan, parent=parent, title="无编号任务")
    assert first.label == "" and first.path == "一.[3]"
    second = editing.task_create(actor=staff, plan=plan, parent=parent, title="又一项")
    assert second.path == "一.[4]"
    top = editing.task_create(actor=staff, plan=plan, text="补充说明。")
    assert top.path == "[3]"


def test_task_create_refuses_bad_input_and_writes_nothing(world, plan, staff):
    parent = task(plan, "一")
    other = Plan.objects.create(title="另一方案", owner=world.county)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"parent": parent, "label": "1", "title": "重复"}, "同一上级下已有编号为“1”的任务"),
        ({"parent": parent, "label": "4"}, "任务的标题和内容不能都为空"),
        ({"parent": parent, "label": "12345678901234567890x", "title": "长"}, "编号不能超过20个字"),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError, match=message):
            editing.task_create(actor=staff, plan=plan, **fields)
    with pytest.raises(ValidationError, match="上级任务不属于该方案"):
        editing.task_create(actor=staff, plan=other, parent=parent, title="错位")
    assert Task.objects.filter(plan=plan).count() == 5
    assert not AuditEvent.objects.filter(action="task.create").exists()


def test_a_new_label_renames_the_paths_below(plan, staff):
    second = task(plan, "一.2")
    editing.task_update(
        actor=staff, task=second, label="5", title="降低孕产妇死亡率", text="", due_text="长期坚持"
    )
    assert tree_paths(plan) == ["一", "一.1", "一.5", "一.5.(1)", "二"]
    changes = event("task.update").summary["changes"]
    assert changes["path"] == ["一.2", "一.5"] and changes["label"] == ["2", "5"]
    assert changes["title"] == ["降低死亡率", "降低孕产妇死亡率"]
    assert event("task.update").summary["descendants_renumbered"] == 1
    with pytest.raises(ValidationError, match="同一上级下已有编号为“1”的任务"):
        editing.task_update(actor=staff, task=second, label="1", title="撞号", text="")
    assert task(plan, "一.5").title == "降低孕产妇死亡率"


def test_removing_a_label_gives_the_position(plan, staff):
    second = task(plan, "一.2")
    editing.task_update(actor=staff, task=second, label="", title="降低死亡率", text="")
    assert tree_paths(plan) == ["一", "一.1", "一.[2]", "一.[2].(1)", "二"]


def test_deleting_a_task_takes_its_subtree_and_says_how_much(plan, staff):
    second = task(plan, "一.2")
    counts = editing.task_delete(actor=staff, task=second)
    assert (counts.tasks, counts.assignments, counts.targets) == (2, 3, 1)
    assert tree_paths(plan) == ["一", "一.1", "二"]
    assert not Assignment.objects.filter(task__path__startswith="一.2", task__plan=plan).exists()
    assert not Target.objects.filter(task__plan=plan).exists()
    summary = event("task.delete").summary
    assert summary == {
        "plan": plan.pk,
        "path": "一.2",
        "title": "降低死亡率",
        "tasks": 2,
        "assignments": 3,
        "targets": 1,
    }


# --- assignments ------------------------------------------------------------------------------


def test_assignment_add_links_an_organization_of_the_owners_tree(world, plan, staff):
    first = task(plan, "一.1")
    added = editing.assignment_add(
        actor=staff, task=first, role="partner", organization=world.county
    )
    assert added.raw_name == COUNTY and added.confidence == 1.0
    named = editing.assignment_add(actor=staff, task=first, role="partner", raw_name=" 市 医保局 ")
    assert named.organization is None and named.raw_name == "市医保局" and named.confidence is None
    # The commission is above the county, in the same tree: it may carry a county task.
    editing.assignment_add(actor=staff, task=first, role="lead", organization=world.commission)
    summary = event("assignment.add").summary
    assert summary["task"] == "一.1" and summary["organization"] == world.commission.name
    assert summary["role"] == "lead" and summary["confidence"] == 1.0


def test_assignment_add_refuses_bad_input(world, plan, staff):
    first = task(plan, "一.1")
    cases = [
        ({"role": "lead", "organization": world.elsewhere}, "不在“莲花县卫生健康委员会”所属的"),
        ({"role": "lead"}, "请选择单位或填写单位名称"),
        ({"role": "boss", "raw_name": "某单位"}, "请选择牵头、配合或责任"),
        ({"role": "lead", "raw_name": "市卫计委"}, "该任务已有牵头单位“市卫计委”"),
        ({"role": "partner", "organization": world.hospital}, "该任务已有配合单位“莲花县人民医院”"),
    ]  # fmt: skip
    before = Assignment.objects.count()
    for fields, message in cases:
        with pytest.raises(ValidationError, match=message):
            editing.assignment_add(actor=staff, task=first, **fields)
    assert Assignment.objects.count() == before


def test_assignment_update_links_a_name_surely_and_changes_the_role(world, plan, staff):
    unlinked = Assignment.objects.get(task=task(plan, "一.1"), raw_name="市卫计委")
    assert unlinked.organization is None
    editing.assignment_update(
        actor=staff, assignment=unlinked, role="partner", organization=world.commission
    )
    unlinked.refresh_from_db()
    assert unlinked.organization == world.commission and unlinked.confidence == 1.0
    assert unlinked.raw_name == "市卫计委" and unlinked.role == "partner"
    changes = event("assignment.update").summary["changes"]
    assert changes == {
        "confidence": [None, 1.0],
        "organization": [None, world.commission.name],
        "role": ["lead", "partner"],
    }
    # Unlinking keeps the name and forgets the confidence.
    editing.assignment_update(actor=staff, assignment=unlinked, role="partner", organization=None)
    unlinked.refresh_from_db()
    assert unlinked.organization is None and unlinked.confidence is None


def test_assignment_remove_records_what_went(plan, staff):
    removed = Assignment.objects.get(task=task(plan, "一.2"), raw_name="市财政局")
    editing.assignment_remove(actor=staff, assignment=removed)
    assert not Assignment.objects.filter(raw_name="市财政局").exists()
    summary = event("assignment.remove").summary
    assert summary["raw_name"] == "市财政局" and summary["role"] == "partner"
    assert summary["task"] == "一.2"


def test_a_name_on_many_tasks_is_linked_at_once(world, plan, staff):
    unlinked = Assignment.objects.filter(task__plan=plan, raw_name="市卫计委")
    assert unlinked.count() == 4 and not unlinked.filter(organization__isnull=False).exists()
    count = editing.assignment_link_name(
        actor=staff, plan=plan, raw_name="市卫计委", organization=world.commission
    )
    assert count == 4
    assert set(unlinked.values_list("organization", "confidence")) == {(world.commission.pk, 1.0)}
    assert Assignment.objects.get(raw_name="市财政局").organization is None
    recorded = event("assignment.link_name")
    assert recorded.object_type == "plans.plan" and recorded.object_id == str(plan.pk)
    assert recorded.summary["count"] == 4 and recorded.summary["raw_name"] == "市卫计委"
    assert recorded.summary["tasks"] == ["一.1", "一.2", "一.2.(1)", "二"]
    with pytest.raises(ValidationError, match="方案中没有未匹配的单位“市卫计委”"):
        editing.assignment_link_name(
            actor=staff, plan=plan, raw_name="市卫计委", organization=world.commission
        )
    with pytest.raises(ValidationError, match="不在“莲花县卫生健康委员会”所属的单位范围内"):
        editing.assignment_link_name(
            actor=staff, plan=plan, raw_name="市财政局", organization=world.elsewhere
        )
    assert Assignment.objects.get(raw_name="市财政局").organization is None


# --- targets ----------------------------------------------------------------------------------


def test_target_add_finds_or_creates_the_indicator(plan, staff):
    first = task(plan, "一.1")
    target = editing.target_add(
        actor=staff,
        task=first,
        indicator="每千常住人口执业(助理)医师数",
        comparator=">=",
        value=3.5,
        unit="人",
        year=2030,
        baseline=2.1,
    )
    assert target.indicator.name == "每千常住人口执业（助理）医师数"
    assert target.indicator.higher_is_better
    again = editing.target_add(
        actor=staff, task=task(plan, "二"), indicator="孕产妇死亡率", comparator="<=", value=8
    )
    assert again.indicator == Indicator.objects.get(name="孕产妇死亡率")
    assert Indicator.objects.count() == 2
    summary = event("target.add").summary
    assert summary["indicator"] == "孕产妇死亡率" and summary["value"] == 8.0
    assert summary["task"] == "二"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"indicator": " "}, "indicator", "指标名称不能为空"),
        ({"comparator": ">"}, "comparator", "请选择比较方式（≥、≤、=、≈）"),
        ({"value": 20, "value_max": 10}, "value_max", "目标值上限不能小于目标值"),
        ({"year": 1800}, "year", "目标年份应在1900至2100年之间"),
        ({"value": float("nan")}, "value", "目标值应为有限的数字"),
        ({"unit": "个" * 21}, "unit", "单位不能超过20个字"),
    ],
)
def test_target_add_refuses_bad_values(plan, staff, fields, field, message):
    values = {"indicator": "床位数", "comparator": ">=", "value": 1.0, **fields}
    with pytest.raises(ValidationError) as refused:
        editing.target_add(actor=staff, task=task(plan, "一.1"), **values)
    assert refused.value.message_dict == {field: [message]}
    assert Target.objects.filter(task__plan=plan).count() == 1
    assert not Indicator.objects.filter(name="床位数").exists()


def test_target_update_and_remove(plan, staff):
    target = Target.objects.get(task__plan=plan)
    editing.target_update(
        actor=staff,
        target=target,
        indicator="孕产妇死亡率",
        comparator="<=",
        value=8,
        value_max=None,
        unit="/10万",
        year=2025,
    )
    target.refresh_from_db()
    assert (target.value, target.year) == (8.0, 2025)
    assert event("target.update").summary["changes"] == {
        "value": [10.0, 8.0],
        "year": [2020, 2025],
    }
    editing.target_remove(actor=staff, target=target)
    assert not Target.objects.filter(task__plan=plan).exists()
    assert event("target.remove").summary["indicator"] == "孕产妇死亡率"
    assert Indicator.objects.filter(name="孕产妇死亡率").exists()  # shared by other plans
