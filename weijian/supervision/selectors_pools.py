"""Reads of the inspector pool, the expert pool and the item list, always scoped.

Inspectors and experts are seen within the user's subtree (through the inspector's unit, the
expert's owning unit). Items flow down (`access.flowing_down`): a unit sees its own items,
those of every unit above it (which it applies) and of every unit below it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization, Region
from weijian.supervision.access import flowing_down, inspections_visible
from weijian.supervision.models import (
    CheckPoint,
    Expert,
    Inspection,
    InspectionItem,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser

EXPIRING_DAYS = 30
VALIDITY_CHOICES = (
    ("valid", "证件有效"),
    ("expired", "证件已过期"),
    ("expiring", f"{EXPIRING_DAYS}天内到期"),
)


# --- inspectors -------------------------------------------------------------------------------


def has_specialty(value: str, *, field: str = "specialties") -> Q:
    """Rows whose JSON list of specialties holds `value` (SQLite keeps the list as escaped
    JSON text, so it is matched as its JSON string there)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": json.dumps(value)})


def validity_q(validity: str, *, today: datetime.date) -> Q:
    """证件有效 / 证件已过期 / 30天内到期, as a filter on the certificate dates."""
    if validity == "valid":
        started = Q(certificate_valid_from__isnull=True) | Q(certificate_valid_from__lte=today)
        return started & Q(certificate_valid_until__gte=today)
    if validity == "expired":
        return Q(certificate_valid_until__lt=today)
    if validity == "expiring":
        soon = today + datetime.timedelta(days=EXPIRING_DAYS)
        return Q(certificate_valid_until__gte=today, certificate_valid_until__lte=soon)
    return Q()


@dataclass(frozen=True)
class InspectorFilter:
    name: str = ""
    certificate: str = ""
    organization: Organization | None = None
    specialty: str = ""
    region: Region | None = None
    status: str = ""
    validity: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> InspectorFilter:
        fields = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in fields and value})


def _inspector_q(filters: InspectorFilter) -> Q:
    q = Q()
    if filters.name:
        q &= Q(name__icontains=filters.name.strip())
    if filters.certificate:
        q &= Q(certificate_number__icontains=filters.certificate.strip())
    if filters.organization is not None:
        q &= Q(organization__path__startswith=filters.organization.path)
    if filters.specialty:
        q &= has_specialty(filters.specialty)
    if filters.status:
        q &= Q(status=filters.status)
    if filters.validity:
        q &= validity_q(filters.validity, today=timezone.localdate())
    return q


def inspectors(*, user: AnyUser, filters: InspectorFilter | None = None) -> QuerySet[Inspector]:
    """The inspectors of the user's subtree, filtered, with what a list row shows."""
    filters = filters or InspectorFilter()
    rows = in_scope(Inspector.objects.all(), user, via="organization").filter(_inspector_q(filters))
    if filters.region is not None:
        covers = Inspector.regions.through.objects.filter(
            inspector_id=OuterRef("pk"), region_id=filters.region.code
        )
        rows = rows.filter(Exists(covers))
    return rows.select_related("organization", "user").prefetch_related("regions")


def inspector_get(*, user: AnyUser, pk: int) -> Inspector:
    return get_in_scope_or_404(
        Inspector.objects.select_related("organization", "user"),
        user,
        via="organization",
        pk=pk,
    )


def inspector_inspections(*, user: AnyUser, inspector: Inspector) -> QuerySet[Inspection]:
    """The inspections the inspector was drawn for that the user may see."""
    visible = Inspection.objects.filter(inspections_visible(user)).values("pk")
    return (
        inspector.inspections.filter(pk__in=visible)
        .select_related("plan", "institution")
        .order_by("-plan__year", "-id")
    )


def employment_get(*, user: AnyUser, pk: int) -> InspectorEmployment:
    return get_in_scope_or_404(
        InspectorEmployment.objects.select_related("inspector__organization", "institution"),
        user,
        via="inspector__organization",
        pk=pk,
    )


def relative_get(*, user: AnyUser, pk: int) -> InspectorRelative:
    return get_in_scope_or_404(
        InspectorRelative.objects.select_related("inspector__organization", "institution"),
        user,
        via="inspector__organization",
        pk=pk,
    )


@dataclass(frozen=True)
class CertificateState:
    code: str  # valid, expiring, expired, not_started
    label: str


def certificate_state(inspector: Inspector, *, today: datetime.date) -> CertificateState:
    valid_from, valid_until = inspector.certificate_valid_from, inspector.certificate_valid_until
    if valid_until < today:
        return CertificateState("expired", f"已过期（{(today - valid_until).days}天）")
    if valid_from is not None and today < valid_from:
        return CertificateState("not_started", "尚未生效")
    left = (valid_until - today).days
    if left <= EXPIRING_DAYS:
        return CertificateState("expiring", f"{left}天后到期" if left else "今天到期")
    return CertificateState("valid", "有效")


