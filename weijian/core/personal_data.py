"""Revealing personal data in clear: always after an access check, always audited.

Screens show personal data masked (core.masking); a user with the right to see one value in
clear asks for it explicitly, and that request is an audit event of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from weijian.core import audit

if TYPE_CHECKING:
    from weijian.accounts.models import User


def reveal(*, actor: User, obj: models.Model, field: str) -> str:
    """Return `obj.<field>` in clear and record who saw it. The caller has checked access."""
    value = getattr(obj, field) or ""
    model_field = obj._meta.get_field(field)
    label = getattr(model_field, "verbose_name", field)
    audit.record(
        action="data.reveal", actor=actor, obj=obj, summary={"field": field, "label": str(label)}
    )
    return str(value)
