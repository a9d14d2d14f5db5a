"""Writing a parsed profile into the registry, through the registry services.

`plan_profile` resolves the names the document uses (departments by name and alias, liaison
organizations, liaison regions) and says what it could not place; `apply_profile` writes the
plan in one transaction. Both work on the JSON shape `parse_profile(...).to_json()` returns, so
that the upload page can let a user correct it before it is applied.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.core import audit
from weijian.core.scoping import in_scope
from weijian.orgs import services
from weijian.orgs.models import (
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    Committee,
    CommitteeKind,
    Department,
    DepartmentKind,
    MemberRole,
    Organization,
    OrganizationKind,
    Region,
)
from weijian.orgs.names import normalize_name, normalize_person

if TYPE_CHECKING:
    from weijian.accounts.models import User

Profile = Mapping[str, Any]

audit.register_actions({"profile.import": "导入机构资料"})


@dataclass
class ProfilePlan:
    """How the profile's names resolve against the registry."""

    organization: Organization | None  # None: a new root organization is created
    name: str
    liaisons_found: dict[str, Organization] = field(default_factory=dict)
    liaisons_new: list[str] = field(default_factory=list)
    regions_found: dict[str, Region] = field(default_factory=dict)
    regions_missing: list[str] = field(default_factory=list)
    departments_missing: list[str] = field(default_factory=list)
    collectives: list[str] = field(default_factory=list)
    default_seasons: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """What the preview should flag, in Chinese."""
        notes = [
            f"联系单位“{name}”在系统中不存在，导入时将作为新单位建立" for name in self.liaisons_new
        ]
        notes += [
            f"联系点“{name}”未能匹配到行政区划，将按原文保存" for name in self.regions_missing
        ]
        notes += [
            f"分管科室“{name}”不是该单位的内设机构，将按原文保存"
            for name in self.departments_missing
        ]
        notes += [f"联系单位“{name}”是泛指，将按原文保存" for name in self.collectives]
        if (
            self.organization is not None
            and self.name
            and not _same_body(self.name, self.organization)
        ):
            notes.insert(
                0, f"文中的单位是“{self.name}”，将导入到“{self.organization.name}”，请确认"
            )
        notes += [
            f"办公时间“{season}”未写明起止日期，按常用安排"
            f"{DEFAULT_SEASONS[season][0]}至{DEFAULT_SEASONS[season][1]}设定"
            for season in self.default_seasons
        ]
        return notes


def _same_body(name: str, organization: Organization) -> bool:
    """Whether the document's name plausibly means this organization (区卫生健康委 for
    渝中区卫生健康委员会)."""
    known = [organization.name, *organization.plates]
    return any(
        name in other or other in name or _is_abbreviation(name, other) for other in known
    ) or any(PLACE_PREFIX.sub("", name)[:4] in other for other in known)


def _all(values: Iterable[object]) -> list[str]:
    return [normalize_name(str(value)) for value in values if str(value).strip()]


def _existing_department_names(organization: Organization | None) -> set[str]:
    if organization is None:
        return set()
    return {name for d in organization.departments.all() for name in d.all_names()}


def _department_names(profile: Profile) -> set[str]:
    names: set[str] = set()
    for department in profile.get("departments", []):
        names.update(_all([department.get("name", ""), *department.get("aliases", [])]))
    return names


def _candidates(user: User | None, organization: Organization | None) -> list[Organization]:
    """The organizations a document's names may mean: the user's scope, and within it the
    tree of the organization the document goes into."""
    organizations = Organization.objects.all()
    if user is not None:
        organizations = in_scope(organizations, user, via="")
    if organization is not None:
        root = organization.path[: PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)]
        organizations = organizations.filter(path__startswith=root)
    return list(organizations)


def _index(organizations: Iterable[Organization]) -> dict[str, Organization]:
    index: dict[str, Organization] = {}
    for organization in organizations:
        for name in [organization.name, *organization.plates]:
            index.setdefault(normalize_name(name), organization)
    return index


# Collective wordings (全市各乡镇卫生院) name a group of bodies, not one: kept as written.
COLLECTIVE = re.compile(r"^(全市|全区|全县|全旗|各)")
BRACKETED = re.compile(r"（[^）]*）")
PLACE_PREFIX = re.compile(r"^[市区县旗]")


