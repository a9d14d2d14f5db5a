"""The plan upload page: upload → preview (link units, fix reviewed tasks and targets) → confirm
writes one plan in one transaction; nothing is written before; cancel and errors leave no trace."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.plans.models import Assignment, Plan, Target, Task

DOCUMENT = """关于印发莲花县基层卫生服务能力提升实施方案的通知
莲卫发〔2021〕8号
各乡镇卫生院：
现将《莲花县基层卫生服务能力提升实施方案》印发给你们，请认真贯彻执行。
莲花县基层卫生服务能力提升实施方案
一、重点任务
（一）加强人才队伍建设。到2025年，每千常住人口执业（助理）医师数达到3人以上，乡村医生中具备执业（助理）医师资格的比例不低于45%。（莲花县卫健委牵头，县人社局、县财政局等部门参与）
（二）提升服务能力。基层就诊率达到65%以上。（县人民医院负责）
（三）完善绩效考核。
"""


def _upload(client, world, content: bytes = DOCUMENT.encode(), name: str = "方案.txt", **extra):
    data = {"document": SimpleUploadedFile(name, content), "owner": world.county.pk, **extra}
    return client.post(reverse("plans:plan_import"), data)


def _token(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.search(r"/import/([^/]+)/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _form_data(response) -> dict[str, str]:
    """The preview form's fields as a browser would submit them untouched."""
    form = response.context["form"]
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
        del field
    return data


def _unit_index(response, name: str) -> int:
    units = response.context["form"].units
    return next(i for i, unit in enumerate(units) if unit["name"] == name)


@pytest.fixture
def editor(login_as, world):
    return login_as(world.staff)


