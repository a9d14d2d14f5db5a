"""The profile importer's parser (issue 3, point 4): pure functions, no database.

    text = read_document(path)          # .txt (UTF-8 / GB18030) or .docx
    parsed = parse_profile(text)        # ParsedProfile
    parsed.to_json()                    # the shape `import_profile --json` prints

It reads agency profiles (简介: duties, 职能转变, duty boundaries, departments, staffing,
leaders' division of work, office hours), leaders' division notices ("一、X同志 主持…") and
committee rosters (领导小组 / 联席会议 with office, sub-groups and member organizations).
"""

from weijian.core.text.document import DocumentError, read_document

from .model import (
    Boundary,
    Committee,
    Department,
    Duty,
    Leader,
    Member,
    MemberOrganization,
    OfficeHours,
    Organization,
    ParsedProfile,
    ParseWarning,
    Post,
    Staffing,
)
from .parser import parse_profile

__all__ = [
    "Boundary",
    "Committee",
    "Department",
    "DocumentError",
    "Duty",
    "Leader",
    "Member",
    "MemberOrganization",
    "OfficeHours",
    "Organization",
    "ParseWarning",
    "ParsedProfile",
    "Post",
    "Staffing",
    "parse_profile",
    "read_document",
]
