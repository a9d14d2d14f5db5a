"""What the profile parser produces: plain dataclasses and their JSON form.

`ParsedProfile.to_json()` gives the shape other tools consume (see issue 3, point 4). Extra keys
beyond that shape are documented on each class. Duty kinds are "duty" and "transformation"
(职能转变). Committee kinds are 领导小组, 联席会议, 工作推进组 and 办公室; `kind_label` keeps
the word the document used (委员会, 工作组, 专班 …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ParseWarning:
    line: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass
class Organization:
    """Extra keys: short_name (as the text calls itself), head, address, phone, postcode, fax,
    email, website, document_title."""

    name: str = ""
    plates: list[str] = field(default_factory=list)
    rank: str = ""
    short_name: str = ""
    contacts: dict[str, str] = field(default_factory=dict)
    document_title: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "plates": list(self.plates), "rank": self.rank}
        data["short_name"] = self.short_name
        data["document_title"] = self.document_title
        data.update(self.contacts)
        return data


@dataclass
class Duty:
    number: int
    text: str
    kind: str = "duty"  # "duty" or "transformation" (职能转变)
    line: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text, "kind": self.kind, "line": self.line}


@dataclass
class Boundary:
    """Extra key: with_all, every organization named when the split involves several."""

    with_: str
    text: str
    with_all: list[str] = field(default_factory=list)
    line: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "with": self.with_,
            "text": self.text,
            "with_all": list(self.with_all),
            "line": self.line,
        }


@dataclass
class Department:
    """Extra keys: kind (内设机构 / 机关党组织 / 内设科室), source (where it was found), line."""

    name: str
    aliases: list[str] = field(default_factory=list)
    duties: str = ""
    kind: str = "内设机构"
    source: str = "内设机构"
    line: int = 0

    def names(self) -> set[str]:
        return {self.name, *self.aliases}

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "duties": self.duties,
            "kind": self.kind,
            "source": self.source,
            "line": self.line,
        }


@dataclass
class Post:
    """Extra keys: leadership (a 领导职数 quota), note (e.g. 副科长级), concurrent (兼任 …),
    includes (posts counted inside this one)."""

    title: str
    count: int
    leadership: bool = False
    note: str = ""
    concurrent: str = ""
    includes: list[Post] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "count": self.count,
            "leadership": self.leadership,
        }
        if self.note:
            data["note"] = self.note
        if self.concurrent:
            data["concurrent"] = self.concurrent
        if self.includes:
            data["includes"] = [post.to_json() for post in self.includes]
        return data


@dataclass
class Staffing:
    """Extra keys: other (事业编制 and other quotas by name), leadership (the 职数 posts)."""

    administrative: int | None = None
    posts: list[Post] = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "administrative": self.administrative,
            "posts": [post.to_json() for post in self.posts],
            "other": dict(self.other),
            "leadership": [post.to_json() for post in self.posts if post.leadership],
        }


@dataclass
class Leader:
    """Extra keys: grade (职级 such as 一级主任科员, kept apart from the posts in titles), notes
    (挂职 …), supervises_as_written (with brackets), line."""

    name: str
    titles: list[str] = field(default_factory=list)
    grade: str = ""
    responsibilities: str = ""
    supervises: list[str] = field(default_factory=list)
    assists: list[str] = field(default_factory=list)
    liaisons: list[str] = field(default_factory=list)
    liaison_regions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    supervises_as_written: list[str] = field(default_factory=list)
    line: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "titles": list(self.titles),
            "grade": self.grade,
            "responsibilities": self.responsibilities,
            "supervises": list(self.supervises),
            "assists": list(self.assists),
            "liaisons": list(self.liaisons),
            "liaison_regions": list(self.liaison_regions),
            "notes": list(self.notes),
            "supervises_as_written": list(self.supervises_as_written),
            "line": self.line,
        }


@dataclass
class Member:
    """Extra keys: concurrent (兼), line."""

    role: str
    name: str
    post: str = ""
    concurrent: bool = False
    line: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "post": self.post,
            "concurrent": self.concurrent,
            "line": self.line,
        }


@dataclass
class MemberOrganization:
    """Extra keys: liaison_post, liaison_phone (when the roster gives them)."""

    name: str
    liaison: str = ""
    liaison_post: str = ""
    liaison_phone: str = ""

    def to_json(self) -> dict[str, Any]:
        data = {"name": self.name, "liaison": self.liaison}
        if self.liaison_post:
            data["liaison_post"] = self.liaison_post
        if self.liaison_phone:
            data["liaison_phone"] = self.liaison_phone
        return data


@dataclass
class Committee:
    """Extra keys: kind_label, host and office_location (where it sits), duties (one paragraph
    a line), meeting_rule (每月1次), meeting_rule_text, rules, description, line."""

    name: str
    kind: str
    kind_label: str = ""
    host: str = ""
    members: list[Member] = field(default_factory=list)
    member_organizations: list[MemberOrganization] = field(default_factory=list)
    subgroups: list[Committee] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    meeting_rule: str = ""
    meeting_rule_text: str = ""
    rules: list[str] = field(default_factory=list)
    description: str = ""
    expected_subgroups: int | None = None
    line: int = 0

    def is_empty(self) -> bool:
        return not (self.members or self.member_organizations or self.subgroups or self.duties)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "host": self.host,
            "members": [member.to_json() for member in self.members],
            "member_organizations": [org.to_json() for org in self.member_organizations],
            "subgroups": [group.to_json() for group in self.subgroups],
            "duties": "\n".join(self.duties),
            "office_location": self.host,
            "meeting_rule": self.meeting_rule,
            "meeting_rule_text": self.meeting_rule_text,
            "rules": list(self.rules),
            "description": self.description,
            "line": self.line,
        }


@dataclass
class OfficeHours:
    """Extra keys: from / to (MM-DD, when the text gives a date range), days, holidays_excluded."""

    season: str
    sessions: list[tuple[str, str]] = field(default_factory=list)
    from_: str = ""
    to: str = ""
    days: str = ""
    holidays_excluded: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "season": self.season,
            "sessions": [[start, end] for start, end in self.sessions],
        }
        if self.from_:
            data["from"] = self.from_
        if self.to:
            data["to"] = self.to
        data["days"] = self.days
        data["holidays_excluded"] = self.holidays_excluded
        return data


@dataclass
class ParsedProfile:
    organization: Organization = field(default_factory=Organization)
    duties: list[Duty] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    staffing: Staffing = field(default_factory=Staffing)
    leaders: list[Leader] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    office_hours: list[OfficeHours] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))

    def to_json(self) -> dict[str, Any]:
        return {
            "organization": self.organization.to_json(),
            "duties": [duty.to_json() for duty in self.duties],
            "boundaries": [boundary.to_json() for boundary in self.boundaries],
            "departments": [department.to_json() for department in self.departments],
            "staffing": self.staffing.to_json(),
            "leaders": [leader.to_json() for leader in self.leaders],
            "committees": [committee.to_json() for committee in self.committees],
            "office_hours": [hours.to_json() for hours in self.office_hours],
            "warnings": [w.to_json() for w in sorted(self.warnings, key=lambda w: w.line)],
        }
