"""Reads for the portal's 双随机抽查 pages and institution directory: published results only,
public facts only.

An inspection reaches the portal only once published (`published_at`), and then only as a
`PublicResult`: institution, USCC, item, inspection date, result and rectification status.
Templates never receive an Inspection, Inspector or Practitioner instance, so no inspector name,
certificate number, note, photo or practitioner can leak through a template change. A plan
appears once at least one of its results is published. Each page runs a constant number of
queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from weijian.orgs.models import Region
from weijian.supervision.models import (
    Inspection,
    InspectionResult,
    InspectionState,
    Institution,
    InstitutionCategory,
    RectificationStatus,
    SamplingPlan,
)
from weijian.supervision.services.inspections import rectification_status

# Published (the service publishes only completed inspections; checked again here) and of the
# plan's current draw.
PUBLISHED = Q(
    inspections__published_at__isnull=False,
    inspections__state=InspectionState.COMPLETED,
    inspections__draw__is_current=True,
)


@dataclass(frozen=True)
class PublicPlan:
    pk: int
    year: int
    title: str
    item: str
    owner: str
    objects: int
    published: int


@dataclass(frozen=True)
class PublicResult:
    plan_id: int
    plan_title: str
    institution_id: int
    institution: str
    uscc: str
    item: str
    inspected_on: datetime.date | None
    result: str
    rectification: str
    published_on: datetime.date


@dataclass(frozen=True)
class PublicInstitution:
    pk: int
    name: str
    uscc: str
    license_number: str
    category: str
    subcategory: str
    ownership: str
    level_grade: str
    beds: int
    region: str
    address: str
    license_valid_from: datetime.date | None
    license_valid_until: datetime.date | None
    status: str


# --- plans ----------------------------------------------------------------------------------


def _plans() -> QuerySet[SamplingPlan]:
    return (
        SamplingPlan.objects.annotate(
            object_total=Count(
                "inspections", filter=Q(inspections__draw__is_current=True), distinct=True
            ),
            published=Count("inspections", filter=PUBLISHED, distinct=True),
        )
        .filter(published__gt=0)
        .select_related("item", "owner")
        .order_by("-year", "-pk")
    )


def public_plan(plan: SamplingPlan) -> PublicPlan:
    return PublicPlan(
        pk=plan.pk,
        year=plan.year,
        title=plan.title,
        item=str(plan.item),
        owner=plan.owner.name,
        objects=plan.object_total,  # type: ignore[attr-defined]
        published=plan.published,  # type: ignore[attr-defined]
    )


def published_plans(*, year: int | None = None) -> QuerySet[SamplingPlan]:
    """The plans with published results; the page shows them as `public_plan` values."""
    plans = _plans()
    return plans.filter(year=year) if year else plans


def published_years() -> list[int]:
    years = SamplingPlan.objects.filter(PUBLISHED).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def published_plan(*, pk: int) -> PublicPlan:
    plan = _plans().filter(pk=pk).first()
    if plan is None:
        raise Http404("没有找到该抽查计划的公示结果。")
    return public_plan(plan)


# --- results --------------------------------------------------------------------------------


def _published() -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(
            published_at__isnull=False, state=InspectionState.COMPLETED, draw__is_current=True
        )
        .select_related("plan__item", "institution")
        .only(
            "pk",
            "plan_id",
            "plan__title",
            "plan__item__name",
            "plan__item__sub_item",
            "institution_id",
            "institution__name",
            "institution__uscc",
            "inspected_on",
            "result",
            "rectification_status",
            "rectification_deadline",
            "published_at",
        )
    )


def _public_result(inspection: Inspection, today: datetime.date) -> PublicResult:
    status = rectification_status(inspection, today)
    published_at = inspection.published_at or timezone.now()
    return PublicResult(
        plan_id=inspection.plan_id,
        plan_title=inspection.plan.title,
        institution_id=inspection.institution_id,
        institution=inspection.institution.name,
        uscc=inspection.institution.uscc,
        item=str(inspection.plan.item),
        inspected_on=inspection.inspected_on,
        result=InspectionResult(inspection.result).label if inspection.result else "",
        rectification=RectificationStatus(status).label if status else "无需整改",
        published_on=timezone.localdate(published_at),
    )


def plan_results(*, plan: PublicPlan) -> list[PublicResult]:
    today = timezone.localdate()
    rows = _published().filter(plan_id=plan.pk).order_by("institution__name", "pk")
    return [_public_result(i, today) for i in rows]


def institution_results(*, institution: PublicInstitution) -> list[PublicResult]:
    today = timezone.localdate()
    rows = _published().filter(institution_id=institution.pk).order_by("-inspected_on", "-pk")
    return [_public_result(i, today) for i in rows]


# --- the institution directory --------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilter:
    name: str = ""
    region: str = ""
    category: str = ""


def institution_directory(filters: DirectoryFilter) -> QuerySet[Institution]:
    """Every registered institution (licence facts are public), filtered, by region and name.
    Suspended (停业) and deregistered (注销) institutions stay listed with their status, as a
    licensing directory does, and so do their published results. The page shows them as
    `PublicInstitution` values (`public_facts`): never the risk grade or the supervisor."""
    rows = Institution.objects.select_related("region")
    if filters.name:
        rows = rows.filter(name__icontains=filters.name.strip())
    if filters.region:
        rows = rows.filter(region__code__startswith=_region_prefix(filters.region))
    if filters.category in InstitutionCategory.values:
        rows = rows.filter(category=filters.category)
    return rows.order_by("region_id", "name", "pk")


def _region_prefix(code: str) -> str:
    """360300 (a city) covers 3603xx; 360000 (a province) covers 36xxxx."""
    code = code.strip()
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def region_choices() -> list[tuple[str, str]]:
    """The regions with institutions and the cities above them, in code order."""
    used = Institution.objects.values("region_id")
    regions = Region.objects.filter(Q(pk__in=used) | Q(children__in=used)).distinct()
    return [(r.code, r.name) for r in regions.order_by("code")]


def public_facts(found: Institution) -> PublicInstitution:
    return PublicInstitution(
        pk=found.pk,
        name=found.name,
        uscc=found.uscc,
        license_number=found.license_number,
        category=found.get_category_display(),
        subcategory=found.subcategory,
        ownership=found.get_ownership_display(),
        level_grade=found.level_grade,
        beds=found.beds,
        region=found.region.name,
        address=found.address,
        license_valid_from=found.license_valid_from,
        license_valid_until=found.license_valid_until,
        status=found.get_status_display(),
    )


def public_institution(*, pk: int) -> PublicInstitution:
    found = Institution.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该机构。")
    return public_facts(found)
