"""Helpers the registry services share: access, the audit record of a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from weijian.accounts.access import require_registry_editor
from weijian.core import audit

if TYPE_CHECKING:
    from weijian.accounts.models import User
    from weijian.orgs.models import Organization


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields`, JSON-ready, for an audit summary."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def record_change(
    *,
    action: str,
    actor: User | None,
    instance: models.Model,
    organization: Organization,
    before: dict[str, Any],
    after: dict[str, Any],
    source: str = "",
) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=instance,
        organization=organization,
        username=source if actor is None else "",
        summary={"changes": audit.changes(before, after)},
    )


def require_editor(actor: User | None, organization: Organization) -> None:
    """A signed-in editor must keep this organization's registry; `None` is trusted system
    code (an importer run on the server, the demo loader), which passes."""
    if actor is not None:
        require_registry_editor(actor=actor, organizations=[organization])
