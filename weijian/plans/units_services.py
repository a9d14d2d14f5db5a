"""Keeping the names documents use for units: aliases of one organization (市卫计委 for the
commission until its 2019 renaming) and collective wordings (各县（区）卫生健康委) that stand
for a set of organizations. `resolve.UnitResolver` reads both when a plan is imported.

Plan editors (科室人员) keep them for the organizations of their subtree: an alias for its
organization, a collective for every one of its members. Every function checks that before
it opens its transaction (so a refusal's audit event survives), validates with Chinese
messages naming the field, and writes one audit event per change."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.accounts.access import PLAN_EDITORS, require_role_over, require_top_level_role
from weijian.core import audit
from weijian.orgs.models import Organization
from weijian.orgs.names import normalize_name
from weijian.plans.models import CollectiveUnit, OrganizationAlias
from weijian.plans.resolve import normal

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "unit_alias.create": "新增单位别名",
        "unit_alias.update": "修改单位别名",
        "unit_alias.delete": "删除单位别名",
        "collective_unit.create": "新增泛指单位",
        "collective_unit.update": "修改泛指单位",
        "collective_unit.delete": "删除泛指单位",
    }
)

NAME_LENGTH = 200


# --- access -----------------------------------------------------------------------------------


def require_units_editor(*, actor: User, organizations: Sequence[Organization]) -> None:
    """科室人员 of every one of `organizations` or above them (audited when refused)."""
    require_role_over(
        actor=actor,
        roles=PLAN_EDITORS,
        organizations=organizations,
        reason="只有本单位或上级单位的科室人员可以维护该单位的别名和泛指单位。",
    )


def collective_members(collective: CollectiveUnit) -> list[Organization]:
    return list(collective.members.order_by("path"))


def require_collective_editor(*, actor: User, collective: CollectiveUnit) -> list[Organization]:
    """A collective is kept by whoever may edit every one of its members (one without members,
    which no page shows, by the 科室人员 of a root organization). Returns the members."""
    members = collective_members(collective)
    if members:
        require_units_editor(actor=actor, organizations=members)
    else:
        require_top_level_role(actor=actor, roles=PLAN_EDITORS, what="维护未包含任何单位的泛指单位")
    return members


# --- shared steps -----------------------------------------------------------------------------


def _name(value: str, *, label: str) -> str:
    name = normalize_name(value or "")
    if not name:
        raise ValidationError({"name": f"请填写{label}"})
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": f"{label}不能超过{NAME_LENGTH}个字"})
    return name


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _lock(organizations: Iterable[Organization]) -> None:
    """Serialise the writes that check an organization's aliases against each other."""
    ids = sorted({o.pk for o in organizations})
    list(Organization.objects.select_for_update().filter(pk__in=ids).values_list("pk"))


# --- aliases ----------------------------------------------------------------------------------


def _overlaps(
    a_from: datetime.date | None,
    a_to: datetime.date | None,
    b_from: datetime.date | None,
    b_to: datetime.date | None,
) -> bool:
    """Whether two validity periods (None: open on that side) share a day."""
    return (a_from is None or b_to is None or a_from <= b_to) and (
        b_from is None or a_to is None or b_from <= a_to
    )


def _describe_period(valid_from: datetime.date | None, valid_to: datetime.date | None) -> str:
    start = valid_from.isoformat() if valid_from else "不限"
    end = valid_to.isoformat() if valid_to else "不限"
    return f"{start} 至 {end}"


@dataclass(frozen=True)
class AliasFields:
    """An alias's fields once checked on their own (before the database is read)."""

    organization: Organization
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    def as_dict(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


def _alias_fields(
    organization: Organization | None,
    name: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> AliasFields:
    if organization is None:
        raise ValidationError({"organization": "请选择单位"})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "停用日期不能早于启用日期"})
    return AliasFields(organization, _name(name, label="别名"), valid_from, valid_to)


def _check_alias(alias: AliasFields, *, exclude: int | None = None) -> None:
    """The alias is not the organization's own name, and no other alias of the same name for
    the same organization is valid on any of its days. Runs inside the transaction."""
    organization = alias.organization
    wanted = normal(alias.name)
    if wanted in {normal(n) for n in [organization.name, *(organization.plates or [])]}:
        raise ValidationError(
            {"name": f"“{alias.name}”是该单位的名称或加挂牌子，系统已能识别，无需登记为别名"}
        )
    others = OrganizationAlias.objects.filter(organization=organization)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if normal(other.name) == wanted and _overlaps(
            alias.valid_from, alias.valid_to, other.valid_from, other.valid_to
        ):
            period = _describe_period(other.valid_from, other.valid_to)
            raise ValidationError(
                {
                    "valid_from": f"“{organization.name}”已有别名“{other.name}”"
                    f"（有效期 {period}），与本条的有效期重叠"
                }
            )


def _alias_values(alias: OrganizationAlias) -> dict[str, Any]:
    return {
        "organization": alias.organization.name,
        "name": alias.name,
        "valid_from": _day(alias.valid_from),
        "valid_to": _day(alias.valid_to),
    }


