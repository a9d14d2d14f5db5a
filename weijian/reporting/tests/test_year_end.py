"""Year end: the year's figures (mean period score, accountability count), the proposed
commendation and sanction list, people's edits surviving a new proposal, and the pages.

The plan of factories.py plus 莲花县中医院 (responsible for 二), January–March 2024, scored by
hand (no target values are reported, so a period's score is the mean of completeness and
timeliness, their weights being equal):
- the county reports everything on time: 1.0 each month, 1.0 for the year;
- 中医院 reports everything late: completeness 1, timeliness 0, 0.5 each month and for the year;
- the hospital reports on time in January and nothing after: 1.0, 0, 0, so 1/3 for the year.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.accounts.roles import Role
from weijian.conftest import make_org, make_user
from weijian.core.models import AuditEvent
from weijian.orgs.models import OrganizationKind
from weijian.plans.models import Assignment, AssignmentRole
from weijian.reporting.models import (
    Accountability,
    ProgressReport,
    ProposalKind,
    ReportStatus,
    YearEndProposal,
)
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.services.year_end import (
    proposal_add,
    proposal_update,
    propose,
    year_figures,
)
from weijian.reporting.tests.factories import make_reporting

MONTHS = ["2024-01", "2024-02", "2024-03"]
TCM = "莲花县中医院"


@pytest.fixture
def reporting(world):
    reporting = make_reporting(world)
    tcm = make_org(TCM, world.county, OrganizationKind.HOSPITAL, "360321")
    Assignment.objects.create(
        task=reporting.task("二"), role=AssignmentRole.RESPONSIBLE, organization=tcm, raw_name=TCM
    )
    for key in MONTHS:
        reporting.open(key)
    rows = ProgressReport.objects.filter(cycle=reporting.cycle)
    on_time = {"status": ReportStatus.ACCEPTED, "on_time": True}
    rows.filter(organization=world.county).update(**on_time)
    rows.filter(organization=tcm).update(status=ReportStatus.SUBMITTED, on_time=False)
    rows.filter(organization=world.hospital, period="2024-01").update(**on_time)
    reporting.tcm = tcm  # type: ignore[attr-defined]
    return reporting


def accountability(reporting, organization, opened: datetime.datetime) -> None:
    record = Accountability.objects.create(
        task=reporting.task("一.1"), organization=organization, due_on=datetime.date(2024, 1, 1)
    )
    Accountability.objects.filter(pk=record.pk).update(opened_at=opened)


def kinds(reporting) -> dict[str, str]:
    rows = YearEndProposal.objects.filter(cycle=reporting.cycle, year=2024)
    return {row.organization.name: row.kind for row in rows}


# --- the figures and the proposal ------------------------------------------------------------


def test_the_year_score_is_the_mean_of_the_period_scores(reporting, world):
    figures = {f.unit: f for f in year_figures(reporting.cycle, 2024)}
    assert figures[world.county.name].score == pytest.approx(1.0)
    assert figures[TCM].score == pytest.approx(0.5)
    assert figures[world.hospital.name].score == pytest.approx(1 / 3)
    assert [figures[n].rank for n in (world.county.name, TCM, world.hospital.name)] == [1, 2, 3]
    assert len(figures[world.hospital.name].scores) == 3
    assert year_figures(reporting.cycle, 2023) == []


def test_accountabilities_of_the_year_are_counted(reporting, world):
    accountability(reporting, world.county, datetime.datetime(2024, 1, 1, 0, 5, tzinfo=SHANGHAI))
    accountability(reporting, world.county, datetime.datetime(2024, 5, 1, tzinfo=SHANGHAI))
    # 23:59 on 31 December 2023 in Shanghai belongs to 2023 (years are Shanghai's).
    accountability(
        reporting, world.county, datetime.datetime(2023, 12, 31, 23, 59, tzinfo=SHANGHAI)
    )
    figures = {f.unit: f for f in year_figures(reporting.cycle, 2024)}
    assert figures[world.county.name].accountabilities == 2


def test_the_proposal_commends_the_leaders_and_sanctions_the_laggards(reporting, world):
    result = propose(cycle=reporting.cycle, year=2024, actor=world.staff)
    assert (result.created, result.updated, result.removed) == (3, 0, 0)
    assert kinds(reporting) == {
        world.county.name: ProposalKind.COMMEND,
        TCM: ProposalKind.SANCTION,
        world.hospital.name: ProposalKind.SANCTION,
    }
    county = YearEndProposal.objects.get(organization=world.county)
    assert (county.score, county.reason, county.included) == (
        1.0,
        "年度平均得分1.00，位列第1",
        True,
    )
    hospital = YearEndProposal.objects.get(organization=world.hospital)
    assert hospital.reason == "年度平均得分0.33，位列第3；低于0.60"
    event = AuditEvent.objects.get(action="reporting.year_end_propose")
    assert event.actor == world.staff and event.summary["created"] == 3


def test_the_options_move_the_lines(reporting, world):
    propose(cycle=reporting.cycle, year=2024, threshold=0.4, top=2)
    assert kinds(reporting)[TCM] == ProposalKind.COMMEND
    propose(cycle=reporting.cycle, year=2024, threshold=0.4, top=1)
    assert TCM not in kinds(reporting)  # neither: an unedited row is removed


def test_repeated_accountability_outweighs_a_high_score(reporting, world):
    for month in (2, 3):
        accountability(reporting, world.county, datetime.datetime(2024, month, 1, tzinfo=SHANGHAI))
    propose(cycle=reporting.cycle, year=2024)
    county = YearEndProposal.objects.get(organization=world.county)
    assert county.kind == ProposalKind.SANCTION
    assert county.reason == "年度平均得分1.00，位列第1；年内问责2次"
    propose(cycle=reporting.cycle, year=2024, accountabilities=0)  # 0: not by accountability
    assert kinds(reporting)[world.county.name] == ProposalKind.COMMEND


def test_a_persons_edit_survives_a_new_proposal(reporting, world):
    propose(cycle=reporting.cycle, year=2024)
    hospital = YearEndProposal.objects.get(organization=world.hospital)
    proposal_update(
        actor=world.leader,
        proposal=hospital,
        kind=ProposalKind.SANCTION,
        reason="一月后未再报送，经研究不列入。",
        included=False,
    )
    hospital.refresh_from_db()
    assert hospital.updated_by == world.leader and not hospital.included
    ProgressReport.objects.filter(organization=world.hospital).update(
        status=ReportStatus.ACCEPTED, on_time=True
    )
    result = propose(cycle=reporting.cycle, year=2024, threshold=0.4, top=1)
    assert result.kept == 1
    hospital.refresh_from_db()
    assert (hospital.reason, hospital.included) == ("一月后未再报送，经研究不列入。", False)
    event = AuditEvent.objects.get(action="reporting.year_end_update")
    assert event.summary["changes"]["included"] == [True, False]


def test_a_person_adds_a_unit_and_the_rules_hold(reporting, world):
    propose(cycle=reporting.cycle, year=2024)
    with pytest.raises(ValidationError) as error:
        proposal_add(
            actor=world.staff,
            cycle=reporting.cycle,
            year=2024,
            organization=world.county,
            kind=ProposalKind.COMMEND,
            reason="重复",
        )
    assert error.value.message_dict == {
        "organization": ["“莲花县卫生健康委员会”已在2024年的名单中"]
    }
    with pytest.raises(ValidationError) as error:
        proposal_add(
            actor=world.staff,
            cycle=reporting.cycle,
            year=2024,
            organization=world.elsewhere,
            kind=ProposalKind.COMMEND,
            reason="外单位",
        )
    assert "不是萍乡市卫生健康委员会所属的单位" in error.value.message_dict["organization"][0]
    YearEndProposal.objects.filter(organization=world.hospital).delete()
    added = proposal_add(
        actor=world.staff,
        cycle=reporting.cycle,
        year=2024,
        organization=world.hospital,
        kind=ProposalKind.COMMEND,
        reason="一季度首月表现突出。",
    )
    assert added.updated_by == world.staff and added.score == pytest.approx(0.3333, abs=1e-4)
    with pytest.raises(ValidationError) as error:
        proposal_update(actor=world.staff, proposal=added, kind="奖励", reason="x", included=True)
    assert error.value.message_dict == {"kind": ["请选择拟表扬或拟通报批评"]}


def test_only_the_owners_staff_and_leaders_edit_the_list(reporting, world):
    with pytest.raises(PermissionDenied):
        propose(cycle=reporting.cycle, year=2024, actor=reporting.county_staff)
    propose(cycle=reporting.cycle, year=2024)
    row = YearEndProposal.objects.get(organization=world.county)
    for user in (reporting.county_staff, world.county_reporter, world.outsider):
        with pytest.raises(PermissionDenied):
            proposal_update(actor=user, proposal=row, kind=row.kind, reason="改", included=True)


# --- pages ------------------------------------------------------------------------------------


def year_url(reporting) -> str:
    return reverse("reporting:year_end", args=[reporting.cycle.pk, 2024])


def test_anonymous_is_sent_to_log_in(client, reporting):
    for url in (reverse("reporting:year_end_index"), year_url(reporting)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_outsider_and_the_units_below_see_no_list(client, login_as, world, reporting):
    login_as(world.outsider)
    assert (
        "健康萍乡行动方案" not in client.get(reverse("reporting:year_end_index")).content.decode()
    )
    assert client.get(year_url(reporting)).status_code == 404
    login_as(reporting.county_staff)
    assert client.get(year_url(reporting)).status_code == 404


def test_proposing_and_editing_through_the_pages(client, login_as, world, reporting):
    login_as(world.staff)
    index = client.get(reverse("reporting:year_end_index")).content.decode()
    assert "健康萍乡行动方案" in index and year_url(reporting) in index
    propose_url = reverse("reporting:year_end_propose", args=[reporting.cycle.pk, 2024])
    response = client.post(
        propose_url, {"top": "3", "threshold": "0.6", "accountabilities": "2"}, follow=True
    )
    page = response.content.decode()
    assert "新增 3 个" in page and "年度平均得分1.00，位列第1" in page
    row = YearEndProposal.objects.get(organization=world.hospital)
    edit = reverse("reporting:proposal_edit", args=[row.pk])
    response = client.post(edit, {"kind": "sanction", "reason": ""})
    assert "请填写理由" in response.content.decode()
    client.post(edit, {"kind": "sanction", "reason": "多月未报。", "included": "on"})
    row.refresh_from_db()
    assert (row.reason, row.updated_by) == ("多月未报。", world.staff)
    assert "吴科员" in client.get(year_url(reporting)).content.decode()


def test_a_reporter_reads_but_cannot_propose(client, login_as, world, reporting):
    reader = make_user("city_reporter", world.commission, Role.REPORTER)
    login_as(reader)
    assert client.get(year_url(reporting)).status_code == 200
    propose_url = reverse("reporting:year_end_propose", args=[reporting.cycle.pk, 2024])
    assert client.post(propose_url, {"top": "3"}).status_code == 403
    assert not YearEndProposal.objects.exists()


def test_the_year_page_runs_a_constant_number_of_queries(client, login_as, world, reporting):
    login_as(world.staff)
    with CaptureQueriesContext(connection) as empty:
        client.get(year_url(reporting))
    propose(cycle=reporting.cycle, year=2024)
    with CaptureQueriesContext(connection) as three:
        client.get(year_url(reporting))
    assert len(three) == len(empty)
