"""`manage.py import_regions`: validate everything, preview, then write in one transaction."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weijian.core.models import AuditEvent
from weijian.orgs.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

# 江西省 and 萍乡市 are already seeded; 南昌市 and its districts are new.
GOOD = """区划代码,名称
360000,江西省
360100,南昌市
360102,东湖区
360104,青云谱区
360302,安源区
360302001,测试街道
"""


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "regions.csv"
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_regions", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imports():
    return AuditEvent.objects.filter(action="region.import")


def test_dry_run_previews_and_writes_nothing(tmp_path):
    before = Region.objects.count()
    out, _ = run(write(tmp_path, GOOD), "--dry-run")
    assert "新增4个，更名0个，调整上级0个，未变化2个" in out
    assert "新增 360100 南昌市，上级 360000" in out
    assert "未写入任何数据" in out
    assert Region.objects.count() == before
    assert not imports().exists()


def test_one_bad_row_writes_nothing_and_names_the_line(tmp_path):
    before = Region.objects.count()
    path = write(tmp_path, GOOD + "3603X1,某县\n")
    err = StringIO()
    with pytest.raises(CommandError, match="发现1处错误，未导入任何数据"):
        call_command("import_regions", str(path), "--yes", stdout=StringIO(), stderr=err)
    assert "第8行：区划代码“3603X1”应为6位、9位或12位数字" in err.getvalue()
    assert Region.objects.count() == before
    assert not imports().exists()


def test_good_file_applies_in_one_go(tmp_path):
    with CaptureQueriesContext(connection) as queries:
        out, _ = run(write(tmp_path, GOOD), "--yes")
    assert "导入完成：新增4个，更名0个，调整上级0个，未变化2个。" in out
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "orgs_region"')]
    assert len(inserts) == 1
    assert Region.objects.get(code="360104").parent_id == "360100"
    township = Region.objects.get(code="360302001")
    assert (township.parent_id, township.level) == ("360302", RegionLevel.TOWNSHIP)
    event = imports().get()
    assert event.summary == {"created": 4, "renamed": 0, "reparented": 0, "unchanged": 2}


def test_gb18030_file_with_bom_free_header(tmp_path):
    run(write(tmp_path, GOOD, encoding="gb18030"), "--yes")
    assert Region.objects.get(code="360102").name == "东湖区"


def test_without_yes_it_asks_and_no_means_nothing_is_written(tmp_path, monkeypatch):
    prompts = []

    def answer_no(prompt):
        prompts.append(prompt)
        return "n"

    monkeypatch.setattr("builtins.input", answer_no)
    out, _ = run(write(tmp_path, GOOD))
    assert prompts == ["确认导入？[y/N] "]
    assert "已取消" in out
    assert not Region.objects.filter(code="360100").exists()


def test_without_yes_answering_y_imports(tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    run(write(tmp_path, GOOD))
    assert Region.objects.filter(code="360100").exists()


def test_reimport_is_idempotent_and_counts_renames(tmp_path):
    path = write(tmp_path, GOOD)
    run(path, "--yes")
    count = Region.objects.count()

    out, _ = run(path, "--yes")
    assert "无需导入" in out
    assert Region.objects.count() == count
    assert imports().count() == 1

    out, _ = run(write(tmp_path, GOOD.replace("测试街道", "测试镇")), "--yes")
    assert "新增0个，更名1个，调整上级0个，未变化5个" in out
    assert "更名 360302001 测试街道 → 测试镇" in out
    assert Region.objects.get(code="360302001").name == "测试镇"
    assert Region.objects.count() == count


def test_listing_city_districts_rehangs_the_municipality_district(tmp_path):
    run(write(tmp_path, "code,name\n500100,市辖区\n500103,渝中区\n"), "--yes")
    assert Region.objects.get(code="500103").parent_id == "500100"
    assert imports().get().summary["reparented"] == 1


def test_large_file_is_written_in_batches(tmp_path):
    lines = ["code,name"] + [
        f"{county}{n:03d},测试乡镇{county}{n:03d}"
        for county in ("360302", "360313", "360321")
        for n in range(1, 1000)
    ]
    out, _ = run(write(tmp_path, "\n".join(lines)), "--yes")
    assert "新增2997个" in out
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() == 2997


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(tmp_path / "missing.csv")
