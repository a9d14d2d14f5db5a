"""`manage.py draw`: the JSON never breaks a constraint (checked against the database), is the
same for the same seed, differs for different seeds, and reports infeasible draws."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from weijian.conftest import World
from weijian.supervision.models import (
    Draw,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    InstitutionStatus,
    PlanState,
    SamplingPlan,
)
from weijian.supervision.tests.factories import make_item

AS_OF = "2026-03-15"
KEYS = {"seed", "pool_size", "inspector_pool_size", "selected", "uncovered", "conflicts_avoided"}


def _run(*args: str) -> tuple[dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("draw", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def region(world: World) -> str:
    call_command(
        "generate_supervision_data",
        "--region", "360321", "--institutions", "300", "--inspectors", "40", "--seed", "11",
        "--practitioners", "0", stdout=io.StringIO(),
    )  # fmt: skip
    return "360321"


def _trial(region: str, seed: int, *extra: str) -> tuple[dict[str, Any], str]:
    return _run(
        "--region", region, "--ratio", "0.1", "--group-size", "2", "--seed", str(seed),
        "--as-of", AS_OF, "--dry-run", "--json", *extra,
    )  # fmt: skip


def _assert_constraints(result: dict[str, Any], group_size: int) -> None:
    """Every group checked against the database, not against the snapshot."""
    import datetime

    day = datetime.date.fromisoformat(AS_OF)
    people = {p.certificate_number: p for p in Inspector.objects.all()}
    ids = dict(Institution.objects.values_list("uscc", "pk"))
    worked = set(
        InspectorEmployment.objects.values_list("inspector__certificate_number", "institution_id")
    )
    related = set(
        InspectorRelative.objects.values_list("inspector__certificate_number", "institution_id")
    )
    for row in result["selected"]:
        institution = ids[row["institution"]]
        assert Institution.objects.get(pk=institution).status == InstitutionStatus.ACTIVE
        assert len(row["inspectors"]) == len(set(row["inspectors"])) == group_size
        for key in row["inspectors"]:
            assert people[key].is_certified_on(day)
            assert (key, institution) not in worked
            assert (key, institution) not in related


def test_trial_json_keys_and_constraints(region: str) -> None:
    result, err = _trial(region, 7)
    assert KEYS <= set(result)
    assert set(result["selected"][0]) == {"institution", "name", "weight", "inspectors"}
    assert result["seed"] == 7 and not result["uncovered"] and err == ""
    active = Institution.objects.filter(status=InstitutionStatus.ACTIVE).count()
    assert result["pool_size"] == active
    assert len(result["selected"]) == -(-active // 10)
    assert result["conflicts_avoided"] > 0
    _assert_constraints(result, 2)
    assert not Draw.objects.exists()


def test_same_seed_same_result_other_seed_other_result(region: str) -> None:
    first, _ = _trial(region, 123)
    again, _ = _trial(region, 123)
    other, _ = _trial(region, 124)
    assert first == again
    assert first["selected"] != other["selected"]
    for seed in range(5):
        _assert_constraints(_trial(region, seed, "--group-size", "3")[0], 3)


def test_unweighted_flag(region: str) -> None:
    result, _ = _trial(region, 9, "--unweighted")
    assert {row["weight"] for row in result["selected"]} == {1.0}


def test_infeasible_trial_is_reported_not_drawn(region: str) -> None:
    result, err = _trial(region, 7, "--group-size", "50")
    assert result["selected"] == [] and result["uncovered"]
    assert "需要50名" in result["uncovered"][0]["reason"]
    assert "无法满足" in err
    assert not Draw.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "999999", "--ratio", "0.1", "--dry-run"], "未知的行政区划代码"),
        (["--region", "360321", "--ratio", "1.5", "--dry-run"], "抽取比例"),
        (["--region", "360321", "--ratio", "0.1", "--group-size", "1", "--dry-run"], "不得少于2名"),
        (["--region", "360321", "--ratio", "0.1"], "--dry-run"),
        (["--plan", "99999", "--dry-run"], "抽查计划不存在"),
        (["--dry-run"], "--plan"),
    ],
)
def test_errors_in_chinese(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("draw", *args, stdout=io.StringIO())


def _plan(world: World, **fields: Any) -> SamplingPlan:
    values: dict[str, Any] = {
        "owner": world.commission, "year": 2026, "title": "命令抽取",
        "item": make_item(world.commission), "object_count": 5,
    }  # fmt: skip
    values.update(fields)
    return SamplingPlan.objects.create(**values)


def test_plan_dry_run_then_stored_draw(world: World, region: str) -> None:
    plan = _plan(world)
    preview, _ = _run(
        "--plan", str(plan.pk), "--seed", "5", "--as-of", AS_OF, "--dry-run", "--json"
    )
    assert not Draw.objects.exists() and preview["stored"] is False
    _assert_constraints(preview, 2)
    with pytest.raises(CommandError, match="--user"):
        call_command("draw", "--plan", str(plan.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match="见证人"):
        call_command("draw", "--plan", str(plan.pk), "--user", "staff", stdout=io.StringIO())
    with pytest.raises(CommandError, match="科室人员"):
        call_command(
            "draw", "--plan", str(plan.pk), "--user", "outsider", "--witness", "某",
            stdout=io.StringIO(),
        )  # fmt: skip
    stored, _ = _run(
        "--plan", str(plan.pk), "--seed", "5", "--as-of", AS_OF, "--json",
        "--user", "staff", "--witness", "纪检组",
    )  # fmt: skip
    assert stored["stored"] is True and stored["draw"] == 1
    assert {k: stored[k] for k in KEYS} == {k: preview[k] for k in KEYS}
    draw = Draw.objects.get(plan=plan)
    assert draw.result == {k: preview[k] for k in KEYS} and draw.witness == "纪检组"
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    with pytest.raises(CommandError, match="待抽取"):
        call_command(
            "draw", "--plan", str(plan.pk), "--user", "staff", "--witness", "某",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_plan_infeasible_stores_nothing(world: World, region: str) -> None:
    plan = _plan(world, group_size=60)
    result, err = _run(
        "--plan", str(plan.pk), "--seed", "5", "--as-of", AS_OF, "--json",
        "--user", "staff", "--witness", "纪检组",
    )  # fmt: skip
    assert result["uncovered"] and result["stored"] is False and "无法满足" in err
    assert not Draw.objects.exists()


def test_text_output(region: str) -> None:
    out = io.StringIO()
    call_command(
        "draw", "--region", region, "--count", "3", "--seed", "1", "--as-of", AS_OF, "--dry-run",
        stdout=out,
    )  # fmt: skip
    assert "随机种子 1" in out.getvalue() and "抽中 3 家" in out.getvalue()
