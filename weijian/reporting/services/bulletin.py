"""Saving the editable parts of a monthly notice (通报): title, 文号, narrative and 抄送.

Kept by the plan editors (科室人员 of the plan's owner or above it); the check runs before the
transaction, so a refusal's audit event survives. The 文号 is written as GB/T 9704 wants it
(萍卫通〔2024〕5号) whatever brackets were typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.accounts.access import require_plan_editor
from weijian.core import audit
from weijian.core.docnumbers import DocNumberError, parse_docnumber
from weijian.reporting.bulletin import cc_names
from weijian.reporting.models import Bulletin, ReportingCycle

if TYPE_CHECKING:
    from weijian.accounts.models import User
    from weijian.reporting.periods import Period

audit.register_actions({"reporting.bulletin_save": "保存通报"})

FIELDS = ("title", "number", "narrative", "cc")


def clean_number(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        return str(parse_docnumber(text))
    except DocNumberError as error:
        raise ValidationError({"number": f"文号{error}（应如 萍卫通〔2024〕5号）"}) from None


@transaction.atomic
def _save(
    *, cycle: ReportingCycle, period: Period, actor: User, values: dict[str, str]
) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().filter(cycle=cycle, period=period.key).first()
    bulletin = bulletin or Bulletin(cycle=cycle, period=period.key)
    changed = [name for name in FIELDS if getattr(bulletin, name) != values[name]]
    for name in FIELDS:
        setattr(bulletin, name, values[name])
    bulletin.updated_by = actor
    bulletin.full_clean(exclude=["cycle", "updated_by"], validate_unique=False)
    bulletin.save()
    audit.record(
        action="reporting.bulletin_save",
        actor=actor,
        obj=bulletin,
        organization=cycle.plan.owner,
        summary={"cycle": cycle.pk, "period": period.key, "changed": changed},
    )
    return bulletin


def bulletin_save(
    *,
    cycle: ReportingCycle,
    period: Period,
    actor: User,
    title: str,
    number: str = "",
    narrative: str = "",
    cc: str = "",
) -> Bulletin:
    """Create or update the notice of the cycle × period."""
    require_plan_editor(actor=actor, organizations=[cycle.plan.owner])
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "请填写通报标题。"})
    values = {
        "title": title,
        "number": clean_number(number),
        "narrative": narrative.strip(),
        "cc": "\n".join(cc_names(cc)),
    }
    return _save(cycle=cycle, period=period, actor=actor, values=values)