def _find_unit(
    name: str,
    organizations: list[Organization],
    index: Mapping[str, Organization],
    place: str = "",
) -> Organization | None:
    """By exact name or plate; then with the place the document leaves out (市人民医院 in 临江市
    is 临江市人民医院); else the one organization whose name ends with the document's short form
    (医保经办中心 → 临江市医保经办中心)."""
    if name in index:
        return index[name]
    if place and name.startswith(place[-1]) and place[:-1] + name in index:
        return index[place[:-1] + name]
    stem = PLACE_PREFIX.sub("", BRACKETED.sub("", name))
    if len(stem) < 3:
        return None
    matches = {
        o.pk: o
        for o in organizations
        if any(normalize_name(known).endswith(stem) for known in [o.name, *o.plates])
    }
    return next(iter(matches.values())) if len(matches) == 1 else None


def _is_abbreviation(short: str, full: str) -> bool:
    """陈旗 for 陈巴尔虎旗, 新右旗 for 新巴尔虎右旗, 扎兰屯 for 扎兰屯市: same first character, the
    short name's characters in order within the full one, and the same last character unless
    the full name only adds a level word (市/县/区/旗)."""
    if len(short) < 2 or short[0] != full[0]:
        return False
    if full.startswith(short) and len(full) - len(short) <= 1:
        return True
    remaining = iter(full[1:])
    return short[-1] == full[-1] and all(character in remaining for character in short[1:])


def _region_for(name: str, within: str = "") -> Region | None:
    """A region by its name, or by the abbreviation documents use, when only one fits. `within`
    is a code prefix (the profile body's region) that narrows the search."""
    exact = Region.objects.filter(name=name).order_by("-level").first()
    if exact is not None or len(name) < 2:
        return exact
    candidates = Region.objects.filter(code__startswith=within, name__startswith=name[0])
    matches = [region for region in candidates if _is_abbreviation(name, region.name)]
    return matches[0] if len(matches) == 1 else None


def _place(organization: Organization | None) -> str:
    """The name of the organization's region (临江市), which documents abbreviate to 市."""
    region = organization.region if organization is not None else None
    return region.name if region is not None else ""


def _region_prefix(organization: Organization | None) -> str:
    """The prefecture-level code prefix of the organization's region (1507 for 150700)."""
    if organization is None or organization.region_id is None:
        return ""
    return str(organization.region_id)[:4]


def plan_profile(
    profile: Profile, *, organization: Organization | None = None, user: User | None = None
) -> ProfilePlan:
    name = normalize_name(profile.get("organization", {}).get("name", ""))
    if organization is None:
        organization = _index(_candidates(user, None)).get(name)
    organizations = _candidates(user, organization)
    index = _index(organizations)
    plan = ProfilePlan(organization=organization, name=name)
    plan.default_seasons = [
        str(item["season"])
        for item in profile.get("office_hours", [])
        if item.get("season") in DEFAULT_SEASONS and not item.get("from")
    ]
    departments = _department_names(profile) | _existing_department_names(organization)
    within = _region_prefix(organization)
    for leader in profile.get("leaders", []):
        for unit in _all(leader.get("liaisons", [])):
            found = _find_unit(unit, organizations, index, _place(organization))
            if found is not None:
                plan.liaisons_found[unit] = found
            elif COLLECTIVE.match(unit):
                plan.collectives.append(unit)
            elif unit not in plan.liaisons_new:
                plan.liaisons_new.append(unit)
        for region_name in _all(leader.get("liaison_regions", [])):
            region = _region_for(region_name, within) or _region_for(region_name)
            if region is not None:
                plan.regions_found[region_name] = region
            elif region_name not in plan.regions_missing:
                plan.regions_missing.append(region_name)
        for supervised in _all([*leader.get("supervises", []), *leader.get("assists", [])]):
            if supervised not in departments and supervised not in plan.departments_missing:
                plan.departments_missing.append(supervised)
    return plan


@dataclass
class ApplyResult:
    organization: Organization
    counts: dict[str, int] = field(default_factory=dict)