def alias_create(
    *,
    actor: User,
    organization: Organization,
    name: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> OrganizationAlias:
    """A name documents use for `organization`, valid from–to (None: without limit)."""
    if organization is not None:
        require_units_editor(actor=actor, organizations=[organization])
    checked = _alias_fields(organization, name, valid_from, valid_to)
    with transaction.atomic():
        _lock([checked.organization])
        _check_alias(checked)
        alias = OrganizationAlias.objects.create(**checked.as_dict())
        audit.record(
            action="unit_alias.create",
            actor=actor,
            obj=alias,
            organization=checked.organization,
            summary={**_alias_values(alias), "organization_id": checked.organization.pk},
        )
    return alias


def alias_ensure(*, actor: User, organization: Organization, name: str) -> OrganizationAlias | None:
    """An alias without dates, unless the organization already has one of that name (whatever
    its validity): then nothing is written and None is returned."""
    wanted = normal(name)
    existing = OrganizationAlias.objects.filter(organization=organization).values_list(
        "name", flat=True
    )
    if any(normal(n) == wanted for n in existing):
        return None
    return alias_create(actor=actor, organization=organization, name=name)


def alias_update(
    *,
    actor: User,
    alias: OrganizationAlias,
    organization: Organization,
    name: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> OrganizationAlias:
    """Change the alias; moving it to another organization needs the right over both."""
    moved = [organization] if organization is not None else []
    require_units_editor(actor=actor, organizations=[alias.organization, *moved])
    checked = _alias_fields(organization, name, valid_from, valid_to)
    with transaction.atomic():
        _lock([alias.organization, checked.organization])
        _check_alias(checked, exclude=alias.pk)
        before = _alias_values(alias)
        values = checked.as_dict()
        for field, value in values.items():
            setattr(alias, field, value)
        alias.save(update_fields=list(values))
        changes = audit.changes(before, _alias_values(alias))
        if changes:
            audit.record(
                action="unit_alias.update",
                actor=actor,
                obj=alias,
                organization=checked.organization,
                summary={"name": alias.name, "changes": changes},
            )
    return alias


def alias_delete(*, actor: User, alias: OrganizationAlias) -> None:
    require_units_editor(actor=actor, organizations=[alias.organization])
    with transaction.atomic():
        audit.record(
            action="unit_alias.delete",
            actor=actor,
            obj=alias,
            organization=alias.organization,
            summary=_alias_values(alias),
        )
        alias.delete()


# --- collective units -------------------------------------------------------------------------


def _members(members: Iterable[Organization]) -> list[Organization]:
    chosen = sorted({m.pk: m for m in members if m is not None}.values(), key=lambda m: m.path)
    if not chosen:
        raise ValidationError({"members": "请至少选择一个包含单位"})
    return chosen


def _require_unique_name(name: str, *, exclude: int | None = None) -> None:
    """One collective per wording: 各县〔区〕 and 各县（区） resolve alike, so they clash too.
    (Two writers racing on the same wording are stopped by the unique constraint.)"""
    wanted = normal(name)
    others = CollectiveUnit.objects.all()
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others.values_list("name", flat=True):
        if normal(other) == wanted:
            raise ValidationError({"name": f"已有名为“{other}”的泛指单位，请勿重复登记"})


def _member_names(members: Iterable[Organization]) -> list[str]:
    return [m.name for m in members]


def collective_create(*, actor: User, name: str, members: Iterable[Organization]) -> CollectiveUnit:
    """A collective wording and the organizations it stands for, all in the actor's subtree."""
    chosen = _members(members)
    require_units_editor(actor=actor, organizations=chosen)
    name = _name(name, label="名称")
    with transaction.atomic():
        _require_unique_name(name)
        collective = CollectiveUnit.objects.create(name=name)
        collective.members.set(chosen)
        audit.record(
            action="collective_unit.create",
            actor=actor,
            obj=collective,
            summary={"name": name, "members": _member_names(chosen)},
        )
    return collective


def collective_update(
    *, actor: User, collective: CollectiveUnit, name: str, members: Iterable[Organization]
) -> CollectiveUnit:
    """Rename the collective and replace its members; the actor must be able to edit every
    member it had and every member it gets."""
    current = require_collective_editor(actor=actor, collective=collective)
    chosen = _members(members)
    require_units_editor(actor=actor, organizations=chosen)
    name = _name(name, label="名称")
    with transaction.atomic():
        _require_unique_name(name, exclude=collective.pk)
        before = {"name": collective.name, "members": _member_names(current)}
        collective.name = name
        collective.save(update_fields=["name"])
        collective.members.set(chosen)
        changes = audit.changes(before, {"name": name, "members": _member_names(chosen)})
        if changes:
            audit.record(
                action="collective_unit.update",
                actor=actor,
                obj=collective,
                summary={"name": name, "changes": changes},
            )
    return collective


def collective_delete(*, actor: User, collective: CollectiveUnit) -> None:
    members = require_collective_editor(actor=actor, collective=collective)
    with transaction.atomic():
        audit.record(
            action="collective_unit.delete",
            actor=actor,
            obj=collective,
            summary={"name": collective.name, "members": _member_names(members)},
        )
        collective.delete()
