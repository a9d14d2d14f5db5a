"""The plan import: command, service and unit resolution, on the shared seeds and the world."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from weijian.conftest import make_org
from weijian.core.models import AuditEvent
from weijian.plans.importers import parse_plan
from weijian.plans.models import (
    Assignment,
    CollectiveUnit,
    Document,
    OrganizationAlias,
    Plan,
    Target,
    Task,
)
from weijian.plans.resolve import UnitResolver, resolve_unit, tree_of
from weijian.plans.services import plan_import_apply

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return found[0]


def _counts(path: Path) -> tuple[int, int, int]:
    tasks = list(parse_plan(path.read_text(encoding="utf-8")).walk())
    assignments = sum(len(t.lead) + len(t.partners) + len(t.responsible) for t in tasks)
    return len(tasks), assignments, sum(len(t.targets) for t in tasks)


def _db_counts(plan: Plan) -> tuple[int, int, int]:
    return (
        Task.objects.filter(plan=plan).count(),
        Assignment.objects.filter(task__plan=plan).count(),
        Target.objects.filter(task__plan=plan).count(),
    )


def _run(*args: object) -> str:
    out = io.StringIO()
    call_command("import_plan", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("prefix", ["002", "004"])
def test_import_seed_stores_what_the_parser_reads(world, prefix):
    path = _seed(prefix)
    _run(path, "--owner", world.commission.pk)
    plan = Plan.objects.get()
    assert plan.owner == world.commission
    assert _db_counts(plan) == _counts(path)
    assert Task.objects.filter(plan=plan, parent__isnull=True).count() > 0
    assert not Assignment.objects.exclude(raw_name__gt="").exists()


def test_import_keeps_the_document_number(world):
    _run(_seed("002"), "--owner", world.commission.pk)
    document = Document.objects.get()
    assert (document.issuer_code, document.year, document.serial) == ("萍府办发", 2019, 36)
    assert Plan.objects.get().document == document


def test_tree_parents_follow_paths(world):
    _run(_seed("002"), "--owner", world.commission.pk)
    measure = Task.objects.get(path="三.(二).8.(1)")
    assert measure.parent is not None and measure.parent.path == "三.(二).8"
    assert measure.parent.parent is not None and measure.parent.parent.path == "三.(二)"


def test_dry_run_writes_nothing(world):
    output = _run(_seed("004"), "--dry-run")
    assert "未写入任何数据" in output
    assert not Plan.objects.exists() and not Task.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.import").exists()


def test_json_fills_units(world):
    make_org("盐城市卫生健康委员会", world.commission, plates=["盐城市卫健委"])
    data = json.loads(_run(_seed("004"), "--dry-run", "--json"))
    assert {"plan", "tasks", "units", "warnings"} <= set(data)
    assert all({"name", "resolved_to", "confidence"} <= set(u) for u in data["units"])
    assert not Plan.objects.exists()


def test_second_import_creates_a_second_plan(world):
    path = _seed("002")
    _run(path, "--owner", world.commission.pk)
    _run(path, "--owner", world.commission.pk)
    assert Plan.objects.count() == 2
    assert Document.objects.count() == 1


def test_owner_required_without_dry_run(world):
    with pytest.raises(CommandError, match="--owner"):
        _run(_seed("002"))


def test_missing_file_and_owner_are_reported_in_chinese(world, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        _run(tmp_path / "none.txt", "--dry-run")
    with pytest.raises(CommandError, match="单位不存在"):
        _run(_seed("002"), "--owner", 999999)
    other = tmp_path / "plan.pdf"
    other.write_text("x")
    with pytest.raises(CommandError, match="不支持"):
        _run(other, "--dry-run")


# --- the service --------------------------------------------------------------------------

PARSED = {
    "plan": {"title": "测试方案", "document_number": "萍卫发〔2018〕5号", "year": 2018},
    "tasks": [
        {
            "label": "一",
            "path": "一",
            "title": "总体任务",
            "text": "",
            "lead": ["市卫计委"],
            "partners": ["莲花县人民医院", "不存在的单位"],
            "responsible": [],
            "targets": [
                {"indicator": "孕产妇死亡率", "comparator": "<=", "value": 10, "unit": "/10万",
                 "year": 2020},
            ],
            "children": [
                {"label": "1", "path": "一.1", "title": "子任务", "text": "", "lead": [],
                 "partners": [], "responsible": ["各县（区）人民政府"], "targets": [],
                 "children": []},
            ],
        }
    ],
    "units": [],
    "warnings": [],
}  # fmt: skip


def test_service_writes_tree_assignments_targets_and_event(world):
    OrganizationAlias.objects.create(
        organization=world.commission, name="市卫计委", valid_to=datetime.date(2019, 3, 31)
    )
    collective = CollectiveUnit.objects.create(name="各县（区）人民政府")
    collective.members.set([world.county, world.hospital])
    plan = plan_import_apply(parsed=PARSED, owner=world.commission, actor=world.staff)
    lead = Assignment.objects.get(role="lead")
    assert lead.organization == world.commission and lead.raw_name == "市卫计委"
    unknown = Assignment.objects.get(raw_name="不存在的单位")
    assert unknown.organization is None and unknown.role == "partner"
    assert set(
        Assignment.objects.filter(role="responsible").values_list("organization", flat=True)
    ) == {world.county.pk, world.hospital.pk}
    target = Target.objects.get()
    assert (target.comparator, target.value, target.year) == ("<=", 10, 2020)
    assert target.indicator.higher_is_better is False
    child = Task.objects.get(path="一.1")
    assert child.parent is not None and child.parent.path == "一"
    event = AuditEvent.objects.get(action="plan.import")
    assert event.actor == world.staff and event.object_id == str(plan.pk)
    assert event.summary["tasks"] == 2 and event.summary["unresolved"] == ["不存在的单位"]


def test_trusted_import_names_its_source(world):
    plan_import_apply(parsed=PARSED, owner=world.commission, actor=None, source="测试")
    event = AuditEvent.objects.get(action="plan.import")
    assert event.actor is None and event.actor_username == "测试"


def test_outsider_is_refused_and_nothing_is_written(world):
    with pytest.raises(PermissionDenied):
        plan_import_apply(parsed=PARSED, owner=world.commission, actor=world.outsider)
    assert not Plan.objects.exists() and not Document.objects.exists()
    assert not Task.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.import").exists()


# --- resolution -------------------------------------------------------------------------


def test_resolves_exact_name_and_plate(world):
    world.county.plates = ["莲花县卫健委"]
    world.county.save(update_fields=["plates"])
    found = resolve_unit("莲花县卫生健康委员会")
    assert found is not None and found.organization == world.county
    assert (found.confidence, found.via) == (1.0, "name")
    plate = resolve_unit("莲花县卫健委")
    assert plate is not None and plate.via == "plate" and plate.organization == world.county


def test_alias_counts_only_while_valid(world):
    OrganizationAlias.objects.create(
        organization=world.commission,
        name="市卫计委",
        valid_from=datetime.date(2013, 1, 1),
        valid_to=datetime.date(2019, 3, 31),
    )
    organizations = [world.commission, world.county, world.hospital]
    valid = resolve_unit("市卫计委", on=datetime.date(2018, 6, 1), organizations=organizations)
    assert valid is not None and valid.via == "alias" and valid.confidence == 1.0
    assert valid.organization == world.commission
    expired = resolve_unit("市卫计委", on=datetime.date(2020, 6, 1), organizations=organizations)
    assert expired is None or expired.via == "fuzzy" and expired.confidence < 0.9


def test_collective_expands_to_members(world):
    collective = CollectiveUnit.objects.create(name="各县（区）人民政府")
    collective.members.set([world.county, world.hospital])
    found = resolve_unit("各县(区)人民政府")
    assert found is not None and found.via == "collective" and found.organization is None
    assert set(found.organizations) == {world.county, world.hospital}
    written = resolve_unit("各县〔区〕人民政府")  # the bracket seed 002 uses
    assert written is not None and written.via == "collective"


def test_a_collective_stands_only_for_members_in_the_owners_tree(world):
    collective = CollectiveUnit.objects.create(name="各区卫生健康委")
    collective.members.set([world.county, world.elsewhere])
    found = UnitResolver(organizations=tree_of(world.commission)).resolve("各区卫生健康委")
    assert found is not None and found.organizations == (world.county,)


def test_fuzzy_match_has_a_confidence(world):
    resolver = UnitResolver(organizations=[world.commission, world.county, world.hospital])
    close = resolver.resolve("市卫生健康委等部门")
    assert close is not None and close.via == "fuzzy"
    assert close.organization == world.commission and 0.9 <= close.confidence < 1
    abbreviated = resolver.resolve("市卫健委")
    assert abbreviated is not None and abbreviated.organization == world.commission
    assert 0.6 <= abbreviated.confidence < 1
    assert resolver.resolve("市公安局") is None


def test_bodies_of_different_named_places_never_match():
    from weijian.plans.resolve import similarity

    assert similarity("莲花县卫生健康委员会", "渝中区卫生健康委员会") == 0.0
    assert similarity("市卫生健康委员会", "萍乡市卫生健康委员会") > 0.9
    assert similarity("萍乡市卫健委", "萍乡市卫生健康委员会") >= 0.8


def test_an_abbreviation_naming_the_same_place_is_linked_automatically():
    from weijian.plans.resolve import similarity
    from weijian.plans.services import AUTO_LINK

    assert similarity("莲花县卫健委", "莲花县卫生健康委员会") >= AUTO_LINK
    assert similarity("莲花县疾控中心", "莲花县疾病预防控制中心") >= AUTO_LINK
    # without the place named, the abbreviation is offered, not linked
    assert 0.8 <= similarity("县卫健委", "莲花县卫生健康委员会") < AUTO_LINK
    assert similarity("莲花县卫健委", "莲花县人民医院") < 0.6


# --- 任务分工表 (.xlsx) ----------------------------------------------------------------------


def _table(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2020年莲花县卫生健康重点任务分工表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "目标"])
    sheet.append(["一、", "基层能力"])
    sheet.append(["1", "建设医共体。", "莲花县卫生健康委员会", "莲花县人民医院", "年底前", ""])
    sheet.append(["2", "提高签约率。", "莲花县人民医院", "", "长期坚持", "签约率≥60%（2020年）"])
    sheet.append(["3", None, "莲花县人民医院"])
    book.save(path)
    return path


def test_dry_run_json_of_a_table(world, tmp_path):
    table = _table(tmp_path / "分工表.xlsx")
    data = json.loads(_run(table, "--dry-run", "--json"))
    assert data["plan"]["title"] == "2020年莲花县卫生健康重点任务分工表"
    assert data["plan"]["year"] == 2020
    (category,) = data["tasks"]
    assert [t["path"] for t in category["children"]] == ["一.1", "一.2", "一.3"]
    first, second, _ = category["children"]
    assert (first["due"], first["due_text"]) == ("2020-12-31", "年底前")
    assert (first["lead"], first["partners"]) == (["莲花县卫生健康委员会"], ["莲花县人民医院"])
    assert second["targets"][0] | {"text": ""} == {
        "indicator": "签约率",
        "comparator": ">=",
        "value": 60.0,
        "unit": "%",
        "year": 2020,
        "value_max": None,
        "change": None,
        "text": "",
    }
    resolved = {u["name"]: u["resolved_to"] for u in data["units"]}
    assert resolved == {
        "莲花县卫生健康委员会": world.county.pk,
        "莲花县人民医院": world.hospital.pk,
    }
    assert data["warnings"] == [{"line": 6, "message": "任务“一.3”缺少任务内容"}]
    assert not Plan.objects.exists()


def test_import_of_a_table(world, tmp_path):
    output = _run(_table(tmp_path / "分工表.xlsx"), "--owner", world.county.pk)
    assert "任务 4 项" in output
    task = Task.objects.get(path="一.1")
    assert (task.due_on, task.due_text) == (datetime.date(2020, 12, 31), "年底前")
    assert task.assignments.get(role="lead").organization == world.county


def test_old_excel_is_refused_in_chinese(world, tmp_path):
    old = tmp_path / "分工表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match=r"另存为 \.xlsx"):
        _run(old, "--dry-run")
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="不是有效的 .xlsx 工作簿"):
        _run(broken, "--dry-run")


def test_a_trial_run_reads_the_document_before_the_database_exists(tmp_path):
    """`import_plan --dry-run --json` on a fresh checkout, before `migrate`: the reading is
    printed, every unit unresolved, with a hint on stderr."""
    import os
    import subprocess
    import sys

    document = tmp_path / "方案.txt"
    document.write_text(
        "某县卫生工作方案\n一、重点任务\n（一）做好免疫规划。（县卫健委负责）\n", encoding="utf-8"
    )
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "WEIJIAN_VAR_DIR": str(tmp_path),
    }
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(manage), "import_plan", str(document), "--dry-run", "--json"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["tasks"][0]["children"][0]["lead"] == ["县卫健委"]
    assert parsed["units"] == [{"name": "县卫健委", "resolved_to": None}]
    assert "python manage.py migrate" in result.stderr