def apply_profile(
    profile: Profile,
    plan: ProfilePlan,
    *,
    actor: User | None,
    source: str = "",
    filename: str = "",
) -> ApplyResult:
    """Write everything in one transaction; any refusal rolls the whole import back."""
    if plan.organization is None and not plan.name:
        raise ValidationError("未能从文中识别单位名称，请指定导入到哪个单位")
    if plan.organization is None and PLACE_PREFIX.match(plan.name):
        raise ValidationError(f"文中单位名称“{plan.name}”不完整，请指定导入到哪个单位")
    with transaction.atomic():
        organization = plan.organization or _create_root(plan.name, source)
        result = ApplyResult(organization=organization)
        common = {"actor": actor, "organization": organization, "source": source}
        _apply_details(profile, common)
        departments = _apply_departments(profile, common, result)
        _apply_duties(profile, common, result)
        _apply_staffing(profile, common)
        _apply_leaders(profile, plan, departments, common, result)
        _apply_committees(profile, actor, organization, source, result)
        _apply_office_hours(profile, common, result)
        audit.record(
            action="profile.import",
            actor=actor,
            obj=organization,
            organization=organization,
            username=source if actor is None else "",
            summary={"file": filename, "counts": result.counts, "notes": plan.notes()},
        )
    return result


def _create_root(name: str, source: str) -> Organization:
    return services.organization_insert(
        name=name,
        kind=OrganizationKind.HEALTH_AUTHORITY,
        parent=None,
        source=source or "import_profile",
    )


def _apply_details(profile: Profile, common: dict[str, Any]) -> None:
    details = profile.get("organization", {})
    organization: Organization = common["organization"]
    services.organization_details_update(
        **common,
        plates=[*organization.plates, *details.get("plates", [])],
        rank=details.get("rank") or organization.rank,
        address=details.get("address") or organization.address,
        postcode=details.get("postcode") or organization.postcode,
        phone=details.get("phone") or organization.phone,
        website=_website(details.get("website")) or organization.website,
        opened_on=organization.opened_on,
        closed_on=organization.closed_on,
        publishes=organization.publishes,
    )


def _website(value: str | None) -> str:
    """A website as the URL field accepts it (documents often drop the scheme)."""
    value = (value or "").replace(" ", "")
    if value and not value.startswith(("http://", "https://")):
        value = "http://" + value
    return value


def _apply_departments(
    profile: Profile, common: dict[str, Any], result: ApplyResult
) -> dict[str, Department]:
    """Create or update each department; returns every name and alias → department."""
    organization: Organization = common["organization"]
    by_name = {name: d for d in organization.departments.all() for name in d.all_names()}
    for order, item in enumerate(profile.get("departments", []), start=1):
        name = normalize_name(item.get("name", ""))
        current = by_name.get(name)
        department = services.department_save(
            **common,
            name=current.name if current else name,
            aliases=[*(current.aliases if current else []), *item.get("aliases", [])],
            kind=item.get("kind") or (current.kind if current else DepartmentKind.INTERNAL),
            duties=item.get("duties") or (current.duties if current else ""),
            order=current.order if current else order,
            department=current,
        )
        for known in department.all_names():
            by_name[known] = department
    result.counts["departments"] = len(profile.get("departments", []))
    return by_name


def _apply_duties(profile: Profile, common: dict[str, Any], result: ApplyResult) -> None:
    organization: Organization = common["organization"]
    existing = {(d.kind, d.number): d for d in organization.duties.filter(department=None)}
    for item in profile.get("duties", []):
        kind = item.get("kind", "duty")
        services.duty_save(
            **common,
            number=int(item["number"]),
            text=item.get("text", ""),
            kind=kind,
            duty=existing.get((kind, int(item["number"]))),
        )
    boundaries = {b.other_name: b for b in organization.duty_boundaries.all()}
    for order, item in enumerate(profile.get("boundaries", []), start=1):
        services.duty_boundary_save(
            **common,
            other_name=item.get("with", ""),
            text=item.get("text", ""),
            order=order,
            boundary=boundaries.get(normalize_name(item.get("with", ""))),
        )
    result.counts["duties"] = len(profile.get("duties", []))
    result.counts["boundaries"] = len(profile.get("boundaries", []))


