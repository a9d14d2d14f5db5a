"""The plans models: documents (公文), plans and their task trees, the units that carry the
tasks, and quantitative targets."""

from weijian.plans.models.documents import Disclosure, Document
from weijian.plans.models.tasks import (
    Assignment,
    AssignmentRole,
    Comparator,
    Indicator,
    Plan,
    Target,
    Task,
)
from weijian.plans.models.units import CollectiveUnit, OrganizationAlias

__all__ = [
    "Assignment",
    "AssignmentRole",
    "CollectiveUnit",
    "Comparator",
    "Disclosure",
    "Document",
    "Indicator",
    "OrganizationAlias",
    "Plan",
    "Target",
    "Task",
]
