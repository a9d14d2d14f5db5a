"""The demo's supervision world (萍乡): about 40 synthetic institutions in the city's counties
supervised by the demo commission, their practitioners, ten inspectors (one of them the demo
inspector account 周正), an expert, two inspection items with their checklists, an earlier
round (检查中) whose inspection by 周正 is completed and published, so the portal has a result,
one plan drawn (已抽取, avoiding the earlier round's groups) and one plan waiting for its draw.
Everything goes through the services, witnessed and audited.

Idempotent: when the demo commission already has the demo items, nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from weijian.accounts.models import User
from weijian.core import audit
from weijian.orgs.models import Organization, Region
from weijian.supervision import synthetic
from weijian.supervision.models import (
    CheckOutcome,
    CheckPoint,
    Expert,
    InspectionItem,
    InspectionResult,
    Inspector,
    SamplingPlan,
)
from weijian.supervision.services import inspections, publication, sampling

audit.register_actions({"demo.supervision": "载入演示综合监管数据"})

Say = Callable[[str], None]
COMMISSION = "萍乡市卫生健康委员会"
REGION = "360300"
SEED = 2026
STAFF = "staff"
INSPECTOR = "inspector"
WITNESS = "市纪委监委驻市卫健委纪检监察组 李明"
ITEMS = [
    (
        "JG-001",
        "医疗机构依法执业情况",
        "医疗机构资质及人员执业",
        "《医疗机构管理条例》《医师法》《护士条例》",
        [
            ("是否取得《医疗机构执业许可证》并按期校验", "《医疗机构管理条例》第十四条"),
            ("诊疗活动是否超出登记的诊疗科目", "《医疗机构管理条例》第二十六条"),
            ("是否使用非卫生技术人员从事医疗卫生技术工作", "《医疗机构管理条例》第二十七条"),
            ("医师、护士是否按注册的执业地点、类别执业", "《医师法》第十四条"),
        ],
    ),
    (
        "JG-002",
        "传染病防治工作",
        "预检分诊与医疗废物处置",
        "《传染病防治法》《医疗废物管理条例》",
        [
            ("是否建立预检分诊制度并落实", "《传染病防治法》第五十二条"),
            ("医疗废物是否分类收集、专人交接、登记", "《医疗废物管理条例》第十一条"),
            ("消毒隔离制度是否落实", "《传染病防治法》第五十一条"),
        ],
    ),
]


def load_supervision(say: Say) -> None:
    commission = Organization.objects.filter(name=COMMISSION, parent=None).first()
    if commission is None:
        return
    if InspectionItem.objects.filter(owner=commission, code=ITEMS[0][0]).exists():
        say("演示综合监管数据：已存在。")
        return
    today = timezone.localdate()
    summary = synthetic.populate(
        Region.objects.get(code=REGION), institutions=40, inspectors=10, seed=SEED, today=today
    )
    linked = _link_inspector(today)
    items = [_item(commission, order, *spec) for order, spec in enumerate(ITEMS, start=1)]
    Expert.objects.get_or_create(
        name="钟仁杰",
        owner=commission,
        defaults={
            "workplace": "萍乡市人民医院",
            "title": "主任医师",
            "specialties": ["医院管理", "医疗质量"],
            "phone": "13907990123",
        },
    )
    drawn = _plans(commission, items, today)
    audit.record(
        action="demo.supervision",
        actor=None,
        organization=commission,
        username="load_demo",
        summary={
            "institutions": summary.institutions,
            "inspectors": summary.inspectors,
            "linked_inspector": linked,
            "plans_drawn": drawn,
        },
    )
    say(
        f"演示综合监管数据：机构 {summary.institutions} 家，医务人员 {summary.practitioners} 名，"
        f"执法人员 {summary.inspectors} 名，抽查事项 {len(items)} 项，抽查计划 3 个（检查中 1 个、"
        f"已抽取 {drawn} 个、待抽取 1 个）。"
    )


def _link_inspector(today: datetime.date) -> bool:
    """The demo inspector account becomes a certified inspector of the pool."""
    user = User.objects.filter(username=INSPECTOR).first()
    if user is None or Inspector.objects.filter(user=user).exists():
        return False
    for inspector in Inspector.objects.filter(organization=user.organization).order_by("pk"):
        if inspector.is_certified_on(today):
            inspector.user, inspector.name = user, user.full_name or inspector.name
            inspector.save(update_fields=["user", "name", "updated_at"])
            return True
    return False


def _item(
    owner: Organization,
    order: int,
    code: str,
    name: str,
    sub_item: str,
    basis: str,
    points: list[tuple[str, str]],
) -> InspectionItem:
    item = InspectionItem.objects.create(
        owner=owner,
        code=code,
        name=name,
        sub_item=sub_item,
        basis=basis,
        subject="萍乡市卫生健康委员会",
        object_scope="辖区内医疗卫生机构",
        ratio="不低于5%",
        frequency="每年不少于2次",
        method="现场检查",
        inspector_requirements="不少于2名持有执法证的执法人员",
        order=order,
    )
    CheckPoint.objects.bulk_create(
        [
            CheckPoint(item=item, order=number, content=content, basis=point_basis)
            for number, (content, point_basis) in enumerate(points, start=1)
        ]
    )
    return item


def _plans(commission: Organization, items: list[InspectionItem], today: datetime.date) -> int:
    actor = User.objects.filter(username=STAFF).first()
    if actor is None:
        return 0
    common: dict[str, Any] = {
        "year": today.year,
        "object_ratio": None,
        "group_size": 2,
        "weighted": True,
        "risk_weights": {"low": 1, "medium": 2, "high": 4},
        "exclude_months": 0,
        "avoid_previous_round": True,
        "witness": WITNESS,
        "categories": [],
        "levels": [],
        "ownerships": [],
        "planned_start": today,
        "planned_end": today + datetime.timedelta(days=60),
    }
    _earlier_round(actor, commission, items[0], common)
    drawn = sampling.plan_create(
        actor=actor,
        owner=commission,
        **{
            **common,
            "title": f"{today.year}年第一批医疗机构依法执业双随机抽查",
            "item": items[0],
            "object_count": 6,
        },
    )
    sampling.plan_create(
        actor=actor,
        owner=commission,
        **{
            **common,
            "title": f"{today.year}年传染病防治工作双随机抽查",
            "item": items[1],
            "object_count": None,
            "object_ratio": Decimal("0.1"),
        },
    )
    outcome = sampling.draw_plan(plan=drawn, actor=actor, witness=WITNESS, seed=SEED)
    return 1 if outcome.draw is not None else 0


def _earlier_round(
    actor: User, commission: Organization, item: InspectionItem, common: dict[str, Any]
) -> None:
    """A first round of the same item: drawn, 周正's inspection recorded, completed and
    published (one 不符合 point, ordered to rectify); the other groups have not started."""
    plan = sampling.plan_create(
        actor=actor,
        owner=commission,
        **{
            **common,
            "title": f"{common['year']}年医疗机构依法执业专项抽查（第一轮）",
            "item": item,
            "object_count": 4,
        },
    )
    sampling.draw_plan(plan=plan, actor=actor, witness=WITNESS, seed=SEED - 1)
    _record_own_inspection(plan)


def _record_own_inspection(plan: SamplingPlan) -> None:
    user = User.objects.filter(username=INSPECTOR).first()
    inspection = plan.inspections.filter(inspectors__user=user).first()
    staff = User.objects.filter(username=STAFF).first()
    if user is None or inspection is None or staff is None:
        return
    today = timezone.localdate()
    points = list(plan.item.checkpoints.order_by("order"))
    checks = [
        inspections.CheckEntry(point.pk, CheckOutcome.CONFORMS, "") for point in points[:-1]
    ] + [inspections.CheckEntry(points[-1].pk, CheckOutcome.NONCONFORMS, "部分处方未签名")]
    record = inspections.Record(
        inspected_on=today,
        result=InspectionResult.RECTIFY,
        summary="资质齐全；抽查处方20张，3张无医师签名，当场责令整改。",
        rectification_deadline=today + datetime.timedelta(days=30),
        checks=checks,
    )
    inspections.inspection_record(actor=user, inspection=inspection, record=record)
    inspection.refresh_from_db()
    inspections.inspection_complete(actor=user, inspection=inspection)
    publication.publish_inspection(actor=staff, inspection=inspection)
