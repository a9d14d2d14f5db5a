"""临江市卫生健康和医疗保障局 (seed 000): the bureau in full.

Facts from the seed: name, plates, rank, the six internal departments and the party
organisation with their aliases, staffing, the eight leaders with their titles, supervised
departments and liaison units, postcode, phone and both office-hour seasons. The seed gives no
date ranges for the seasons: the demo uses the usual 5月1日 / 10月1日 change-over. Duty and
responsibility texts are the demo's own short wording.
"""

from __future__ import annotations

from typing import Any

from weijian.orgs.demo_data import Body, Unit
from weijian.orgs.models import OrganizationKind

NAME = "临江市卫生健康和医疗保障局"
REGION = "220681"

K = OrganizationKind

# Liaison units named in the leaders' division of work, created below the bureau so that the
# profile's liaisons resolve to them (the seed writes 市人民医院 for 临江市人民医院).
UNITS = (
    Unit("临江市人民医院", K.HOSPITAL, REGION),
    Unit("临江市中医院", K.HOSPITAL, REGION),
    Unit("临江市疾病预防控制中心", K.PUBLIC_HEALTH, REGION, ("临江市卫生监督所",)),
    Unit("临江市结核病防治所", K.PUBLIC_HEALTH, REGION),
    Unit("临江市妇幼保健计划生育服务中心", K.PUBLIC_HEALTH, REGION),
    Unit("临江友谊老年病医院", K.HOSPITAL, REGION),
    Unit("三公里便民医院", K.HOSPITAL, REGION),
    Unit("恒兴中医院", K.HOSPITAL, REGION),
    Unit("临江市兴隆社区卫生服务中心", K.PRIMARY_CARE, REGION),
    Unit("临江市建国社区卫生服务中心", K.PRIMARY_CARE, REGION),
    Unit("临江市医保经办中心", K.OTHER, REGION),
)

DUTIES = [
    "执行卫生健康和医保法规政策，拟订发展规划并统筹资源配置",
    "推动医改和公立医院综合改革",
    "组织疾病预防控制和免疫规划，负责卫生应急",
    "推行基本药物制度，监测食品安全风险",
    "负责公共卫生监督管理和爱国卫生运动",
    "规范医疗机构和医疗服务行业管理",
    "负责计划生育管理服务和人口监测预警",
    "指导基层卫生、妇幼健康和全科医生队伍建设",
    "做好重大会议活动医疗保障",
    "监管医保基金安全，查处医保违法违规行为",
    "落实医保筹资和待遇政策，推进长期护理保险",
    "实施城乡统一的医保目录和支付标准",
    "执行医药价格和收费政策，建立价格监测发布制度",
    "监督药品和医用耗材招标采购",
    "管理定点医药机构协议，建立医保信用评价",
    "负责医保经办、异地就医结算和信息化建设",
    "管理市中医药局和疾控局，督查行业安全生产",
    "承办市委、市政府交付的其他工作",
]

OFFICE = "办公室"
MEDICAL = "医政医管与体制改革科"
DISEASE = "疾病预防控制科"
FAMILY = "妇幼健康与家庭发展科"
FUND = "基金监管科"
BENEFITS = "待遇保障科"
PARTY = "机关党组织"

DEPARTMENTS: list[dict[str, Any]] = [
    {
        "name": OFFICE,
        "aliases": ["人事科", "安全生产科"],
        "duties": "机关运转、人事财务、宣传统计和行业安全生产",
        "kind": "内设机构",
    },
    {
        "name": MEDICAL,
        "aliases": ["中医药管理科"],
        "duties": "医疗行业管理、医改推进、中医药和基层卫生",
        "kind": "内设机构",
    },
    {
        "name": DISEASE,
        "aliases": ["职业健康与食品科", "政策法规科"],
        "duties": "疾病防控、卫生应急、职业健康、综合监督和法制",
        "kind": "内设机构",
    },
    {
        "name": FAMILY,
        "aliases": [],
        "duties": "妇幼健康服务、人口监测和生育政策落实",
        "kind": "内设机构",
    },
    {"name": FUND, "aliases": [], "duties": "医保基金监管和违法违规查处", "kind": "内设机构"},
    {
        "name": BENEFITS,
        "aliases": [],
        "duties": "医保筹资待遇、协议管理和医药价格招采",
        "kind": "内设机构",
    },
    {
        "name": PARTY,
        # The leaders' division of work names the party organisation 直属机关党委.
        "aliases": ["直属机关党委"],
        "duties": "承担机关和直属单位的党建群团工作",
        "kind": "机关党组织",
    },
    # Sections the division of work names as 内设科室; the profile gives them no duties.
    {"name": "宣传科", "aliases": [], "duties": "", "kind": "内设科室"},
    {"name": "爱卫办", "aliases": [], "duties": "", "kind": "内设科室"},
    {"name": "基层卫生科", "aliases": [], "duties": "", "kind": "内设科室"},
    {"name": "党风政风室", "aliases": [], "duties": "", "kind": "内设科室"},
]


