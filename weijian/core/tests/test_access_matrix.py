"""Every view of the back office: an anonymous visitor is sent to log in, an outsider is
refused (403 for a role he lacks, 404 for an object outside his organization tree).

The table must name every URL pattern the project has; a new view without a row fails
`test_every_view_is_in_the_table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import weijian.reporting.models.oversight as oversight
from weijian.conftest import World
from weijian.core.models import WorkdayOverride
from weijian.orgs.models import (
    Committee,
    CommitteeMember,
    Department,
    Duty,
    DutyBoundary,
    OfficeHours,
    Person,
    Post,
)
from weijian.plans.models import (
    Assignment,
    CollectiveUnit,
    Indicator,
    OrganizationAlias,
    Plan,
    Target,
    Task,
)
from weijian.reporting.models import ProgressReport, ReportAttachment, ReportingCycle
from weijian.supervision.tests import access_rows as supervision


@dataclass(frozen=True)
class Row:
    url_name: str
    args: Callable[[World], list[object]] = lambda world: []
    # What an outsider (a system administrator and 科室人员 of 渝中区, another tree) gets.
    outsider_status: int = 403
    public: bool = False


def _override(world: World) -> list[object]:
    entry = WorkdayOverride.objects.create(day="2026-10-10", is_workday=True, name="测试")
    return [entry.pk]


def _county(world: World) -> list[object]:
    return [world.county.pk]


def _department(world: World) -> list[object]:
    return [Department.objects.create(organization=world.county, name="办公室").pk]


def _duty(world: World) -> list[object]:
    return [Duty.objects.create(organization=world.county, number=1, text="职责").pk]


def _boundary(world: World) -> list[object]:
    entry = DutyBoundary.objects.create(organization=world.county, other_name="医保局", text="分工")
    return [entry.pk]


def _hours(world: World) -> list[object]:
    entry = OfficeHours.objects.create(
        organization=world.county, season="全年", morning_start="08:30", morning_end="12:00"
    )
    return [entry.pk]


def _new_post(world: World) -> Post:
    person = Person.objects.create(name="梁东")
    return Post.objects.create(person=person, organization=world.county, titles=["局长"])


def _new_committee(world: World) -> Committee:
    return Committee.objects.create(host=world.county, name="领导小组", kind="领导小组")


def _post(world: World) -> list[object]:
    return [_new_post(world).pk]


def _person(world: World) -> list[object]:
    return [_new_post(world).person_id]


def _committee(world: World) -> list[object]:
    return [_new_committee(world).pk]


def _member(world: World) -> list[object]:
    committee = _new_committee(world)
    return [CommitteeMember.objects.create(committee=committee, role="组长", person_name="梁东").pk]


def _plan(world: World) -> list[object]:
    return [Plan.objects.create(title="健康行动方案", owner=world.county).pk]


def _new_task(world: World) -> Task:
    plan = Plan.objects.create(title="健康行动方案", owner=world.county)
    return Task.objects.create(plan=plan, label="一", path="一", title="总体任务")


def _task(world: World) -> list[object]:
    return [_new_task(world).pk]


def _assignment(world: World) -> list[object]:
    task = _new_task(world)
    return [Assignment.objects.create(task=task, role="lead", raw_name="市卫计委").pk]


def _target(world: World) -> list[object]:
    indicator = Indicator.objects.create(name="人均预期寿命")
    target = Target.objects.create(
        task=_new_task(world), indicator=indicator, comparator="~", value=78
    )
    return [target.pk]


def _alias(world: World) -> list[object]:
    return [OrganizationAlias.objects.create(organization=world.county, name="县卫计委").pk]


def _collective(world: World) -> list[object]:
    collective = CollectiveUnit.objects.create(name="各县（区）卫生健康委")
    collective.members.add(world.county)
    return [collective.pk]


def _fill_cycle(world: World) -> ReportingCycle:
    """A monthly cycle on a commission plan whose one task the county leads."""
    plan = Plan.objects.create(title="健康行动方案", owner=world.commission)
    task = Task.objects.create(plan=plan, label="一", path="一", title="总体任务")
    Assignment.objects.create(
        task=task, role="lead", organization=world.county, raw_name=world.county.name
    )
    return ReportingCycle.objects.create(plan=plan, name="月报", starts_on="2024-01-01")


def _unit_period(world: World) -> list[object]:
    return [_fill_cycle(world).pk, world.county.pk, "2024-05"]


def _unit_upload(world: World) -> list[object]:
    return [*_unit_period(world), "no-such-token"]


def _new_progress_report(world: World) -> ProgressReport:
    cycle = _fill_cycle(world)
    return ProgressReport.objects.create(
        cycle=cycle,
        task=cycle.plan.tasks.get(),
        organization=world.county,
        period="2024-05",
        period_start="2024-05-01",
        period_end="2024-05-31",
        due_at="2024-05-30T15:59:59Z",
    )


def _progress_report(world: World) -> list[object]:
    return [_new_progress_report(world).pk]


def _report_attachment(world: World) -> list[object]:
    report = _new_progress_report(world)
    attachment = ReportAttachment.objects.create(report=report, file="reports/a.pdf", name="a.pdf")
    return [attachment.pk]


def _cycle_plan(world: World) -> list[object]:
    return [_fill_cycle(world).plan_id]


def _cycle(world: World) -> list[object]:
    return [_fill_cycle(world).pk]


def _cycle_period(world: World) -> list[object]:
    return [_fill_cycle(world).pk, "2024-05"]


def _oversight_task(world: World) -> Task:
    """A task of a commission plan that the county leads (for accountability)."""
    return _fill_cycle(world).plan.tasks.get()


def _accountability(world: World) -> list[object]:
    record = oversight.Accountability.objects.create(
        task=_oversight_task(world), organization=world.county, due_on="2024-03-15"
    )
    return [record.pk]


def _new_visit(world: World) -> oversight.SupervisionVisit:
    return oversight.SupervisionVisit.objects.create(
        organization=world.hospital, by=world.county, visited_on="2024-06-05", purpose="督导"
    )


def _visit(world: World) -> list[object]:
    return [_new_visit(world).pk]


def _finding(world: World) -> list[object]:
    return [oversight.VisitFinding.objects.create(visit=_new_visit(world), text="问题").pk]


def _new_meeting(world: World) -> oversight.Meeting:
    return oversight.Meeting.objects.create(
        committee=_new_committee(world), title="第一次会议", held_on="2024-07-05"
    )


def _meeting(world: World) -> list[object]:
    return [_new_meeting(world).pk]


def _agenda_item(world: World) -> list[object]:
    meeting = _new_meeting(world)
    item = oversight.AgendaItem.objects.create(
        committee=meeting.committee, meeting=meeting, title="议题"
    )
    return [item.pk]


def _cycle_year(world: World) -> list[object]:
    return [_fill_cycle(world).pk, 2024]


def _proposal(world: World) -> list[object]:
    proposal = oversight.YearEndProposal.objects.create(
        cycle=_fill_cycle(world), year=2024, organization=world.county, kind="commend"
    )
    return [proposal.pk]


ROWS = [
    # Reporting cycles (of a commission plan) and review: the outsider (科室人员 of another tree)
    # finds none of them; his own review queue is empty.
    Row("reporting:cycle_list", _cycle_plan, outsider_status=404),
    Row("reporting:cycle_create", _cycle_plan, outsider_status=404),
    Row("reporting:cycle_preview", _cycle_plan, outsider_status=404),
    Row("reporting:cycle_edit", _cycle, outsider_status=404),
    Row("reporting:cycle_deactivate", _cycle, outsider_status=404),
    Row("reporting:cycle_activate", _cycle, outsider_status=404),
    Row("reporting:cycle_open_period", _cycle, outsider_status=404),
    Row("reporting:review_queue", outsider_status=200),
    Row("reporting:review_bulk_accept", outsider_status=302),  # nothing picked: back to the queue
    Row("reporting:review_detail", _unit_period, outsider_status=404),
    Row("reporting:review_approve", _unit_period, outsider_status=404),
    Row("reporting:review_accept", _unit_period, outsider_status=404),
    Row("reporting:review_return", _unit_period, outsider_status=404),
    Row("reporting:review_reopen", _unit_period, outsider_status=404),
    Row("portal:home", public=True),
    Row("portal:organization_list", public=True),
    Row("portal:organization", lambda w: [w.commission.pk], public=True),
    Row("portal:organization_departments", lambda w: [w.commission.pk], public=True),
    Row("portal:organization_leaders", lambda w: [w.commission.pk], public=True),
    Row("portal:organization_hours", lambda w: [w.commission.pk], public=True),
    Row("accounts:login", public=True),
    Row("accounts:logout", outsider_status=302),  # POST only; signs out whoever asks
    Row("accounts:password_change", outsider_status=200),  # his own password
    Row("accounts:otp_verify", outsider_status=200),
    Row("accounts:otp_setup", outsider_status=200),
    Row("accounts:otp_remove", outsider_status=302),
    Row("accounts:profile", outsider_status=200),
    Row("core:home", outsider_status=200),
    Row("accounts:user_list", outsider_status=200),  # lists only his own tree: see below
    Row("accounts:user_create", outsider_status=200),
    Row("accounts:user_edit", lambda w: [w.county_reporter.pk], outsider_status=404),
    Row("accounts:user_reset_password", lambda w: [w.county_reporter.pk], outsider_status=404),
    Row("accounts:user_unlock", lambda w: [w.county_reporter.pk], outsider_status=404),
    Row("accounts:user_reveal_phone", lambda w: [w.county_reporter.pk], outsider_status=404),
    Row("accounts:security_policy"),
    Row("core:audit_list"),
    Row("core:audit_export"),
    # The working-day calendar is one for the whole deployment, kept by any security or system
    # administrator; the outsider is a system administrator, so it opens to him (a reporter from
    # the other tree is refused it: test_reporter_is_refused_the_calendar).
    Row("core:workday_list", outsider_status=200),
    Row("core:workday_year_create", outsider_status=302),
    Row("core:workday_override_save", outsider_status=302),
    Row("core:workday_override_delete", _override, outsider_status=302),
    Row("orgs:organization_list", outsider_status=200),
    Row("orgs:organization_create", outsider_status=200),
    Row("orgs:organization_detail", lambda w: [w.county.pk], outsider_status=404),
    Row("orgs:organization_edit", lambda w: [w.county.pk], outsider_status=404),
    # The outsider (系统管理员 of another tree) may upload into his own tree; the preview of a
    # token he does not hold is a 404.
    Row("orgs:profile_import", outsider_status=200),
    Row("orgs:profile_import_preview", lambda w: ["no-such-token"], outsider_status=404),
    # The registry inside an organization: every object outside his tree is a 404.
    Row("orgs:organization_profile", _county, outsider_status=404),
    Row("orgs:organization_export", _county, outsider_status=404),
    Row("orgs:organization_details", _county, outsider_status=404),
    Row("orgs:department_create", _county, outsider_status=404),
    Row("orgs:department_edit", _department, outsider_status=404),
    Row("orgs:department_delete", _department, outsider_status=404),
    Row("orgs:duty_create", _county, outsider_status=404),
    Row("orgs:duty_edit", _duty, outsider_status=404),
    Row("orgs:duty_delete", _duty, outsider_status=404),
    Row("orgs:duty_boundary_create", _county, outsider_status=404),
    Row("orgs:duty_boundary_edit", _boundary, outsider_status=404),
    Row("orgs:duty_boundary_delete", _boundary, outsider_status=404),
    Row("orgs:staffing_edit", _county, outsider_status=404),
    Row("orgs:office_hours_create", _county, outsider_status=404),
    Row("orgs:office_hours_edit", _hours, outsider_status=404),
    Row("orgs:office_hours_delete", _hours, outsider_status=404),
    Row("orgs:post_create", _county, outsider_status=404),
    Row("orgs:post_edit", _post, outsider_status=404),
    Row("orgs:post_end", _post, outsider_status=404),
    Row("orgs:leader_assignment_edit", _post, outsider_status=404),
    Row("orgs:person_detail", _person, outsider_status=404),
    Row("orgs:committee_list", outsider_status=200),  # lists only his own tree
    Row("orgs:committee_create", _county, outsider_status=404),
    Row("orgs:committee_detail", _committee, outsider_status=404),
    Row("orgs:committee_edit", _committee, outsider_status=404),
    Row("orgs:committee_delete", _committee, outsider_status=404),
    Row("orgs:committee_export", _committee, outsider_status=404),
    Row("orgs:committee_member_create", _committee, outsider_status=404),
    Row("orgs:committee_member_edit", _member, outsider_status=404),
    Row("orgs:committee_member_delete", _member, outsider_status=404),
    # Plans: the lists show only his own tree; a plan of another tree is a 404.
    Row("plans:plan_list", outsider_status=200),
    Row("plans:plan_detail", _plan, outsider_status=404),
    Row("plans:plan_export", _plan, outsider_status=404),
    Row("plans:my_tasks", outsider_status=200),
    Row("plans:document_list", outsider_status=200),
    # Plan editing: every object of another tree is a 404 (he is an editor of his own).
    Row("plans:plan_edit", _plan, outsider_status=404),
    Row("plans:task_create", _plan, outsider_status=404),
    Row("plans:assignment_link_name", _plan, outsider_status=404),
    Row("plans:task_edit", _task, outsider_status=404),
    Row("plans:task_delete", _task, outsider_status=404),
    Row("plans:task_create_child", _task, outsider_status=404),
    Row("plans:assignment_add", _task, outsider_status=404),
    Row("plans:target_add", _task, outsider_status=404),
    Row("plans:assignment_edit", _assignment, outsider_status=404),
    Row("plans:assignment_remove", _assignment, outsider_status=404),
    Row("plans:target_edit", _target, outsider_status=404),
    Row("plans:target_remove", _target, outsider_status=404),
    Row("notifications:list", outsider_status=200),
    Row("notifications:read", lambda w: [999999], outsider_status=404),
    Row("notifications:read_all", outsider_status=302),
    Row("plans:plan_import", outsider_status=200),
    Row("plans:plan_import_preview", lambda w: ["no-such-token"], outsider_status=404),
    Row("plans:plan_import_cancel", lambda w: ["no-such-token"], outsider_status=404),
    # Unit aliases and collective units: the lists show only his own tree (a collective, when
    # one of its members is in it); an alias or collective of another tree is a 404.
    Row("plans:alias_list", outsider_status=200),
    Row("plans:alias_export", outsider_status=200),
    Row("plans:alias_create", outsider_status=200),
    Row("plans:alias_edit", _alias, outsider_status=404),
    Row("plans:alias_delete", _alias, outsider_status=404),
    Row("plans:collective_list", outsider_status=200),
    Row("plans:collective_create", outsider_status=200),
    Row("plans:collective_edit", _collective, outsider_status=404),
    Row("plans:collective_delete", _collective, outsider_status=404),
    # The unit's report: the outsider has the module (科室人员) and lists his own unit's
    # reports; the county's reports, attachments and uploads are a 404 to him.
    Row("reporting:my_reports", outsider_status=200),
    Row("reporting:report_page", _unit_period, outsider_status=404),
    Row("reporting:report_submit", _unit_period, outsider_status=404),
    Row("reporting:report_template", _unit_period, outsider_status=404),
    Row("reporting:report_upload", _unit_period, outsider_status=404),
    Row("reporting:report_upload_preview", _unit_upload, outsider_status=404),
    Row("reporting:report_upload_cancel", _unit_upload, outsider_status=404),
    Row("reporting:report_save", _progress_report, outsider_status=404),
    Row("reporting:attachment_add", _progress_report, outsider_status=404),
    Row("reporting:attachment_download", _report_attachment, outsider_status=404),
    Row("reporting:attachment_delete", _report_attachment, outsider_status=404),
    # The dashboard and the self-assessment show only his own tree (empty for the outsider);
    # a unit of another tree asked for with ?unit= is a 404 (reporting/tests).
    Row("reporting:dashboard", outsider_status=200),
    Row("reporting:self_assessment", outsider_status=200),
    # The monthly notice of a commission cycle: another tree's 科室人员 finds none.
    Row("reporting:bulletin_latest", _cycle, outsider_status=404),
    Row("reporting:bulletin", _cycle_period, outsider_status=404),
    Row("reporting:bulletin_docx", _cycle_period, outsider_status=404),
    Row("reporting:bulletin_pdf", _cycle_period, outsider_status=404),
    # Oversight: accountability, visits, meetings, year end. The lists show only his own tree;
    # every object of the commission's tree is a 404; he may record visits in his own.
    Row("reporting:accountability_list", outsider_status=200),
    Row("reporting:accountability_detail", _accountability, outsider_status=404),
    Row("reporting:accountability_explain", _accountability, outsider_status=404),
    Row("reporting:accountability_close", _accountability, outsider_status=404),
    Row("reporting:visit_list", outsider_status=200),
    Row("reporting:visit_create", outsider_status=200),
    Row("reporting:visit_detail", _visit, outsider_status=404),
    Row("reporting:visit_edit", _visit, outsider_status=404),
    Row("reporting:visit_delete", _visit, outsider_status=404),
    Row("reporting:finding_add", _visit, outsider_status=404),
    Row("reporting:finding_edit", _finding, outsider_status=404),
    Row("reporting:finding_remove", _finding, outsider_status=404),
    Row("reporting:finding_raise", _finding, outsider_status=404),
    Row("reporting:meeting_list", outsider_status=200),
    Row("reporting:committee_agenda", _committee, outsider_status=404),
    Row("reporting:item_add", _committee, outsider_status=404),
    Row("reporting:meeting_create", _committee, outsider_status=404),
    Row("reporting:meeting_detail", _meeting, outsider_status=404),
    Row("reporting:meeting_edit", _meeting, outsider_status=404),
    Row("reporting:meeting_item_add", _meeting, outsider_status=404),
    Row("reporting:meeting_minutes", _meeting, outsider_status=404),
    Row("reporting:item_edit", _agenda_item, outsider_status=404),
    Row("reporting:item_remove", _agenda_item, outsider_status=404),
    Row("reporting:follow_up_add", _agenda_item, outsider_status=404),
    Row("reporting:year_end_index", outsider_status=200),
    Row("reporting:year_end", _cycle_year, outsider_status=404),
    Row("reporting:year_end_propose", _cycle_year, outsider_status=404),
    Row("reporting:proposal_add", _cycle_year, outsider_status=404),
    Row("reporting:proposal_edit", _proposal, outsider_status=404),
]
CALENDAR = [
    "core:workday_list",
    "core:workday_year_create",
    "core:workday_override_save",
    "core:workday_override_delete",
]
POST_ONLY = {
    "reporting:accountability_explain",
    "reporting:accountability_close",
    "reporting:finding_add",
    "reporting:finding_remove",
    "reporting:item_add",
    "reporting:meeting_item_add",
    "reporting:item_remove",
    "reporting:year_end_propose",
    "reporting:proposal_add",
    "reporting:cycle_activate",
    "reporting:cycle_open_period",
    "reporting:review_bulk_accept",
    "reporting:review_approve",
    "reporting:review_accept",
    "reporting:review_return",
    "reporting:review_reopen",
    "reporting:report_submit",
    "reporting:report_upload_cancel",
    "reporting:report_save",
    "reporting:attachment_add",
    "reporting:attachment_delete",
    "notifications:read",
    "notifications:read_all",
    "plans:assignment_link_name",
    "plans:plan_import_cancel",
    "accounts:logout",
    "accounts:otp_remove",
    "accounts:user_reset_password",
    "accounts:user_unlock",
    "accounts:user_reveal_phone",
    "core:workday_year_create",
    "core:workday_override_save",
    "core:workday_override_delete",
    "orgs:department_delete",
    "orgs:duty_delete",
    "orgs:duty_boundary_delete",
    "orgs:office_hours_delete",
    "orgs:committee_delete",
    "orgs:committee_member_delete",
    *supervision.POST_ONLY,
}
ROWS += [
    Row(name, args or (lambda world: []), outsider_status=status, public=public)
    for name, args, status, public in supervision.ENTRIES
]


def _names(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _names(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_view_is_in_the_table():
    assert set(_names(get_resolver().url_patterns)) == {row.url_name for row in ROWS}


def _request(client, row, world):
    url = reverse(row.url_name, args=row.args(world))
    if row.url_name in POST_ONLY:
        return client.post(url)
    return client.get(url)


@pytest.mark.parametrize("row", [r for r in ROWS if not r.public], ids=lambda r: r.url_name)
def test_anonymous_is_sent_to_log_in(client, world, row):
    response = _request(client, row, world)
    if row.url_name == "accounts:logout":
        assert response["Location"] == reverse("accounts:login")
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("row", [r for r in ROWS if not r.public], ids=lambda r: r.url_name)
def test_outsider_is_refused(client, world, row):
    client.force_login(world.outsider)
    assert _request(client, row, world).status_code == row.outsider_status


def test_reporter_is_refused_the_calendar(client, world):
    client.force_login(world.county_reporter)
    for name in CALENDAR:
        row = next(r for r in ROWS if r.url_name == name)
        assert _request(client, row, world).status_code == 403


def test_outsider_lists_show_nothing_of_the_other_tree(client, world):
    client.force_login(world.outsider)
    users = client.get(reverse("accounts:user_list")).content.decode()
    assert "reporter" not in users and "outsider" in users
    orgs = client.get(reverse("orgs:organization_list")).content.decode()
    assert "莲花县" not in orgs and "渝中区" in orgs
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert "莲花县" not in form
