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


ROWS = [
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
]
CALENDAR = [
    "core:workday_list",
    "core:workday_year_create",
    "core:workday_override_save",
    "core:workday_override_delete",
]
POST_ONLY = {
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
}


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