# --- choices for the forms ---------------------------------------------------------------------


def units(*, user: AnyUser) -> QuerySet[Organization]:
    """The user's organization and those below it."""
    return in_scope(Organization.objects.all(), user, via="").order_by("path")


def linkable_users(*, user: AnyUser, inspector: Inspector) -> QuerySet[Any]:
    """Active accounts of the user's subtree holding 执法人员, not linked to another inspector."""
    accounts = in_scope(get_user_model().objects.all(), user, via="organization")
    return (
        accounts.filter(is_active=True, groups__name=Role.INSPECTOR)
        .filter(Q(inspector__isnull=True) | Q(inspector=inspector))
        .select_related("organization")
        .distinct()
        .order_by("organization__path", "username")
    )


def institutions_matching(*, user: AnyUser, text: str, limit: int = 20) -> QuerySet[Institution]:
    """Institutions in the user's scope whose USCC starts with `text` or whose name holds it."""
    text = (text or "").strip().upper()
    rows = in_scope(Institution.objects.all(), user, via="supervisor")
    if not text:
        return rows.none()
    return rows.filter(Q(uscc__startswith=text) | Q(name__icontains=text)).order_by("name")[:limit]


# --- experts ----------------------------------------------------------------------------------


def experts(*, user: AnyUser, specialty: str = "", status: str = "", name: str = "") -> Any:
    rows = in_scope(Expert.objects.all(), user, via="owner")
    if specialty:
        rows = rows.filter(has_specialty(specialty))
    if status:
        rows = rows.filter(status=status)
    if name:
        rows = rows.filter(Q(name__icontains=name.strip()) | Q(workplace__icontains=name.strip()))
    return rows.select_related("owner")


def expert_get(*, user: AnyUser, pk: int) -> Expert:
    return get_in_scope_or_404(Expert.objects.select_related("owner"), user, via="owner", pk=pk)


# --- items ------------------------------------------------------------------------------------


def _visible_or_404(queryset: QuerySet[Any], user: AnyUser, q: Q, pk: int) -> Any:
    """One row of `queryset` within `q`; otherwise 404, audited when the row exists."""
    found = queryset.filter(q).filter(pk=pk).first()
    if found is not None:
        return found
    if user.is_authenticated and queryset.filter(pk=pk).exists():
        audit.record(
            action="access.denied",
            actor=user,  # type: ignore[arg-type]
            summary={"model": queryset.model._meta.label_lower, "lookup": {"pk": str(pk)}},
            success=False,
        )
    raise Http404("没有找到该记录，或您无权访问。")


def items(*, user: AnyUser, text: str = "", active: str = "") -> QuerySet[InspectionItem]:
    """The items the user sees (own unit, above, below), with their check point counts."""
    rows = InspectionItem.objects.filter(flowing_down(user, via="owner"))
    if text:
        text = text.strip()
        rows = rows.filter(
            Q(name__icontains=text) | Q(sub_item__icontains=text) | Q(code__icontains=text)
        )
    if active in ("1", "0"):
        rows = rows.filter(is_active=active == "1")
    return (
        rows.select_related("owner")
        .annotate(checkpoint_count=Count("checkpoints"))
        .order_by("owner__path", "order", "id")
    )


def items_usable_by(user: AnyUser) -> QuerySet[InspectionItem]:
    """The active items a user may base a sampling plan on."""
    return (
        InspectionItem.objects.filter(flowing_down(user, via="owner"), is_active=True)
        .select_related("owner")
        .order_by("owner__path", "order", "id")
    )


def item_get(*, user: AnyUser, pk: int) -> InspectionItem:
    queryset = InspectionItem.objects.select_related("owner")
    item: InspectionItem = _visible_or_404(queryset, user, flowing_down(user, via="owner"), pk)
    return item


def checkpoint_get(*, user: AnyUser, pk: int) -> CheckPoint:
    queryset = CheckPoint.objects.select_related("item__owner")
    point: CheckPoint = _visible_or_404(queryset, user, flowing_down(user, via="item__owner"), pk)
    return point


def item_checkpoints(*, item: InspectionItem) -> QuerySet[CheckPoint]:
    return item.checkpoints.order_by("order", "id")


def checkpoints_of(item_rows: list[InspectionItem]) -> QuerySet[CheckPoint]:
    """The check points of the given items, in list order (for the export)."""
    return (
        CheckPoint.objects.filter(item__in=[item.pk for item in item_rows])
        .select_related("item__owner")
        .order_by("item__owner__path", "item__order", "item_id", "order", "id")
    )
