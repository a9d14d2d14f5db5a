"""The demo organizations and their registry data.

`load_organizations` builds the organization trees (a city commission with county bureaus and
hospitals, and a body in another tree, for showing that scoping holds). `load_registry` then
writes each body of `weijian.orgs.demo_data` (临江, 渝中, 萍乡, 呼伦贝尔) through the same path
the profile importer uses: `plan_profile` / `apply_profile`, plus the registry services for the
facts a profile does not carry (region, contact details, units below the body, 职级).

Both are idempotent. A body's profile is applied again only when its data changed since the
last load (a fingerprint is kept in the audit event the load leaves), so a second run writes
nothing and edits made in the back office survive `make run` until the demo data changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from weijian.core import audit
from weijian.core.models import AuditEvent
from weijian.orgs import services
from weijian.orgs.demo_data import Body, bodies
from weijian.orgs.importers.profile_apply import apply_profile, plan_profile
from weijian.orgs.models import Organization, OrganizationKind, Region, StaffingQuota
from weijian.orgs.names import normalize_person

DEMO_COMMISSION = "萍乡市卫生健康委员会"
DEMO_COUNTY = "莲花县卫生健康委员会"
DEMO_ELSEWHERE = "渝中区卫生健康委员会"
DEMO_LINJIANG = "临江市卫生健康和医疗保障局"
DEMO_HULUNBUIR = "呼伦贝尔市卫生健康委员会"

SOURCE = "load_demo"
PROFILE_APPLIED = "demo.profile_apply"
audit.register_actions({PROFILE_APPLIED: "载入演示机构资料"})

K = OrganizationKind
# name, kind, parent name (None for a root), region code
DEMO_ORGANIZATIONS: list[tuple[str, str, str | None, str]] = [
    (DEMO_COMMISSION, K.HEALTH_AUTHORITY, None, "360300"),
    ("萍乡市疾病预防控制中心", K.PUBLIC_HEALTH, DEMO_COMMISSION, "360300"),
    ("萍乡市人民医院", K.HOSPITAL, DEMO_COMMISSION, "360300"),
    ("安源区卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360302"),
    ("湘东区卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360313"),
    (DEMO_COUNTY, K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360321"),
    ("上栗县卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360322"),
    ("芦溪县卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360323"),
    ("莲花县人民医院", K.HOSPITAL, DEMO_COUNTY, "360321"),
    ("莲花县疾病预防控制中心", K.PUBLIC_HEALTH, DEMO_COUNTY, "360321"),
    (DEMO_ELSEWHERE, K.HEALTH_AUTHORITY, None, "500103"),
]

Say = Callable[[str], None]


def load_organizations(say: Say) -> None:
    created = 0
    for name, kind, parent_name, region_code in DEMO_ORGANIZATIONS:
        parent = Organization.objects.get(name=parent_name) if parent_name else None
        if Organization.objects.filter(name=name, parent=parent).exists():
            continue
        services.organization_insert(
            name=name,
            kind=kind,
            parent=parent,
            region=Region.objects.get(code=region_code),
            source=SOURCE,
        )
        created += 1
    say(f"演示单位：新建 {created} 个，共 {len(DEMO_ORGANIZATIONS)} 个。")


def load_registry(say: Say) -> None:
    """Each demo body: its root and units, contact details, then its profile."""
    for body in bodies():
        root = _root(body)
        created = _units(body, root)
        _details(body, root)
        applied = _apply(body, root)
        state = "已载入" if applied else "无变化"
        extra = f"，新建下属单位 {created} 个" if created else ""
        say(f"演示机构资料：{root.name}（{root.region or '未设区划'}）{state}{extra}。")


def _root(body: Body) -> Organization:
    existing = Organization.objects.filter(name=body.name, parent=None).first()
    if existing is not None:
        return existing
    return services.organization_insert(
        name=body.name,
        kind=body.kind,
        parent=None,
        region=Region.objects.get(code=body.region),
        source=SOURCE,
    )


def _units(body: Body, root: Organization) -> int:
    created = 0
    for unit in body.units:
        organization = Organization.objects.filter(name=unit.name, parent=root).first()
        if organization is None:
            organization = services.organization_insert(
                name=unit.name,
                kind=unit.kind,
                parent=root,
                region=Region.objects.get(code=unit.region),
                source=SOURCE,
            )
            created += 1
        missing = [plate for plate in unit.plates if plate not in organization.plates]
        if missing:
            _update_details(organization, {"plates": [*organization.plates, *missing]})
    return created


def _details(body: Body, root: Organization) -> None:
    """Set the contact details the body gives; leave the rest as they are."""
    wanted: dict[str, Any] = {
        field: value
        for field, value in {
            "address": body.address,
            "postcode": body.postcode,
            "phone": body.phone,
            "website": body.website,
        }.items()
        if value
    }
    if body.publishes:
        wanted["publishes"] = True
    if any(getattr(root, field) != value for field, value in wanted.items()):
        _update_details(root, wanted)


def _update_details(organization: Organization, changes: Mapping[str, Any]) -> None:
    def value(field: str) -> Any:
        return changes.get(field, getattr(organization, field))

    services.organization_details_update(
        actor=None,
        organization=organization,
        plates=value("plates"),
        rank=value("rank"),
        address=value("address"),
        postcode=value("postcode"),
        phone=value("phone"),
        website=value("website"),
        opened_on=value("opened_on"),
        closed_on=value("closed_on"),
        publishes=value("publishes"),
        source=SOURCE,
    )


def fingerprint(body: Body) -> str:
    payload = {"profile": body.profile, "staffing_note": body.staffing_note}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _apply(body: Body, root: Organization) -> bool:
    """Apply the body's profile unless this very data was the last applied; True if applied."""
    digest = fingerprint(body)
    last = AuditEvent.objects.filter(action=PROFILE_APPLIED, organization=root).order_by("-id")
    previous = last.values_list("summary", flat=True).first()
    if previous and previous.get("fingerprint") == digest:
        return False
    plan = plan_profile(body.profile, organization=root)
    result = apply_profile(body.profile, plan, actor=None, source=SOURCE)
    _grades(body, root)
    _staffing_note(body, root)
    audit.record(
        action=PROFILE_APPLIED,
        obj=root,
        organization=root,
        username=SOURCE,
        summary={"fingerprint": digest, "counts": result.counts, "notes": plan.notes()},
    )
    return True


def _grades(body: Body, root: Organization) -> None:
    """The leaders' 职级 (an extra `grade` key in the demo profiles)."""
    posts = {p.person.name: p for p in root.posts.filter(end_on=None).select_related("person")}
    for leader in body.profile.get("leaders", []):
        post = posts.get(normalize_person(leader.get("name", "")))
        grade = leader.get("grade", "")
        if post is None or post.grade == grade:
            continue
        services.post_save(
            actor=None,
            organization=root,
            person_name=post.person.name,
            titles=post.titles,
            grade=grade,
            is_leader=post.is_leader,
            order=post.order,
            start_on=post.start_on,
            end_on=post.end_on,
            department=post.department,
            post=post,
            source=SOURCE,
        )


def _staffing_note(body: Body, root: Organization) -> None:
    quota = StaffingQuota.objects.filter(organization=root).first()
    if not body.staffing_note or quota is None or quota.note == body.staffing_note:
        return
    services.staffing_save(
        actor=None,
        organization=root,
        administrative=quota.administrative,
        posts=[(post.title, post.count) for post in quota.posts.order_by("order")],
        note=body.staffing_note,
        source=SOURCE,
    )
