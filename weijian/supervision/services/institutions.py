"""Writes to the institution registry (一户一档): create and edit, each checked and audited.

`rule_errors` holds the rules that tie fields together; the form and the Excel import both
apply it, so a rule reads the same wherever the data comes from.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from weijian.core import audit
from weijian.supervision.access import require_editor
from weijian.supervision.identifiers import license_region
from weijian.supervision.models import (
    SUBCATEGORIES,
    HospitalLevel,
    Institution,
    InstitutionCategory,
)

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "supervision.institution_create": "登记医疗卫生机构",
        "supervision.institution_update": "修改医疗卫生机构",
    }
)

# The fields a create or an edit sets (the form's fields; the import's columns).
FIELDS = (
    "name",
    "uscc",
    "license_number",
    "category",
    "subcategory",
    "ownership",
    "for_profit",
    "level",
    "grade",
    "beds",
    "region",
    "address",
    "license_valid_from",
    "license_valid_until",
    "status",
    "risk_grade",
    "supervisor",
)


def subcategory_error(category: str, subcategory: str) -> str | None:
    if not subcategory or not category:
        return None
    allowed = SUBCATEGORIES.get(category, ())
    if subcategory in allowed:
        return None
    label = InstitutionCategory(category).label
    return f"机构子类“{subcategory}”不属于机构类别“{label}”，可选：{'、'.join(allowed)}"


def rule_errors(values: Mapping[str, Any], *, known_regions: Container[str]) -> dict[str, str]:
    """The cross-field rules, as {field: Chinese message}. `known_regions` holds the region
    codes of the Region table that the licence numbers may name."""
    errors: dict[str, str] = {}
    problem = subcategory_error(values.get("category", ""), values.get("subcategory", ""))
    if problem:
        errors["subcategory"] = problem
    if values.get("grade") and values.get("level", HospitalLevel.UNRATED) == HospitalLevel.UNRATED:
        errors["grade"] = "未定级的机构不能填写等次，请先填写级别（一级、二级或三级）"
    start, end = values.get("license_valid_from"), values.get("license_valid_until")
    if start and end and end < start:
        errors["license_valid_until"] = "许可证有效期至不能早于有效期起"
    number = values.get("license_number") or ""
    if number and license_region(number) not in known_regions:
        errors["license_number"] = (
            f"执业许可证登记号第10至15位的行政区划代码{license_region(number)}"
            "在行政区划表中不存在，请核对登记号"
        )
    return errors


def snapshot(institution: Institution) -> dict[str, Any]:
    """The registry fields as plain values, for an audit summary."""
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(institution, name)
        values[name] = value if isinstance(value, bool | int) else str(value or "")
    return values


def institution_create(*, actor: User, values: Mapping[str, Any]) -> Institution:
    require_editor(actor=actor, organizations=[values["supervisor"]])
    institution = Institution(**{name: values[name] for name in FIELDS if name in values})
    with transaction.atomic():
        institution.full_clean()
        institution.save()
        audit.record(
            action="supervision.institution_create",
            actor=actor,
            obj=institution,
            organization=institution.supervisor,
            summary={"name": institution.name, "uscc": institution.uscc},
        )
    return institution


def institution_update(
    *, actor: User, institution: Institution, values: Mapping[str, Any]
) -> Institution:
    new_supervisor = values.get("supervisor", institution.supervisor)
    require_editor(actor=actor, organizations=[institution.supervisor, new_supervisor])
    before = snapshot(institution)
    for name in FIELDS:
        if name in values:
            setattr(institution, name, values[name])
    with transaction.atomic():
        institution.full_clean()
        institution.save()
        audit.record(
            action="supervision.institution_update",
            actor=actor,
            obj=institution,
            organization=institution.supervisor,
            summary={
                "name": institution.name,
                "changes": audit.changes(before, snapshot(institution)),
            },
        )
    return institution
