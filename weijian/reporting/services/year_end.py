"""年终奖惩: a proposed list of units to commend and to sanction, from the year's monitoring
record (RULES.md: commendation for leading units, sanction for lagging ones), for people to
edit.

The record. A unit's year score is the mean of its period scores (`status.unit_status`: the
weighted target achievement, completeness and timeliness of the monthly ranking) over the
periods of the year in which it was expected to report; its accountability count is the number
of accountability records opened in the year (Asia/Shanghai) on the plan's tasks for it.

The proposal. Sanction (拟通报批评): a year score below `threshold` (default 0.6), or
`accountabilities` or more records (default 2). Commend (拟表扬): of the others, those whose
year rank is within `top` (default 3; units with equal scores share a rank, so a tie at the
last place takes them all) and whose score reaches the threshold. A unit is never on both
lists: repeated accountability outweighs a high score.

Proposing again recomputes the list: rows nobody edited are updated, created or removed; a row
a person edited (`updated_by` set) is kept as he left it. Edits (`proposal_update`,
`proposal_add`) are made by the 科室人员 and 领导 of the plan's owner or above, and each writes
an audit event, as does each proposal run.

Cost: two aggregate queries per period of the year (those of `unit_status`, at most 24 for a
monthly cycle, whatever the number of units) and one for the accountability counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from weijian.accounts.access import require_role_over
from weijian.accounts.roles import Role
from weijian.core import audit
from weijian.orgs.models import Organization
from weijian.reporting.models import (
    Accountability,
    ProgressReport,
    ProposalKind,
    ReportingCycle,
    YearEndProposal,
)
from weijian.reporting.periods import SHANGHAI, periods
from weijian.reporting.status import unit_status

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "reporting.year_end_propose": "生成年终奖惩建议名单",
        "reporting.year_end_update": "修改年终奖惩建议",
        "reporting.year_end_add": "增列年终奖惩建议",
    }
)

EDITORS = (Role.STAFF, Role.LEADER)
TOP = 3
THRESHOLD = 0.6
ACCOUNTABILITIES = 2
REASON_LENGTH = 1000


@dataclass
class YearFigure:
    organization_id: int
    unit: str
    scores: list[float] = field(default_factory=list)
    accountabilities: int = 0
    rank: int = 0

    @property
    def score(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0


def year_periods(cycle: ReportingCycle, year: int) -> list[str]:
    """The keys of the cycle's periods of the year that have expected reports."""
    keys = [
        p.key
        for p in periods(cycle.frequency, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ]
    found = ProgressReport.objects.filter(cycle=cycle, period__in=keys)
    opened = set(found.order_by().values_list("period", flat=True).distinct())
    return [key for key in keys if key in opened]


def year_figures(cycle: ReportingCycle, year: int) -> list[YearFigure]:
    """Each unit expected in the year: its mean period score and accountability count, ranked
    (best first; equal scores share a rank)."""
    figures: dict[int, YearFigure] = {}
    for key in year_periods(cycle, year):
        for row in unit_status(cycle, key):
            figure = figures.setdefault(
                row.organization_id, YearFigure(row.organization_id, row.unit)
            )
            figure.scores.append(row.score)
    for org_id, count in _accountabilities(cycle, year).items():
        if org_id in figures:
            figures[org_id].accountabilities = count
    ranked = sorted(figures.values(), key=lambda f: (-round(f.score, 9), f.unit))
    for position, figure in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        tie = previous is not None and round(previous.score, 9) == round(figure.score, 9)
        figure.rank = previous.rank if previous is not None and tie else position
    return ranked


def _accountabilities(cycle: ReportingCycle, year: int) -> dict[int, int]:
    start = datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    rows = (
        Accountability.objects.filter(
            task__plan=cycle.plan, opened_at__gte=start, opened_at__lt=end
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["organization_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Candidate:
    organization_id: int
    kind: str
    score: float
    reason: str


def candidates(
    figures: list[YearFigure], *, top: int, threshold: float, accountabilities: int
) -> list[Candidate]:
    """The proposal from the ranked figures (see the module's docstring). Pure."""
    found = []
    for f in figures:
        score = f"年度平均得分{f.score:.2f}，位列第{f.rank}"
        low = f.score < threshold
        many = accountabilities > 0 and f.accountabilities >= accountabilities
        if low or many:
            why = [score]
            if low:
                why.append(f"低于{threshold:.2f}")
            if f.accountabilities:
                why.append(f"年内问责{f.accountabilities}次")
            found.append(
                Candidate(f.organization_id, ProposalKind.SANCTION, f.score, "；".join(why))
            )
        elif f.rank <= top:
            found.append(Candidate(f.organization_id, ProposalKind.COMMEND, f.score, score))
    return found


@dataclass
class Proposed:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # rows a person edited, left as they are


def _require_editor(actor: User, cycle: ReportingCycle) -> None:
    owner = cycle.plan.owner
    require_role_over(
        actor=actor,
        roles=EDITORS,
        organizations=[owner],
        reason=f"只有{owner.name}或其上级单位的科室人员或领导可以编制年终奖惩建议。",
    )


def _check_options(year: int, top: int, threshold: float, accountabilities: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000–2100年之间"})
    if not 0 <= top <= 100:
        raise ValidationError({"top": "拟表扬单位数应在0–100之间"})
    if not 0 <= threshold <= 1:
        raise ValidationError({"threshold": "得分线应在0–1之间"})
    if not 0 <= accountabilities <= 100:
        raise ValidationError({"accountabilities": "问责次数应在0–100之间（0为不按问责次数）"})


def propose(
    *,
    cycle: ReportingCycle,
    year: int,
    actor: User | None = None,
    top: int = TOP,
    threshold: float = THRESHOLD,
    accountabilities: int = ACCOUNTABILITIES,
) -> Proposed:
    """Write the year's proposal (see the module's docstring). `actor=None` is trusted server
    code."""
    if actor is not None:
        _require_editor(actor, cycle)
    _check_options(year, top, threshold, accountabilities)
    found = candidates(
        year_figures(cycle, year), top=top, threshold=threshold, accountabilities=accountabilities
    )
    result = Proposed()
    with transaction.atomic():
        rows = YearEndProposal.objects.select_for_update().filter(cycle=cycle, year=year)
        existing = {row.organization_id: row for row in rows}
        for candidate in found:
            _write(result, cycle, year, candidate, existing.pop(candidate.organization_id, None))
        stale = [row.pk for row in existing.values() if row.updated_by_id is None]
        result.kept += len(existing) - len(stale)
        result.removed = YearEndProposal.objects.filter(pk__in=stale).delete()[0]
        audit.record(
            action="reporting.year_end_propose",
            actor=actor,
            obj=cycle,
            organization=cycle.plan.owner,
            username="" if actor is not None else "system",
            summary={
                "cycle": cycle.pk,
                "year": year,
                "top": top,
                "threshold": threshold,
                "accountabilities": accountabilities,
                "created": result.created,
                "updated": result.updated,
                "removed": result.removed,
                "kept": result.kept,
            },
        )
    return result


def _write(
    result: Proposed,
    cycle: ReportingCycle,
    year: int,
    candidate: Candidate,
    row: YearEndProposal | None,
) -> None:
    values = {
        "kind": candidate.kind,
        "score": round(candidate.score, 4),
        "reason": candidate.reason,
    }
    if row is None:
        YearEndProposal.objects.create(
            cycle=cycle, year=year, organization_id=candidate.organization_id, **values
        )
        result.created += 1
    elif row.updated_by_id is not None:
        result.kept += 1
    elif any(getattr(row, k) != v for k, v in values.items()) or not row.included:
        for name, value in values.items():
            setattr(row, name, value)
        row.included = True
        row.save(update_fields=[*values, "included"])
        result.updated += 1


# --- people edit the list ---------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in ProposalKind.values:
        raise ValidationError({"kind": "请选择拟表扬或拟通报批评"})
    return kind


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": "请填写理由"})
    if len(text) > REASON_LENGTH:
        raise ValidationError({"reason": f"理由不能超过{REASON_LENGTH}个字"})
    return text


def _values(row: YearEndProposal) -> dict[str, Any]:
    return {"kind": row.kind, "reason": row.reason, "included": row.included}


def proposal_update(
    *, actor: User, proposal: YearEndProposal, kind: str, reason: str, included: bool
) -> YearEndProposal:
    """A person's change: the row is his from now on (a new proposal run keeps it)."""
    cycle = proposal.cycle
    _require_editor(actor, cycle)
    fields = {"kind": _kind(kind), "reason": _reason(reason), "included": bool(included)}
    with transaction.atomic():
        before = _values(proposal)
        for name, value in fields.items():
            setattr(proposal, name, value)
        proposal.updated_by = actor
        proposal.save(update_fields=[*fields, "updated_by"])
        audit.record(
            action="reporting.year_end_update",
            actor=actor,
            obj=proposal,
            organization=cycle.plan.owner,
            summary={
                "cycle": cycle.pk,
                "year": proposal.year,
                "unit": proposal.organization.name,
                "changes": audit.changes(before, _values(proposal)),
            },
        )
    return proposal


def proposal_add(
    *,
    actor: User,
    cycle: ReportingCycle,
    year: int,
    organization: Organization | None,
    kind: str,
    reason: str,
) -> YearEndProposal:
    """A unit the proposal left out, added by a person (one of the plan owner's tree)."""
    _require_editor(actor, cycle)
    _check_options(year, TOP, THRESHOLD, ACCOUNTABILITIES)
    if organization is None:
        raise ValidationError({"organization": "请选择单位"})
    if not organization.is_within(cycle.plan.owner):
        raise ValidationError(
            {"organization": f"“{organization.name}”不是{cycle.plan.owner.name}所属的单位"}
        )
    fields = {"kind": _kind(kind), "reason": _reason(reason)}
    if YearEndProposal.objects.filter(cycle=cycle, year=year, organization=organization).exists():
        raise ValidationError({"organization": f"“{organization.name}”已在{year}年的名单中"})
    score = next(
        (f.score for f in year_figures(cycle, year) if f.organization_id == organization.pk), None
    )
    with transaction.atomic():
        row = YearEndProposal.objects.create(
            cycle=cycle,
            year=year,
            organization=organization,
            score=round(score, 4) if score is not None else None,
            updated_by=actor,
            **fields,
        )
        audit.record(
            action="reporting.year_end_add",
            actor=actor,
            obj=row,
            organization=cycle.plan.owner,
            summary={"cycle": cycle.pk, "year": year, "unit": organization.name, **fields},
        )
    return row
