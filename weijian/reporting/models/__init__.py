"""The reporting models: cycles on a plan, the progress reports they expect (one task × one
organization × one period), the values of targets reported, the review trail, reopenings and
attachments."""

from weijian.reporting.models.cycles import DueRule, Reopening, ReportingCycle
from weijian.reporting.models.oversight import (
    Accountability,
    AccountabilityStatus,
    AgendaItem,
    AgendaSource,
    Bulletin,
    FollowUp,
    Meeting,
    ProposalKind,
    SupervisionVisit,
    VisitFinding,
    YearEndProposal,
)
from weijian.reporting.models.reports import (
    ProgressReport,
    ReportAttachment,
    ReportStatus,
    ReviewAction,
    ReviewStep,
    TargetValue,
    TaskStatus,
)

__all__ = [
    "Accountability",
    "AccountabilityStatus",
    "AgendaItem",
    "AgendaSource",
    "Bulletin",
    "FollowUp",
    "Meeting",
    "ProposalKind",
    "SupervisionVisit",
    "VisitFinding",
    "YearEndProposal",
    "DueRule",
    "ProgressReport",
    "Reopening",
    "ReportAttachment",
    "ReportStatus",
    "ReportingCycle",
    "ReviewAction",
    "ReviewStep",
    "TargetValue",
    "TaskStatus",
]
