"""Writes to the inspector pool (执法人员名录库) and the expert pool (专家库).

Who. 科室人员 of the owning unit or of one above it (`access.require_editor`), checked before
the transaction so that a refusal's audit event survives. A new record belongs to a unit of the
actor's subtree; an inspector's regions lie under the actor's unit's region (a city code
such as 360300 covers the 3603xx counties).

What the draw needs. An inspector's employment history and his declared relatives' institutions
are the facts of conflict avoidance (回避). An inspector leaves the pool through his status
(已出库); one who was ever drawn is never deleted, so the inspections keep their inspectors.

Every write is one audit event; the expert's phone number (personal data) never enters one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from weijian.accounts.roles import Role, has_role
from weijian.core import audit, personal_data
from weijian.orgs.models import Organization, Region
from weijian.supervision.access import require_editor
from weijian.supervision.models import (
    Expert,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    PoolStatus,
)

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions(
    {
        "supervision.inspector_create": "新增执法人员",
        "supervision.inspector_update": "修改执法人员",
        "supervision.inspector_status": "变更执法人员状态",
        "supervision.inspector_delete": "删除执法人员",
        "supervision.inspector_link_user": "关联执法人员登录账户",
        "supervision.inspector_unlink_user": "解除执法人员登录账户关联",
        "supervision.employment_add": "登记执法人员工作经历",
        "supervision.employment_remove": "删除执法人员工作经历",
        "supervision.relative_add": "登记执法人员亲属回避申报",
        "supervision.relative_remove": "删除执法人员亲属回避申报",
        "supervision.expert_create": "新增专家",
        "supervision.expert_update": "修改专家",
        "supervision.expert_status": "变更专家状态",
    }
)

# The fixed list offered as checkboxes; other specialties may be typed in.
SPECIALTIES = (
    "医疗服务",
    "传染病防治",
    "公共场所卫生",
    "生活饮用水",
    "职业卫生",
    "放射卫生",
    "学校卫生",
    "母婴保健",
    "计划生育",
    "中医服务",
)
SPECIALTY_SEPARATORS = re.compile(r"[、，,；;\s]+")
SPECIALTY_LENGTH = 20
MAX_SPECIALTIES = 20
COUNTY_LEVEL = 3
PHONE = re.compile(r"^(?:\+?86)?1\d{10}$|^0\d{2,3}-?\d{7,8}$")
INSPECTOR_FIELDS = [
    "name",
    "organization",
    "certificate_number",
    "certificate_valid_from",
    "certificate_valid_until",
    "specialties",
]
EXPERT_FIELDS = ["name", "owner", "workplace", "title", "specialties"]


# --- shared steps -----------------------------------------------------------------------------


def _text(value: str | None, *, field: str, label: str, length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > length:
        raise ValidationError({field: f"{label}不能超过{length}个字"})
    return text


def parse_specialties(text: str) -> list[str]:
    """ "医疗服务、职业卫生，放射卫生" → the names, in order, without blanks."""
    return [part for part in SPECIALTY_SEPARATORS.split(text or "") if part]


def clean_specialties(values: Iterable[str], *, field: str = "specialties") -> list[str]:
    """The specialties without duplicates, each short enough, at most MAX_SPECIALTIES."""
    cleaned: list[str] = []
    for value in values:
        name = value.strip()
        if not name or name in cleaned:
            continue
        if len(name) > SPECIALTY_LENGTH:
            raise ValidationError({field: f"专业领域“{name}”过长（不超过{SPECIALTY_LENGTH}个字）"})
        cleaned.append(name)
    if len(cleaned) > MAX_SPECIALTIES:
        raise ValidationError({field: f"专业领域不能超过{MAX_SPECIALTIES}项"})
    return cleaned


def region_prefix(code: str) -> str:
    """The code prefix a region covers: 360300 → 3603, 360000 → 36, 360321 → 360321."""
    if len(code) > 6:
        return code
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def home_region(organization: Organization) -> Region | None:
    """The region of the organization, or of the nearest one above it that has one."""
    current: Organization | None = organization
    while current is not None and current.region_id is None:
        current = current.parent
    return current.region if current is not None else None


def regions_covered_by(organization: Organization) -> Any:
    """The city- and county-level regions (and above) under the organization's region."""
    region = home_region(organization)
    if region is None:
        return Region.objects.none()
    prefix = region_prefix(region.code)
    return Region.objects.filter(code__startswith=prefix, level__lte=COUNTY_LEVEL)


def _require_regions(actor: User, regions: Sequence[Region]) -> list[Region]:
    region = home_region(actor.organization)
    prefix = region_prefix(region.code) if region is not None else None
    for chosen in regions:
        if prefix is None or not chosen.code.startswith(prefix):
            raise ValidationError({"regions": f"负责区域“{chosen.name}”不在本单位辖区内"})
    return list(regions)


