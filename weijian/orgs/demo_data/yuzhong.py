"""渝中区卫生健康委员会 (seed 001): duties, 职能转变, duty boundaries, staffing, eleven
internal departments, office hours and website.

Facts from the seed: the department names and aliases, the four agencies the duties are split
with, the staffing numbers, the office hours and the website. Texts are the demo's own short
wording. The seed leaves the address and phone blank.
"""

from __future__ import annotations

from typing import Any

from weijian.orgs.demo_data import Body

NAME = "渝中区卫生健康委员会"

DUTIES = [
    "执行卫生健康法规政策，统筹资源配置和区域规划",
    "协调推进全区医改和公立医院综合改革",
    "落实疾病预防控制和免疫规划，负责卫生应急",
    "推进应对人口老龄化和医养结合工作",
    "执行基本药物制度，评估食品安全风险",
    "负责公共卫生监督和卫生健康机构安全监管",
    "实施医疗机构和医疗服务行业管理",
    "负责计划生育管理服务和人口监测预警",
    "抓好系统党建，指导基层和妇幼服务体系",
    "承担保健对象医疗保健和重大活动卫生保障",
    "谋划全区中医药长远发展",
    "负责动物疫病防控、检疫和兽医兽药监管",
    "承担区医改、保健、老龄、防艾、爱卫等机构日常工作",
    "监管行业安全生产和医疗废弃物处置",
    "受托管理区红十字会机关，代管区计划生育协会",
    "承办区委、区政府交付的其他工作",
]

TRANSFORMATIONS = [
    "坚持预防为主，加强重大疾病防控和健康促进",
    "推动工作重心下移，资源向基层和困难群众倾斜",
    "提高服务质量，推进基本公共服务均等化",
    "深化公立医院改革，实行管办分离",
]

BOUNDARIES = [
    ("重庆市渝中区发展和改革委员会", "卫健委做人口监测预警，发改委牵头人口发展规划"),
    ("重庆市渝中区民政局", "卫健委负责老年健康和医养结合，民政局负责养老服务"),
    ("重庆市渝中区市场监督管理局", "卫健委开展食品安全风险评估并通报，市场监管局据此处置"),
    ("重庆市渝中区医疗保障局", "医疗、医保、医药政策衔接，协同推进改革"),
]

DEPARTMENTS = [
    ("办公室", [], "机关运转、文稿督办、信访统计和行业安全生产"),
    ("组织人事科", [], "党建、干部人事、机构编制和人才工作"),
    ("规划财务科", [], "发展规划、预决算财务资产和审计"),
    ("医政管理科", ["行政审批科"], "医疗行业管理、卫生监督、动物检疫和行政审批"),
    ("中医与药政科", [], "中医药发展、中医机构监管和药事管理"),
    ("老龄健康科", ["职业健康科"], "老龄健康、医养结合、职业健康和法治建设"),
    ("疾病预防控制科", [], "疾病防控、营养健康、卫生应急和院前急救"),
    ("社区卫生健康科", [], "社区卫生、爱国卫生和卫生健康信息化"),
    ("妇幼健康科", ["健康促进科"], "妇幼健康、健康教育促进和卫生科教"),
    ("人口监测与家庭发展科", [], "人口监测、生育政策和计生奖励扶助"),
    ("保健科", ["区保健委员会办公室"], "保健对象医疗保健和重大活动医疗保障"),
]

PROFILE: dict[str, Any] = {
    "organization": {"name": NAME, "plates": [], "rank": ""},
    "duties": [
        {"number": number, "text": text, "kind": "duty"}
        for number, text in enumerate(DUTIES, start=1)
    ]
    + [
        {"number": number, "text": text, "kind": "transformation"}
        for number, text in enumerate(TRANSFORMATIONS, start=1)
    ],
    "boundaries": [{"with": other, "text": text} for other, text in BOUNDARIES],
    "departments": [
        {"name": name, "aliases": aliases, "duties": duties, "kind": "内设机构"}
        for name, aliases, duties in DEPARTMENTS
    ],
    "staffing": {
        "administrative": 24,
        "posts": [
            {"title": "主任", "count": 1},
            {"title": "副主任", "count": 3},
            {"title": "科级领导", "count": 14},
        ],
    },
    "leaders": [],
    "committees": [],
    "office_hours": [{"season": "全年", "sessions": [["09:00", "12:30"], ["14:00", "18:00"]]}],
    "warnings": [],
}

BODY = Body(
    profile=PROFILE,
    region="500103",
    publishes=True,
    website="http://www.cqyz.gov.cn/bm_229/qwsjkw/",
)
