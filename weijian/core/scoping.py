"""The one access-scoping primitive. Every selector restricts its queryset with `in_scope`;
every view fetches single objects with `get_in_scope_or_404`.

A user sees the records of his organization and of every organization below it. `via` names
the lookup from the model to its Organization ("organization", "task__plan__owner", …); for
Organization itself it is the empty string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from weijian.core import audit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

M = TypeVar("M", bound=models.Model)


def _path_lookup(via: str) -> str:
    return f"{via}__path__startswith" if via else "path__startswith"


def in_scope(
    queryset: models.QuerySet[M], user: User | AnonymousUser, *, via: str
) -> models.QuerySet[M]:
    """Restrict `queryset` to the user's organization subtree; nothing for anonymous users."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(**{_path_lookup(via): user.organization.path})


def get_in_scope_or_404(
    queryset: models.QuerySet[M], user: User | AnonymousUser, *, via: str, **lookup: Any
) -> M:
    """Fetch one object within scope. Outside scope (or missing) is a 404, and an attempt on an
    existing object outside scope is written to the audit trail as refused access."""
    try:
        # distinct: a scope through a to-many lookup (a person's posts) may repeat the row.
        return in_scope(queryset, user, via=via).distinct().get(**lookup)
    except ObjectDoesNotExist:
        if user.is_authenticated and queryset.filter(**lookup).exists():
            audit.record(
                action="access.denied",
                actor=user,  # type: ignore[arg-type]
                summary={"model": queryset.model._meta.label_lower, "lookup": _plain(lookup)},
                success=False,
            )
        raise Http404("没有找到该记录，或您无权访问。") from None


def _plain(lookup: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in lookup.items()}
