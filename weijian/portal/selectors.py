"""Reads for the public portal: published organizations only, public facts only.

Every page reads through here. An organization appears only when it has chosen to publish
(`publishes`), is active and has not been closed; anything else is a 404. The templates never
receive model instances of people: leaders reach them as `PublicLeader` values carrying a name,
titles and the division of work, which are public, and nothing else (no notes, no users, no
phone numbers of persons). A page runs a constant number of queries whatever the size of the
organization (`organization_profile` prefetches everything).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from weijian.core.workdays import WorkCalendar
from weijian.orgs import office_hours
from weijian.orgs.models import Department, Duty, DutyKind, Organization, Post
from weijian.orgs.registry_selectors import OrganizationProfile, organization_profile

# The keys under which `LeaderAssignment.unresolved` keeps names the registry could not match
# (the importer's JSON shape): they are shown as written, after the matched ones.
UNRESOLVED_SUPERVISES = "supervises"
UNRESOLVED_ASSISTS = "assists"
UNRESOLVED_LIAISONS = "liaisons"
UNRESOLVED_REGIONS = "liaison_regions"


def organization_published_list() -> QuerySet[Organization]:
    """The published agencies, in the order of the organization tree."""
    today = timezone.localdate()
    return (
        Organization.objects.filter(publishes=True, is_active=True)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        .select_related("region")
        .order_by("path")
    )


def organization_published_get(*, pk: int) -> Organization:
    """A published organization, or 404 (unpublished, closed and missing look alike)."""
    organization = organization_published_list().filter(pk=pk).first()
    if organization is None:
        raise Http404("没有找到该机构。")
    return organization


def name_with_aliases(name: str, aliases: list[str]) -> str:
    """办公室（人事科、安全生产科）: the name with its aliases, as profiles write it."""
    return f"{name}（{'、'.join(aliases)}）" if aliases else name


def department_label(department: Department) -> str:
    return name_with_aliases(department.name, list(department.aliases or []))


@dataclass(frozen=True)
class PublicLeader:
    """A leader as the public sees him: name, posts and division of work."""

    name: str
    titles: str
    grade: str
    responsibilities: str
    supervises: list[str]
    assists: list[str]
    liaisons: list[str]
    liaison_regions: list[str]

    @property
    def work(self) -> str:
        """The 负责 sentence as a notice writes it: 主持…工作 / 负责…工作."""
        text = self.responsibilities
        if not text or text.startswith(("主持", "负责", "协助", "分管")):
            return text
        return f"负责{text}"

    @property
    def has_division(self) -> bool:
        return any(
            [
                self.responsibilities,
                self.supervises,
                self.assists,
                self.liaisons,
                self.liaison_regions,
            ]
        )


@dataclass(frozen=True)
class PublicDepartment:
    name: str
    aliases: list[str]
    kind: str
    duties: str
    numbered_duties: list[Duty]
    supervisors: list[str]

    @property
    def label(self) -> str:
        return name_with_aliases(self.name, self.aliases)


@dataclass(frozen=True)
class StaffingLine:
    title: str
    count: int


@dataclass
class PortalProfile:
    """What the portal pages of one organization show."""

    organization: Organization
    duties: list[Duty]
    transformations: list[Duty]
    boundaries: list[tuple[str, str]]
    administrative: int | None
    staffing_posts: list[StaffingLine]
    staffing_note: str
    departments: list[PublicDepartment]
    leaders: list[PublicLeader]
    schedules: list[office_hours.Schedule]
    plates: list[str] = field(default_factory=list)

    @property
    def has_staffing(self) -> bool:
        return bool(self.administrative or self.staffing_posts or self.staffing_note)

    @property
    def has_contact(self) -> bool:
        o = self.organization
        return bool(o.address or o.postcode or o.phone or o.website)


def _with_unresolved(names: list[str], unresolved: dict[str, list[str]], key: str) -> list[str]:
    extra = [name for name in unresolved.get(key, []) if name not in names]
    return [*names, *extra]


def _public_leader(post: Post) -> PublicLeader:
    assignment = getattr(post, "assignment", None)
    if assignment is None:
        return PublicLeader(post.person.name, post.title_text, post.grade, "", [], [], [], [])
    unresolved = assignment.unresolved if isinstance(assignment.unresolved, dict) else {}
    supervised = [department_label(d) for d in assignment.supervised_departments.all()]
    assisted = [department_label(d) for d in assignment.assisted_departments.all()]
    liaisons = [o.name for o in assignment.liaison_organizations.all()]
    regions = [r.name for r in assignment.liaison_regions.all()]
    return PublicLeader(
        name=post.person.name,
        titles=post.title_text,
        grade=post.grade,
        responsibilities=assignment.responsibilities,
        supervises=_with_unresolved(supervised, unresolved, UNRESOLVED_SUPERVISES),
        assists=_with_unresolved(assisted, unresolved, UNRESOLVED_ASSISTS),
        liaisons=_with_unresolved(liaisons, unresolved, UNRESOLVED_LIAISONS),
        liaison_regions=_with_unresolved(regions, unresolved, UNRESOLVED_REGIONS),
    )


def _supervisors(profile: OrganizationProfile) -> dict[int, list[str]]:
    """Department → the leaders who supervise it (分管), then those who assist (协助分管)."""
    names: dict[int, list[str]] = {d.pk: [] for d in profile.departments}
    assignments = [
        (post.person.name, post.assignment) for post in profile.leaders if _has_assignment(post)
    ]
    for name, assignment in assignments:
        for department in assignment.supervised_departments.all():
            names.setdefault(department.pk, []).append(name)
    for name, assignment in assignments:
        for department in assignment.assisted_departments.all():
            names.setdefault(department.pk, []).append(f"{name}（协助）")
    return names


def _has_assignment(post: Post) -> bool:
    return getattr(post, "assignment", None) is not None


def _department_duties(organization: Organization) -> dict[int, list[Duty]]:
    by_department: dict[int, list[Duty]] = {}
    for duty in Duty.objects.filter(organization=organization, department__isnull=False).order_by(
        "department", "kind", "number"
    ):
        by_department.setdefault(duty.department_id or 0, []).append(duty)
    return by_department


def published_profile(*, pk: int) -> PortalProfile:
    """The portal's view of a published organization; 404 for anything else."""
    organization = organization_published_get(pk=pk)
    profile = organization_profile(organization=organization)
    supervisors = _supervisors(profile)
    numbered = _department_duties(organization)
    staffing = profile.staffing
    return PortalProfile(
        organization=organization,
        plates=list(organization.plates or []),
        duties=[d for d in profile.duties if d.kind == DutyKind.DUTY],
        transformations=[d for d in profile.duties if d.kind == DutyKind.TRANSFORMATION],
        boundaries=[(b.other_name, b.text) for b in profile.boundaries],
        administrative=staffing.administrative if staffing else None,
        staffing_posts=[StaffingLine(p.title, p.count) for p in staffing.posts.all()]
        if staffing
        else [],
        staffing_note=staffing.note if staffing else "",
        departments=[
            PublicDepartment(
                name=d.name,
                aliases=list(d.aliases or []),
                kind=d.kind,
                duties=d.duties,
                numbered_duties=numbered.get(d.pk, []),
                supervisors=supervisors.get(d.pk, []),
            )
            for d in profile.departments
        ],
        leaders=[_public_leader(post) for post in profile.leaders],
        schedules=[office_hours.Schedule.from_model(h) for h in profile.office_hours],
    )


def office_status(
    *, profile: PortalProfile, moment: datetime.datetime | None = None
) -> office_hours.OfficeStatus:
    """Open now? Read from the season, the clock and the working-day calendar."""
    return office_hours.status(profile.schedules, moment or timezone.now(), WorkCalendar.load())
