"""呼伦贝尔 (seed 003): the health system's leading group for deepening the reform, its office,
its five task groups with their member departments and units, and the leaders' contact regions.

The seed is a document of 呼伦贝尔市卫生局, which the demo files under today's
呼伦贝尔市卫生健康委员会; names, posts and rosters are kept as the seed writes them. Where the
seed runs two deputies' names together (牧仁桂罕林) they are split. The contact regions use the
full names of the county-level divisions (the seed writes 陈旗 for 陈巴尔虎旗, 莫旗 for
莫力达瓦达斡尔族自治旗, 新左旗 / 新右旗 for 新巴尔虎左旗 / 新巴尔虎右旗). Duty and
responsibility texts are the demo's own short wording.
"""

from __future__ import annotations

from typing import Any

from weijian.orgs.demo_data import Body, Unit
from weijian.orgs.models import OrganizationKind

NAME = "呼伦贝尔市卫生健康委员会"
REGION = "150700"

# A few county-level health bodies below the commission, each in its region.
UNITS = (
    Unit("海拉尔区卫生健康委员会", OrganizationKind.HEALTH_AUTHORITY, "150702"),
    Unit("满洲里市卫生健康委员会", OrganizationKind.HEALTH_AUTHORITY, "150781"),
    Unit("牙克石市卫生健康委员会", OrganizationKind.HEALTH_AUTHORITY, "150782"),
    Unit("扎兰屯市卫生健康委员会", OrganizationKind.HEALTH_AUTHORITY, "150783"),
)

# 附件一: role, name, post as written.
ROSTER = [
    ("组长", "田晓川", "市卫生局局长"),
    ("副组长", "孙泽成", "市卫生局副局长"),
    ("副组长", "相林扎布", "市卫生局副局长"),
    ("副组长", "王国栋", "市卫生局纪检组长"),
    ("副组长", "谢福林", "市爱卫办主任"),
    ("副组长", "斯日古楞", "市卫生局调研员"),
    ("成员", "王克刚", "市卫生局办公室主任"),
    ("成员", "沃晓辉", "市卫生局科教科副科长"),
    ("成员", "李传英", "市卫生局规财科副科长"),
    ("成员", "牧仁", "市卫生局农卫科科长"),
    ("成员", "李国勤", "市卫生局社区科科长"),
    ("成员", "白宏", "市卫生局妇幼科科长"),
    ("成员", "于平", "市卫生局法监科科长"),
    ("成员", "王洪福", "市卫生局医政科科长"),
    ("成员", "特木乐", "市卫生局中蒙医科科长"),
    ("成员", "康志强", "市卫生局疾控科副科长"),
    ("成员", "李晗", "市卫生局干部保健科科长"),
    ("成员", "刘文华", "市卫生局机关党委专职副书记"),
    ("成员", "辛智利", "市医院院长"),
    ("成员", "张晓光", "林业总医院院长"),
    ("成员", "毕力格", "市中蒙医院院长"),
    ("成员", "冯桂英", "市结核病院院长"),
    ("成员", "彭国华", "市卫校校长"),
    ("成员", "王革", "市地研所所长"),
    ("成员", "宝力格", "市疾控中心主任"),
    ("成员", "张新宇", "市卫生监督所所长"),
    ("成员", "张雄", "市精神卫生中心主任"),
    ("成员", "陈永林", "市结防所所长"),
    ("成员", "德呼", "市蒙医医院院长"),
    ("成员", "张汝超", "市妇幼保健所所长"),
    ("成员", "沃德勒", "市中心血站站长"),
    ("办公室主任", "谢福林", "市爱卫办主任（兼）"),
]

POSTS = {name: post for role, name, post in ROSTER if role != "办公室主任"}

