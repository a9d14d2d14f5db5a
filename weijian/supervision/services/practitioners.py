"""Writes to the practitioner registry: people, their other practice sites (多机构执业备案), and
the audited reveal of an ID number. Writes belong to 科室人员 over the supervisor of the
practitioner's primary institution."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.core import audit, personal_data
from weijian.core.crypto import blind_index
from weijian.core.identifiers import validate_resident_id
from weijian.core.masking import mask_resident_id
from weijian.supervision.access import require_editor
from weijian.supervision.models import Institution, PracticeSite, Practitioner

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "supervision.practitioner_create": "登记医务人员",
        "supervision.practitioner_update": "修改医务人员",
        "supervision.practice_site_add": "多机构执业备案",
        "supervision.practice_site_end": "终止多机构执业",
    }
)

FIELDS = (
    "kind",
    "name",
    "id_number",
    "license_number",
    "practice_category",
    "practice_scope",
    "institution",
    "status",
)


def id_index(number: str) -> str:
    return blind_index(number, purpose="resident_id")


def _snapshot(practitioner: Practitioner) -> dict[str, str]:
    """Plain values for an audit summary; the ID number only masked."""
    values = {name: str(getattr(practitioner, name) or "") for name in FIELDS}
    values["id_number"] = mask_resident_id(practitioner.id_number)
    return values


def _assign(practitioner: Practitioner, values: Mapping[str, Any]) -> None:
    for name in FIELDS:
        if name in values:
            setattr(practitioner, name, values[name])
    practitioner.id_number = validate_resident_id(practitioner.id_number)
    practitioner.id_number_index = id_index(practitioner.id_number)


def practitioner_create(*, actor: User, values: Mapping[str, Any]) -> Practitioner:
    require_editor(actor=actor, organizations=[values["institution"].supervisor])
    practitioner = Practitioner()
    _assign(practitioner, values)
    with transaction.atomic():
        practitioner.full_clean()
        practitioner.save()
        audit.record(
            action="supervision.practitioner_create",
            actor=actor,
            obj=practitioner,
            organization=practitioner.institution.supervisor,
            summary={"name": practitioner.name, "license_number": practitioner.license_number},
        )
    return practitioner


def practitioner_update(
    *, actor: User, practitioner: Practitioner, values: Mapping[str, Any]
) -> Practitioner:
    new_institution = values.get("institution", practitioner.institution)
    require_editor(
        actor=actor,
        organizations=[practitioner.institution.supervisor, new_institution.supervisor],
    )
    before = _snapshot(practitioner)
    _assign(practitioner, values)
    with transaction.atomic():
        practitioner.full_clean()
        practitioner.save()
        audit.record(
            action="supervision.practitioner_update",
            actor=actor,
            obj=practitioner,
            organization=practitioner.institution.supervisor,
            summary={
                "name": practitioner.name,
                "changes": audit.changes(before, _snapshot(practitioner)),
            },
        )
    return practitioner


def practitioner_id_reveal(*, actor: User, practitioner: Practitioner) -> str:
    """The ID number in clear, for 科室人员 over the practitioner; audited as `data.reveal`."""
    require_editor(actor=actor, organizations=[practitioner.institution.supervisor])
    return personal_data.reveal(actor=actor, obj=practitioner, field="id_number")


def practice_site_add(
    *,
    actor: User,
    practitioner: Practitioner,
    institution: Institution,
    filed_on: datetime.date,
) -> PracticeSite:
    require_editor(actor=actor, organizations=[practitioner.institution.supervisor])
    if institution.pk == practitioner.institution_id:
        raise ValidationError({"institution": "该机构是此人的主要执业机构，不需要多机构执业备案"})
    open_site = practitioner.sites.filter(institution=institution, ended_on__isnull=True)
    if open_site.exists():
        raise ValidationError(
            {"institution": f"此人在“{institution.name}”已有未终止的多机构执业备案，不能重复备案"}
        )
    with transaction.atomic():
        site = PracticeSite(practitioner=practitioner, institution=institution, filed_on=filed_on)
        site.full_clean()
        site.save()
        audit.record(
            action="supervision.practice_site_add",
            actor=actor,
            obj=site,
            organization=practitioner.institution.supervisor,
            summary={
                "practitioner": practitioner.name,
                "institution": institution.name,
                "filed_on": filed_on.isoformat(),
            },
        )
    return site


def practice_site_end(*, actor: User, site: PracticeSite, ended_on: datetime.date) -> PracticeSite:
    practitioner = site.practitioner
    require_editor(actor=actor, organizations=[practitioner.institution.supervisor])
    if site.ended_on is not None:
        raise ValidationError("该多机构执业备案已终止")
    if ended_on < site.filed_on:
        raise ValidationError({"ended_on": "终止日期不能早于备案日期"})
    with transaction.atomic():
        site.ended_on = ended_on
        site.save(update_fields=["ended_on"])
        audit.record(
            action="supervision.practice_site_end",
            actor=actor,
            obj=site,
            organization=practitioner.institution.supervisor,
            summary={
                "practitioner": practitioner.name,
                "institution": site.institution.name,
                "ended_on": ended_on.isoformat(),
            },
        )
    return site
