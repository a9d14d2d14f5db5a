"""The demo plan: a task-division notice of the demo commission, read by the same parser and
written by the same service as an uploaded one, with the aliases and the collective unit it
needs so that most of its units resolve. Idempotent: an existing demo plan is left alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from weijian.orgs.demo import DEMO_COMMISSION
from weijian.orgs.models import Organization
from weijian.plans.importers import parse_plan
from weijian.plans.models import CollectiveUnit, OrganizationAlias, Plan
from weijian.plans.services import plan_import_apply

SOURCE = "演示数据"
TITLE = "萍乡市2026年卫生健康重点工作任务分工方案"
COLLECTIVE = "各县（区）卫生健康委"
DISTRICTS = [
    "安源区卫生健康委员会",
    "湘东区卫生健康委员会",
    "莲花县卫生健康委员会",
    "上栗县卫生健康委员会",
    "芦溪县卫生健康委员会",
]
# The commission's names in documents: before the 2019 reform it was the 卫计委.
ALIASES = [
    ("市卫健委", datetime.date(2019, 1, 1), None),
    ("市卫计委", None, datetime.date(2019, 1, 31)),
]

# Written for the demo (not a real document).
DOCUMENT = f"""萍乡市卫生健康委员会关于印发{TITLE}的通知
萍卫发〔2026〕4号
各县（区）卫生健康委，委机关各科室，委属各单位：
现将《{TITLE}》印发给你们，请结合实际抓好落实，每月5日前报送进展情况。
萍乡市卫生健康委员会
2026年2月10日
{TITLE}
一、深化医药卫生体制改革
（一）推进紧密型县域医共体建设。到2026年底，紧密型县域医共体建设覆盖率达到100%。（市卫健委牵头，市医保局、市财政局等部门参与）
（二）完善分级诊疗制度。县域内就诊率达到90%以上，基层医疗卫生机构诊疗量占比不低于60%。（各县（区）卫生健康委负责）
（三）深化公立医院改革。
1.推进公立医院高质量发展，三级公立医院平均住院日控制在8天以内。（牵头单位：萍乡市人民医院；配合单位：市医保局）
2.开展公立医院绩效考核，考核结果与财政补助挂钩。（市卫健委牵头，市财政局参与）
二、提升公共卫生服务能力
（一）加强疾病预防控制体系建设。
1.改善疾控机构基础设施条件，完成市疾控中心实验室升级。（萍乡市疾病预防控制中心负责，2026年9月底前完成）
2.适龄儿童国家免疫规划疫苗接种率保持在95%以上。（责任单位：各县（区）卫生健康委、萍乡市疾病预防控制中心）
（二）做好重点人群健康服务。
1.做好老年人健康服务，65岁及以上老年人健康管理率达到72%以上。（各县（区）卫生健康委负责）
2.孕产妇系统管理率达到90%以上，婴儿死亡率控制在5‰以下。（市卫健委牵头，各县（区）卫生健康委参与）
三、强化医疗卫生行业综合监管
（一）全面推行“双随机、一公开”监管，抽查结果在20个工作日内向社会公示。（市卫健委牵头，市市场监管局、市医保局等部门参与）
（二）开展医疗机构依法执业专项检查，医疗机构依法执业自查覆盖率达到100%。（牵头单位：市卫健委；责任单位：各县（区）卫生健康委）
（三）加强医疗服务质量管理，二级以上医院全部建立质量控制组织。
牵头单位：萍乡市人民医院
配合单位：莲花县人民医院
四、加强卫生健康人才队伍建设
（一）实施基层卫生人才培养计划。到2026年，每千常住人口执业（助理）医师数达到3.2人，每千常住人口注册护士数达到3.8人。（市卫健委牵头，市人社局、市教育局参与）
（二）落实乡村医生待遇保障，完善养老保障政策。（市人社局牵头，市财政局、各县（区）卫生健康委等部门参与）
"""

Say = Callable[[str], None]


def load_plans(say: Say) -> None:
    commission = Organization.objects.filter(name=DEMO_COMMISSION, parent=None).first()
    if commission is None:
        return
    _aliases(commission)
    _collective(commission)
    if Plan.objects.filter(owner=commission, title=TITLE).exists():
        say(f"演示方案：{TITLE}（已存在）。")
        return
    parsed = parse_plan(DOCUMENT).to_json()
    plan = plan_import_apply(parsed=parsed, owner=commission, actor=None, source=SOURCE)
    say(f"演示方案：{plan.title}，任务 {plan.tasks.count()} 项。")


def _aliases(commission: Organization) -> None:
    for name, valid_from, valid_to in ALIASES:
        OrganizationAlias.objects.get_or_create(
            organization=commission,
            name=name,
            valid_from=valid_from,
            defaults={"valid_to": valid_to},
        )


def _collective(commission: Organization) -> None:
    collective, _ = CollectiveUnit.objects.get_or_create(name=COLLECTIVE)
    members = Organization.objects.filter(parent=commission, name__in=DISTRICTS)
    collective.members.add(*members)
