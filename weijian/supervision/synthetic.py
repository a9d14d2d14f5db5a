"""Synthetic supervision data for demos, tests and benchmarks: never real people or bodies.

`institution_specs` and `inspector_specs` are pure and deterministic (one `random.Random(seed)`
per stream): the same seed and region give the same data. `memory_pools` turns them into the
pure draw's inputs without a database (the bench's 1M run); `populate` writes them with
`bulk_create` in batches: institutions in the region's counties, practitioners (SM4-encrypted ID
numbers with their blind index), inspectors (some certificates expired, some suspended) with
employment histories and declared relatives, so that draws meet conflicts.

Codes are valid (`supervision.codes`) and unique across runs: the serial space holds the seed
(`seed % 100 000` × 10⁸ + row) and the county code; a row whose code already exists (the same
seed run twice, or overlapping regions) is skipped, so a second identical run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.utils import timezone

from weijian.core.crypto import blind_index
from weijian.orgs.models import Organization, OrganizationKind, Region, RegionLevel
from weijian.supervision import draw as pure
from weijian.supervision.codes import make_resident_id, make_uscc
from weijian.supervision.models import (
    SUBCATEGORIES,
    HospitalGrade,
    HospitalLevel,
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    InstitutionCategory,
    InstitutionStatus,
    Ownership,
    PoolStatus,
    Practitioner,
    PractitionerKind,
    RiskGrade,
)

BATCH = 5000
SERIAL_SPACE = 10**8  # rows per seed
SEEDS = 10**5
SOURCE = "generate_supervision_data"
RISK_WEIGHTS = {"low": 1.0, "medium": 2.0, "high": 4.0}
T = TypeVar("T")

# (value, weight) tables: roughly the national proportions (基层 dominates, 医院 a few %).
CATEGORY_SHARES = [
    (InstitutionCategory.HOSPITAL, 4),
    (InstitutionCategory.PRIMARY_CARE, 90),
    (InstitutionCategory.PUBLIC_HEALTH, 2),
    (InstitutionCategory.OTHER, 4),
]
SUBCATEGORY_SHARES: dict[str, list[tuple[str, int]]] = {
    InstitutionCategory.HOSPITAL: [
        ("综合医院", 45),
        ("中医医院", 15),
        ("中西医结合医院", 3),
        ("民族医院", 1),
        ("专科医院", 28),
        ("康复医院", 5),
        ("护理院", 3),
    ],
    InstitutionCategory.PRIMARY_CARE: [
        ("社区卫生服务中心", 3),
        ("社区卫生服务站", 3),
        ("乡镇卫生院", 4),
        ("村卫生室", 55),
        ("门诊部", 4),
        ("诊所", 28),
        ("医务室", 3),
    ],
    InstitutionCategory.PUBLIC_HEALTH: [
        (name, 1) for name in SUBCATEGORIES[InstitutionCategory.PUBLIC_HEALTH]
    ],
    InstitutionCategory.OTHER: [(name, 1) for name in SUBCATEGORIES[InstitutionCategory.OTHER]],
}
LEVEL_SHARES = [
    (HospitalLevel.LEVEL_3, 10),
    (HospitalLevel.LEVEL_2, 35),
    (HospitalLevel.LEVEL_1, 35),
    (HospitalLevel.UNRATED, 20),
]
GRADE_SHARES = [(HospitalGrade.A, 50), (HospitalGrade.B, 35), (HospitalGrade.UNGRADED, 15)]
RISK_SHARES = [(RiskGrade.LOW, 70), (RiskGrade.MEDIUM, 22), (RiskGrade.HIGH, 8)]
STATUS_SHARES = [
    (InstitutionStatus.ACTIVE, 95),
    (InstitutionStatus.SUSPENDED, 3),
    (InstitutionStatus.CLOSED, 2),
]
BEDS = {
    HospitalLevel.LEVEL_3: (500, 2500),
    HospitalLevel.LEVEL_2: (100, 600),
    HospitalLevel.LEVEL_1: (20, 120),
    HospitalLevel.UNRATED: (0, 60),
}
WORDS = (
    "仁和 康宁 济民 同心 安康 惠民 博爱 益寿 长青 红星 东方 新华 永安 福寿 和平 光明 "
    "健民 春晖 德馨 广济 瑞康 启明 明德 万家 百姓 青山 绿水 金桥 银河 阳光"
).split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲建国志文斌辉鹏飞宇晨欣怡婷"
RELATIONS = ("配偶", "子女", "父母", "兄弟姐妹")
KINDS = [
    (PractitionerKind.PHYSICIAN, 45),
    (PractitionerKind.NURSE, 40),
    (PractitionerKind.PHARMACIST, 8),
    (PractitionerKind.TECHNICIAN, 7),
]
PRACTICE = {
    PractitionerKind.PHYSICIAN: ("临床", "内科专业"),
    PractitionerKind.NURSE: ("护理", "护理专业"),
    PractitionerKind.PHARMACIST: ("药学", "药品调剂"),
    PractitionerKind.TECHNICIAN: ("医技", "医学检验"),
}

# A subcategory that does not end a name well ("其他") is replaced in generated names.
NAME_ENDINGS = {"其他": "健康服务中心", "专科疾病防治机构": "专科疾病防治所"}
ROADS = ("建设路", "人民路", "公园路", "滨河路", "跃进路", "昭萍路", "解放路", "新华路")


def _pick(rng: random.Random, shares: Sequence[tuple[T, int]]) -> T:
    values, weights = zip(*shares, strict=True)
    return rng.choices(values, weights=weights)[0]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


@dataclass(frozen=True)
class County:
    code: str
    name: str


@dataclass(frozen=True)
class InstitutionSpec:
    serial: int
    county: County
    name: str
    category: str
    subcategory: str
    ownership: str
    for_profit: bool
    level: str
    grade: str
    beds: int
    risk_grade: str
    status: str

    @property
    def uscc(self) -> str:
        return make_uscc(self.serial, region_code=self.county.code)

    @property
    def license_number(self) -> str:
        # 9 base-36 characters of the serial, the county, 经营性质 (1/2), 服务对象, category code.
        digits, value = "", self.serial
        for _ in range(9):
            value, digit = divmod(value, 36)
            digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + digits
        nature = "2" if self.for_profit else "1"
        return f"{digits}{self.county.code}{nature}1A{1000 + len(self.subcategory):04d}"


@dataclass(frozen=True)
class InspectorSpec:
    serial: int
    name: str
    certificate_number: str
    valid_from: datetime.date
    valid_until: datetime.date
    status: str
    county: County
    worked_at: tuple[int, ...] = ()  # indexes into the institution specs
    relatives_at: tuple[tuple[int, str], ...] = field(default=())


def serial_base(seed: int) -> int:
    return (seed % SEEDS) * SERIAL_SPACE


def institution_specs(
    seed: int, counties: Sequence[County], count: int
) -> Iterator[InstitutionSpec]:
    """`count` institutions spread over `counties`, deterministic for `seed`."""
    rng = random.Random(f"institutions:{seed}")  # noqa: S311 - synthetic data
    base = serial_base(seed)
    for row in range(count):
        county = counties[row % len(counties)]
        category = _pick(rng, CATEGORY_SHARES)
        subcategory = _pick(rng, SUBCATEGORY_SHARES[category])
        hospital = category == InstitutionCategory.HOSPITAL
        level = _pick(rng, LEVEL_SHARES) if hospital else HospitalLevel.UNRATED
        if subcategory == "乡镇卫生院":
            level = HospitalLevel.LEVEL_1
        public = rng.random() < (0.45 if hospital else 0.3 if category != "public_health" else 1)
        low, high = BEDS[HospitalLevel(level)]
        yield InstitutionSpec(
            serial=base + row,
            county=county,
            name=f"{county.name}{rng.choice(WORDS)}{NAME_ENDINGS.get(subcategory, subcategory)}",
            category=category,
            subcategory=subcategory,
            ownership=Ownership.PUBLIC if public else Ownership.PRIVATE,
            for_profit=not public and rng.random() < 0.8,
            level=level,
            grade=_pick(rng, GRADE_SHARES) if level != HospitalLevel.UNRATED else "",
            beds=rng.randint(low, high) if hospital or level != HospitalLevel.UNRATED else 0,
            risk_grade=_pick(rng, RISK_SHARES),
            status=_pick(rng, STATUS_SHARES),
        )


def inspector_specs(
    seed: int,
    counties: Sequence[County],
    count: int,
    institutions: int,
    *,
    today: datetime.date,
    region_code: str,
) -> list[InspectorSpec]:
    """Inspectors: 85% certified, 10% expired, 5% suspended; 30% with 1–2 past employers and
    10% with a declared relative among the `institutions` generated with them."""
    rng = random.Random(f"inspectors:{seed}")  # noqa: S311 - synthetic data
    base = serial_base(seed) // 1000
    specs = []
    for row in range(count):
        state = rng.random()
        until = today + datetime.timedelta(days=rng.randint(90, 1800))
        if state < 0.10:
            until = today - datetime.timedelta(days=rng.randint(1, 700))
        worked: tuple[int, ...] = ()
        relatives: tuple[tuple[int, str], ...] = ()
        if institutions and rng.random() < 0.30:
            worked = tuple(sorted({rng.randrange(institutions) for _ in range(rng.randint(1, 2))}))
        if institutions and rng.random() < 0.10:
            relatives = ((rng.randrange(institutions), rng.choice(RELATIONS)),)
        specs.append(
            InspectorSpec(
                serial=base + row,
                name=person_name(rng),
                certificate_number=f"卫执{region_code[:6]}{base + row:010d}",
                valid_from=until - datetime.timedelta(days=5 * 365),
                valid_until=until,
                status=PoolStatus.SUSPENDED if 0.10 <= state < 0.15 else PoolStatus.ACTIVE,
                county=counties[row % len(counties)],
                worked_at=worked,
                relatives_at=relatives,
            )
        )
    return specs


# -- in memory (bench) ----------------------------------------------------------------------


def memory_pools(
    institutions: int, inspectors: int, *, seed: int, today: datetime.date | None = None
) -> tuple[list[pure.Institution], list[pure.Inspector]]:
    """The draw's inputs straight from the specs, without a database (weights by risk grade;
    keys are the serials, cheaper than computing 1M USCC check digits)."""
    today = today or datetime.date(2026, 1, 1)
    counties = [County("360321", "莲花县")]
    pool = [
        pure.Institution(f"{spec.serial:018d}", spec.name, RISK_WEIGHTS[spec.risk_grade])
        for spec in institution_specs(seed, counties, institutions)
        if spec.status == InstitutionStatus.ACTIVE
    ]
    keys = [f"{serial_base(seed) + row:018d}" for row in range(institutions)]
    staff = [
        pure.Inspector(
            key=spec.certificate_number,
            name=spec.name,
            certified=spec.status == PoolStatus.ACTIVE and spec.valid_until >= today,
            worked_at=frozenset(keys[i] for i in spec.worked_at),
            relatives_at=frozenset(keys[i] for i, _ in spec.relatives_at),
        )
        for spec in inspector_specs(
            seed, counties, inspectors, institutions, today=today, region_code="360321"
        )
    ]
    return pool, staff


# -- in the database ------------------------------------------------------------------------


def counties_of(region: Region) -> list[County]:
    """The counties inside `region` (the region itself for a county or below)."""
    if region.level >= RegionLevel.COUNTY:
        return [County(region.code, region.name)]
    from weijian.supervision.snapshot import region_prefix

    rows = Region.objects.filter(
        code__startswith=region_prefix(region.code), level=RegionLevel.COUNTY
    ).order_by("code")
    return [County(code, name) for code, name in rows.values_list("code", "name")] or [
        County(region.code, region.name)
    ]


def supervisor_for(region: Region) -> Organization:
    """The region's health authority; created (as a root) when there is none."""
    existing = (
        Organization.objects.filter(region=region, kind=OrganizationKind.HEALTH_AUTHORITY)
        .order_by("depth", "pk")
        .first()
    )
    if existing is not None:
        return existing
    from weijian.orgs import services

    return services.organization_insert(
        name=f"{region.name}卫生健康委员会",
        kind=OrganizationKind.HEALTH_AUTHORITY,
        parent=None,
        region=region,
        source=SOURCE,
    )


