"""Reads the back-office registry pages need beyond `registry_selectors`: choices for forms,
the rows of an organization page that the profile leaves out, and uniqueness checks the forms
make before calling a service. Every function takes an organization already fetched in scope
(or the user, for lists), so nothing here widens what a user sees."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from weijian.core.scoping import in_scope
from weijian.orgs.models import (
    Committee,
    CommitteeMember,
    Department,
    Duty,
    MemberRole,
    Organization,
    Post,
    Region,
)
from weijian.orgs.registry_selectors import CommitteeRoster, OrganizationProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser


def department_choices(*, organization: Organization) -> QuerySet[Department]:
    return organization.departments.order_by("order", "id")


def organization_choices(*, user: AnyUser) -> QuerySet[Organization]:
    """Organizations a form may link to: the user's subtree, in tree order."""
    return in_scope(Organization.objects.all(), user, via="").order_by("path")


def committee_parent_choices(
    *, host: Organization, committee: Committee | None
) -> QuerySet[Committee]:
    """Top-level committees of the host, without `committee` itself. The committee page shows
    one level of sub-groups, so a committee that has sub-groups cannot become one."""
    choices = host.committees.filter(parent=None).order_by("order", "id")
    if committee is not None:
        if committee.subgroups.exists():
            return choices.none()
        choices = choices.exclude(pk=committee.pk)
    return choices


def department_duties(*, organization: Organization) -> dict[int, list[Duty]]:
    """The numbered duties of each department, by department key (one query)."""
    duties: dict[int, list[Duty]] = defaultdict(list)
    for duty in organization.duties.exclude(department=None).order_by("kind", "number"):
        duties[duty.department_id].append(duty)  # type: ignore[index]
    return dict(duties)


def other_posts(*, organization: Organization) -> list[Post]:
    """Posts the profile's leaders leave out: ended posts and posts outside the leadership."""
    return list(
        organization.posts.exclude(is_leader=True, end_on=None)
        .select_related("person", "department")
        .order_by("end_on", "order", "id")
    )


def hosted_committees(*, organization: Organization) -> list[Committee]:
    return list(organization.committees.filter(parent=None).order_by("order", "id"))


def duty_number_taken(
    *,
    organization: Organization,
    department: Department | None,
    kind: str,
    number: int,
    duty: Duty | None,
) -> bool:
    duties = organization.duties.filter(department=department, kind=kind, number=number)
    if duty is not None:
        duties = duties.exclude(pk=duty.pk)
    return duties.exists()


def committee_name_taken(
    *, host: Organization, parent: Committee | None, name: str, committee: Committee | None
) -> bool:
    committees = host.committees.filter(parent=parent, name=name)
    if committee is not None:
        committees = committees.exclude(pk=committee.pk)
    return committees.exists()


def regions_by_code(codes: list[str]) -> dict[str, Region]:
    return Region.objects.in_bulk(codes)


def filled_posts(*, profile: OrganizationProfile) -> dict[str, int]:
    """How many current leaders hold each title."""
    filled: dict[str, int] = defaultdict(int)
    for post in profile.leaders:
        for title in post.titles:
            filled[title] += 1
    return dict(filled)


PERSON_ROLES = [role for role in MemberRole if role != MemberRole.MEMBER_ORGANIZATION]
OFFICE_ROLES = {MemberRole.OFFICE_DIRECTOR, MemberRole.OFFICE_DEPUTY}


@dataclass
class RosterView:
    """A roster arranged for reading: the persons by role, the member organizations, the
    office's people; with the sub-groups arranged the same way."""

    committee: Committee
    groups: list[tuple[str, list[CommitteeMember]]]
    member_organizations: list[CommitteeMember]
    office: list[CommitteeMember]
    subgroups: list[RosterView]


def roster_view(roster: CommitteeRoster) -> RosterView:
    by_role: dict[str, list[CommitteeMember]] = defaultdict(list)
    for member in roster.members:
        by_role[member.role].append(member)
    return RosterView(
        committee=roster.committee,
        groups=[
            (role.label, by_role[role])
            for role in PERSON_ROLES
            if role not in OFFICE_ROLES and by_role[role]
        ],
        member_organizations=by_role[MemberRole.MEMBER_ORGANIZATION],
        office=[m for role in PERSON_ROLES if role in OFFICE_ROLES for m in by_role[role]],
        subgroups=[roster_view(sub) for sub in roster.subgroups],
    )
