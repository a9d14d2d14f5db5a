"""The review pages: who reaches them, the queue of each level, the unit's page with its
buttons, returning with a reason, bulk accept, and the whole round trip of a unit's report."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.conftest import ARTIFACTS, PASSWORD, make_org
from weijian.core.models import AuditEvent
from weijian.orgs.models import Organization, OrganizationKind
from weijian.plans.models import Assignment
from weijian.reporting.models import ProgressReport, Reopening, ReportStatus, ReviewStep
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.services import review
from weijian.reporting.services.submission import report_submit
from weijian.reporting.tests.factories import good_draft, make_cycle, make_reporting
from weijian.reporting.tests.test_review import PERIOD, submit

QUEUE = reverse("reporting:review_queue")
BULK = reverse("reporting:review_bulk_accept")


def url(name: str, reporting, organization) -> str:
    return reverse(f"reporting:{name}", args=[reporting.cycle.pk, organization.pk, PERIOD])


def statuses(reporting, organization) -> set[str]:
    return {r.status for r in reporting.reports(organization, PERIOD)}


@pytest.fixture
def reporting(world):
    """May 2024 opened; the county and the hospital have both submitted."""
    reporting = make_reporting(world)
    reporting.open(PERIOD)
    submit(reporting, world.county)
    submit(reporting, world.hospital)
    return reporting


# --- who reaches the pages ----------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, reporting, world):
    for page in (QUEUE, url("review_detail", reporting, world.hospital)):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_reporters_are_refused_the_review_pages(client, login_as, reporting, world):
    for reporter in (world.county_reporter, reporting.hospital_reporter):
        login_as(reporter)
        assert client.get(QUEUE).status_code == 403
        assert client.get(url("review_detail", reporting, world.hospital)).status_code == 403
        assert client.post(url("review_approve", reporting, world.hospital)).status_code == 403
    assert statuses(reporting, world.hospital) == {ReportStatus.SUBMITTED}


def test_outsider_finds_nothing(client, login_as, reporting, world):
    login_as(world.outsider)
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and "莲花县" not in queue.content.decode()
    assert client.get(url("review_detail", reporting, world.hospital)).status_code == 404
    assert client.post(url("review_accept", reporting, world.county)).status_code == 404
    assert statuses(reporting, world.county) == {ReportStatus.SUBMITTED}
    assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).count() == 2


# --- the queues ---------------------------------------------------------------------------------


def test_each_level_sees_what_waits_for_it(client, login_as, reporting, world):
    login_as(reporting.county_staff)
    county = client.get(QUEUE).content.decode()
    assert "莲花县人民医院" in county and 'name="selected"' not in county
    assert "莲花县卫生健康委员会</td>" not in county  # its own report goes to the commission

    login_as(world.staff)
    commission = client.get(QUEUE).content.decode()
    assert "莲花县卫生健康委员会</td>" in commission  # accepted directly
    assert "莲花县人民医院" not in commission  # still waits for the county
    assert f'value="{reporting.cycle.pk}|{PERIOD}|{world.county.pk}"' in commission

    review.approve(
        actor=reporting.county_staff,
        cycle=reporting.cycle,
        organization=world.hospital,
        period=PERIOD,
    )
    commission = client.get(QUEUE).content.decode()
    assert "莲花县人民医院" in commission
    login_as(reporting.county_staff)
    assert "莲花县人民医院" not in client.get(QUEUE).content.decode()
    approved = client.get(QUEUE, {"status": "approved"}).content.decode()
    assert "莲花县人民医院" in approved and "已审核" in approved


def test_queue_filters(client, login_as, reporting, world):
    login_as(world.staff)
    assert "莲花县卫生健康委员会</td>" in client.get(QUEUE, {"period": PERIOD}).content.decode()
    other = make_cycle(reporting.plan, name="季度填报", frequency="quarter")
    assert "暂无待本级办理的报告" in client.get(QUEUE, {"cycle": other.pk}).content.decode()
    returned = client.get(QUEUE, {"status": "returned"}).content.decode()
    assert "没有符合条件的报告" in returned
    page = client.get(QUEUE, {"status": "nonsense"})  # an invalid filter shows the waiting ones
    assert "莲花县卫生健康委员会</td>" in page.content.decode()


def _more_units(reporting, world, count: int) -> None:
    """`count` more hospitals below the county, each responsible for task 二 and submitted."""
    task = reporting.task("二")
    units = [
        make_org(f"莲花县第{n}卫生院", world.county, OrganizationKind.HOSPITAL, "360321")
        for n in range(count)
    ]
    for unit in units:
        Assignment.objects.create(
            task=task, role="responsible", organization=unit, raw_name=unit.name
        )
    reporting.open(PERIOD)
    for unit in units:
        submit(reporting, unit)


def test_the_queue_runs_a_constant_number_of_queries(client, login_as, reporting, world):
    login_as(reporting.county_staff)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        assert client.get(QUEUE).status_code == 200
    _more_units(reporting, world, 6)
    with CaptureQueriesContext(connection) as many:
        page = client.get(QUEUE).content.decode()
    assert page.count("查看</a>") == 7
    assert len(many) == len(one)


# --- the unit's page and its buttons --------------------------------------------------------------


def test_the_unit_page_shows_every_task_the_trail_and_the_level_buttons(
    client, login_as, reporting, world
):
    login_as(reporting.county_staff)
    page = client.get(url("review_detail", reporting, world.hospital)).content.decode()
    assert "降低孕产妇死亡率" in page and "推进全民健康生活方式" in page
    assert "莲花县卫生健康委员会审核 → 萍乡市卫生健康委员会验收" in page
    assert "审核通过</button>" in page and "退回</button>" in page
    assert "验收通过</button>" not in page
    assert "报送" in page  # the trail's submit step
    login_as(world.staff)
    page = client.get(url("review_detail", reporting, world.hospital)).content.decode()
    assert "审核通过</button>" not in page and "验收通过</button>" not in page
    assert "重新开放</button>" in page  # the owner may reopen
    page = client.get(url("review_detail", reporting, world.county)).content.decode()
    assert "萍乡市卫生健康委员会直接验收" in page and "验收通过</button>" in page


def test_the_unit_page_runs_a_constant_number_of_queries(client, login_as, reporting, world):
    login_as(world.staff)
    page = url("review_detail", reporting, world.county)
    client.get(page)
    with CaptureQueriesContext(connection) as three:
        client.get(page)
    for n in range(5):  # five more tasks for the county
        task = reporting.task("二")
        extra = task.plan.tasks.create(
            label=f"{n}", path=f"三.{n}", title=f"新增任务{n}", order=90 + n
        )
        Assignment.objects.create(task=extra, role="lead", organization=world.county, raw_name="县")
    reporting.open(PERIOD)
    ProgressReport.objects.filter(organization=world.county).update(status=ReportStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as eight:
        assert "新增任务4" in client.get(page).content.decode()
    assert len(eight) == len(three)


def test_the_right_reviewer_approves_and_the_wrong_level_gets_403(
    client, login_as, reporting, world
):
    login_as(world.staff)  # the commission: above the approving level
    assert client.post(url("review_approve", reporting, world.hospital)).status_code == 403
    login_as(reporting.county_staff)
    response = client.post(url("review_approve", reporting, world.hospital))
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert statuses(reporting, world.hospital) == {ReportStatus.APPROVED}
    # the county may not accept; it may not approve twice either
    assert client.post(url("review_accept", reporting, world.hospital)).status_code == 403
    assert client.post(url("review_approve", reporting, world.hospital)).status_code == 403
    login_as(world.leader)
    client.post(url("review_accept", reporting, world.hospital))
    assert statuses(reporting, world.hospital) == {ReportStatus.ACCEPTED}
    messages = [str(m) for m in client.get(QUEUE).context["messages"]]
    assert messages == ["已验收通过莲花县人民医院2024年5月的报告。"]


def test_return_needs_a_reason_on_the_page(client, login_as, reporting, world):
    login_as(reporting.county_staff)
    page = url("review_return", reporting, world.hospital)
    response = client.post(page, {"reason": " "})
    assert response.status_code == 200 and "请填写退回原因。" in response.content.decode()
    assert statuses(reporting, world.hospital) == {ReportStatus.SUBMITTED}
    response = client.post(page, {"reason": "请补充本月工作进展"})
    assert response.status_code == 302
    rows = reporting.reports(world.hospital, PERIOD)
    assert {(r.status, r.return_reason) for r in rows} == {
        (ReportStatus.RETURNED, "请补充本月工作进展")
    }


def test_reopen_from_the_unit_page(client, login_as, world):
    reporting = make_reporting(world, lock_after_days=5)
    reporting.open(PERIOD)
    login_as(reporting.county_staff)
    page = url("review_reopen", reporting, world.hospital)
    moment = datetime.datetime(2024, 6, 10, 9, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        detail = client.get(url("review_detail", reporting, world.hospital)).content.decode()
        assert "已于2024年6月4日锁定" in detail and 'value="2024-06-17"' in detail
        response = client.post(page, {"reason": "", "until": "2024-06-17"})
        assert "请填写重新开放的原因。" in response.content.decode()
        response = client.post(page, {"reason": "网络故障", "until": "2024-06-17"})
        assert response.status_code == 302
        detail = client.get(response["Location"]).content.decode()
        assert "已于2024年6月4日锁定" not in detail
        assert "重新开放" in detail and "网络故障" in detail
    assert Reopening.objects.get().organization == world.hospital
    # the county's own report is the commission's to reopen
    login_as(reporting.county_staff)  # the travel back in time ended the session
    assert client.post(url("review_reopen", reporting, world.county)).status_code == 403


# --- bulk accept --------------------------------------------------------------------------------


def test_bulk_accept_from_the_queue(client, login_as, reporting, world):
    review.approve(
        actor=reporting.county_staff,
        cycle=reporting.cycle,
        organization=world.hospital,
        period=PERIOD,
    )
    _more_units(reporting, world, 1)  # submitted, waits for the county
    extra = Organization.objects.get(name="莲花县第0卫生院")
    login_as(world.staff)
    cycle = reporting.cycle.pk
    picked = [f"{cycle}|{PERIOD}|{o.pk}" for o in (world.county, world.hospital, extra)]
    response = client.post(BULK, {"selected": picked, "query": "status=&page=1"})
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?status=&page=1"
    assert statuses(reporting, world.county) == {ReportStatus.ACCEPTED}
    assert statuses(reporting, world.hospital) == {ReportStatus.ACCEPTED}
    assert statuses(reporting, extra) == {ReportStatus.SUBMITTED}
    messages = [str(m) for m in client.get(QUEUE).context["messages"]]
    assert "已验收通过 2 个单位的报告。" in messages
    assert any("未验收莲花县第0卫生院" in m and "须先经" in m for m in messages)


def test_bulk_accept_by_the_county_changes_nothing(client, login_as, reporting, world):
    login_as(reporting.county_staff)
    picked = [f"{reporting.cycle.pk}|{PERIOD}|{world.county.pk}"]
    client.post(BULK, {"selected": picked})
    assert statuses(reporting, world.county) == {ReportStatus.SUBMITTED}
    assert client.post(BULK, {}).status_code == 302  # nothing picked


# --- the round trip -------------------------------------------------------------------------------


def _fill_and_submit(reporting, organization, reporter, *, progress: str) -> None:
    rows = reporting.reports(organization, PERIOD)
    drafts = {row.pk: good_draft(row, progress=progress) for row in rows}
    report_submit(
        actor=reporter,
        cycle=reporting.cycle,
        organization=organization,
        period=PERIOD,
        drafts=drafts,
    )


def test_fill_submit_return_fix_resubmit_approve_accept(client, login_as, world):
    reporting = make_reporting(world)
    reporting.open(PERIOD)
    hospital = world.hospital
    with time_machine.travel(datetime.datetime(2024, 5, 20, 9, tzinfo=SHANGHAI)):
        _fill_and_submit(reporting, hospital, reporting.hospital_reporter, progress="已开展")
        login_as(reporting.county_staff)
        client.post(url("review_return", reporting, hospital), {"reason": "进展写得太简单"})
        assert {r.return_reason for r in reporting.reports(hospital, PERIOD)} == {"进展写得太简单"}
        _fill_and_submit(
            reporting, hospital, reporting.hospital_reporter, progress="已开展孕产妇随访120人次"
        )
        client.post(url("review_approve", reporting, hospital))
        login_as(world.staff)
        client.post(url("review_accept", reporting, hospital))
    rows = reporting.reports(hospital, PERIOD)
    assert {(r.status, r.return_reason, r.on_time) for r in rows} == {
        (ReportStatus.ACCEPTED, "", True)
    }
    trail = ReviewStep.objects.filter(organization=hospital).order_by("pk")
    assert [s.action for s in trail] == ["submit", "return", "submit", "approve", "accept"]
    login_as(world.staff)  # the travel back in time ended the session
    page = client.get(url("review_detail", reporting, hospital)).content.decode()
    assert "已开展孕产妇随访120人次" in page and "进展写得太简单" in page


# --- in a browser ---------------------------------------------------------------------------------


def _sign_in(chromium, live_server, user, path: str):
    page = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{path}")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_a_browser_return_then_approve_then_bulk_accept(live_server, chromium, world):
    reporting = make_reporting(world)
    reporting.open(PERIOD)
    hospital = world.hospital
    _fill_and_submit(reporting, hospital, reporting.hospital_reporter, progress="已开展")
    _fill_and_submit(reporting, world.county, world.county_reporter, progress="已部署")

    county = _sign_in(chromium, live_server, reporting.county_staff, QUEUE)
    county.get_by_role("link", name="查看").click()
    county.wait_for_url("**/review/*/*/2024-05/")
    county.get_by_role("button", name="退回").click()
    assert county.get_by_text("请填写退回原因。").is_visible()
    county.get_by_label("退回原因").fill("请写明本月随访人次")
    county.get_by_role("button", name="退回").click()
    county.wait_for_url(f"**{QUEUE}")
    assert county.get_by_text("已将莲花县人民医院2024年5月的报告退回").is_visible()
    assert statuses(reporting, hospital) == {ReportStatus.RETURNED}

    _fill_and_submit(
        reporting, hospital, reporting.hospital_reporter, progress="已开展孕产妇随访120人次"
    )
    county.reload()
    county.get_by_role("link", name="查看").click()
    assert county.get_by_text("请写明本月随访人次").first.is_visible()  # in the trail
    county.get_by_role("button", name="审核通过").click()
    county.wait_for_url(f"**{QUEUE}")
    assert statuses(reporting, hospital) == {ReportStatus.APPROVED}

    commission = _sign_in(chromium, live_server, world.staff, QUEUE)
    commission.screenshot(path=str(ARTIFACTS / "reporting-review-queue.png"), full_page=True)
    for box in commission.locator("input[name=selected]").all():
        box.check()
    commission.once("dialog", lambda dialog: dialog.accept())
    commission.get_by_role("button", name="批量验收通过").click()
    commission.wait_for_url(f"**{QUEUE}*")
    assert commission.get_by_text("已验收通过 2 个单位的报告。").is_visible()
    assert statuses(reporting, hospital) == {ReportStatus.ACCEPTED}
    assert statuses(reporting, world.county) == {ReportStatus.ACCEPTED}
    commission.goto(f"{live_server.url}{url('review_detail', reporting, hospital)}")
    commission.screenshot(path=str(ARTIFACTS / "reporting-review-detail.png"), full_page=True)
    trail = ReviewStep.objects.filter(organization=hospital).order_by("pk")
    assert [s.action for s in trail] == ["submit", "return", "submit", "approve", "accept"]
