"""The unit's report page, its htmx autosave, submission, attachments, and "my reports"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.reporting.models import (
    ProgressReport,
    ReportAttachment,
    ReportStatus,
    TargetValue,
)
from weijian.reporting.selectors import cycles_for_unit
from weijian.reporting.tests.factories import (
    COUNTY,
    Reporting,
    make_cycle,
    make_plan,
    make_reporting,
    mark_returned,
    met_value,
    target,
    task_node,
)

KEY = "2024-05"


@pytest.fixture
def reporting(world) -> Reporting:
    return make_reporting(world)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def page(reporting: Reporting, organization=None, key: str = KEY, name: str = "report_page"):
    organization = organization or reporting.world.county
    return reverse(f"reporting:{name}", args=[reporting.cycle.pk, organization.pk, key])


def form_data(reports: list[ProgressReport], **overrides: Any) -> dict[str, str]:
    """The page form filled so that every task passes submission."""
    data: dict[str, str] = {}
    for report in reports:
        prefix = f"r{report.pk}-"
        data |= {
            prefix + "task_status": "in_progress",
            prefix + "percent": "60",
            prefix + "progress": f"{report.task.title}：已召开推进会。",
            prefix + "shortfall_reason": "",
            prefix + "difficulties": "",
            prefix + "next_steps": "继续推进",
        }
        for goal in report.task.targets.all():
            data[f"{prefix}t{goal.pk}"] = f"{met_value(goal):g}"
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_log_in(client, reporting):
    response = client.get(page(reporting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_and_a_unit_below_get_404(login_as, reporting):
    world = reporting.world
    assert login_as(world.outsider).get(page(reporting)).status_code == 404
    # The hospital is below the county: the county's report is not in its scope.
    assert login_as(reporting.hospital_reporter).get(page(reporting)).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", success=False).count() == 2


@pytest.mark.parametrize("key", ["2024-13", "2024-Q2", "2023-12", "2099-01", "abc"])
def test_a_period_outside_the_cycle_is_404(login_as, reporting, key):
    assert login_as(reporting.county_reporter).get(page(reporting, key=key)).status_code == 404


def test_a_unit_not_in_the_cycle_is_404(login_as, reporting, world):
    url = reverse("reporting:report_page", args=[reporting.cycle.pk, world.commission.pk, KEY])
    assert login_as(world.staff).get(url).status_code == 404


def test_the_reporter_opens_the_page_with_every_task_in_order(login_as, reporting):
    client = login_as(reporting.county_reporter)
    response = client.get(page(reporting))
    assert response.status_code == 200
    reports = reporting.reports(reporting.world.county, KEY)
    assert [r.task.path for r in reports] == ["一", "一.1", "二"]  # opened by the visit
    html = response.content.decode()
    tasks = [("一", "总体任务"), ("一.1", "提高医师数量"), ("二", "推进全民健康生活方式")]
    titles = [html.index(f"{path} {title}") for path, title in tasks]
    assert titles == sorted(titles)
    assert "目标：每千人口执业医师数 ≥ 3.5人（2030年）" in html
    assert "牵头" in html and "责任" in html
    for report in reports:
        assert f'name="r{report.pk}-task_status"' in html
        assert f'hx-post="{reverse("reporting:report_save", args=[report.pk])}"' in html
    assert "报送本期报告" in html and "2024年5月30日 23:59" in html
    assert "style=" not in html and "<script>" not in html  # the CSP forbids inline code


def test_the_superiors_staff_reads_but_may_not_edit(login_as, reporting, world):
    reporting.open(KEY)
    report = reporting.reports(world.county, KEY)[0]
    ProgressReport.objects.filter(pk=report.pk).update(progress="已制定实施方案")
    client = login_as(world.staff)
    html = client.get(page(reporting)).content.decode()
    assert "已制定实施方案" in html and "只有本单位的填报员或科室人员" in html
    assert 'name="r' not in html and "报送本期报告" not in html

    save = reverse("reporting:report_save", args=[report.pk])
    assert client.post(save, {f"r{report.pk}-progress": "越权"}).status_code == 403
    submit = page(reporting, name="report_submit")
    assert client.post(submit, form_data([report])).status_code == 403
    attach = reverse("reporting:attachment_add", args=[report.pk])
    assert client.post(attach).status_code == 403
    assert client.get(page(reporting, name="report_upload")).status_code == 403
    report.refresh_from_db()
    assert report.progress == "已制定实施方案" and report.status == ReportStatus.PENDING


def test_htmx_autosave_returns_the_fragment_and_saves(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    report = reporting.reports(reporting.world.county, KEY)[1]
    target = reporting.target("一.1")
    prefix = f"r{report.pk}-"
    response = client.post(
        reverse("reporting:report_save", args=[report.pk]),
        {prefix + "task_status": "lagging", prefix + "percent": "30",
         prefix + "progress": "招聘医师8名", prefix + f"t{target.pk}": "3.1"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert re.fullmatch(
        r'<span class="text-success">已保存 \d\d:\d\d</span>\s*', response.content.decode()
    )
    report.refresh_from_db()
    assert (report.status, report.task_status, report.percent) == ("draft", "lagging", 30)
    assert TargetValue.objects.get(report=report).value == 3.1


def test_autosave_with_a_bad_value_saves_nothing(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    report = reporting.reports(reporting.world.county, KEY)[0]
    response = client.post(
        reverse("reporting:report_save", args=[report.pk]),
        {f"r{report.pk}-percent": "150", f"r{report.pk}-progress": "写了一半"},
    )
    assert (
        "未保存：任务“一 总体任务”的完成比例（%）：完成比例不能大于100" in response.content.decode()
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.progress == ""


def test_submit_from_the_page(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    reports = reporting.reports(reporting.world.county, KEY)
    response = client.post(page(reporting, name="report_submit"), form_data(reports))
    assert response.status_code == 302 and response["Location"] == page(reporting)
    assert {r.status for r in reporting.reports(reporting.world.county, KEY)} == {"submitted"}
    html = client.get(page(reporting)).content.decode()
    assert "已报送2024年5月进展报告，共 3 项任务。" in html
    assert '<span class="badge text-bg-primary" id="report-status">已报送</span>' in html
    assert 'name="r' not in html and "报送本期报告" not in html
    assert "提高医师数量：已召开推进会。" in html  # read only now


def test_submit_with_problems_names_them_and_saves_nothing(login_as, reporting):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    reports = reporting.reports(reporting.world.county, KEY)
    lagging = reports[2]
    data = form_data(reports, **{f"r{lagging.pk}-task_status": "lagging",
                                 f"r{reports[0].pk}-percent": "abc"})  # fmt: skip
    response = client.post(page(reporting, name="report_submit"), data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="submit-errors"' in html
    assert "任务“一 总体任务”的完成比例（%）：请输入0到100之间的整数" in html
    # A type error stops before the rules: fix it and the rule about 滞后 appears.
    data[f"r{reports[0].pk}-percent"] = "50"
    html = client.post(page(reporting, name="report_submit"), data).content.decode()
    assert "任务“二 推进全民健康生活方式”：任务状态为滞后，请填写未完成原因" in html
    # What was typed stays on the page, but nothing was saved.
    assert "提高医师数量：已召开推进会。" in html
    assert not ProgressReport.objects.exclude(status="pending").exists()
    assert not ProgressReport.objects.exclude(progress="").exists()


def test_a_returned_report_shows_why_and_is_resubmitted(login_as, reporting, world):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    reports = reporting.reports(world.county, KEY)
    client.post(page(reporting, name="report_submit"), form_data(reports))
    mark_returned(reporting, world.county, KEY, reason="请补充医师招聘的具体人数", by=world.staff)
    html = client.get(page(reporting)).content.decode()
    assert "退回原因：请补充医师招聘的具体人数" in html
    assert 'name="r' in html and "报送本期报告" in html
    data = form_data(reports, **{f"r{reports[1].pk}-progress": "招聘医师12名"})
    assert client.post(page(reporting, name="report_submit"), data).status_code == 302
    assert ProgressReport.objects.get(pk=reports[1].pk).progress == "招聘医师12名"
    assert {r.status for r in reporting.reports(world.county, KEY)} == {"submitted"}
    html = client.get(page(reporting)).content.decode()
    assert "退回原因" not in html and "修改后重新报送" in html


def test_a_locked_period_shows_its_reason_and_no_form(login_as, world):
    reporting = make_reporting(world, lock_after_days=3)
    client = login_as(reporting.county_reporter)
    html = client.get(page(reporting)).content.decode()
    assert "2024年5月的填报已于2024年6月2日锁定（截止日2024年5月30日后3天）" in html
    assert 'name="r' not in html and "报送本期报告" not in html
    reports = reporting.reports(world.county, KEY)
    response = client.post(page(reporting, name="report_submit"), form_data(reports))
    assert "已于2024年6月2日锁定" in response.content.decode()
    assert not ProgressReport.objects.exclude(status="pending").exists()


def test_attachments_through_the_page(login_as, reporting, world, media):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    report = reporting.reports(world.county, KEY)[0]
    with (media / "纪要.pdf").open("wb") as handle:
        handle.write(b"%PDF-1.4 meeting")
    with (media / "纪要.pdf").open("rb") as handle:
        response = client.post(
            reverse("reporting:attachment_add", args=[report.pk]), {"file": handle}
        )
    assert response.status_code == 302 and response["Location"].endswith(f"#report-{report.pk}")
    attachment = ReportAttachment.objects.get()
    html = client.get(page(reporting)).content.decode()
    assert (
        "纪要.pdf" in html
        and reverse("reporting:attachment_download", args=[attachment.pk]) in html
    )

    download = reverse("reporting:attachment_download", args=[attachment.pk])
    superior = login_as(world.staff).get(download)
    assert (
        superior.status_code == 200 and b"".join(superior.streaming_content) == b"%PDF-1.4 meeting"
    )
    assert "attachment" in superior["Content-Disposition"]
    assert login_as(world.outsider).get(download).status_code == 404
    assert (
        login_as(world.staff)
        .post(reverse("reporting:attachment_delete", args=[attachment.pk]))
        .status_code
        == 403
    )

    client = login_as(reporting.county_reporter)
    client.post(reverse("reporting:attachment_delete", args=[attachment.pk]))
    assert not ReportAttachment.objects.exists()


def test_a_wrong_attachment_is_refused_with_a_message(login_as, reporting, world, media):
    client = login_as(reporting.county_reporter)
    client.get(page(reporting))
    report = reporting.reports(world.county, KEY)[0]
    (media / "x.exe").write_bytes(b"MZ")
    with (media / "x.exe").open("rb") as handle:
        client.post(reverse("reporting:attachment_add", args=[report.pk]), {"file": handle})
    assert "不支持“.exe”类型的附件" in client.get(page(reporting)).content.decode()
    assert not ReportAttachment.objects.exists()


# --- my reports ---------------------------------------------------------------------------


def test_my_reports_lists_each_cycle_and_period(login_as, reporting, world):
    client = login_as(reporting.county_reporter)
    client.post(page(reporting, name="report_submit"))  # nothing opened yet: refused, harmless
    client.get(page(reporting))
    client.post(
        page(reporting, name="report_submit"), form_data(reporting.reports(world.county, KEY))
    )
    html = client.get(reverse("reporting:my_reports")).content.decode()
    assert "我的填报" in html and "健康萍乡行动方案" in html
    assert "2024年1月" in html and "2024年5月" in html
    row = re.search(r"<tr>\s*<td class=\"text-nowrap\">2024年5月</td>.*?</tr>", html, re.S)
    assert row is not None
    assert "已报送" in row.group(0) and "已报送 3 / 应报 3" in row.group(0)
    assert "逾期报送" in row.group(0) and "查看" in row.group(0)  # submitted in 2026
    april = re.search(r"<tr>\s*<td class=\"text-nowrap\">2024年4月</td>.*?</tr>", html, re.S)
    assert april is not None and "已逾期未报" in april.group(0) and "填报" in april.group(0)


def test_my_reports_is_empty_for_a_unit_without_tasks(login_as, reporting, world):
    html = login_as(world.staff).get(reverse("reporting:my_reports")).content.decode()
    assert "本单位目前没有需要填报的进展报告。" in html


def test_my_reports_runs_a_constant_number_of_queries(login_as, reporting, world):
    client = login_as(reporting.county_reporter)
    url = reverse("reporting:my_reports")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for name in ("专项填报一", "专项填报二"):
        cycle = make_cycle(reporting.plan, name=name, frequency="month")
        for key in ("2024-01", "2024-02"):
            reporting.cycle = cycle
            reporting.open(key)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url + "?page=3")  # 3 cycles × 35 months: 2024's periods
    assert response.status_code == 200 and "专项填报二" in response.content.decode()
    assert "已报送 0 / 应报 3" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_unit_sees_the_cycles_of_the_tasks_it_reports_on(reporting, world):
    """A cycle on chosen tasks: the county, only a partner of 一.2, reports on it only when the
    cycle includes partners; the hospital, its lead, always."""
    partners_out = make_cycle(reporting.plan, name="孕产妇专项")
    partners_out.tasks.set([reporting.task("一.2")])
    partners_in = make_cycle(reporting.plan, name="孕产妇专项（含配合单位）", include_partners=True)
    partners_in.tasks.set([reporting.task("一.2")])
    county = {c.name for c in cycles_for_unit(world.county)}
    hospital = {c.name for c in cycles_for_unit(world.hospital)}
    assert county == {"月度进展填报", "孕产妇专项（含配合单位）"}
    assert hospital == {"月度进展填报", "孕产妇专项", "孕产妇专项（含配合单位）"}
    assert not cycles_for_unit(world.commission).exists()


def test_the_page_runs_a_constant_number_of_queries(login_as, reporting, world):
    many = [
        task_node(
            f"{n}", f"任务{n}", lead=[COUNTY], targets=[target(f"指标{n}", ">=", n, "%", 2030)]
        )
        for n in range(1, 13)
    ]
    big = make_cycle(make_plan(world, many), name="大方案填报")
    client = login_as(reporting.county_reporter)
    small_url = page(reporting)
    big_url = reverse("reporting:report_page", args=[big.pk, world.county.pk, KEY])
    for url in (small_url, big_url):
        client.get(url)  # opens the period
    with CaptureQueriesContext(connection) as small:
        client.get(small_url)
    with CaptureQueriesContext(connection) as large:
        response = client.get(big_url)
    assert response.content.decode().count('name="r') > 12 * 5
    assert len(large.captured_queries) == len(small.captured_queries)