def test_upload_shows_a_preview_and_writes_nothing(editor, world):
    token = _token(_upload(editor, world))
    response = editor.get(reverse("plans:plan_import_preview", args=[token]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "莲花县基层卫生服务能力提升实施方案" in page
    assert "莲卫发〔2021〕8号" in page
    assert "县人社局" in page and "县人民医院" in page
    counts = response.context["counts"]
    assert counts["tasks"] == 4 and counts["targets"] == 3
    # (三) names no unit: it is listed for review
    assert [row["task"]["path"] for row in response.context["form"].review_table()] == ["一.(三)"]
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_units_are_linked_as_suggested_or_chosen_in_the_preview(editor, world):
    token = _token(_upload(editor, world))
    preview_url = reverse("plans:plan_import_preview", args=[token])
    response = editor.get(preview_url)
    data = _form_data(response)
    units = response.context["form"].units
    lead = units[_unit_index(response, "莲花县卫健委")]
    assert lead["suggested"] == world.county.pk  # an abbreviation of the full name
    hospital = _unit_index(response, "县人民医院")
    data[f"unit{hospital}_other"] = "莲花县人民医院"
    finance = _unit_index(response, "县财政局")
    data[f"unit{finance}"] = ""
    review = response.context["form"].reviewed[0]
    data[f"task{review}_lead"] = "莲花县卫生健康委员会、县医保局"
    response = editor.post(preview_url, data)
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    assert plan.owner == world.county and plan.document is not None
    assert plan.document.number == "莲卫发〔2021〕8号"
    by_name = {a.raw_name: a for a in Assignment.objects.filter(task__plan=plan)}
    assert by_name["莲花县卫健委"].organization == world.county
    assert by_name["县人民医院"].organization == world.hospital
    assert by_name["县人民医院"].confidence == 1.0
    assert by_name["县财政局"].organization is None
    reviewed = Task.objects.get(plan=plan, path="一.(三)")
    assert [a.raw_name for a in reviewed.assignments.all()] == ["莲花县卫生健康委员会", "县医保局"]
    assert reviewed.assignments.get(raw_name="莲花县卫生健康委员会").organization == world.county
    event = AuditEvent.objects.get(action="plan.import")
    assert event.actor == world.staff
    assert event.summary["tasks"] == 4 and event.summary["source"] == "方案.txt"


def test_targets_are_corrected_or_dropped_in_the_preview(editor, world):
    token = _token(_upload(editor, world))
    preview_url = reverse("plans:plan_import_preview", args=[token])
    response = editor.get(preview_url)
    data = _form_data(response)
    items = response.context["form"].target_items()
    by_indicator = {target["indicator"]: (i, p) for i, p, target in items}
    assert len(by_indicator) == 3
    doctors = "tg{}_{}".format(*next(v for k, v in by_indicator.items() if "医师数" in k))
    share = "tg{}_{}".format(*next(v for k, v in by_indicator.items() if "比例" in k))
    visits = "tg{}_{}".format(*next(v for k, v in by_indicator.items() if "就诊率" in k))
    assert data[f"{doctors}_value"] == "3.0" and data[f"{doctors}_year"] == "2025"
    data[f"{doctors}_value"] = "3.2"
    data[f"{doctors}_indicator"] = "每千常住人口执业（助理）医师数"
    del data[f"{share}_keep"]
    data[f"{visits}_year"] = "2023"
    editor.post(preview_url, data)
    targets = {t.indicator.name: t for t in Target.objects.select_related("indicator")}
    assert len(targets) == 2
    assert targets["每千常住人口执业（助理）医师数"].value == 3.2
    assert targets["每千常住人口执业（助理）医师数"].comparator == ">="
    visit = next(t for name, t in targets.items() if "就诊率" in name)
    assert (visit.value, visit.unit, visit.year) == (65, "%", 2023)


def test_preview_errors_name_the_field_and_write_nothing(editor, world):
    token = _token(_upload(editor, world))
    preview_url = reverse("plans:plan_import_preview", args=[token])
    response = editor.get(preview_url)
    data = _form_data(response)
    hospital = _unit_index(response, "县人民医院")
    data[f"unit{hospital}_other"] = "不存在的医院"
    prefix = "tg{}_{}".format(*response.context["form"].target_items()[0][:2])
    data[f"{prefix}_value_max"] = "1"
    response = editor.post(preview_url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "未找到名为“不存在的医院”的单位（单位“县人民医院”）" in page
    assert "上限不能小于目标值" in page
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_cancel_forgets_the_upload(editor, world):
    token = _token(_upload(editor, world))
    response = editor.post(reverse("plans:plan_import_cancel", args=[token]))
    assert response["Location"] == reverse("plans:plan_list")
    assert editor.get(reverse("plans:plan_import_preview", args=[token])).status_code == 404
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("方案.pdf", b"%PDF-1.4", "不支持“.pdf”文件"),
        ("方案.xls", b"\xd0\xcf", "不支持旧版 Excel（.xls）文件"),
        ("方案.docx", b"not a zip file", "文件可能已损坏"),
        ("方案.txt", b"", "所提交的是空文件"),
    ],
)
def test_unreadable_files_get_a_chinese_error(editor, world, name, content, message):
    response = _upload(editor, world, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_reporter_may_not_import(login_as, world):
    client = login_as(world.county_reporter)
    assert client.get(reverse("plans:plan_import")).status_code == 403


def test_an_outsider_cannot_import_into_another_tree(login_as, world):
    client = login_as(world.outsider)
    response = _upload(client, world)
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Plan.objects.count() == 0


def test_an_outsider_cannot_open_someone_elses_preview(client, login_as, world):
    editor = login_as(world.staff)
    token = _token(_upload(editor, world))
    client.force_login(world.outsider)
    assert client.get(reverse("plans:plan_import_preview", args=[token])).status_code == 404


def test_a_task_division_table_is_previewed_and_imported(editor, world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["莲花县家庭医生签约服务任务分工表"])
    sheet.append(["序号", "任务内容", "牵头单位", "配合单位", "完成时限"])
    sheet.append([1, "家庭医生签约服务覆盖率达到60%以上", "莲花县卫健委", "县医保局", "2022年底前"])
    sheet.append([2, "建立签约服务考核制度", "县人民医院", "", "长期坚持"])
    stream = io.BytesIO()
    book.save(stream)
    token = _token(_upload(editor, world, stream.getvalue(), "分工表.xlsx"))
    preview_url = reverse("plans:plan_import_preview", args=[token])
    response = editor.get(preview_url)
    assert response.context["counts"]["tasks"] == 2
    editor.post(preview_url, _form_data(response))
    tasks = list(Task.objects.order_by("order"))
    assert [t.due_text for t in tasks] == ["2022年底前", "长期坚持"]
    assert str(tasks[0].due_on) == "2022-12-31"
    assert Target.objects.get().value == 60


def test_a_system_administrator_may_not_import(login_as, world):
    """Plans are business data: the 三员 do not keep them."""
    client = login_as(world.commission_admin)
    assert client.get(reverse("plans:plan_import")).status_code == 403
