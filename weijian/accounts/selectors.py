"""Account reads, always scoped to the acting user's organization subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from weijian.accounts.models import User
from weijian.core.scoping import get_in_scope_or_404, in_scope
from weijian.orgs.models import Organization


def user_list(
    *, actor: User, query: str = "", organization: Organization | None = None
) -> QuerySet[User]:
    users = in_scope(User.objects.all(), actor, via="organization")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if organization is not None:
        users = users.filter(organization__path__startswith=organization.path)
    return users.select_related("organization").prefetch_related("groups")


def user_get(*, actor: User, pk: int) -> User:
    return get_in_scope_or_404(
        User.objects.select_related("organization"), actor, via="organization", pk=pk
    )


def organizations_for(*, actor: User) -> QuerySet[Organization]:
    return in_scope(Organization.objects.filter(is_active=True), actor, via="")
