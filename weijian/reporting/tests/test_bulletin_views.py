"""The notice page of a cycle × period: who reads it, who edits it (saved through the service,
audited), the downloads (audited exports) and a constant number of queries.

The scenario is test_bulletin's (May 2024): the county first, the hospital late and missing."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as open_docx

from weijian.conftest import make_org
from weijian.core.models import AuditEvent
from weijian.orgs.models import OrganizationKind
from weijian.plans.models import Assignment
from weijian.reporting.models import Bulletin
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.tests.factories import COUNTY, HOSPITAL
from weijian.reporting.tests.test_bulletin import MAY, TITLE, may_scenario

JUNE_5 = datetime.datetime(2024, 6, 5, 10, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def june():
    with time_machine.travel(JUNE_5, tick=False):
        yield


@pytest.fixture
def scenario(world):
    return may_scenario(world)


def url(scenario, name: str = "reporting:bulletin", period: str = MAY) -> str:
    return reverse(name, args=[scenario.cycle.pk, period])


FORM = {
    "title": "关于2024年5月健康萍乡行动进展情况的通报",
    "number": "萍卫通[2024]6号",
    "narrative": "总体进展顺利。\n\n部分任务滞后。",
    "cc": "市委办公室\n市政府办公室，市人大办公室",
}


def test_staff_of_the_owner_sees_the_figures_and_the_form(login_as, scenario):
    response = login_as(scenario.world.staff).get(url(scenario))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(COUNTY) < page.index(HOSPITAL)
    assert "80.0" in page and "55.0" in page
    assert f"{HOSPITAL}（1份）。" in page
    assert "一.1 提高医师数量" in page and "产科医师不足" in page
    assert 'name="narrative"' in page and "萍卫通〔2024〕5号" in page
    assert '<option value="2024-05" selected>2024年5月</option>' in page
    assert url(scenario, "reporting:bulletin_docx") in page
    assert url(scenario, "reporting:bulletin_pdf") in page


def test_a_leader_reads_it_without_the_form(login_as, scenario):
    response = login_as(scenario.world.leader).get(url(scenario))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="narrative"' not in page
    assert TITLE in page and "市委办公室，市政府办公室" in page


def test_saving_goes_through_the_service_and_is_audited(login_as, scenario):
    staff = scenario.world.staff
    response = login_as(staff).post(url(scenario), FORM)
    assert response.status_code == 302 and response["Location"] == url(scenario)
    bulletin = Bulletin.objects.get(cycle=scenario.cycle, period=MAY)
    assert bulletin.title == FORM["title"]
    assert bulletin.number == "萍卫通〔2024〕6号"
    assert bulletin.narrative == "总体进展顺利。\n\n部分任务滞后。"
    assert bulletin.cc == "市委办公室\n市政府办公室\n市人大办公室"
    assert bulletin.updated_by == staff
    event = AuditEvent.objects.get(action="reporting.bulletin_save")
    assert event.actor == staff and event.organization == scenario.world.commission
    assert sorted(event.summary["changed"]) == ["cc", "narrative", "number", "title"]


def test_a_first_save_creates_the_notice(login_as, world):
    reporting = may_scenario(world)
    Bulletin.objects.all().delete()
    login_as(world.staff).post(url(reporting), {**FORM, "number": ""})
    assert Bulletin.objects.get(cycle=reporting.cycle, period=MAY).number == ""


def test_a_bad_document_number_is_refused_on_its_field(login_as, scenario):
    response = login_as(scenario.world.staff).post(url(scenario), {**FORM, "number": "第六号"})
    assert response.status_code == 200
    assert "不是发文字号" in response.content.decode()
    assert Bulletin.objects.get(cycle=scenario.cycle, period=MAY).title == TITLE
    assert not AuditEvent.objects.filter(action="reporting.bulletin_save").exists()


def test_a_title_is_required(login_as, scenario):
    response = login_as(scenario.world.staff).post(url(scenario), {**FORM, "title": "  "})
    assert "请填写通报标题" in response.content.decode()


def test_a_leader_may_not_edit(login_as, scenario):
    response = login_as(scenario.world.leader).post(url(scenario), FORM)
    assert response.status_code == 403
    assert Bulletin.objects.get(cycle=scenario.cycle, period=MAY).title == TITLE
    assert AuditEvent.objects.filter(action="access.denied", actor=scenario.world.leader).exists()


def test_a_reporter_is_refused_and_staff_below_the_owner_find_nothing(login_as, scenario):
    assert login_as(scenario.world.county_reporter).get(url(scenario)).status_code == 403
    assert login_as(scenario.county_staff).get(url(scenario)).status_code == 404


def test_a_period_not_begun_is_not_found(login_as, scenario):
    assert login_as(scenario.world.staff).get(url(scenario, period="2024-09")).status_code == 404


def test_the_latest_notice_is_of_the_month_just_ended(login_as, scenario):
    client = login_as(scenario.world.staff)
    latest = reverse("reporting:bulletin_latest", args=[scenario.cycle.pk])
    assert client.get(latest)["Location"] == url(scenario)
    assert client.get(latest, {"period": "2024-03"})["Location"] == url(scenario, period="2024-03")


def test_the_docx_download_is_the_notice_and_an_audited_export(login_as, scenario):
    response = login_as(scenario.world.staff).get(url(scenario, "reporting:bulletin_docx"))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    word = open_docx(io.BytesIO(response.content))
    ranking = word.tables[0]
    assert [row.cells[1].text for row in ranking.rows] == ["单位", COUNTY, HOSPITAL]
    assert "2024年6月5日" in [paragraph.text for paragraph in word.paragraphs]
    event = AuditEvent.objects.get(action="data.export")
    assert event.actor == scenario.world.staff and event.summary["format"] == "docx"
    assert event.summary["what"] == f"通报：{TITLE}"


def test_a_leader_downloads_the_pdf(login_as, scenario):
    response = login_as(scenario.world.leader).get(url(scenario, "reporting:bulletin_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="data.export")
    assert event.actor == scenario.world.leader and event.summary["format"] == "pdf"


def test_without_a_font_the_page_says_which_setting(login_as, scenario, settings):
    settings.WEIJIAN_PDF_FONT = "/nonexistent/fangsong.ttf"
    client = login_as(scenario.world.staff)
    response = client.get(url(scenario, "reporting:bulletin_pdf"), follow=True)
    assert "WEIJIAN_PDF_FONT" in response.content.decode()
    assert not AuditEvent.objects.filter(action="data.export").exists()


def _queries(client, address: str) -> int:
    client.get(address)  # opens what the period still lacks
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_page_runs_a_constant_number_of_queries(login_as, scenario):
    client = login_as(scenario.world.staff)
    before = _queries(client, url(scenario))
    clinic = make_org("莲花县中医院", scenario.world.county, OrganizationKind.HOSPITAL, "360321")
    for path in ("一", "二"):
        Assignment.objects.create(
            task=scenario.task(path), role="lead", organization=clinic, raw_name=clinic.name
        )
    assert _queries(client, url(scenario)) == before