@dataclass
class Summary:
    supervisor: Organization
    institutions: int = 0
    practitioners: int = 0
    inspectors: int = 0
    employments: int = 0
    relatives: int = 0
    skipped: int = 0


Progress = Callable[[int], None]


def _batches(items: Iterator[T] | Sequence[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _existing(model: Any, field_name: str, values: list[str]) -> set[str]:
    return set(
        model.objects.filter(**{f"{field_name}__in": values}).values_list(field_name, flat=True)
    )


def _institutions(
    specs: list[InstitutionSpec], supervisor: Organization, today: datetime.date
) -> list[Institution]:
    rows = [
        Institution(
            name=spec.name,
            uscc=spec.uscc,
            license_number=spec.license_number,
            category=spec.category,
            subcategory=spec.subcategory,
            ownership=spec.ownership,
            for_profit=spec.for_profit,
            level=spec.level,
            grade=spec.grade,
            beds=spec.beds,
            region_id=spec.county.code,
            address=f"{spec.county.name}{ROADS[spec.serial % len(ROADS)]}{spec.serial % 997 + 1}号",
            license_valid_from=today - datetime.timedelta(days=spec.serial % 1500),
            license_valid_until=today + datetime.timedelta(days=365 + spec.serial % 1400),
            status=spec.status,
            risk_grade=spec.risk_grade,
            supervisor=supervisor,
        )
        for spec in specs
    ]
    taken = _existing(Institution, "uscc", [r.uscc for r in rows])
    taken |= _existing(Institution, "license_number", [r.license_number for r in rows])
    return [r for r in rows if r.uscc not in taken and r.license_number not in taken]


ID_SPACE = 4_700_000  # birth days 1993-01-01 … 2005-11 × 1000 sequences: valid for 3603xx


def _practitioners(
    institutions: list[tuple[int, Institution]], per_institution: int, seed: int
) -> list[Practitioner]:
    """`per_institution` people for each (spec row, institution); ID numbers run through the
    seed's own stretch of the ID space, so one run never repeats a person."""
    rng = random.Random(f"practitioners:{seed}:{institutions[0][0]}")  # noqa: S311
    offset = (seed % SEEDS) * 1_000_003
    rows = []
    for row_index, institution in institutions:
        for j in range(per_institution):
            kind = _pick(rng, KINDS)
            number = (offset + row_index * per_institution + j) % ID_SPACE
            born = datetime.date(1993, 1, 1) + datetime.timedelta(days=number // 1000)
            id_number = make_resident_id(number, born=born)
            category, scope = PRACTICE[PractitionerKind(kind)]
            letter = "PNYT"[list(PRACTICE).index(kind)]
            rows.append(
                Practitioner(
                    kind=kind,
                    name=person_name(rng),
                    id_number=id_number,
                    id_number_index=blind_index(id_number, purpose="resident_id"),
                    license_number=f"{letter}{institution.uscc}{j:02d}",
                    practice_category=category,
                    practice_scope=scope,
                    institution=institution,
                )
            )
    taken = _existing(Practitioner, "id_number_index", [r.id_number_index for r in rows])
    seen: set[str] = set()
    kept = []
    for row in rows:  # a person drawn twice, or already registered: left out
        if row.id_number_index in taken or row.id_number_index in seen:
            continue
        seen.add(row.id_number_index)
        kept.append(row)
    return kept


def populate(
    region: Region,
    *,
    institutions: int,
    inspectors: int,
    seed: int,
    practitioners: int = 2,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Write the synthetic region (the caller holds the transaction)."""
    today = today or timezone.localdate()
    counties = counties_of(region)
    summary = Summary(supervisor=supervisor_for(region))
    created: list[tuple[int, str] | None] = []  # by spec row: (pk, uscc) or None when skipped
    for batch in _batches(institution_specs(seed, counties, institutions)):
        rows = _institutions(batch, summary.supervisor, today)
        Institution.objects.bulk_create(rows, batch_size=BATCH)
        by_uscc = {row.uscc: row for row in rows}
        pairs = []
        for spec in batch:
            row = by_uscc.get(spec.uscc)
            created.append((row.pk, row.uscc) if row else None)
            if row is not None:
                pairs.append((len(created) - 1, row))
        summary.institutions += len(rows)
        summary.skipped += len(batch) - len(rows)
        if pairs and practitioners:
            people = _practitioners(pairs, practitioners, seed)
            Practitioner.objects.bulk_create(people, batch_size=BATCH)
            summary.practitioners += len(people)
        if progress:
            progress(len(batch))
    _write_inspectors(
        inspector_specs(
            seed, counties, inspectors, institutions, today=today, region_code=region.code
        ),
        summary,
        created,
    )
    return summary


def _write_inspectors(
    specs: list[InspectorSpec], summary: Summary, created: list[tuple[int, str] | None]
) -> None:
    taken = set()
    for batch in _batches(specs):
        taken |= _existing(Inspector, "certificate_number", [s.certificate_number for s in batch])
    fresh = [spec for spec in specs if spec.certificate_number not in taken]
    rows = [
        Inspector(
            name=spec.name,
            organization=summary.supervisor,
            certificate_number=spec.certificate_number,
            certificate_valid_from=spec.valid_from,
            certificate_valid_until=spec.valid_until,
            specialties=["医疗卫生"],
            status=spec.status,
        )
        for spec in fresh
    ]
    Inspector.objects.bulk_create(rows, batch_size=BATCH)
    summary.inspectors = len(rows)
    through = Inspector.regions.through
    through.objects.bulk_create(
        [
            through(inspector_id=row.pk, region_id=spec.county.code)
            for spec, row in zip(fresh, rows, strict=True)
        ],
        batch_size=BATCH,
    )
    employments = [
        InspectorEmployment(
            inspector=row,
            institution_id=found[0],
            started_on=datetime.date(2005 + i % 10, 1 + i % 12, 1),
            ended_on=datetime.date(2016 + i % 5, 1 + i % 12, 1),
        )
        for spec, row in zip(fresh, rows, strict=True)
        for i in spec.worked_at
        if (found := created[i]) is not None
    ]
    relatives = [
        InspectorRelative(inspector=row, institution_id=found[0], relation=relation)
        for spec, row in zip(fresh, rows, strict=True)
        for i, relation in spec.relatives_at
        if (found := created[i]) is not None
    ]
    InspectorEmployment.objects.bulk_create(employments, batch_size=BATCH)
    InspectorRelative.objects.bulk_create(relatives, batch_size=BATCH)
    summary.employments, summary.relatives = len(employments), len(relatives)