def _apply_staffing(profile: Profile, common: dict[str, Any]) -> None:
    staffing = profile.get("staffing") or {}
    posts = [(post["title"], int(post["count"])) for post in staffing.get("posts", [])]
    if staffing.get("administrative") is not None or posts:
        services.staffing_save(**common, administrative=staffing.get("administrative"), posts=posts)


def _apply_leaders(
    profile: Profile,
    plan: ProfilePlan,
    departments: Mapping[str, Department],
    common: dict[str, Any],
    result: ApplyResult,
) -> None:
    organization: Organization = common["organization"]
    current = {
        p.person.name: p for p in organization.posts.filter(end_on=None).select_related("person")
    }
    new_units: dict[str, Organization] = {}
    for order, leader in enumerate(profile.get("leaders", []), start=1):
        person_name = normalize_person(leader.get("name", ""))
        titles, grade = _titles_and_grade(leader)
        post = services.post_save(
            **common,
            person_name=person_name,
            titles=titles,
            grade=grade,
            order=order,
            post=current.get(person_name),
        )
        liaisons: list[Organization] = []
        unresolved: dict[str, list[str]] = {
            "supervises": [],
            "assists": [],
            "liaisons": [],
            "liaison_regions": [],
        }
        for unit in _all(leader.get("liaisons", [])):
            if unit in plan.collectives:
                unresolved["liaisons"].append(unit)
                continue
            if unit not in plan.liaisons_found and unit not in new_units:
                new_units[unit] = services.organization_insert(
                    name=unit,
                    kind=OrganizationKind.OTHER,
                    parent=organization,
                    source=common["source"] or "import_profile",
                )
            liaisons.append(plan.liaisons_found.get(unit) or new_units[unit])
        services.leader_assignment_save(
            actor=common["actor"],
            post=post,
            responsibilities=leader.get("responsibilities", ""),
            supervised=_resolve(
                leader.get("supervises", []), departments, unresolved["supervises"]
            ),
            assisted=_resolve(leader.get("assists", []), departments, unresolved["assists"]),
            liaison_organizations=liaisons,
            liaison_regions=_regions(leader, plan, unresolved["liaison_regions"]),
            unresolved=unresolved,
            source=common["source"],
        )
    result.counts["leaders"] = len(profile.get("leaders", []))
    result.counts["new_organizations"] = len(new_units)


GRADE = re.compile(
    r"^[一二三四]级(主任科员|调研员|巡视员)$|^(正|副)?(处|科)级?(干部|领导)?$|^[一二三四]级科员$"
)


def _titles_and_grade(leader: Mapping[str, Any]) -> tuple[list[str], str]:
    """Posts (党组书记, 局长) apart from the 职级 (一级主任科员); a 挂职 post is marked, so that it
    does not count against the staffing quota."""
    titles = [str(title) for title in leader.get("titles", [])]
    grades = [title for title in titles if GRADE.match(title)]
    grade = str(leader.get("grade") or "") or "、".join(grades)
    posts = [title for title in titles if title not in grades]
    if any("挂职" in str(note) for note in leader.get("notes", [])) and posts:
        posts[-1] = f"{posts[-1]}（挂职）"
    return posts, grade


def _resolve(
    names: Iterable[str], departments: Mapping[str, Department], missing: list[str]
) -> list[Department]:
    found: dict[int, Department] = {}
    for name in _all(names):
        if name in departments:
            found[departments[name].pk] = departments[name]
        else:
            missing.append(name)
    return list(found.values())


def _regions(leader: Mapping[str, Any], plan: ProfilePlan, missing: list[str]) -> list[Region]:
    regions = []
    for name in _all(leader.get("liaison_regions", [])):
        if name in plan.regions_found:
            regions.append(plan.regions_found[name])
        else:
            missing.append(name)
    return regions


ROLE_ALIASES = {"主任": "办公室主任", "副主任": "办公室副主任", "组员": "成员"}


def _role(role: str) -> str:
    """The roster's word for a role, as one of `MemberRole`: an office's 主任 is its 办公室主任."""
    if role in MemberRole.values:
        return role
    return ROLE_ALIASES.get(role, MemberRole.MEMBER)


def _kind(item: Mapping[str, Any]) -> str:
    kind = item.get("kind") or ""
    if kind in CommitteeKind.values:
        return str(kind)
    name = item.get("name", "")
    return next((k for k in CommitteeKind.values if str(k) in name), CommitteeKind.LEADING_GROUP)


