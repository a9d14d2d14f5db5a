"""A real browser through a plan import: upload a document, link a unit and fix a target in the
preview, confirm, and find the task tree with the corrections (screenshots in test-artifacts/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from weijian.conftest import ARTIFACTS, PASSWORD
from weijian.plans.models import Assignment, Plan, Target

pytestmark = pytest.mark.browser

DOCUMENT = """关于印发莲花县慢性病防控工作方案的通知
莲卫发〔2022〕3号
莲花县慢性病防控工作方案
一、主要任务
（一）开展高血压患者健康管理。到2025年，高血压患者规范管理率达到70%以上。（莲花县卫健委牵头，县人民医院、县疾控中心等单位参与）
（二）推进慢病筛查。35岁以上人群首诊测血压率达到100%。（县医院负责）
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preview_edit_confirm(live_server, chromium, world, tmp_path: Path):
    source = tmp_path / "慢病方案.txt"
    source.write_text(DOCUMENT, encoding="utf-8")
    page = chromium.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/office/plans/import/")
    page.get_by_label("用户名").fill(world.staff.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/office/plans/import/")

    page.get_by_label("文件").set_input_files(str(source))
    page.get_by_label("方案责任单位").select_option(label=world.county.name)
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url("**/office/plans/import/*/")
    assert page.locator("#count-tasks").inner_text() == "3"
    assert Plan.objects.count() == 0
    page.screenshot(path=str(ARTIFACTS / "plans-import-preview.png"), full_page=True)

    # 县医院 is not a name the registry knows: link it by the hospital's full name
    row = page.locator("#units tr", has_text="县医院")
    row.locator("input[type=text]").fill(world.hospital.name)
    # the screening target was read as 100%: lower it to 95 in the preview
    target = page.locator("#targets tr", has_text="测血压率")
    target.locator("input[name$='_value']").fill("95")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/office/plans/*/")
    assert page.get_by_text("已导入方案").is_visible()
    page.screenshot(path=str(ARTIFACTS / "plans-import-done.png"), full_page=True)

    plan = Plan.objects.get()
    assert plan.title == "莲花县慢性病防控工作方案" and plan.owner == world.county
    linked = Assignment.objects.get(task__plan=plan, raw_name="县医院")
    assert linked.organization == world.hospital
    assert Target.objects.get(text__contains="测血压率").value == 95
    assert page.get_by_text("高血压患者规范管理率").first.is_visible()
