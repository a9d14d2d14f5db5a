"""Scoped reads of the institution registry (一户一档) and of practitioners.

An institution is seen through the authority that supervises it (`supervisor`), a practitioner
through his primary institution's supervisor. Every list and every single read goes through
`core.scoping`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from weijian.core.crypto import blind_index
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization, OrganizationKind, Region, RegionLevel
from weijian.supervision.access import flowing_down
from weijian.supervision.models import (
    Inspection,
    Institution,
    PracticeSite,
    Practitioner,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

INSTITUTION_SCOPE = "supervisor"
PRACTITIONER_SCOPE = "institution__supervisor"
# How many people the archive page lists before linking to the full list.
ARCHIVE_LIMIT = 100
# A region's code prefix shared by all the divisions below it, by level.
PREFIX_LENGTH = {RegionLevel.PROVINCE: 2, RegionLevel.CITY: 4, RegionLevel.COUNTY: 6}


def region_prefix(region: Region) -> str:
    """360000 → 36, 360300 → 3603, 360321 → 360321, a 9-digit township → itself."""
    return region.code[: PREFIX_LENGTH.get(RegionLevel(region.level), len(region.code))]


# --- institutions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionFilter:
    q: str = ""
    region: Region | None = None
    category: str = ""
    subcategory: str = ""
    ownership: str = ""
    level: str = ""
    status: str = ""
    risk_grade: str = ""


def institutions_visible(user: User | AnonymousUser) -> QuerySet[Institution]:
    return in_scope(Institution.objects.all(), user, via=INSTITUTION_SCOPE)


def institution_list(
    *, user: User | AnonymousUser, filters: InstitutionFilter | None = None
) -> QuerySet[Institution]:
    rows = institutions_visible(user).select_related("region", "supervisor")
    found = filters or InstitutionFilter()
    if found.q:
        rows = rows.filter(
            Q(name__icontains=found.q) | Q(uscc=found.q.upper()) | Q(license_number=found.q)
        )
    if found.region is not None:
        rows = rows.filter(region__code__startswith=region_prefix(found.region))
    exact = {
        "category": found.category,
        "subcategory": found.subcategory,
        "ownership": found.ownership,
        "level": found.level,
        "status": found.status,
        "risk_grade": found.risk_grade,
    }
    return rows.filter(**{name: value for name, value in exact.items() if value})


def institution_get(*, user: User | AnonymousUser, pk: int) -> Institution:
    return get_in_scope_or_404(
        Institution.objects.select_related("region", "supervisor"),
        user,
        via=INSTITUTION_SCOPE,
        pk=pk,
    )


@dataclass
class InstitutionArchive:
    """Everything the registry knows about one institution (一户一档)."""

    institution: Institution
    practitioners: list[Practitioner] = field(default_factory=list)
    practitioner_count: int = 0
    visiting: list[PracticeSite] = field(default_factory=list)
    visiting_count: int = 0
    inspections: list[Inspection] = field(default_factory=list)


def institution_archive(*, institution: Institution) -> InstitutionArchive:
    practitioners = Practitioner.objects.filter(institution=institution).order_by(
        "kind", "name", "id"
    )
    visiting = (
        PracticeSite.objects.filter(institution=institution, ended_on__isnull=True)
        .select_related("practitioner__institution")
        .order_by("-filed_on", "id")
    )
    inspections = (
        Inspection.objects.filter(institution=institution)
        .select_related("plan", "plan__item")
        .order_by("-inspected_on", "-id")
    )
    return InstitutionArchive(
        institution=institution,
        practitioners=list(practitioners[:ARCHIVE_LIMIT]),
        practitioner_count=practitioners.count(),
        visiting=list(visiting[:ARCHIVE_LIMIT]),
        visiting_count=visiting.count(),
        inspections=list(inspections),
    )


# --- choices for forms ----------------------------------------------------------------------


def supervisor_choices(*, user: User) -> QuerySet[Organization]:
    """The authorities an editor may put an institution under: health authorities of his
    subtree, and his own organization whatever its kind."""
    subtree = in_scope(Organization.objects.all(), user, via="")
    return subtree.filter(
        Q(kind=OrganizationKind.HEALTH_AUTHORITY) | Q(pk=user.organization_id)
    ).order_by("path")


def region_choices(*, user: User | AnonymousUser) -> QuerySet[Region]:
    """Regions down to county level, under the user's organization's region when it has one."""
    regions = Region.objects.filter(level__lte=RegionLevel.COUNTY)
    region = getattr(getattr(user, "organization", None), "region", None)
    if region is not None:
        regions = regions.filter(code__startswith=region_prefix(region))
    return regions.order_by("code")


# --- practitioners ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PractitionerFilter:
    kind: str = ""
    name: str = ""
    institution: str = ""
    license_number: str = ""
    id_number: str = ""  # compact and valid: searched through the blind index


def practitioners_visible(user: User | AnonymousUser) -> QuerySet[Practitioner]:
    return in_scope(Practitioner.objects.all(), user, via=PRACTITIONER_SCOPE)


def practitioner_list(
    *, user: User | AnonymousUser, filters: PractitionerFilter | None = None
) -> QuerySet[Practitioner]:
    rows = practitioners_visible(user).select_related("institution")
    found = filters or PractitionerFilter()
    if found.kind:
        rows = rows.filter(kind=found.kind)
    if found.name:
        rows = rows.filter(name__icontains=found.name)
    if found.institution:
        text = found.institution
        rows = rows.filter(Q(institution__name__icontains=text) | Q(institution__uscc=text.upper()))
    if found.license_number:
        rows = rows.filter(license_number__icontains=found.license_number)
    if found.id_number:
        rows = rows.filter(id_number_index=blind_index(found.id_number, purpose="resident_id"))
    return rows


def practitioner_get(*, user: User | AnonymousUser, pk: int) -> Practitioner:
    return get_in_scope_or_404(
        Practitioner.objects.select_related("institution__supervisor"),
        user,
        via=PRACTITIONER_SCOPE,
        pk=pk,
    )


def practitioner_sites(*, practitioner: Practitioner) -> list[PracticeSite]:
    return list(
        practitioner.sites.select_related("institution").order_by("ended_on", "-filed_on", "id")
    )


def practice_site_get(*, user: User | AnonymousUser, pk: int) -> PracticeSite:
    return get_in_scope_or_404(
        PracticeSite.objects.select_related("practitioner__institution__supervisor"),
        user,
        via="practitioner__institution__supervisor",
        pk=pk,
    )


def site_institution_choices(*, user: User | AnonymousUser) -> QuerySet[Institution]:
    """Where a practitioner may file another practice site: institutions supervised by the
    user's organization, by any above it or by any below it."""
    return Institution.objects.filter(flowing_down(user, via=INSTITUTION_SCOPE)).order_by(
        "name", "id"
    )
