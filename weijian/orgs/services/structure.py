"""Writes to an organization's structure: details, departments, duties, boundaries, staffing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.core import audit
from weijian.orgs.models import (
    Department,
    Duty,
    DutyBoundary,
    Organization,
    StaffingPost,
    StaffingQuota,
)
from weijian.orgs.names import normalize_name, normalize_names
from weijian.orgs.services.common import record_change, require_editor, snapshot

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "organization.details": "修改机构概况",
        "department.save": "保存内设机构",
        "department.delete": "删除内设机构",
        "duty.save": "保存职责",
        "duty.delete": "删除职责",
        "duty_boundary.save": "保存职责分工",
        "duty_boundary.delete": "删除职责分工",
        "staffing.save": "保存编制",
    }
)

DETAIL_FIELDS = [
    "plates",
    "rank",
    "address",
    "postcode",
    "phone",
    "website",
    "opened_on",
    "closed_on",
    "publishes",
]


def organization_details_update(
    *,
    actor: User | None,
    organization: Organization,
    plates: Sequence[str],
    rank: str = "",
    address: str = "",
    postcode: str = "",
    phone: str = "",
    website: str = "",
    opened_on: date | None = None,
    closed_on: date | None = None,
    publishes: bool = False,
    source: str = "",
) -> Organization:
    require_editor(actor, organization)
    if opened_on and closed_on and closed_on < opened_on:
        raise ValidationError({"closed_on": "撤销日期不能早于成立日期"})
    with transaction.atomic():
        before = snapshot(organization, DETAIL_FIELDS)
        organization.plates = normalize_names(list(plates))
        organization.rank, organization.address = rank.strip(), address.strip()
        organization.postcode, organization.phone = postcode.strip(), phone.strip()
        organization.website = website.strip()
        organization.opened_on, organization.closed_on = opened_on, closed_on
        organization.publishes = publishes
        organization.save(update_fields=DETAIL_FIELDS)
        record_change(
            action="organization.details",
            actor=actor,
            instance=organization,
            organization=organization,
            before=before,
            after=snapshot(organization, DETAIL_FIELDS),
            source=source,
        )
    return organization


DEPARTMENT_FIELDS = ["name", "aliases", "kind", "duties", "order"]


def _require_unique_names(
    organization: Organization, names: list[str], exclude: int | None
) -> None:
    """No other department of the organization may use any of `names` as name or alias."""
    taken: dict[str, str] = {}
    for other in organization.departments.all():
        if other.pk == exclude:
            continue
        for other_name in other.all_names():
            taken[other_name] = other.name
    clashes = [f"“{name}”已是“{taken[name]}”的名称或别名" for name in names if name in taken]
    if len(set(names)) != len(names):
        clashes.append("名称与别名重复")
    if clashes:
        raise ValidationError({"name": "；".join(clashes)})


def department_save(
    *,
    actor: User | None,
    organization: Organization,
    name: str,
    aliases: Sequence[str] = (),
    kind: str = Department._meta.get_field("kind").default,  # type: ignore[assignment]
    duties: str = "",
    order: int = 0,
    department: Department | None = None,
    source: str = "",
) -> Department:
    """Create a department, or change `department`. Names and aliases are normalised and must
    be unique within the organization."""
    require_editor(actor, organization)
    name = normalize_name(name)
    if not name:
        raise ValidationError({"name": "名称不能为空"})
    alias_list = [alias for alias in normalize_names(list(aliases)) if alias != name]
    with transaction.atomic():
        _require_unique_names(
            organization, [name, *alias_list], department.pk if department else None
        )
        department = department or Department(organization=organization)
        before = snapshot(department, DEPARTMENT_FIELDS) if department.pk else {}
        department.name, department.aliases, department.kind = name, alias_list, kind
        department.duties, department.order = duties.strip(), order
        department.full_clean(exclude=["organization"])
        department.save()
        record_change(
            action="department.save",
            actor=actor,
            instance=department,
            organization=organization,
            before=before,
            after=snapshot(department, DEPARTMENT_FIELDS),
            source=source,
        )
    return department


def department_delete(*, actor: User, department: Department) -> None:
    require_editor(actor, department.organization)
    with transaction.atomic():
        audit.record(
            action="department.delete",
            actor=actor,
            obj=department,
            organization=department.organization,
            summary=snapshot(department, DEPARTMENT_FIELDS),
        )
        department.delete()


DUTY_FIELDS = ["number", "kind", "text"]


def duty_save(
    *,
    actor: User | None,
    organization: Organization,
    number: int,
    text: str,
    kind: str = "duty",
    department: Department | None = None,
    duty: Duty | None = None,
    source: str = "",
) -> Duty:
    require_editor(actor, organization)
    if department is not None and department.organization_id != organization.pk:
        raise ValidationError({"department": "内设机构不属于该单位"})
    if not text.strip():
        raise ValidationError({"text": "职责内容不能为空"})
    with transaction.atomic():
        taken = Duty.objects.filter(
            organization=organization, department=department, kind=kind, number=number
        )
        if duty is not None:
            taken = taken.exclude(pk=duty.pk)
        if taken.exists():
            raise ValidationError({"number": f"第{number}条已存在，请换一个序号"})
        duty = duty or Duty(organization=organization, department=department)
        before = snapshot(duty, DUTY_FIELDS) if duty.pk else {}
        duty.number, duty.kind, duty.text = number, kind, text.strip()
        duty.full_clean(exclude=["organization", "department"])
        duty.save()
        record_change(
            action="duty.save",
            actor=actor,
            instance=duty,
            organization=organization,
            before=before,
            after=snapshot(duty, DUTY_FIELDS),
            source=source,
        )
    return duty


def duty_delete(*, actor: User, duty: Duty) -> None:
    require_editor(actor, duty.organization)
    with transaction.atomic():
        audit.record(
            action="duty.delete",
            actor=actor,
            obj=duty,
            organization=duty.organization,
            summary=snapshot(duty, DUTY_FIELDS),
        )
        duty.delete()


BOUNDARY_FIELDS = ["other_name", "other_id", "text", "order"]


def duty_boundary_save(
    *,
    actor: User | None,
    organization: Organization,
    other_name: str,
    text: str,
    other: Organization | None = None,
    order: int = 0,
    boundary: DutyBoundary | None = None,
    source: str = "",
) -> DutyBoundary:
    require_editor(actor, organization)
    other_name = normalize_name(other_name)
    if not other_name or not text.strip():
        raise ValidationError("职责分工须写明对方单位和分工内容")
    with transaction.atomic():
        boundary = boundary or DutyBoundary(organization=organization)
        before = snapshot(boundary, BOUNDARY_FIELDS) if boundary.pk else {}
        boundary.other_name, boundary.other = other_name, other
        boundary.text, boundary.order = text.strip(), order
        boundary.save()
        record_change(
            action="duty_boundary.save",
            actor=actor,
            instance=boundary,
            organization=organization,
            before=before,
            after=snapshot(boundary, BOUNDARY_FIELDS),
            source=source,
        )
    return boundary


def duty_boundary_delete(*, actor: User, boundary: DutyBoundary) -> None:
    require_editor(actor, boundary.organization)
    with transaction.atomic():
        audit.record(
            action="duty_boundary.delete",
            actor=actor,
            obj=boundary,
            organization=boundary.organization,
            summary=snapshot(boundary, BOUNDARY_FIELDS),
        )
        boundary.delete()


def staffing_save(
    *,
    actor: User | None,
    organization: Organization,
    administrative: int | None,
    posts: Sequence[tuple[str, int]],
    note: str = "",
    source: str = "",
) -> StaffingQuota:
    """Replace the organization's establishment: the 行政编制 count and the posts by title."""
    require_editor(actor, organization)
    titles = [normalize_name(title) for title, _ in posts]
    if len(set(titles)) != len(titles) or not all(titles):
        raise ValidationError({"posts": "职务名称不能为空或重复"})
    with transaction.atomic():
        quota, _ = StaffingQuota.objects.get_or_create(organization=organization)
        before = {
            "administrative": quota.administrative,
            "posts": _post_pairs(quota),
            "note": quota.note,
        }
        quota.administrative, quota.note = administrative, note.strip()
        quota.save()
        quota.posts.all().delete()
        StaffingPost.objects.bulk_create(
            StaffingPost(quota=quota, title=title, count=count, order=index)
            for index, (title, (_, count)) in enumerate(zip(titles, posts, strict=True))
        )
        after = {"administrative": administrative, "posts": _post_pairs(quota), "note": quota.note}
        record_change(
            action="staffing.save",
            actor=actor,
            instance=quota,
            organization=organization,
            before=before,
            after=after,
            source=source,
        )
    return quota


def _post_pairs(quota: StaffingQuota) -> list[list[object]]:
    return [[post.title, post.count] for post in quota.posts.all()]
