"""Writes about officials: persons, posts (任职) and the leaders' division of work (领导分工)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from weijian.core import audit
from weijian.orgs.models import Department, LeaderAssignment, Organization, Person, Post, Region
from weijian.orgs.names import normalize_names, normalize_person
from weijian.orgs.services.common import record_change, require_editor, snapshot

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "person.save": "保存人员",
        "post.save": "保存任职",
        "post.end": "免职",
        "leader_assignment.save": "保存领导分工",
    }
)


def person_for(*, organization: Organization, name: str) -> Person:
    """The person of that name who holds or held a post in the organization, else a new one.
    (Writes happen through `post_save`, which audits.)"""
    name = normalize_person(name)
    if not name:
        raise ValidationError({"name": "姓名不能为空"})
    existing = Person.objects.filter(name=name, posts__organization=organization).first()
    return existing or Person.objects.create(name=name)


POST_FIELDS = ["titles", "grade", "is_leader", "order", "start_on", "end_on", "department_id"]


def post_save(
    *,
    actor: User | None,
    organization: Organization,
    person_name: str,
    titles: Sequence[str],
    grade: str = "",
    is_leader: bool = True,
    order: int = 0,
    start_on: date | None = None,
    end_on: date | None = None,
    department: Department | None = None,
    post: Post | None = None,
    source: str = "",
) -> Post:
    """Create a post for the named person in the organization, or change `post`."""
    require_editor(actor, organization)
    if start_on and end_on and end_on < start_on:
        raise ValidationError({"end_on": "离任日期不能早于任职日期"})
    with transaction.atomic():
        person = post.person if post else person_for(organization=organization, name=person_name)
        post = post or Post(person=person, organization=organization)
        before = snapshot(post, POST_FIELDS) if post.pk else {}
        post.titles = normalize_names(list(titles))
        post.grade, post.is_leader, post.order = grade.strip(), is_leader, order
        post.start_on, post.end_on, post.department = start_on, end_on, department
        post.save()
        after = {**snapshot(post, POST_FIELDS), "person": person.name}
        record_change(
            action="post.save",
            actor=actor,
            instance=post,
            organization=organization,
            before=before,
            after=after,
            source=source,
        )
    return post


def post_end(*, actor: User, post: Post, end_on: date) -> Post:
    """The person leaves the post (免职); the post stays in his history."""
    require_editor(actor, post.organization)
    if post.start_on and end_on < post.start_on:
        raise ValidationError({"end_on": "离任日期不能早于任职日期"})
    with transaction.atomic():
        post.end_on = end_on
        post.save(update_fields=["end_on"])
        audit.record(
            action="post.end",
            actor=actor,
            obj=post,
            organization=post.organization,
            summary={"person": post.person.name, "end_on": end_on.isoformat()},
        )
    return post


def _names(items: Iterable[object]) -> list[str]:
    return sorted(str(item) for item in items)


def leader_assignment_save(
    *,
    actor: User | None,
    post: Post,
    responsibilities: str = "",
    supervised: Sequence[Department] = (),
    assisted: Sequence[Department] = (),
    liaison_organizations: Sequence[Organization] = (),
    liaison_regions: Sequence[Region] = (),
    unresolved: Mapping[str, list[str]] | None = None,
    source: str = "",
) -> LeaderAssignment:
    """Set what the leader holding `post` is responsible for. Departments must belong to the
    post's organization; liaison organizations must lie in the editor's scope."""
    organization = post.organization
    require_editor(actor, organization)
    foreign = [d.name for d in [*supervised, *assisted] if d.organization_id != organization.pk]
    if foreign:
        raise ValidationError({"supervised": f"不属于本单位的内设机构：{'、'.join(foreign)}"})
    if actor is not None:
        outside = [o.name for o in liaison_organizations if not o.is_within(actor.organization)]
        if outside:
            raise ValidationError(
                {"liaison_organizations": f"不在您管理范围内的单位：{'、'.join(outside)}"}
            )
    with transaction.atomic():
        assignment, _ = LeaderAssignment.objects.get_or_create(post=post)
        before = _assignment_snapshot(assignment)
        assignment.responsibilities = responsibilities.strip()
        assignment.unresolved = {k: v for k, v in (unresolved or {}).items() if v}
        assignment.save()
        assignment.supervised_departments.set(supervised)
        assignment.assisted_departments.set(assisted)
        assignment.liaison_organizations.set(liaison_organizations)
        assignment.liaison_regions.set(liaison_regions)
        record_change(
            action="leader_assignment.save",
            actor=actor,
            instance=assignment,
            organization=organization,
            before=before,
            after=_assignment_snapshot(assignment),
            source=source,
        )
    return assignment


def _assignment_snapshot(assignment: LeaderAssignment) -> dict[str, object]:
    return {
        "responsibilities": assignment.responsibilities,
        "supervised": _names(assignment.supervised_departments.all()),
        "assisted": _names(assignment.assisted_departments.all()),
        "liaison_organizations": _names(assignment.liaison_organizations.all()),
        "liaison_regions": _names(assignment.liaison_regions.all()),
        "unresolved": assignment.unresolved,
    }
