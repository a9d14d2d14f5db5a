"""Reads of regions and organizations. Organizations are always scoped to the user's subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization, Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User


def organization_list(
    *, user: User | AnonymousUser, query: str | None = None
) -> QuerySet[Organization]:
    """The organizations the user may see, in tree order, optionally filtered by name."""
    organizations = in_scope(Organization.objects.select_related("parent", "region"), user, via="")
    if query and query.strip():
        organizations = organizations.filter(name__icontains=query.strip())
    return organizations.order_by("path")


def organization_get(*, user: User | AnonymousUser, pk: int) -> Organization:
    """One organization within the user's scope, else 404."""
    return get_in_scope_or_404(
        Organization.objects.select_related("parent", "region"), user, via="", pk=pk
    )


def organization_children(*, organization: Organization) -> QuerySet[Organization]:
    return organization.children.select_related("region").order_by("name")


def organization_parent_choices(
    *, user: User | AnonymousUser, moving: Organization | None = None
) -> QuerySet[Organization]:
    """Where an organization may hang: the user's subtree, without `moving` and everything
    below it (a move there would make a cycle)."""
    choices = in_scope(Organization.objects.all(), user, via="").order_by("path")
    if moving is not None:
        choices = choices.exclude(path__startswith=moving.path)
    return choices


def region_index() -> dict[str, tuple[str, str | None]]:
    """Every region as {code: (name, parent code)}, for the importer to compare against."""
    return {
        code: (name, parent)
        for code, name, parent in Region.objects.values_list("code", "name", "parent_id")
    }
