"""Reads of the registry inside organizations: departments, duties, people, committees, hours.

Every fetch by key goes through the scoping primitive (the organization is the anchor); every
list is prefetched so that a page runs a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import (
    Committee,
    CommitteeMember,
    Department,
    Duty,
    DutyBoundary,
    LeaderAssignment,
    OfficeHours,
    Organization,
    Person,
    Post,
    StaffingQuota,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser


def department_get(*, user: AnyUser, pk: int) -> Department:
    return get_in_scope_or_404(
        Department.objects.select_related("organization"), user, via="organization", pk=pk
    )


def duty_get(*, user: AnyUser, pk: int) -> Duty:
    return get_in_scope_or_404(
        Duty.objects.select_related("organization"), user, via="organization", pk=pk
    )


def duty_boundary_get(*, user: AnyUser, pk: int) -> DutyBoundary:
    return get_in_scope_or_404(
        DutyBoundary.objects.select_related("organization"), user, via="organization", pk=pk
    )


def post_get(*, user: AnyUser, pk: int) -> Post:
    return get_in_scope_or_404(
        Post.objects.select_related("organization", "person", "department"),
        user,
        via="organization",
        pk=pk,
    )


def person_get(*, user: AnyUser, pk: int) -> Person:
    """A person is visible when one of his posts is in the user's scope."""
    return get_in_scope_or_404(Person.objects.all(), user, via="posts__organization", pk=pk)


def person_posts(*, user: AnyUser, person: Person) -> QuerySet[Post]:
    """The person's post history within the user's scope, newest first."""
    posts = in_scope(person.posts.all(), user, via="organization")
    return posts.select_related("organization", "department").order_by("-start_on", "-id")


def committee_list(*, user: AnyUser) -> QuerySet[Committee]:
    committees = in_scope(Committee.objects.filter(parent=None), user, via="host")
    return committees.select_related("host").annotate(member_count=Count("members"))


def committee_get(*, user: AnyUser, pk: int) -> Committee:
    return get_in_scope_or_404(
        Committee.objects.select_related("host", "parent"), user, via="host", pk=pk
    )


def committee_member_get(*, user: AnyUser, pk: int) -> CommitteeMember:
    return get_in_scope_or_404(
        CommitteeMember.objects.select_related("committee__host"),
        user,
        via="committee__host",
        pk=pk,
    )


def office_hours_get(*, user: AnyUser, pk: int) -> OfficeHours:
    return get_in_scope_or_404(
        OfficeHours.objects.select_related("organization"), user, via="organization", pk=pk
    )


@dataclass
class CommitteeRoster:
    committee: Committee
    members: list[CommitteeMember]
    subgroups: list[CommitteeRoster] = field(default_factory=list)


def committee_roster(*, committee: Committee) -> CommitteeRoster:
    """The committee with its members and its sub-groups' (one query for all members)."""
    family = list(
        Committee.objects.filter(Q(pk=committee.pk) | Q(parent=committee)).order_by("order", "id")
    )
    members: dict[int, list[CommitteeMember]] = {c.pk: [] for c in family}
    for member in CommitteeMember.objects.filter(committee__in=family).select_related(
        "organization"
    ):
        members[member.committee_id].append(member)
    top = CommitteeRoster(committee, members[committee.pk])
    top.subgroups = [CommitteeRoster(c, members[c.pk]) for c in family if c.pk != committee.pk]
    return top


@dataclass
class OrganizationProfile:
    """Everything the organization page and the portal show about one organization."""

    organization: Organization
    departments: list[Department]
    duties: list[Duty]
    boundaries: list[DutyBoundary]
    staffing: StaffingQuota | None
    leaders: list[Post]
    office_hours: list[OfficeHours]
    liaison_organizations: list[Organization]

    def supervision_matrix(self) -> list[tuple[Post, list[str]]]:
        """Leader × department: for each leader, one mark per department (分管 / 协助 / '')."""
        rows = []
        for post in self.leaders:
            assignment = getattr(post, "assignment", None)
            supervised = (
                {d.pk for d in assignment.supervised_departments.all()} if assignment else set()
            )
            assisted = (
                {d.pk for d in assignment.assisted_departments.all()} if assignment else set()
            )
            marks = [
                "分管" if d.pk in supervised else "协助" if d.pk in assisted else ""
                for d in self.departments
            ]
            rows.append((post, marks))
        return rows

    def liaison_matrix(self) -> list[tuple[Post, list[bool]]]:
        """Leader × organization liaised."""
        rows = []
        for post in self.leaders:
            assignment = getattr(post, "assignment", None)
            liaised = (
                {o.pk for o in assignment.liaison_organizations.all()} if assignment else set()
            )
            rows.append((post, [o.pk in liaised for o in self.liaison_organizations]))
        return rows


def _leaders(organization: Organization) -> list[Post]:
    assignments = LeaderAssignment.objects.prefetch_related(
        "supervised_departments", "assisted_departments", "liaison_organizations", "liaison_regions"
    )
    return list(
        organization.posts.filter(is_leader=True, end_on=None)
        .select_related("person", "department")
        .prefetch_related(Prefetch("assignment", queryset=assignments))
        .order_by("order", "id")
    )


def organization_profile(*, organization: Organization) -> OrganizationProfile:
    """A constant number of queries, whatever the size of the organization."""
    leaders = _leaders(organization)
    liaison: dict[int, Organization] = {}
    for post in leaders:
        assignment = getattr(post, "assignment", None)
        for other in assignment.liaison_organizations.all() if assignment else []:
            liaison[other.pk] = other
    return OrganizationProfile(
        organization=organization,
        departments=list(organization.departments.order_by("order", "id")),
        duties=list(organization.duties.filter(department=None).order_by("kind", "number")),
        boundaries=list(organization.duty_boundaries.order_by("order", "id")),
        staffing=StaffingQuota.objects.filter(organization=organization)
        .prefetch_related("posts")
        .first(),
        leaders=leaders,
        office_hours=list(organization.office_hours.order_by("start_month", "start_day", "id")),
        liaison_organizations=sorted(liaison.values(), key=lambda o: o.name),
    )


def staffing_warnings(*, profile: OrganizationProfile) -> list[str]:
    """Where filled leadership posts exceed the quota: '副局长：核定3名，实有4名'."""
    if profile.staffing is None:
        return []
    warnings = []
    for quota in profile.staffing.posts.all():
        filled = sum(
            1
            for post in profile.leaders
            if any(_same_title(title, quota.title) for title in post.titles)
        )
        if filled > quota.count:
            warnings.append(f"{quota.title}：核定{quota.count}名，实有{filled}名")
    return warnings


def _same_title(held: str, quota: str) -> bool:
    """A post fills a quota title when one names the other (疾病预防控制局专职局长 fills
    市疾病预防控制局专职局长); a 挂职 (secondment) post fills none."""
    if "挂职" in held:
        return False
    longer_names = min(len(held), len(quota)) > 3  # 局长 must not fill 专职局长's quota
    return held == quota or (longer_names and (quota.endswith(held) or held.endswith(quota)))
