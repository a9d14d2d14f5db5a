"""Writes to leading groups, joint meetings and task groups, and their rosters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.core import audit
from weijian.orgs.models import Committee, CommitteeMember, Organization, Person
from weijian.orgs.names import normalize_name, normalize_person
from weijian.orgs.services.common import record_change, require_editor, snapshot

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "committee.save": "保存议事协调机构",
        "committee.delete": "删除议事协调机构",
        "committee_member.save": "保存成员",
        "committee_member.delete": "删除成员",
    }
)

COMMITTEE_FIELDS = [
    "name",
    "kind",
    "parent_id",
    "office_location",
    "duties",
    "meeting_rule",
    "order",
]


def committee_save(
    *,
    actor: User | None,
    host: Organization,
    name: str,
    kind: str,
    parent: Committee | None = None,
    office_location: str = "",
    duties: str = "",
    meeting_rule: str = "",
    order: int = 0,
    committee: Committee | None = None,
    source: str = "",
) -> Committee:
    require_editor(actor, host)
    name = normalize_name(name)
    if not name:
        raise ValidationError({"name": "名称不能为空"})
    if parent is not None and (parent.host_id != host.pk or parent == committee):
        raise ValidationError({"parent": "上级组织须属于同一牵头单位，且不能是自身"})
    with transaction.atomic():
        siblings = Committee.objects.filter(host=host, parent=parent, name=name)
        if committee is not None:
            siblings = siblings.exclude(pk=committee.pk)
        if siblings.exists():
            raise ValidationError({"name": f"已有名为“{name}”的议事协调机构"})
        committee = committee or Committee(host=host)
        before = snapshot(committee, COMMITTEE_FIELDS) if committee.pk else {}
        committee.name, committee.kind, committee.parent = name, kind, parent
        committee.office_location = normalize_name(office_location)
        committee.duties, committee.meeting_rule = duties.strip(), meeting_rule.strip()
        committee.order = order
        committee.full_clean(exclude=["host", "parent"])
        committee.save()
        record_change(
            action="committee.save",
            actor=actor,
            instance=committee,
            organization=host,
            before=before,
            after=snapshot(committee, COMMITTEE_FIELDS),
            source=source,
        )
    return committee


def committee_delete(*, actor: User, committee: Committee) -> None:
    require_editor(actor, committee.host)
    with transaction.atomic():
        audit.record(
            action="committee.delete",
            actor=actor,
            obj=committee,
            organization=committee.host,
            summary=snapshot(committee, COMMITTEE_FIELDS),
        )
        committee.delete()


MEMBER_FIELDS = [
    "role",
    "person_name",
    "post_text",
    "organization_name",
    "organization_id",
    "liaison_name",
    "liaison_post",
    "order",
]


def committee_member_save(
    *,
    actor: User | None,
    committee: Committee,
    role: str,
    person_name: str = "",
    post_text: str = "",
    organization_name: str = "",
    organization: Organization | None = None,
    person: Person | None = None,
    liaison_name: str = "",
    liaison_post: str = "",
    order: int = 0,
    member: CommitteeMember | None = None,
    source: str = "",
) -> CommitteeMember:
    """A person (name and post as written) or a member organization with its liaison."""
    require_editor(actor, committee.host)
    person_name, organization_name = (
        normalize_person(person_name),
        normalize_name(organization_name),
    )
    if organization is not None and not organization_name:
        organization_name = organization.name
    if not person_name and not organization_name and not post_text.strip():
        raise ValidationError("成员须写明姓名、职务或成员单位")
    with transaction.atomic():
        member = member or CommitteeMember(committee=committee)
        before = snapshot(member, MEMBER_FIELDS) if member.pk else {}
        member.role, member.person_name, member.person = role, person_name, person
        member.post_text, member.organization_name = normalize_name(post_text), organization_name
        member.organization = organization
        member.liaison_name, member.liaison_post = (
            normalize_person(liaison_name),
            liaison_post.strip(),
        )
        member.order = order
        member.full_clean(exclude=["committee", "person", "organization"])
        member.save()
        record_change(
            action="committee_member.save",
            actor=actor,
            instance=member,
            organization=committee.host,
            before=before,
            after=snapshot(member, MEMBER_FIELDS),
            source=source,
        )
    return member


def committee_member_delete(
    *, actor: User | None, member: CommitteeMember, source: str = ""
) -> None:
    require_editor(actor, member.committee.host)
    with transaction.atomic():
        audit.record(
            action="committee_member.delete",
            actor=actor,
            username=source if actor is None else "",
            obj=member,
            organization=member.committee.host,
            summary=snapshot(member, MEMBER_FIELDS),
        )
        member.delete()
