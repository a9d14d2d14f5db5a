"""The inspector-pool import (执法人员名录库): one row per inspector, matched by 执法证号, with
what conflict avoidance (回避) needs: the institutions he works or worked at (工作经历) and his
declared relatives' institutions (亲属回避), both named by 统一社会信用代码.

Rows are written here directly with the ORM, in one transaction with one audit event; the
inspector pool pages edit single inspectors.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from weijian.core import audit
from weijian.core.identifiers import compact
from weijian.core.scoping import in_scope
from weijian.orgs.models import Organization, Region
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
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    PoolStatus,
)

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions({"supervision.inspector_import": "导入执法人员"})

SHEET = "执法人员"
NAME, CERTIFICATE, ORGANIZATION = "姓名", "执法证号", "所在单位"
VALID_FROM, VALID_UNTIL = "执法证有效期起", "执法证有效期至"
SPECIALTIES, REGIONS, STATUS = "专业领域", "负责区域", "状态"
EMPLOYMENT, RELATIVES = "工作经历", "亲属回避"
_SPECIALTY_SEPARATORS = re.compile(r"[、，,；;\n]+")
_PERIOD = re.compile(r"[~～至]")

COLUMNS = (
    Column(NAME, True, "不超过50字"),
    Column(CERTIFICATE, True, "行政执法证号；已登记的证号将更新该人员，未登记的将新增"),
    Column(ORGANIZATION, False, "本单位或下级单位的全称；不填为导入人所在单位"),
    Column(VALID_FROM, False, "日期，如：2022-01-01"),
    Column(VALID_UNTIL, True, "日期，不得早于有效期起"),
    Column(SPECIALTIES, False, "多个用“、”分隔，如：医疗服务、公共场所卫生"),
    Column(REGIONS, False, "行政区划代码，多个用“、”分隔，如：360321、360322；填写时替换原有区域"),
    Column(STATUS, False, "在库、暂停抽取、已出库，不填为在库"),
    Column(
        EMPLOYMENT,
        False,
        "曾经或正在工作的机构：每项写成“统一社会信用代码@起始日期~结束日期”（日期可省略，"
        "如“12360321MB0000001X”或“12360321MB0000001X@2015-09-01~”），多项用“；”分隔或换行",
    ),
    Column(
        RELATIVES,
        False,
        "亲属所在机构：每项写成“统一社会信用代码@亲属关系@申报日期”（申报日期可省略），"
        "如：12360321MB0000001X@配偶@2024-01-05，多项用“；”分隔或换行",
    ),
)
NOTES = (
    "第一行为表头，请勿修改列名；从第二行起每行一名执法人员。执法证号在文件中不能重复。",
    "工作经历和亲属回避用于抽取时的回避：所填机构须在机构名录中（本单位、上级或下级单位监管）。",
    "已有的工作经历和亲属回避不会删除：文件中列出的将补充登记，同一机构的日期按文件更新。",
    "负责区域不填时保留原有区域，填写时替换为文件中的区域。",
    "上传后先预览：文件中有任何错误时不会写入任何数据，请改正后重新上传。",
)


@dataclass
class InspectorPlan(ImportPlan):
    new: list[Inspector] = field(default_factory=list)
    changed: list[Inspector] = field(default_factory=list)
    regions: list[tuple[Inspector, list[Region]]] = field(default_factory=list)
    employments: list[tuple[Inspector, Institution, dict[str, Any]]] = field(default_factory=list)
    relatives: list[tuple[Inspector, Institution, dict[str, Any]]] = field(default_factory=list)
    organizations: set[Organization] = field(default_factory=set)


@dataclass
class _Known:
    existing: dict[str, Inspector]
    organizations: dict[str, Organization]
    regions: dict[str, Region]
    institutions: dict[str, Institution]
    home: Organization


def _item_codes(rows: Sequence[RawRow]) -> list[str]:
    codes = {
        compact(item.split("@")[0])
        for _, cells in rows
        for column in (EMPLOYMENT, RELATIVES)
        for item in split_items(cells.get(column, ""))
    }
    return sorted(codes - {""})


def _known(rows: Sequence[RawRow], actor: User) -> _Known:
    existing: dict[str, Inspector] = {}
    for part in chunked(sorted({cells.get(CERTIFICATE, "") for _, cells in rows} - {""})):
        found = Inspector.objects.filter(certificate_number__in=part).select_related("organization")
        existing.update((inspector.certificate_number, inspector) for inspector in found)
    institutions: dict[str, Institution] = {}
    for part in chunked(_item_codes(rows)):
        visible = Institution.objects.filter(flowing_down(actor, via="supervisor"))
        institutions.update((i.uscc, i) for i in visible.filter(uscc__in=part))
    codes = {code for _, cells in rows for code in _list(cells.get(REGIONS, ""))}
    organizations = in_scope(Organization.objects.order_by("path"), actor, via="")
    return _Known(
        existing=existing,
        organizations={org.name: org for org in organizations},
        regions=Region.objects.in_bulk(sorted(codes)),
        institutions=institutions,
        home=actor.organization,
    )


def _list(text: str) -> list[str]:
    return [part.strip() for part in _SPECIALTY_SEPARATORS.split(text) if part.strip()]


def _organization(reader: RowReader, known: _Known) -> Organization:
    name = reader.text(ORGANIZATION)
    if not name:
        return known.home
    found = known.organizations.get(name)
    if found is None:
        reader.fail(ORGANIZATION, f"“{name}”不是本单位或下级单位")
        return known.home
    return found


def _regions(reader: RowReader, known: _Known) -> list[Region] | None:
    """The regions listed, or None when the cell is empty (the regions stay as they are)."""
    codes = _list(reader.cells.get(REGIONS, ""))
    if not codes:
        return None
    missing = [code for code in codes if code not in known.regions]
    if missing:
        reader.fail(REGIONS, f"行政区划代码{'、'.join(missing)}不存在")
    return [known.regions[code] for code in codes if code in known.regions]


def _values(reader: RowReader, known: _Known) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": reader.text(NAME, required=True, max_length=50),
        "certificate_number": reader.text(CERTIFICATE, required=True, max_length=30),
        "organization": _organization(reader, known),
        "certificate_valid_from": reader.date(VALID_FROM),
        "certificate_valid_until": reader.date(VALID_UNTIL, required=True),
        "specialties": _list(reader.cells.get(SPECIALTIES, "")),
        "status": reader.choice(STATUS, PoolStatus.choices, default=PoolStatus.ACTIVE),
    }
    start, end = values["certificate_valid_from"], values["certificate_valid_until"]
    if start and end and end < start:
        reader.fail(VALID_UNTIL, "执法证有效期至不能早于有效期起")
    return values


def _institution(
    reader: RowReader, known: _Known, column: str, item: str, code: str
) -> Institution | None:
    found = known.institutions.get(compact(code))
    if found is None:
        reader.fail(column, f"“{item}”中的统一社会信用代码{compact(code)}不在机构名录中")
    return found


def _period(text: str) -> tuple[str, str]:
    """“2015-09-01~2019-12-31”, “2015-09-01~”, “~2019-12-31” or “2015-09-01”."""
    parts = _PERIOD.split(text, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _optional_date(reader: RowReader, column: str, item: str, text: str) -> datetime.date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text.strip())
    except ValueError as error:
        reader.fail(column, f"“{item}”：{error}")
        return None


def _employments(reader: RowReader, known: _Known) -> list[tuple[Institution, dict[str, Any]]]:
    found: dict[int, tuple[Institution, dict[str, Any]]] = {}
    for item in split_items(reader.cells.get(EMPLOYMENT, "")):
        code, _, period = item.partition("@")
        start, end = _period(period)
        institution = _institution(reader, known, EMPLOYMENT, item, code)
        dates = {
            "started_on": _optional_date(reader, EMPLOYMENT, item, start),
            "ended_on": _optional_date(reader, EMPLOYMENT, item, end),
        }
        if dates["started_on"] and dates["ended_on"] and dates["ended_on"] < dates["started_on"]:
            reader.fail(EMPLOYMENT, f"“{item}”：结束日期不能早于起始日期")
        if institution is not None and institution.pk in found:
            reader.fail(EMPLOYMENT, f"“{item}”重复：同一机构只能写一次")
        elif institution is not None:
            found[institution.pk] = (institution, dates)
    return list(found.values())


def _relatives(reader: RowReader, known: _Known) -> list[tuple[Institution, dict[str, Any]]]:
    found: dict[tuple[int, str], tuple[Institution, dict[str, Any]]] = {}
    for item in split_items(reader.cells.get(RELATIVES, "")):
        code, _, rest = item.partition("@")
        relation, _, declared = rest.partition("@")
        if not relation.strip():
            reader.fail(RELATIVES, f"“{item}”应写成“统一社会信用代码@亲属关系@申报日期”")
            continue
        if len(relation.strip()) > 20:
            reader.fail(RELATIVES, f"“{item}”：亲属关系不能超过20个字")
        institution = _institution(reader, known, RELATIVES, item, code)
        details: dict[str, Any] = {
            "relation": relation.strip(),
            "declared_on": _optional_date(reader, RELATIVES, item, declared),
        }
        if institution is not None:
            found[(institution.pk, details["relation"])] = (institution, details)
    return list(found.values())


def _check_unique(
    reader: RowReader, values: dict[str, Any], known: _Known, seen: dict[str, int]
) -> None:
    number = values["certificate_number"]
    earlier = duplicate(seen, number, reader.line)
    if earlier:
        reader.fail(CERTIFICATE, f"与第{earlier}行重复，执法证号只能有一行")
    current = known.existing.get(number)
    if current is not None and not current.organization.path.startswith(known.home.path):
        reader.fail(CERTIFICATE, "该执法人员属于其他单位，您无权修改")


@dataclass
class _Row:
    values: dict[str, Any]
    regions: list[Region] | None
    employments: list[tuple[Institution, dict[str, Any]]]
    relatives: list[tuple[Institution, dict[str, Any]]]


def _record(plan: InspectorPlan, row: _Row, known: _Known, line: int) -> None:
    values = row.values
    current = known.existing.get(values["certificate_number"])
    inspector = current if current is not None else Inspector()
    for name, value in values.items():
        setattr(inspector, name, value)
    (plan.new if current is None else plan.changed).append(inspector)
    plan.organizations.add(values["organization"])
    if current is not None:
        plan.organizations.add(current.organization)
    if row.regions is not None:
        plan.regions.append((inspector, row.regions))
    plan.employments.extend((inspector, i, dates) for i, dates in row.employments)
    plan.relatives.extend((inspector, i, details) for i, details in row.relatives)
    plan.add(line, values["certificate_number"], values["name"], new=current is None)


def parse(rows: Sequence[RawRow], *, actor: User) -> InspectorPlan:
    plan = InspectorPlan(total=len(rows))
    known = _known(rows, actor)
    seen: dict[str, int] = {}
    for line, cells in rows:
        reader = RowReader(line, cells, plan.problems)
        row = _Row(
            values=_values(reader, known),
            regions=_regions(reader, known),
            employments=_employments(reader, known),
            relatives=_relatives(reader, known),
        )
        _check_unique(reader, row.values, known, seen)
        if not reader.failed:
            _record(plan, row, known, line)
    return plan


# --- writing ----------------------------------------------------------------------------------

UPDATE_FIELDS = [
    "name",
    "certificate_number",
    "organization",
    "certificate_valid_from",
    "certificate_valid_until",
    "specialties",
    "status",
    "updated_at",
]


def _write_regions(regions: list[tuple[Inspector, list[Region]]]) -> None:
    through = Inspector.regions.through
    for part in chunked([inspector.pk for inspector, _ in regions]):
        through.objects.filter(inspector_id__in=part).delete()
    links = [
        through(inspector_id=inspector.pk, region_id=region.pk)
        for inspector, listed in regions
        for region in listed
    ]
    through.objects.bulk_create(links, batch_size=BATCH)


def _write_employments(rows: list[tuple[Inspector, Institution, dict[str, Any]]]) -> None:
    existing: dict[tuple[int, int], InspectorEmployment] = {}
    for part in chunked(sorted({inspector.pk for inspector, _, _ in rows})):
        for found in InspectorEmployment.objects.filter(inspector_id__in=part):
            existing[(found.inspector_id, found.institution_id)] = found
    new, changed = [], []
    for inspector, institution, dates in rows:
        current = existing.get((inspector.pk, institution.pk))
        if current is None:
            new.append(InspectorEmployment(inspector=inspector, institution=institution, **dates))
            continue
        for name, day in dates.items():
            if day is not None:
                setattr(current, name, day)
        changed.append(current)
    InspectorEmployment.objects.bulk_create(new, batch_size=BATCH)
    InspectorEmployment.objects.bulk_update(changed, ["started_on", "ended_on"], batch_size=BATCH)


def _write_relatives(rows: list[tuple[Inspector, Institution, dict[str, Any]]]) -> None:
    existing: dict[tuple[int, int, str], InspectorRelative] = {}
    for part in chunked(sorted({inspector.pk for inspector, _, _ in rows})):
        for found in InspectorRelative.objects.filter(inspector_id__in=part):
            existing[(found.inspector_id, found.institution_id, found.relation)] = found
    new, changed = [], []
    for inspector, institution, details in rows:
        current = existing.get((inspector.pk, institution.pk, details["relation"]))
        if current is None:
            new.append(InspectorRelative(inspector=inspector, institution=institution, **details))
        elif details["declared_on"] is not None:
            current.declared_on = details["declared_on"]
            changed.append(current)
    InspectorRelative.objects.bulk_create(new, batch_size=BATCH)
    InspectorRelative.objects.bulk_update(changed, ["declared_on"], batch_size=BATCH)


def apply(plan: InspectorPlan, *, actor: User, filename: str) -> dict[str, int]:
    """Write a plan without errors in one transaction, in batches; one audit event."""
    require_editor(actor=actor, organizations=[actor.organization, *plan.organizations])
    now = timezone.now()
    for inspector in plan.changed:
        inspector.updated_at = now
    with transaction.atomic():
        Inspector.objects.bulk_create(plan.new, batch_size=BATCH)
        Inspector.objects.bulk_update(plan.changed, UPDATE_FIELDS, batch_size=BATCH)
        _write_regions(plan.regions)
        _write_employments(plan.employments)
        _write_relatives(plan.relatives)
        counts = {
            "rows": plan.total,
            "created": len(plan.new),
            "updated": len(plan.changed),
            "employments": len(plan.employments),
            "relatives": len(plan.relatives),
        }
        audit.record(
            action="supervision.inspector_import",
            actor=actor,
            summary={"filename": filename, **counts},
        )
    return counts
