"""Writes to regions and organizations: one function per use case, each checked and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr

from weijian.accounts.access import require_admin_over
from weijian.core import audit
from weijian.orgs.importers.regions import RegionChange, RegionImportPlan
from weijian.orgs.models import PATH_SEGMENT_WIDTH, Organization, Region

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "organization.create": "新建单位",
        "organization.update": "修改单位",
        "organization.move": "调整上级单位",
        "region.import": "导入行政区划",
    }
)

PATH_MAX_LENGTH = Organization._meta.get_field("path").max_length or 255
REGION_BATCH_SIZE = 1000

T = TypeVar("T")


def _snapshot(organization: Organization) -> dict[str, Any]:
    return {
        "name": organization.name,
        "kind": organization.kind,
        "region": organization.region_id,
        "parent": organization.parent_id,
        "is_active": organization.is_active,
    }


def _require_unique_name(*, name: str, parent: Organization | None, exclude_pk: int | None) -> None:
    siblings = Organization.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        where = f"“{parent.name}”下" if parent is not None else "顶层"
        raise ValidationError({"name": f"{where}已有名为“{name}”的单位。"})


def _insert(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: Organization | None,
    region: Region | None,
    source: str = "",
) -> Organization:
    """Insert and give the row its path, known only once it has a key."""
    with transaction.atomic():
        _require_unique_name(name=name, parent=parent, exclude_pk=None)
        organization = Organization.objects.create(
            name=name,
            kind=kind,
            parent=parent,
            region=region,
            depth=parent.depth + 1 if parent is not None else 0,
        )
        organization.path = (parent.path if parent is not None else "") + organization.segment()
        organization.save(update_fields=["path"])
        summary: dict[str, Any] = {"changes": audit.changes({}, _snapshot(organization))}
        if source:
            summary["source"] = source
        audit.record(
            action="organization.create",
            actor=actor,
            obj=organization,
            summary=summary,
            organization=organization if actor is None else None,
        )
    return organization


def organization_create(
    *,
    actor: User,
    name: str,
    kind: str,
    parent: Organization,
    region: Region | None = None,
) -> Organization:
    """A system administrator creates an organization below `parent`, within his subtree."""
    require_admin_over(actor=actor, organizations=[parent])
    return _insert(actor=actor, name=name, kind=kind, parent=parent, region=region)


def organization_insert(
    *,
    name: str,
    kind: str,
    parent: Organization | None,
    region: Region | None = None,
    source: str,
) -> Organization:
    """Create an organization, a root one too, without an acting user: only for trusted
    system code (`bootstrap_admin`, demo data), never from a request. `source` names the
    caller in the audit event."""
    return _insert(actor=None, name=name, kind=kind, parent=parent, region=region, source=source)


def organization_update(
    *,
    actor: User,
    organization: Organization,
    name: str,
    kind: str,
    region: Region | None,
    is_active: bool,
) -> Organization:
    """Change an organization's own fields (moving it is `organization_move`)."""
    require_admin_over(actor=actor, organizations=[organization])
    with transaction.atomic():
        if organization.parent is not None and name != organization.name:
            _require_unique_name(name=name, parent=organization.parent, exclude_pk=organization.pk)
        before = _snapshot(organization)
        organization.name, organization.kind = name, kind
        organization.region, organization.is_active = region, is_active
        changes = audit.changes(before, _snapshot(organization))
        if not changes:
            return organization
        organization.save(update_fields=["name", "kind", "region", "is_active"])
        audit.record(
            action="organization.update",
            actor=actor,
            obj=organization,
            summary={"changes": changes},
        )
    return organization


def organization_move(
    *, actor: User, organization: Organization, new_parent: Organization
) -> Organization:
    """Hang `organization` (with its whole subtree) below `new_parent`. The subtree's paths and
    depths change in one UPDATE."""
    require_admin_over(actor=actor, organizations=[organization, new_parent])
    with transaction.atomic():
        # Lock both rows and read their current paths: a concurrent move may have changed them.
        list(
            Organization.objects.select_for_update().filter(pk__in=[organization.pk, new_parent.pk])
        )
        organization.refresh_from_db(fields=["path", "depth", "parent"])
        new_parent.refresh_from_db(fields=["path", "depth"])
        if new_parent.is_within(organization):
            raise ValidationError({"parent": "不能将单位调整到其自身或其下级单位之下。"})
        if new_parent.pk == organization.parent_id:
            return organization
        _require_unique_name(name=organization.name, parent=new_parent, exclude_pk=organization.pk)
        before = {"parent": organization.parent_id, "path": organization.path}
        old_prefix = organization.path
        new_prefix = new_parent.path + organization.segment()
        depth_delta = new_parent.depth + 1 - organization.depth
        subtree = Organization.objects.filter(path__startswith=old_prefix)
        _require_path_fits(subtree, depth_delta=depth_delta)
        moved = subtree.update(
            path=Concat(
                Value(new_prefix),
                Substr("path", len(old_prefix) + 1),
                output_field=models.CharField(),
            ),
            depth=F("depth") + depth_delta,
        )
        Organization.objects.filter(pk=organization.pk).update(parent=new_parent)
        organization.parent = new_parent
        organization.path, organization.depth = new_prefix, organization.depth + depth_delta
        audit.record(
            action="organization.move",
            actor=actor,
            obj=organization,
            summary={
                "changes": audit.changes(
                    before, {"parent": new_parent.pk, "path": organization.path}
                ),
                "subtree_size": moved,
            },
        )
    return organization


def _require_path_fits(subtree: models.QuerySet[Organization], *, depth_delta: int) -> None:
    deepest = subtree.aggregate(deepest=Max("depth"))["deepest"] or 0
    if (deepest + depth_delta + 1) * (PATH_SEGMENT_WIDTH + 1) > PATH_MAX_LENGTH:
        raise ValidationError({"parent": "调整后单位层级过深，超出系统允许的范围。"})


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _region(change: RegionChange) -> Region:
    return Region(
        code=change.code, name=change.name, level=change.level, parent_id=change.parent_code
    )


def region_import_apply(
    *,
    plan: RegionImportPlan,
    actor: User | None = None,
    progress: Callable[[int], object] | None = None,
) -> RegionImportPlan:
    """Write an import plan in one transaction: new regions (parents first, as the plan is
    sorted by code), then renames and new parents. `progress` is told how many rows each
    batch wrote."""
    with transaction.atomic():
        for batch in _chunks(plan.new, REGION_BATCH_SIZE):
            Region.objects.bulk_create([_region(change) for change in batch])
            if progress is not None:
                progress(len(batch))
        for batch in _chunks(plan.updated, REGION_BATCH_SIZE):
            Region.objects.bulk_update([_region(change) for change in batch], ["name", "parent"])
            if progress is not None:
                progress(len(batch))
        audit.record(
            action="region.import",
            actor=actor,
            username="" if actor else "manage.py import_regions",
            summary=plan.counts(),
        )
    return plan