# 附件一: the five task groups — name, leader, deputies, member departments and units, duty.
TASK_GROUPS = [
    (
        "基本医疗保障制度建设工作推进组",
        "孙泽成",
        ["牧仁", "桂罕林"],
        ["农卫科", "规财科", "医政科", "中蒙医科", "农合办"],
        "落实新农合政策和任务指标，做好监测督导",
    ),
    (
        "实施基本药物制度工作推进组",
        "王国栋",
        ["白宏", "牧仁"],
        [
            "规财科",
            "农卫科",
            "社区科",
            "医政科",
            "中蒙医科",
            "药招办",
            "市医院",
            "林业总医院",
            "市中蒙医院",
            "市结核病院",
            "市蒙医医院",
        ],
        "落实基本药物制度任务指标，做好监测督导",
    ),
    (
        "健全基层医疗卫生服务体系工作推进组",
        "斯日古楞",
        ["李传英", "闫海军"],
        [
            "规财科",
            "办公室",
            "农卫科",
            "社区科",
            "医政科",
            "中蒙医科",
            "科教科",
            "妇幼科",
            "疾控科",
            "市医院",
            "林业总医院",
            "市中蒙医院",
            "市结核病院",
            "市卫校",
            "市地研所",
            "市疾控中心",
            "市卫生监督所",
            "市精神卫生中心",
            "市结防所",
            "市蒙医医院",
            "市妇幼保健所",
            "市中心血站",
        ],
        "推进基层服务体系项目和队伍建设，做好监测督导",
    ),
    (
        "促进基本公共卫生服务逐步均等化推进组",
        "孙泽成",
        ["牧仁", "李国勤"],
        [
            "社区科",
            "农卫科",
            "规财科",
            "疾控科",
            "妇幼科",
            "中蒙医科",
            "市医院",
            "林业总医院",
            "市地研所",
            "市疾控中心",
            "市精神卫生中心",
            "市结防所",
            "市妇幼保健所",
        ],
        "推动基本和重大公卫项目落地，做好监测督导",
    ),
    (
        "推进公立医院改革工作推进组",
        "相林扎布",
        ["王洪福", "特木乐"],
        [
            "医政科",
            "规财科",
            "中蒙医科",
            "市医院",
            "林业总医院",
            "市中蒙医院",
            "市结核病院",
            "市蒙医医院",
        ],
        "落实公立医院改革任务指标，做好监测督导",
    ),
]


def _task_group(
    name: str, leader: str, deputies: list[str], units: list[str], duties: str
) -> dict[str, Any]:
    members = [{"role": "组长", "name": leader, "post": POSTS.get(leader, "")}]
    members += [{"role": "副组长", "name": d, "post": POSTS.get(d, "")} for d in deputies]
    return {
        "name": name,
        "kind": "工作推进组",
        "members": members,
        "member_organizations": units,
        "subgroups": [],
        "duties": duties,
    }


LEADING_GROUP: dict[str, Any] = {
    "name": "呼伦贝尔市卫生局深化医药卫生体制改革工作领导小组",
    "kind": "领导小组",
    "members": [{"role": role, "name": name, "post": post} for role, name, post in ROSTER],
    "member_organizations": [],
    "subgroups": [_task_group(*group) for group in TASK_GROUPS],
    "office_location": "市卫生局办公室",
    "meeting_rule": "每月1次",
    "duties": "统筹卫生系统医改，研究解决重大问题并提出政策建议",
}

# 附件二: the leaders' contact regions.
CONTACTS = [
    ("田晓川", ["局长"], "主持医改领导小组工作", ["满洲里市", "陈巴尔虎旗"]),
    (
        "孙泽成",
        ["副局长"],
        "牵头医保制度建设和公共卫生均等化两个推进组",
        ["扎兰屯市", "阿荣旗", "莫力达瓦达斡尔族自治旗"],
    ),
    ("相林扎布", ["副局长"], "牵头公立医院改革推进组", ["牙克石市", "额尔古纳市"]),
    ("王国栋", ["纪检组长"], "牵头基本药物制度推进组", ["根河市", "鄂伦春自治旗"]),
    ("谢福林", ["爱卫办主任"], "兼任医改领导小组办公室主任", ["鄂温克族自治旗", "新巴尔虎右旗"]),
    ("斯日古楞", ["调研员"], "牵头基层医疗卫生服务体系推进组", ["海拉尔区", "新巴尔虎左旗"]),
]

PROFILE: dict[str, Any] = {
    "organization": {"name": NAME, "plates": [], "rank": ""},
    "duties": [],
    "boundaries": [],
    "departments": [],
    "staffing": {},
    "leaders": [
        {
            "name": name,
            "titles": titles,
            "responsibilities": responsibilities,
            "supervises": [],
            "assists": [],
            "liaisons": [],
            "liaison_regions": regions,
        }
        for name, titles, responsibilities, regions in CONTACTS
    ],
    "committees": [LEADING_GROUP],
    "office_hours": [],
    "warnings": [],
}

BODY = Body(profile=PROFILE, region=REGION, units=UNITS)