def _existing_committee(host: Organization, parent: Any, name: str) -> Committee | None:
    """The committee a roster updates: the same name, or the one sibling whose name contains the
    document's or is contained in it (呼伦贝尔市卫生局深化…领导小组 for 深化…领导小组)."""
    siblings = list(Committee.objects.filter(host=host, parent=parent))
    exact = [c for c in siblings if c.name == name]
    if exact:
        return exact[0]
    near = [c for c in siblings if name.endswith(c.name) or c.name.endswith(name)]
    return near[0] if len(near) == 1 else None


def _apply_committees(
    profile: Profile, actor: User | None, host: Organization, source: str, result: ApplyResult
) -> None:
    count = 0

    def save(item: Mapping[str, Any], parent: Any, order: int) -> None:
        nonlocal count
        name = normalize_name(item.get("name", "")) or f"{host.name}议事协调机构"
        existing = _existing_committee(host, parent, name)
        for old in existing.members.all() if existing else []:  # a re-import replaces the roster
            services.committee_member_delete(actor=actor, member=old, source=source)
        committee = services.committee_save(
            actor=actor,
            host=host,
            name=existing.name if existing else name,
            kind=_kind(item),
            committee=existing,
            parent=parent,
            office_location=item.get("office_location", "") or "",
            meeting_rule=item.get("meeting_rule", "") or "",
            duties=item.get("duties", "") or "",
            order=order,
            source=source,
        )
        count += 1
        for index, member in enumerate(item.get("members", []), start=1):
            services.committee_member_save(
                actor=actor,
                committee=committee,
                role=_role(member.get("role") or ""),
                person_name=member.get("name", ""),
                post_text=member.get("post", ""),
                organization_name=member.get("organization", "") or "",
                order=index,
                source=source,
            )
        base = len(item.get("members", []))
        for index, unit in enumerate(item.get("member_organizations", []), start=base + 1):
            unit_name = unit if isinstance(unit, str) else unit.get("name", "")
            liaison = "" if isinstance(unit, str) else unit.get("liaison", "") or ""
            services.committee_member_save(
                actor=actor,
                committee=committee,
                role="成员单位",
                organization_name=unit_name,
                liaison_name=liaison,
                order=index,
                source=source,
            )
        for index, sub in enumerate(item.get("subgroups", []), start=1):
            save(sub, committee, index)

    for order, item in enumerate(profile.get("committees", []), start=1):
        save(item, None, order)
    result.counts["committees"] = count


def _time(text: str) -> datetime.time:
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


def _month_day(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    month, day = text.split("-")
    return int(month), int(day)


# Where a document names the seasons without dates, the common arrangement (as the demo uses).
DEFAULT_SEASONS = {
    "春夏": ("05-01", "09-30"),
    "夏季": ("05-01", "09-30"),
    "秋冬": ("10-01", "04-30"),
    "冬季": ("10-01", "04-30"),
}


def _season_dates(
    item: Mapping[str, Any], current: Any
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The document's dates; else the dates already on record; else the common ones."""
    if item.get("from") and item.get("to"):
        return _month_day(item["from"]), _month_day(item["to"])
    if current is not None and current.start_month:
        return (current.start_month, current.start_day), (current.end_month, current.end_day)
    default = DEFAULT_SEASONS.get(item.get("season") or "")
    if default is None:
        return None, None
    return _month_day(default[0]), _month_day(default[1])


def _apply_office_hours(profile: Profile, common: dict[str, Any], result: ApplyResult) -> None:
    organization: Organization = common["organization"]
    existing = {h.season: h for h in organization.office_hours.all()}
    for item in profile.get("office_hours", []):
        sessions = [(_time(start), _time(end)) for start, end in item.get("sessions", [])]
        if not sessions:
            continue
        season = item.get("season") or "全年"
        start, end = _season_dates(item, existing.get(season))
        services.office_hours_save(
            **common,
            season=season,
            morning=sessions[0],
            afternoon=sessions[1] if len(sessions) > 1 else None,
            start=start,
            end=end,
            hours=existing.get(season),
        )
    result.counts["office_hours"] = len(profile.get("office_hours", []))
