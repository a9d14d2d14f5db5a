"""The organisation registry: who does what.

places      regions and organizations (the tree every record hangs from)
structure   departments, duties, duty boundaries, staffing
people      persons, posts, the leaders' division of work
committees  leading groups, joint meetings, their members and offices
hours       office hours by season
"""

from weijian.orgs.models.committees import Committee, CommitteeKind, CommitteeMember, MemberRole
from weijian.orgs.models.hours import OfficeHours
from weijian.orgs.models.people import LeaderAssignment, Person, Post
from weijian.orgs.models.places import (
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    Organization,
    OrganizationKind,
    Region,
    RegionLevel,
)
from weijian.orgs.models.structure import (
    Department,
    DepartmentKind,
    Duty,
    DutyBoundary,
    DutyKind,
    StaffingPost,
    StaffingQuota,
)

__all__ = [
    "PATH_SEGMENT_WIDTH",
    "PATH_SEPARATOR",
    "Committee",
    "CommitteeKind",
    "CommitteeMember",
    "Department",
    "DepartmentKind",
    "Duty",
    "DutyBoundary",
    "DutyKind",
    "LeaderAssignment",
    "MemberRole",
    "OfficeHours",
    "Organization",
    "OrganizationKind",
    "Person",
    "Post",
    "Region",
    "RegionLevel",
    "StaffingPost",
    "StaffingQuota",
]
