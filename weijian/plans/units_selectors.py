"""Reads of unit aliases and collective units, scoped to the user's subtree.

An alias is seen by the users of its organization and of every organization above it. A
collective has no owner: it is seen by a user when one of its members is in his subtree, and
shows him only those members (the others belong to trees he may not see)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization
from weijian.plans.models import CollectiveUnit, OrganizationAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

    AnyUser = User | AnonymousUser


def alias_list(*, user: AnyUser, query: str = "") -> QuerySet[OrganizationAlias]:
    """The aliases of the user's subtree; `query` matches the alias or the organization's name."""
    aliases = in_scope(OrganizationAlias.objects.all(), user, via="organization")
    query = query.strip()
    if query:
        aliases = aliases.filter(Q(name__icontains=query) | Q(organization__name__icontains=query))
    return aliases.select_related("organization").order_by(
        "organization__path", "name", "valid_from", "pk"
    )


def alias_get(*, user: AnyUser, pk: int) -> OrganizationAlias:
    aliases = OrganizationAlias.objects.select_related("organization")
    return get_in_scope_or_404(aliases, user, via="organization", pk=pk)


def organization_choices(*, user: AnyUser, keep: list[int] | None = None) -> QuerySet[Organization]:
    """The open organizations of the user's subtree, in tree order, and those of `keep` (the
    ones a record already names, should they have been closed since)."""
    organizations = Organization.objects.filter(Q(is_active=True) | Q(pk__in=keep or []))
    return in_scope(organizations, user, via="").order_by("path")


def _visible_members(user: AnyUser) -> Prefetch[str, QuerySet[Organization], str]:
    members = in_scope(Organization.objects.all(), user, via="").order_by("path")
    return Prefetch("members", queryset=members, to_attr="visible_members")


def collective_list(*, user: AnyUser, query: str = "") -> QuerySet[CollectiveUnit]:
    """The collectives with a member in the user's subtree, each with `visible_members` (those
    members) and `member_count` (all of them: more than he sees when some lie elsewhere)."""
    visible = in_scope(CollectiveUnit.objects.all(), user, via="members").values("pk")
    collectives = CollectiveUnit.objects.filter(pk__in=visible)
    query = query.strip()
    if query:
        collectives = collectives.filter(name__icontains=query)
    return (
        collectives.annotate(member_count=Count("members", distinct=True))
        .prefetch_related(_visible_members(user))
        .order_by("name", "pk")
    )


def collective_get(*, user: AnyUser, pk: int) -> CollectiveUnit:
    """One collective with a member in the user's subtree, else 404."""
    collectives = CollectiveUnit.objects.prefetch_related(_visible_members(user))
    return get_in_scope_or_404(collectives, user, via="members", pk=pk)
