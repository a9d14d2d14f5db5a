"""Comprehensive supervision: the registries (一户一档), the two pools, the item list, sampling
plans with their draws, and inspections with their publication."""

from weijian.supervision.models.inspections import (
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionState,
    RectificationStatus,
)
from weijian.supervision.models.institutions import (
    SUBCATEGORIES,
    HospitalGrade,
    HospitalLevel,
    Institution,
    InstitutionCategory,
    InstitutionStatus,
    Ownership,
    RiskGrade,
)
from weijian.supervision.models.items import CheckPoint, InspectionItem
from weijian.supervision.models.pools import (
    Expert,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    PoolStatus,
)
from weijian.supervision.models.practitioners import (
    PracticeSite,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
)
from weijian.supervision.models.sampling import Draw, PlanState, SamplingPlan

__all__ = [
    "SUBCATEGORIES",
    "CheckOutcome",
    "CheckPoint",
    "CheckResult",
    "Draw",
    "Expert",
    "HospitalGrade",
    "HospitalLevel",
    "Inspection",
    "InspectionItem",
    "InspectionPhoto",
    "InspectionResult",
    "InspectionState",
    "Inspector",
    "InspectorEmployment",
    "InspectorRelative",
    "Institution",
    "InstitutionCategory",
    "InstitutionStatus",
    "Ownership",
    "PlanState",
    "PoolStatus",
    "PracticeSite",
    "Practitioner",
    "PractitionerKind",
    "PractitionerStatus",
    "RectificationStatus",
    "RiskGrade",
    "SamplingPlan",
]
