"""The practitioner import: one row per person and kind, matched by 类别 and 执业证书编码 (an
existing certificate updates the person, a new one creates him), with his primary institution
and, optionally, his other practice sites (多机构执业备案)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from weijian.core import audit
from weijian.core.identifiers import compact, validate_resident_id, validate_uscc
from weijian.core.scoping import in_scope
from weijian.supervision.access import flowing_down, require_editor
from weijian.supervision.importers.sheet import (
    BATCH,
    Column,
    ImportPlan,
    RawRow,
    RowReader,
    chunked,
    duplicate,
    parse_date,
    split_items,
)
from weijian.supervision.models import (
    Institution,
    PracticeSite,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
)
from weijian.supervision.services.practitioners import id_index

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions({"supervision.practitioner_import": "导入医务人员"})

SHEET = "医务人员"
KIND, NAME, ID_NUMBER, LICENSE = "类别", "姓名", "身份证号", "执业证书编码"
CATEGORY, SCOPE = "执业类别", "执业范围"
INSTITUTION, STATUS, SITES = "主要执业机构统一社会信用代码", "状态", "其他执业机构"

COLUMNS = (
    Column(KIND, True, "、".join(PractitionerKind.labels)),
    Column(NAME, True, "不超过50字"),
    Column(ID_NUMBER, True, "18位居民身份证号（单元格请设为文本格式，以免末几位变成0）"),
    Column(LICENSE, True, "执业证书编码；同一类别中已登记的编码将更新该人员，未登记的将新增"),
    Column(CATEGORY, False, "如：临床、中医、口腔、公共卫生"),
    Column(SCOPE, False, "如：内科专业"),
    Column(INSTITUTION, True, "主要执业机构的统一社会信用代码，须是本单位或下级单位监管的机构"),
    Column(STATUS, False, "执业、暂停执业、注销，不填为执业"),
    Column(
        SITES,
        False,
        "多机构执业备案：每项写成“统一社会信用代码@备案日期”，多项用“；”分隔或换行，"
        "如：12360300MB0000001X@2024-03-01；12360321MB0000002Y@2024-05-10",
    ),
)
NOTES = (
    "第一行为表头，请勿修改列名；从第二行起每行一名医务人员。",
    "同一类别中执业证书编码、身份证号在文件中都不能重复。",
    "其他执业机构不能是主要执业机构；已有的备案不会删除，文件中列出的新备案将补充登记。",
    "身份证号加密保存，页面上只显示部分号码。",
    "上传后先预览：文件中有任何错误时不会写入任何数据，请改正后重新上传。",
)


@dataclass
class PractitionerPlan(ImportPlan):
    new: list[Practitioner] = field(default_factory=list)
    changed: list[Practitioner] = field(default_factory=list)
    # (practitioner, institution, filed_on): the practitioner may still be unsaved.
    sites: list[tuple[Practitioner, Institution, datetime.date]] = field(default_factory=list)
    supervisors: set[Any] = field(default_factory=set)


@dataclass
class _Known:
    existing: dict[tuple[str, str], Practitioner]
    # (kind, id index) → the license number of the person holding it.
    people: dict[tuple[str, str], str]
    primary: dict[str, Institution]  # in the actor's subtree
    sites: dict[str, Institution]  # flowing down: own, above or below
    # (practitioner, institution, filed_on) of every filing, and (…, None) of open ones.
    filed: set[tuple[int, int, datetime.date | None]]
    home: str  # the path of the actor's organization


def _codes(rows: Sequence[RawRow], name: str) -> list[str]:
    return sorted({compact(cells.get(name, "")) for _, cells in rows} - {""})


def _site_codes(rows: Sequence[RawRow]) -> list[str]:
    codes = {
        compact(item.split("@")[0])
        for _, cells in rows
        for item in split_items(cells.get(SITES, ""))
    }
    return sorted(codes - {""})


def _known(rows: Sequence[RawRow], actor: User) -> _Known:
    existing: dict[tuple[str, str], Practitioner] = {}
    for part in chunked([cells.get(LICENSE, "") for _, cells in rows]):
        found = Practitioner.objects.filter(license_number__in=part)
        for person in found.select_related("institution__supervisor"):
            existing[(person.kind, person.license_number)] = person
    people: dict[tuple[str, str], str] = {}
    indexes = [id_index(code) for code in _codes(rows, ID_NUMBER)]
    for part in chunked(indexes):
        found = Practitioner.objects.filter(id_number_index__in=part)
        for kind, index, number in found.values_list("kind", "id_number_index", "license_number"):
            people[(kind, index)] = number
    primary: dict[str, Institution] = {}
    for part in chunked(_codes(rows, INSTITUTION)):
        visible = in_scope(Institution.objects.filter(uscc__in=part), actor, via="supervisor")
        primary.update((i.uscc, i) for i in visible.select_related("supervisor"))
    sites: dict[str, Institution] = {}
    for part in chunked(_site_codes(rows)):
        found_sites = Institution.objects.filter(flowing_down(actor, via="supervisor"))
        sites.update((i.uscc, i) for i in found_sites.filter(uscc__in=part))
    filed: set[tuple[int, int, datetime.date | None]] = set()
    for part in chunked([person.pk for person in existing.values()]):
        found_filed = PracticeSite.objects.filter(practitioner_id__in=part)
        for person_id, site_id, filed_on, ended_on in found_filed.values_list(
            "practitioner_id", "institution_id", "filed_on", "ended_on"
        ):
            filed.add((person_id, site_id, filed_on))
            if ended_on is None:
                filed.add((person_id, site_id, None))  # an open filing there
    return _Known(existing, people, primary, sites, filed, actor.organization.path)


def _institution(reader: RowReader, known: _Known) -> Institution | None:
    code = reader.code(INSTITUTION, validate_uscc, required=True)
    if code and code not in known.primary:
        reader.fail(INSTITUTION, f"统一社会信用代码为{code}的机构不在您可管理的机构名录中")
    return known.primary.get(code)


def _values(reader: RowReader, known: _Known) -> dict[str, Any]:
    return {
        "kind": reader.choice(KIND, PractitionerKind.choices),
        "name": reader.text(NAME, required=True, max_length=50),
        "id_number": reader.code(ID_NUMBER, validate_resident_id, required=True),
        "license_number": reader.text(LICENSE, required=True, max_length=30),
        "practice_category": reader.text(CATEGORY, max_length=30),
        "practice_scope": reader.text(SCOPE, max_length=100),
        "institution": _institution(reader, known),
        "status": reader.choice(STATUS, PractitionerStatus.choices, default="active"),
    }


def _sites(
    reader: RowReader, known: _Known, primary: Institution | None
) -> list[tuple[Institution, datetime.date]]:
    found: list[tuple[Institution, datetime.date]] = []
    for item in split_items(reader.cells.get(SITES, "")):
        site = _site(reader, known, item)
        if site is None:
            continue
        if primary is not None and site[0].pk == primary.pk:
            reader.fail(SITES, f"“{item}”是主要执业机构，不需要多机构执业备案")
        elif any(site[0].pk == other.pk for other, _ in found):
            reader.fail(SITES, f"“{item}”重复：同一机构只能写一次")
        else:
            found.append(site)
    return found


def _site(reader: RowReader, known: _Known, item: str) -> tuple[Institution, datetime.date] | None:
    code, at, day = item.partition("@")
    if not at or not day.strip():
        reader.fail(SITES, f"“{item}”应写成“统一社会信用代码@备案日期”")
        return None
    institution = known.sites.get(compact(code))
    if institution is None:
        reader.fail(SITES, f"统一社会信用代码为{compact(code)}的机构不在机构名录中")
        return None
    try:
        return institution, parse_date(day.strip())
    except ValueError as error:
        reader.fail(SITES, str(error))
        return None


def _check_unique(
    reader: RowReader, values: dict[str, Any], known: _Known, seen: dict[str, dict[str, int]]
) -> None:
    kind, number, person = values["kind"], values["license_number"], values["id_number"]
    earlier = duplicate(seen["license"], f"{kind}:{number}" if kind and number else "", reader.line)
    if earlier:
        reader.fail(LICENSE, f"与第{earlier}行重复：同一类别的执业证书编码只能有一行")
    index = id_index(person) if person else ""
    earlier = duplicate(seen["person"], f"{kind}:{index}" if kind and index else "", reader.line)
    if earlier:
        reader.fail(ID_NUMBER, f"与第{earlier}行是同一人，同一类别只能有一行")
    holder = known.people.get((kind, index))
    if index and holder is not None and holder != number:
        label = PractitionerKind(kind).label
        reader.fail(ID_NUMBER, f"该身份证号已登记为另一名{label}（执业证书编码{holder}）")
    current = known.existing.get((kind, number))
    if current is not None and not current.institution.supervisor.path.startswith(known.home):
        reader.fail(LICENSE, "该人员由其他监管单位登记，您无权修改")


def _record(
    plan: PractitionerPlan,
    values: dict[str, Any],
    sites: list[tuple[Institution, datetime.date]],
    known: _Known,
    line: int,
) -> None:
    current = known.existing.get((values["kind"], values["license_number"]))
    person = current if current is not None else Practitioner()
    for name, value in values.items():
        setattr(person, name, value)
    person.id_number_index = id_index(values["id_number"])
    (plan.new if current is None else plan.changed).append(person)
    plan.supervisors.add(values["institution"].supervisor)
    if current is not None:
        plan.supervisors.add(current.institution.supervisor)
    for institution, filed_on in sites:
        keys = {(person.pk, institution.pk, filed_on), (person.pk, institution.pk, None)}
        if current is None or not keys & known.filed:
            plan.sites.append((person, institution, filed_on))
    plan.add(line, values["license_number"], values["name"], new=current is None)


def parse(rows: Sequence[RawRow], *, actor: User) -> PractitionerPlan:
    plan = PractitionerPlan(total=len(rows))
    known = _known(rows, actor)
    seen: dict[str, dict[str, int]] = {"license": {}, "person": {}}
    for line, cells in rows:
        reader = RowReader(line, cells, plan.problems)
        values = _values(reader, known)
        sites = _sites(reader, known, values["institution"])
        _check_unique(reader, values, known, seen)
        if not reader.failed:
            _record(plan, values, sites, known, line)
    return plan


UPDATE_FIELDS = [
    "kind",
    "name",
    "id_number",
    "id_number_index",
    "license_number",
    "practice_category",
    "practice_scope",
    "institution",
    "status",
    "updated_at",
]


def apply(plan: PractitionerPlan, *, actor: User, filename: str) -> dict[str, int]:
    """Write a plan without errors in one transaction, in batches; one audit event."""
    require_editor(actor=actor, organizations=[actor.organization, *plan.supervisors])
    now = timezone.now()
    for person in plan.changed:
        person.updated_at = now
    with transaction.atomic():
        Practitioner.objects.bulk_create(plan.new, batch_size=BATCH)
        Practitioner.objects.bulk_update(plan.changed, UPDATE_FIELDS, batch_size=BATCH)
        PracticeSite.objects.bulk_create(
            [
                PracticeSite(practitioner=person, institution=institution, filed_on=filed_on)
                for person, institution, filed_on in plan.sites
            ],
            batch_size=BATCH,
        )
        counts = {
            "rows": plan.total,
            "created": len(plan.new),
            "updated": len(plan.changed),
            "sites": len(plan.sites),
        }
        audit.record(
            action="supervision.practitioner_import",
            actor=actor,
            summary={"filename": filename, **counts},
        )
    return counts
