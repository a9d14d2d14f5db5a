"""Who may read and write supervision records.

Reads are scoped by the organization tree (`core.scoping`): an institution through the
authority that supervises it, an inspector through his unit, an item, plan or expert through
the unit that owns it. Items and the inspector pool flow down: a county bureau's plan may use
the items of the city commission above it. Writes are for 科室人员 (department staff) of the
owning unit or above; an inspector records only the inspections he was drawn for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Q

from weijian.accounts.access import refuse, require_role_over
from weijian.accounts.roles import Role
from weijian.core.modules import module_roles
from weijian.orgs.models.places import PATH_SEGMENT_WIDTH, PATH_SEPARATOR

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User
    from weijian.orgs.models import Organization
    from weijian.supervision.models import Inspection

# The roles that open the 综合监管 module at all (its views' `role_required`).
READERS = module_roles("supervision")
# Registries, pools, items and plans are business data kept by department staff.
EDITORS = (Role.STAFF,)


def require_editor(*, actor: User, organizations: Sequence[Organization]) -> None:
    require_role_over(
        actor=actor,
        roles=EDITORS,
        organizations=organizations,
        reason="只有该单位或其上级单位的科室人员可以维护综合监管信息。",
    )


def ancestor_paths(organization: Organization) -> list[str]:
    """The paths of the organization and of every organization above it."""
    step = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def flowing_down(user: User | AnonymousUser, *, via: str) -> Q:
    """Records owned by the user's organization, by any above it, or by any below it: the item
    list and similar shared lists. Nothing for an anonymous user."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    organization = user.organization
    return Q(**{f"{via}__path__in": ancestor_paths(organization)}) | Q(
        **{f"{via}__path__startswith": organization.path}
    )


def inspections_visible(user: User | AnonymousUser) -> Q:
    """An inspection is seen by users of the plan owner's subtree and by its own inspectors."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(plan__owner__path__startswith=user.organization.path) | Q(inspectors__user=user)


def require_group_member(*, actor: User, inspection: Inspection) -> None:
    """Only an inspector of the inspection's group records it."""
    if inspection.inspectors.filter(user=actor).exists():
        return
    raise refuse(actor=actor, obj=inspection, reason="只有被抽中的检查组成员可以记录该检查。")