def _require_unit(actor: User, organization: Organization | None, *, field: str) -> Organization:
    if organization is None:
        raise ValidationError({field: "请选择单位"})
    require_editor(actor=actor, organizations=[organization])
    return organization


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    if value is not None and not isinstance(value, str | int | bool):
        return str(value)
    return value


def _values(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


# --- inspectors -------------------------------------------------------------------------------


def _certificate(number: str, *, inspector: Inspector | None) -> str:
    number = _text(number, field="certificate_number", label="执法证号", length=30, required=True)
    others = Inspector.objects.filter(certificate_number=number)
    if inspector is not None:
        others = others.exclude(pk=inspector.pk)
    holder = others.first()
    if holder is not None:
        raise ValidationError(
            {"certificate_number": f"执法证号“{number}”已登记在执法人员{holder.name}名下"}
        )
    return number


def _validity(
    valid_from: datetime.date | None, valid_until: datetime.date | None
) -> dict[str, Any]:
    if valid_until is None:
        raise ValidationError({"certificate_valid_until": "请填写执法证有效期至"})
    if valid_from is not None and valid_until < valid_from:
        raise ValidationError({"certificate_valid_until": "执法证有效期至不能早于有效期起"})
    return {"certificate_valid_from": valid_from, "certificate_valid_until": valid_until}


def _inspector_fields(
    inspector: Inspector | None,
    *,
    name: str,
    certificate_number: str,
    certificate_valid_from: datetime.date | None,
    certificate_valid_until: datetime.date | None,
    specialties: Iterable[str],
) -> dict[str, Any]:
    return {
        "name": _text(name, field="name", label="姓名", length=50, required=True),
        "certificate_number": _certificate(certificate_number, inspector=inspector),
        **_validity(certificate_valid_from, certificate_valid_until),
        "specialties": clean_specialties(specialties),
    }


def _inspector_summary(inspector: Inspector) -> dict[str, Any]:
    values = _values(inspector, INSPECTOR_FIELDS)
    values["regions"] = sorted(region.code for region in inspector.regions.all())
    return values


def inspector_create(
    *,
    actor: User,
    organization: Organization | None,
    name: str,
    certificate_number: str,
    certificate_valid_until: datetime.date | None,
    certificate_valid_from: datetime.date | None = None,
    specialties: Iterable[str] = (),
    regions: Sequence[Region] = (),
) -> Inspector:
    """A new inspector of a unit in the actor's subtree, in the pool (在库)."""
    organization = _require_unit(actor, organization, field="organization")
    fields = _inspector_fields(
        None,
        name=name,
        certificate_number=certificate_number,
        certificate_valid_from=certificate_valid_from,
        certificate_valid_until=certificate_valid_until,
        specialties=specialties,
    )
    chosen = _require_regions(actor, regions)
    with transaction.atomic():
        inspector = Inspector.objects.create(organization=organization, **fields)
        inspector.regions.set(chosen)
        audit.record(
            action="supervision.inspector_create",
            actor=actor,
            obj=inspector,
            organization=organization,
            summary=_inspector_summary(inspector),
        )
    return inspector


def inspector_update(
    *,
    actor: User,
    inspector: Inspector,
    organization: Organization | None,
    name: str,
    certificate_number: str,
    certificate_valid_until: datetime.date | None,
    certificate_valid_from: datetime.date | None = None,
    specialties: Iterable[str] = (),
    regions: Sequence[Region] = (),
) -> Inspector:
    require_editor(actor=actor, organizations=[inspector.organization])
    organization = _require_unit(actor, organization, field="organization")
    fields = _inspector_fields(
        inspector,
        name=name,
        certificate_number=certificate_number,
        certificate_valid_from=certificate_valid_from,
        certificate_valid_until=certificate_valid_until,
        specialties=specialties,
    )
    chosen = _require_regions(actor, regions)
    with transaction.atomic():
        before = _inspector_summary(inspector)
        inspector.organization = organization
        for field, value in fields.items():
            setattr(inspector, field, value)
        inspector.save()
        inspector.regions.set(chosen)
        changes = audit.changes(before, _inspector_summary(inspector))
        if changes:
            _record_inspector("supervision.inspector_update", actor, inspector, changes=changes)
    return inspector


def _record_inspector(action: str, actor: User, inspector: Inspector, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=inspector,
        organization=inspector.organization,
        summary={
            "inspector": inspector.name,
            "certificate": inspector.certificate_number,
            **summary,
        },
    )


def inspector_set_status(*, actor: User, inspector: Inspector, status: str) -> Inspector:
    """在库 / 暂停抽取 / 已出库: only the active ones are drawn."""
    require_editor(actor=actor, organizations=[inspector.organization])
    if status not in PoolStatus.values:
        raise ValidationError({"status": "请选择有效的状态"})
    if status == inspector.status:
        raise ValidationError({"status": f"该执法人员已是“{inspector.get_status_display()}”状态"})
    before = inspector.get_status_display()
    with transaction.atomic():
        inspector.status = status
        inspector.save(update_fields=["status", "updated_at"])
        after = inspector.get_status_display()
        _record_inspector("supervision.inspector_status", actor, inspector, status=[before, after])
    return inspector


def was_drawn(inspector: Inspector) -> bool:
    return inspector.inspections.exists()


def inspector_delete(*, actor: User, inspector: Inspector) -> None:
    """Only an inspector never drawn may be deleted; the others leave through 已出库."""
    require_editor(actor=actor, organizations=[inspector.organization])
    if was_drawn(inspector):
        raise ValidationError(
            "该执法人员已被抽取参加检查，不能删除；不再参加抽取的，请将状态改为“已出库”。"
        )
    with transaction.atomic():
        _record_inspector(
            "supervision.inspector_delete", actor, inspector, **_inspector_summary(inspector)
        )
        inspector.delete()


# --- the login account ------------------------------------------------------------------------


def _require_linkable(actor: User, inspector: Inspector, user: User | None) -> User:
    if user is None:
        raise ValidationError({"user": "请选择登录账户"})
    if not user.organization.is_within(actor.organization):
        raise ValidationError({"user": "该账户不属于本单位或下级单位"})
    if not user.is_active:
        raise ValidationError({"user": "该账户已停用"})
    if not has_role(user, Role.INSPECTOR):
        raise ValidationError({"user": f"账户{user}没有“{Role.INSPECTOR}”角色"})
    other = Inspector.objects.filter(user=user).exclude(pk=inspector.pk).first()
    if other is not None:
        raise ValidationError({"user": f"账户{user}已关联执法人员{other.name}"})
    return user


def inspector_link_user(*, actor: User, inspector: Inspector, user: User | None) -> Inspector:
    """The account the inspector signs in with to record the inspections he is drawn for."""
    require_editor(actor=actor, organizations=[inspector.organization])
    user = _require_linkable(actor, inspector, user)
    previous = inspector.user
    with transaction.atomic():
        inspector.user = user
        inspector.save(update_fields=["user", "updated_at"])
        _record_inspector(
            "supervision.inspector_link_user",
            actor,
            inspector,
            user=user.username,
            previous=previous.username if previous else None,
        )
    return inspector


def inspector_unlink_user(*, actor: User, inspector: Inspector) -> Inspector:
    require_editor(actor=actor, organizations=[inspector.organization])
    if inspector.user is None:
        raise ValidationError("该执法人员尚未关联登录账户")
    username = inspector.user.username
    with transaction.atomic():
        inspector.user = None
        inspector.save(update_fields=["user", "updated_at"])
        _record_inspector("supervision.inspector_unlink_user", actor, inspector, user=username)
    return inspector


# --- employment history and relatives (回避) --------------------------------------------------


def _require_institution(actor: User, institution: Institution | None) -> Institution:
    if institution is None:
        raise ValidationError({"institution": "请选择机构"})
    if not institution.supervisor.is_within(actor.organization):
        raise ValidationError({"institution": f"机构“{institution.name}”不在本单位管辖范围内"})
    return institution


def employment_add(
    *,
    actor: User,
    inspector: Inspector,
    institution: Institution | None,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
) -> InspectorEmployment:
    """An institution the inspector works or worked at: he is never drawn for it."""
    require_editor(actor=actor, organizations=[inspector.organization])
    institution = _require_institution(actor, institution)
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": "结束日期不能早于起始日期"})
    if inspector.employments.filter(institution=institution).exists():
        raise ValidationError({"institution": f"已登记在“{institution.name}”的工作经历"})
    with transaction.atomic():
        employment = InspectorEmployment.objects.create(
            inspector=inspector, institution=institution, started_on=started_on, ended_on=ended_on
        )
        _record_inspector(
            "supervision.employment_add",
            actor,
            inspector,
            institution=institution.name,
            institution_id=institution.pk,
            started_on=_plain(started_on),
            ended_on=_plain(ended_on),
        )
    return employment


def employment_remove(*, actor: User, employment: InspectorEmployment) -> None:
    inspector = employment.inspector
    require_editor(actor=actor, organizations=[inspector.organization])
    with transaction.atomic():
        _record_inspector(
            "supervision.employment_remove",
            actor,
            inspector,
            institution=employment.institution.name,
            institution_id=employment.institution_id,
        )
        employment.delete()


def relative_add(
    *,
    actor: User,
    inspector: Inspector,
    institution: Institution | None,
    relation: str,
    declared_on: datetime.date | None = None,
) -> InspectorRelative:
    """A declared relative's institution: the inspector is never drawn for it."""
    require_editor(actor=actor, organizations=[inspector.organization])
    institution = _require_institution(actor, institution)
    relation = _text(relation, field="relation", label="亲属关系", length=20, required=True)
    if declared_on is not None and declared_on > timezone.localdate():
        raise ValidationError({"declared_on": "申报日期不能晚于今天"})
    if inspector.relatives.filter(institution=institution, relation=relation).exists():
        raise ValidationError({"relation": f"已申报{relation}在“{institution.name}”"})
    with transaction.atomic():
        relative = InspectorRelative.objects.create(
            inspector=inspector, institution=institution, relation=relation, declared_on=declared_on
        )
        _record_inspector(
            "supervision.relative_add",
            actor,
            inspector,
            institution=institution.name,
            institution_id=institution.pk,
            relation=relation,
        )
    return relative


def relative_remove(*, actor: User, relative: InspectorRelative) -> None:
    inspector = relative.inspector
    require_editor(actor=actor, organizations=[inspector.organization])
    with transaction.atomic():
        _record_inspector(
            "supervision.relative_remove",
            actor,
            inspector,
            institution=relative.institution.name,
            relation=relative.relation,
        )
        relative.delete()


# --- experts ----------------------------------------------------------------------------------


def _phone(value: str) -> str:
    phone = (value or "").strip()
    if phone and not PHONE.match(re.sub(r"\s", "", phone)):
        raise ValidationError({"phone": "联系电话格式不正确（手机号码11位，或“区号-电话号码”）"})
    return phone


def _expert_fields(
    *, name: str, workplace: str, title: str, specialties: Iterable[str], phone: str
) -> dict[str, Any]:
    return {
        "name": _text(name, field="name", label="姓名", length=50, required=True),
        "workplace": _text(
            workplace, field="workplace", label="工作单位", length=200, required=True
        ),
        "title": _text(title, field="title", label="职称", length=50),
        "specialties": clean_specialties(specialties),
        "phone": _phone(phone),
    }


def _record_expert(action: str, actor: User, expert: Expert, **summary: Any) -> None:
    audit.record(
        action=action,
        actor=actor,
        obj=expert,
        organization=expert.owner,
        summary={"expert": expert.name, **summary},
    )


def expert_create(
    *,
    actor: User,
    owner: Organization | None,
    name: str,
    workplace: str,
    title: str = "",
    specialties: Iterable[str] = (),
    phone: str = "",
) -> Expert:
    owner = _require_unit(actor, owner, field="owner")
    fields = _expert_fields(
        name=name, workplace=workplace, title=title, specialties=specialties, phone=phone
    )
    with transaction.atomic():
        expert = Expert.objects.create(owner=owner, **fields)
        summary = _values(expert, EXPERT_FIELDS)
        _record_expert("supervision.expert_create", actor, expert, **summary, phone=bool(phone))
    return expert


def expert_update(
    *,
    actor: User,
    expert: Expert,
    owner: Organization | None,
    name: str,
    workplace: str,
    title: str = "",
    specialties: Iterable[str] = (),
    phone: str = "",
) -> Expert:
    require_editor(actor=actor, organizations=[expert.owner])
    owner = _require_unit(actor, owner, field="owner")
    fields = _expert_fields(
        name=name, workplace=workplace, title=title, specialties=specialties, phone=phone
    )
    with transaction.atomic():
        before = _values(expert, EXPERT_FIELDS)
        phone_changed = fields["phone"] != (expert.phone or "")
        expert.owner = owner
        for field, value in fields.items():
            setattr(expert, field, value)
        expert.save()
        changes: dict[str, Any] = audit.changes(before, _values(expert, EXPERT_FIELDS))
        if phone_changed:
            changes["phone"] = "（已修改）"  # never the number itself
        if changes:
            _record_expert("supervision.expert_update", actor, expert, changes=changes)
    return expert


def expert_set_status(*, actor: User, expert: Expert, status: str) -> Expert:
    require_editor(actor=actor, organizations=[expert.owner])
    if status not in PoolStatus.values:
        raise ValidationError({"status": "请选择有效的状态"})
    if status == expert.status:
        raise ValidationError({"status": f"该专家已是“{expert.get_status_display()}”状态"})
    before = expert.get_status_display()
    with transaction.atomic():
        expert.status = status
        expert.save(update_fields=["status", "updated_at"])
        after = expert.get_status_display()
        _record_expert("supervision.expert_status", actor, expert, status=[before, after])
    return expert


def expert_phone_reveal(*, actor: User, expert: Expert) -> str:
    """A 科室人员 of the expert's unit or above sees the number in clear; audited."""
    require_editor(actor=actor, organizations=[expert.owner])
    return personal_data.reveal(actor=actor, obj=expert, field="phone")
