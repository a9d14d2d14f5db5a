"""Review up the hierarchy (services.review) in the three-level world: the plan belongs to the
commission; the hospital's report (its parent, the county, lies below the commission) is
approved by the county and accepted by the commission; the county's own report (its parent is
the commission) goes straight to the commission."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from weijian.accounts.roles import Role
from weijian.conftest import make_org, make_user
from weijian.core.models import AuditEvent
from weijian.notifications.models import Notification
from weijian.orgs.models import OrganizationKind
from weijian.plans.models import Assignment
from weijian.reporting.models import ProgressReport, ReportStatus, ReviewAction, ReviewStep
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.services import review
from weijian.reporting.tests.factories import Reporting, make_reporting

PERIOD = "2024-05"
SUBMITTED_AT = datetime.datetime(2024, 5, 28, 10, 0, tzinfo=SHANGHAI)


def submit(reporting: Reporting, organization, *, by=None) -> None:
    """What the unit's submission does to the rows and the trail (services.submission has its
    own tests)."""
    ProgressReport.objects.filter(
        cycle=reporting.cycle, organization=organization, period=PERIOD
    ).update(
        status=ReportStatus.SUBMITTED,
        submitted_at=SUBMITTED_AT,
        first_submitted_at=SUBMITTED_AT,
        on_time=True,
        return_reason="",
    )
    ReviewStep.objects.create(
        cycle=reporting.cycle,
        organization=organization,
        period=PERIOD,
        action=ReviewAction.SUBMIT,
        actor=by,
        actor_organization=organization,
    )


def statuses(reporting: Reporting, organization) -> set[str]:
    return {r.status for r in reporting.reports(organization, PERIOD)}


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def reporting(world) -> Reporting:
    reporting = make_reporting(world)
    reporting.open(PERIOD)
    return reporting


def _args(reporting: Reporting, organization) -> dict:
    return {"cycle": reporting.cycle, "organization": organization, "period": PERIOD}


# --- the levels ---------------------------------------------------------------------------------


def test_levels_of_the_three_level_world(reporting, world):
    cycle = reporting.cycle
    assert review.approving_level(cycle, world.hospital) == world.county
    assert review.approving_level(cycle, world.county) is None  # its parent is the owner
    assert review.approving_level(cycle, world.commission) is None  # the owner itself
    assert review.approving_level(cycle, world.elsewhere) is None  # outside the owner's tree


def test_hospital_report_is_approved_by_county_then_accepted_by_commission(reporting, world):
    hospital = world.hospital
    submit(reporting, hospital)
    step = review.approve(actor=reporting.county_staff, **_args(reporting, hospital))
    assert statuses(reporting, hospital) == {ReportStatus.APPROVED}
    assert (step.action, step.actor, step.actor_organization) == (
        ReviewAction.APPROVE,
        reporting.county_staff,
        world.county,
    )
    [approved] = events("reporting.approve")
    assert approved.object_type == "reporting.reviewstep" and approved.object_id == str(step.pk)
    assert approved.summary["unit"] == hospital.name and approved.summary["reports"] == 2
    assert (approved.summary["from"], approved.summary["to"]) == ("submitted", "approved")

    review.accept(actor=world.staff, **_args(reporting, hospital))
    assert statuses(reporting, hospital) == {ReportStatus.ACCEPTED}
    trail = ReviewStep.objects.filter(organization=hospital, period=PERIOD).order_by("pk")
    assert [s.action for s in trail] == ["submit", "approve", "accept"]
    assert list(trail)[-1].actor_organization == world.commission
    assert len(events("reporting.accept")) == 1
    # the county's reports were not touched
    assert statuses(reporting, world.county) == {ReportStatus.PENDING}


def test_county_report_goes_straight_to_the_commission(reporting, world):
    submit(reporting, world.county)
    with pytest.raises(PermissionDenied, match="无须中间审核"):
        review.approve(actor=world.staff, **_args(reporting, world.county))
    review.accept(actor=world.leader, **_args(reporting, world.county))
    assert statuses(reporting, world.county) == {ReportStatus.ACCEPTED}
    assert [s.action for s in ReviewStep.objects.filter(organization=world.county)] == [
        "submit",
        "accept",
    ]


def test_accept_refuses_a_report_the_lower_level_has_not_approved(reporting, world):
    submit(reporting, world.hospital)
    with pytest.raises(PermissionDenied, match="须先经莲花县卫生健康委员会审核通过"):
        review.accept(actor=world.staff, **_args(reporting, world.hospital))
    assert statuses(reporting, world.hospital) == {ReportStatus.SUBMITTED}
    assert not ReviewStep.objects.exclude(action=ReviewAction.SUBMIT).exists()
    [refused] = events("access.denied")
    assert refused.success is False and "须先经" in refused.summary["reason"]
    assert refused.actor == world.staff


def test_wrong_levels_are_refused(reporting, world):
    hospital = world.hospital
    submit(reporting, hospital)
    # the commission is above the approving level: it reviews at its own level only
    with pytest.raises(PermissionDenied, match="应由莲花县卫生健康委员会"):
        review.approve(actor=world.staff, **_args(reporting, hospital))
    # a reporter of the approving level holds no reviewing role
    with pytest.raises(PermissionDenied):
        review.approve(actor=world.county_reporter, **_args(reporting, hospital))
    # the unit itself does not review its report
    hospital_staff = make_user("hospital_staff", hospital, Role.STAFF)
    with pytest.raises(PermissionDenied):
        review.approve(actor=hospital_staff, **_args(reporting, hospital))
    review.approve(actor=reporting.county_staff, **_args(reporting, hospital))
    # the county approved it; accepting is the commission's
    with pytest.raises(PermissionDenied, match="萍乡市卫生健康委员会"):
        review.accept(actor=reporting.county_staff, **_args(reporting, hospital))
    # an outsider is refused whatever he holds
    with pytest.raises(PermissionDenied):
        review.accept(actor=world.outsider, **_args(reporting, hospital))
    assert statuses(reporting, hospital) == {ReportStatus.APPROVED}
    assert len(events("access.denied")) == 5


def test_a_report_not_submitted_cannot_be_reviewed(reporting, world):
    with pytest.raises(PermissionDenied, match="只有已报送的报告"):
        review.approve(actor=reporting.county_staff, **_args(reporting, world.hospital))
    with pytest.raises(PermissionDenied, match="不能退回"):
        review.return_report(actor=world.staff, reason="请补充", **_args(reporting, world.county))


def test_a_partly_submitted_report_cannot_be_reviewed(reporting, world):
    submit(reporting, world.hospital)
    first = reporting.reports(world.hospital, PERIOD)[0]
    ProgressReport.objects.filter(pk=first.pk).update(status=ReportStatus.DRAFT)
    with pytest.raises(PermissionDenied, match="部分报送"):
        review.approve(actor=reporting.county_staff, **_args(reporting, world.hospital))


# --- returning ------------------------------------------------------------------------------------


def test_return_requires_a_reason(reporting, world):
    submit(reporting, world.hospital)
    with pytest.raises(ValidationError) as error:
        review.return_report(
            actor=reporting.county_staff, reason="  ", **_args(reporting, world.hospital)
        )
    assert error.value.message_dict == {"reason": ["请填写退回原因。"]}
    assert statuses(reporting, world.hospital) == {ReportStatus.SUBMITTED}
    assert not events("reporting.return")


def test_return_goes_back_to_the_unit_and_it_comes_up_again(reporting, world):
    hospital = world.hospital
    submit(reporting, hospital)
    # submitted, held by the county: the commission may not return it yet
    with pytest.raises(PermissionDenied, match="应由莲花县卫生健康委员会"):
        review.return_report(actor=world.staff, reason="数据有误", **_args(reporting, hospital))
    review.return_report(
        actor=reporting.county_staff, reason="请补充孕产妇死亡率数据", **_args(reporting, hospital)
    )
    rows = reporting.reports(hospital, PERIOD)
    assert {r.status for r in rows} == {ReportStatus.RETURNED}
    assert {r.return_reason for r in rows} == {"请补充孕产妇死亡率数据"}
    [returned] = events("reporting.return")
    assert returned.summary["reason"] == "请补充孕产妇死亡率数据"

    submit(reporting, hospital)  # fixed and submitted again
    review.approve(actor=reporting.county_staff, **_args(reporting, hospital))
    # approved, now held by the commission: it may return it too
    review.return_report(actor=world.leader, reason="与上月数据矛盾", **_args(reporting, hospital))
    assert statuses(reporting, hospital) == {ReportStatus.RETURNED}
    submit(reporting, hospital)
    review.approve(actor=reporting.county_staff, **_args(reporting, hospital))
    review.accept(actor=world.staff, **_args(reporting, hospital))
    trail = ReviewStep.objects.filter(organization=hospital, period=PERIOD).order_by("pk")
    assert [s.action for s in trail] == [
        "submit",
        "return",
        "submit",
        "approve",
        "return",
        "submit",
        "approve",
        "accept",
    ]
    # accepted is final
    with pytest.raises(PermissionDenied, match="不能退回"):
        review.return_report(actor=world.staff, reason="再看看", **_args(reporting, hospital))


def test_the_owner_returns_a_report_it_accepts_directly(reporting, world):
    submit(reporting, world.county)
    review.return_report(actor=world.staff, reason="请补充附件", **_args(reporting, world.county))
    assert statuses(reporting, world.county) == {ReportStatus.RETURNED}


# --- bulk accept ----------------------------------------------------------------------------------


@pytest.fixture
def city_hospital(world, reporting):
    """A third unit right below the commission, responsible for task 二 (no intermediate level)."""
    unit = make_org("萍乡市人民医院", world.commission, OrganizationKind.HOSPITAL, "360300")
    Assignment.objects.create(
        task=reporting.task("二"), role="responsible", organization=unit, raw_name=unit.name
    )
    reporting.open(PERIOD)
    return unit


def test_bulk_accept_takes_the_eligible_and_skips_the_rest(reporting, world, city_hospital):
    submit(reporting, world.county)
    submit(reporting, world.hospital)  # still needs the county's approval
    units = [world.county, world.hospital, city_hospital]  # the city hospital has not reported
    result = review.bulk_accept(
        actor=world.staff, cycle=reporting.cycle, period=PERIOD, organizations=units
    )
    assert result.accepted == [world.county]
    skipped = dict(result.skipped)
    assert "须先经莲花县卫生健康委员会审核通过" in skipped[world.hospital]
    assert "未报" in skipped[city_hospital]
    assert statuses(reporting, world.county) == {ReportStatus.ACCEPTED}
    assert statuses(reporting, world.hospital) == {ReportStatus.SUBMITTED}
    [event] = events("reporting.accept")
    assert event.summary["bulk"] is True and event.summary["unit"] == world.county.name

    review.approve(actor=reporting.county_staff, **_args(reporting, world.hospital))
    submit(reporting, city_hospital)
    again = review.bulk_accept(
        actor=world.leader, cycle=reporting.cycle, period=PERIOD, organizations=units
    )
    assert again.accepted == [world.hospital, city_hospital]
    assert [unit for unit, _ in again.skipped] == [world.county]  # already accepted
    assert len(events("reporting.accept")) == 3
    assert ReviewStep.objects.filter(action=ReviewAction.ACCEPT).count() == 3


def test_bulk_accept_by_another_level_changes_nothing(reporting, world):
    submit(reporting, world.county)
    with pytest.raises(PermissionDenied, match="批量验收"):
        review.bulk_accept(
            actor=reporting.county_staff,
            cycle=reporting.cycle,
            period=PERIOD,
            organizations=[world.county],
        )
    assert statuses(reporting, world.county) == {ReportStatus.SUBMITTED}
    assert not events("reporting.accept")
    assert len(events("access.denied")) == 1


def test_the_unit_reporters_hear_of_a_return_and_an_acceptance(
    reporting, world, django_capture_on_commit_callbacks
):
    hospital = world.hospital
    submit(reporting, hospital)
    with django_capture_on_commit_callbacks(execute=True):
        review.return_report(
            actor=reporting.county_staff, reason="请补充数据", **_args(reporting, hospital)
        )
    [returned] = Notification.objects.all()
    assert returned.user == reporting.hospital_reporter  # not the county's reporter
    assert returned.title == "2024年5月的进展报告被退回，请修改后重新报送"
    assert returned.body == "莲花县卫生健康委员会：请补充数据"
    assert returned.url == reverse(
        "reporting:report_page", args=[reporting.cycle.pk, hospital.pk, PERIOD]
    )
    submit(reporting, hospital)
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(actor=reporting.county_staff, **_args(reporting, hospital))
        review.accept(actor=world.staff, **_args(reporting, hospital))
    titles = list(Notification.objects.order_by("pk").values_list("title", flat=True))
    assert titles[1:] == ["2024年5月的进展报告已验收通过"]
