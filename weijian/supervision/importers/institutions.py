"""The institution import: one row per institution, matched by 统一社会信用代码 (an existing
code updates the institution, a new one creates it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from weijian.core import audit
from weijian.core.identifiers import compact, validate_uscc
from weijian.orgs.models import Organization, Region
from weijian.supervision import selectors_registry as selectors
from weijian.supervision.access import require_editor
from weijian.supervision.identifiers import validate_license_number
from weijian.supervision.importers.sheet import (
    BATCH,
    Column,
    ImportPlan,
    RawRow,
    RowReader,
    chunked,
    duplicate,
)
from weijian.supervision.models import (
    HospitalGrade,
    HospitalLevel,
    Institution,
    InstitutionCategory,
    InstitutionStatus,
    Ownership,
    RiskGrade,
)
from weijian.supervision.services.institutions import FIELDS, rule_errors

if TYPE_CHECKING:
    from weijian.accounts.models import User

audit.register_actions({"supervision.institution_import": "导入医疗卫生机构"})

SHEET = "医疗卫生机构"
NAME, USCC, LICENSE = "机构名称", "统一社会信用代码", "执业许可证登记号"
CATEGORY, SUBCATEGORY, OWNERSHIP = "机构类别", "机构子类", "举办性质"
FOR_PROFIT, LEVEL, GRADE, BEDS = "营利性", "级别", "等次", "核定床位"
REGION, ADDRESS = "所在区划代码", "地址"
VALID_FROM, VALID_UNTIL = "许可证有效期起", "许可证有效期至"
STATUS, RISK, SUPERVISOR = "状态", "风险等级", "监管单位"

COLUMNS = (
    Column(NAME, True, "不超过200字"),
    Column(USCC, True, "18位；已登记的代码将更新该机构，未登记的代码将新增机构"),
    Column(LICENSE, False, "22位医疗机构执业许可证登记号，第10至15位的区划代码须存在"),
    Column(CATEGORY, True, "、".join(InstitutionCategory.labels)),
    Column(SUBCATEGORY, False, "须属于所填机构类别，如：综合医院、乡镇卫生院、诊所"),
    Column(OWNERSHIP, True, "、".join(Ownership.labels)),
    Column(FOR_PROFIT, False, "是 或 否，不填为否"),
    Column(LEVEL, False, "三级、二级、一级、未定级，不填为未定级"),
    Column(GRADE, False, "甲等、乙等、丙等；只有定级的机构才能填写"),
    Column(BEDS, False, "整数，不填为0；100张及以上每3年校验一次，不足100张每年校验"),
    Column(REGION, True, "6位县级或9位乡级行政区划代码，如：360321"),
    Column(ADDRESS, False, "不超过200字"),
    Column(VALID_FROM, False, "日期，如：2024-01-01"),
    Column(VALID_UNTIL, False, "日期，不得早于有效期起"),
    Column(STATUS, False, "正常执业、停业、注销，不填为正常执业"),
    Column(RISK, False, "低风险、中风险、高风险，不填为低风险"),
    Column(SUPERVISOR, False, "本单位或下级卫生健康行政部门的全称；不填为导入人所在单位"),
)
NOTES = (
    "第一行为表头，请勿修改列名；从第二行起每行一个机构。",
    "统一社会信用代码在文件中不能重复；已在机构名录中的代码将按本行内容更新该机构。",
    "只能导入或更新本单位及下级单位监管的机构。",
    "上传后先预览：文件中有任何错误时不会写入任何数据，请改正后重新上传。",
)

COLUMN_OF = {
    "name": NAME,
    "uscc": USCC,
    "license_number": LICENSE,
    "category": CATEGORY,
    "subcategory": SUBCATEGORY,
    "level": LEVEL,
    "grade": GRADE,
    "license_valid_from": VALID_FROM,
    "license_valid_until": VALID_UNTIL,
}
UPDATE_FIELDS = [name for name in FIELDS if name != "uscc"] + ["updated_at"]


@dataclass
class InstitutionPlan(ImportPlan):
    new: list[Institution] = field(default_factory=list)
    changed: list[Institution] = field(default_factory=list)
    supervisors: set[Organization] = field(default_factory=set)


@dataclass
class _Known:
    """What the rows refer to, read in a few queries for the whole file."""

    existing: dict[str, Institution]
    license_owner: dict[str, str]
    regions: dict[str, Region]
    supervisors: dict[str, Organization]
    home: Organization


def _column(rows: Sequence[RawRow], name: str) -> list[str]:
    return sorted({compact(cells.get(name, "")) for _, cells in rows} - {""})


def _known(rows: Sequence[RawRow], actor: User) -> _Known:
    usccs, licenses = _column(rows, USCC), _column(rows, LICENSE)
    existing: dict[str, Institution] = {}
    owners: dict[str, str] = {}
    for part in chunked(usccs):
        for found in Institution.objects.filter(uscc__in=part).select_related("supervisor"):
            existing[found.uscc] = found
    for part in chunked(licenses):
        pairs = Institution.objects.filter(license_number__in=part)
        owners.update(pairs.values_list("license_number", "uscc"))
    codes = set(_column(rows, REGION)) | {number[9:15] for number in licenses}
    return _Known(
        existing=existing,
        license_owner=owners,
        regions=Region.objects.in_bulk(sorted(codes)),
        supervisors={org.name: org for org in selectors.supervisor_choices(user=actor)},
        home=actor.organization,
    )


def _supervisor(reader: RowReader, known: _Known) -> Organization:
    name = reader.text(SUPERVISOR)
    if not name:
        return known.home
    found = known.supervisors.get(name)
    if found is None:
        reader.fail(SUPERVISOR, f"“{name}”不是本单位或下级卫生健康行政部门")
        return known.home
    return found


def _region(reader: RowReader, known: _Known) -> Region | None:
    code = reader.text(REGION, required=True)
    if code and code not in known.regions:
        reader.fail(REGION, f"行政区划代码“{code}”不存在")
    return known.regions.get(code)


def _values(reader: RowReader, known: _Known) -> dict[str, Any]:
    return {
        "name": reader.text(NAME, required=True, max_length=200),
        "uscc": reader.code(USCC, validate_uscc, required=True),
        "license_number": reader.code(LICENSE, validate_license_number),
        "category": reader.choice(CATEGORY, InstitutionCategory.choices),
        "subcategory": reader.text(SUBCATEGORY, max_length=20),
        "ownership": reader.choice(OWNERSHIP, Ownership.choices),
        "for_profit": reader.yes_no(FOR_PROFIT),
        "level": reader.choice(LEVEL, HospitalLevel.choices, default=HospitalLevel.UNRATED),
        "grade": reader.choice(GRADE, HospitalGrade.choices, default=""),
        "beds": reader.integer(BEDS),
        "region": _region(reader, known),
        "address": reader.text(ADDRESS, max_length=200),
        "license_valid_from": reader.date(VALID_FROM),
        "license_valid_until": reader.date(VALID_UNTIL),
        "status": reader.choice(STATUS, InstitutionStatus.choices, default="active"),
        "risk_grade": reader.choice(RISK, RiskGrade.choices, default=RiskGrade.LOW),
        "supervisor": _supervisor(reader, known),
    }


def _check_rules(reader: RowReader, values: dict[str, Any], known: _Known) -> None:
    for name, message in rule_errors(values, known_regions=known.regions).items():
        reader.fail(COLUMN_OF[name], message)


def _check_unique(
    reader: RowReader, values: dict[str, Any], known: _Known, seen: dict[str, dict[str, int]]
) -> None:
    uscc, number = values["uscc"], values["license_number"]
    earlier = duplicate(seen["uscc"], uscc, reader.line)
    if earlier:
        reader.fail(USCC, f"与第{earlier}行重复，同一机构只能有一行")
    earlier = duplicate(seen["license"], number, reader.line)
    if earlier:
        reader.fail(LICENSE, f"与第{earlier}行重复，登记号不能重复")
    owner = known.license_owner.get(number)
    if number and owner is not None and owner != uscc:
        reader.fail(LICENSE, f"执业许可证登记号{number}已被机构名录中的其他机构使用")
    current = known.existing.get(uscc)
    if current is not None and not current.supervisor.path.startswith(known.home.path):
        reader.fail(USCC, "该机构已由其他监管单位登记，您无权修改")


def _record(plan: InstitutionPlan, values: dict[str, Any], known: _Known, line: int) -> None:
    current = known.existing.get(values["uscc"])
    target = current if current is not None else Institution()
    for name, value in values.items():
        setattr(target, name, value)
    (plan.new if current is None else plan.changed).append(target)
    plan.supervisors.add(values["supervisor"])
    if current is not None:
        plan.supervisors.add(current.supervisor)
    plan.add(line, values["uscc"], values["name"], new=current is None)


def parse(rows: Sequence[RawRow], *, actor: User) -> InstitutionPlan:
    plan = InstitutionPlan(total=len(rows))
    known = _known(rows, actor)
    seen: dict[str, dict[str, int]] = {"uscc": {}, "license": {}}
    for line, cells in rows:
        reader = RowReader(line, cells, plan.problems)
        values = _values(reader, known)
        _check_rules(reader, values, known)
        _check_unique(reader, values, known, seen)
        if not reader.failed:
            _record(plan, values, known, line)
    return plan


def apply(plan: InstitutionPlan, *, actor: User, filename: str) -> dict[str, int]:
    """Write a plan without errors in one transaction, in batches; one audit event."""
    require_editor(actor=actor, organizations=[actor.organization, *plan.supervisors])
    now = timezone.now()
    for institution in plan.changed:
        institution.updated_at = now
    with transaction.atomic():
        Institution.objects.bulk_create(plan.new, batch_size=BATCH)
        Institution.objects.bulk_update(plan.changed, UPDATE_FIELDS, batch_size=BATCH)
        counts = {"rows": plan.total, "created": len(plan.new), "updated": len(plan.changed)}
        audit.record(
            action="supervision.institution_import",
            actor=actor,
            summary={"filename": filename, **counts},
        )
    return counts