def _leader(
    name: str,
    titles: list[str],
    grade: str,
    responsibilities: str,
    supervises: list[str],
    liaisons: list[str],
) -> dict[str, Any]:
    return {
        "name": name,
        "titles": titles,
        "grade": grade,  # extra key: the 职级, which the demo loader sets on the post
        "responsibilities": responsibilities,
        "supervises": supervises,
        "assists": [],
        "liaisons": liaisons,
        "liaison_regions": [],
    }


LEADERS = [
    _leader("梁  东", ["党组书记", "局长"], "一级主任科员", "主持局全面工作", [], []),
    _leader(
        "高  彦",
        ["党组成员", "副局长"],
        "三级主任科员",
        "财务统计、绩效考核、机关党建、宣传和妇幼健康等工作",
        [OFFICE, "直属机关党委", "宣传科", FAMILY],
        ["临江市妇幼保健计划生育服务中心"],
    ),
    _leader(
        "王文飞",
        ["党组成员", "副局长"],
        "",
        "机关事务、安全生产、项目招商、信访和信息化",
        [OFFICE],
        ["临江友谊老年病医院", "三公里便民医院"],
    ),
    _leader(
        "史秀娟",
        ["党组成员", "副局长", "疾病预防控制局专职局长"],
        "",
        "疾病防控、卫生应急、监督执法、依法行政和爱国卫生等工作",
        [DISEASE, "爱卫办"],
        ["临江市人民医院", "临江市疾病预防控制中心", "临江市结核病防治所"],
    ),
    _leader(
        "陈航宇",
        ["党组成员", "副局长（挂职）"],
        "",
        "中医药和对口帮扶工作",
        [MEDICAL],
        ["临江市中医院"],
    ),
    _leader(
        "孟庆林",
        [],
        "一级主任科员",
        "基层卫生、基本公卫、计生和老龄健康；联系各乡镇卫生院",
        ["基层卫生科", FAMILY],
        ["临江市兴隆社区卫生服务中心", "临江市建国社区卫生服务中心"],
    ),
    _leader(
        "张纯波",
        [],
        "二级主任科员",
        "人事、党风廉政和医保基金监管、经办、待遇政策工作",
        [OFFICE, "党风政风室", FUND, BENEFITS],
        ["临江市医保经办中心"],
    ),
    _leader(
        "郑  涛",
        [],
        "四级主任科员",
        "医改、医政医管、行风和精神卫生管理",
        [MEDICAL],
        ["恒兴中医院"],
    ),
]

PROFILE: dict[str, Any] = {
    "organization": {
        "name": NAME,
        "plates": ["临江市中医药管理局", "临江市疾病预防控制局"],
        "rank": "正科级",
    },
    "duties": [
        {"number": number, "text": text, "kind": "duty"}
        for number, text in enumerate(DUTIES, start=1)
    ],
    "boundaries": [],
    "departments": DEPARTMENTS,
    "staffing": {
        "administrative": 16,
        "posts": [
            {"title": "局长", "count": 1},
            {"title": "副局长", "count": 3},
            {"title": "疾病预防控制局专职局长", "count": 1},
            {"title": "内设机构领导", "count": 7},
        ],
    },
    "leaders": LEADERS,
    "committees": [],
    "office_hours": [
        {
            "season": "春夏",
            "from": "05-01",
            "to": "09-30",
            "sessions": [["08:30", "11:30"], ["13:30", "17:00"]],
        },
        {
            "season": "秋冬",
            "from": "10-01",
            "to": "04-30",
            "sessions": [["08:30", "11:30"], ["13:00", "16:30"]],
        },
    ],
    "warnings": [],
}

BODY = Body(
    profile=PROFILE,
    region=REGION,
    publishes=True,
    postcode="134600",
    phone="0439-5258178",
    units=UNITS,
    staffing_note=(
        "市疾病预防控制局专职局长1名（副科长级），兼任副局长；"
        "内设机构领导职数7名，含机关党组织专职副书记1名"
    ),
)
