"""萍乡 (seed 002): the leading group for comprehensive supervision of the health sector, with
its roster and office, and the joint meeting with its 33 member units, hosted by the existing
萍乡市卫生健康委员会.

Facts from the seed: the group's and the meeting's names, the roster (names and posts as the
seed writes them), the office and who heads it, the 33 member units and the meeting rule. The
seed asks each member unit to name a liaison but names none, so the liaisons are left blank
for the units to fill in. Duty texts are the demo's own short wording.
"""

from __future__ import annotations

from typing import Any

from weijian.orgs.demo_data import Body

NAME = "萍乡市卫生健康委员会"

# The 33 member units of the joint meeting, in the seed's order.
MEMBER_UNITS = [
    "市卫健委",
    "市委宣传部",
    "市委网信办",
    "市委政法委",
    "市委编办",
    "市中级人民法院",
    "市人民检察院",
    "市发改委",
    "市工信局",
    "市国资委",
    "市教育局",
    "市科技局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人社局",
    "市医保局",
    "市水利局",
    "市商务局",
    "市文广新旅局",
    "市审计局",
    "市生态环境局",
    "市应急管理局",
    "市城管局",
    "市市场监管局",
    "市体育局",
    "市广播电视台",
    "市税务局",
    "人民银行萍乡市中心支行",
    "萍乡银保监分局",
    "武警江西省总队萍乡支队",
    "萍乡海关",
]

# 附件1: role, name, post as written.
ROSTER = [
    ("组长", "黄  强", "副市长"),
    ("副组长", "贺  飞", "市政府副秘书长"),
    ("副组长", "彭文华", "市卫健委主任"),
    ("成员", "彭先荣", "市委宣传部副部长"),
    ("成员", "欧阳海涛", "市委网信办副主任"),
    ("成员", "彭建明", "市委政法委副书记"),
    ("成员", "吴  竺", "市委编办副主任"),
    ("成员", "余向阳", "市中级人民法院审委会专职委员"),
    ("成员", "周克纯", "市人民检察院副检察长"),
    ("成员", "刘  笑", "市转型办副主任"),
    ("成员", "王维东", "市工信局副局长"),
    ("成员", "廖辉生", "市国资委副主任"),
    ("成员", "漆开华", "市教育局副局长"),
    ("成员", "彭春涛", "市科技局副局长"),
    ("成员", "奚文波", "市公安局治安支队副支队长"),
    ("成员", "郭树萍", "市民政局副局长"),
    ("成员", "冯高亮", "市司法局副局长"),
    ("成员", "肖维红", "市财政局副局长"),
    ("成员", "吴学锋", "市人社局副局长"),
    ("成员", "龚建华", "市卫健委副主任"),
    ("成员", "宋柏萍", "市医保局副局长"),
    ("成员", "刘志东", "市水利局党委委员"),
    ("成员", "周  良", "市商务局二级调研员"),
    ("成员", "梁  强", "市文广新旅局副局长"),
    ("成员", "彭青兰", "市审计局副局长"),
    ("成员", "胡文政", "市生态环境局副局长"),
    ("成员", "叶信国", "市应急管理局党组成员"),
    ("成员", "肖志军", "市城管局副局长"),
    ("成员", "燕克敏", "市市场监管局副局长"),
    ("成员", "柳中金", "市体育局副局长"),
    ("成员", "李运球", "市广播电视台副台长"),
    ("成员", "吴同纯", "市税务局副局长"),
    ("成员", "黄  琦", "人民银行萍乡市中心支行副行长"),
    ("成员", "吴真元", "萍乡银保监分局副局长"),
    ("成员", "冯远亮", "武警江西省总队萍乡支队副支队长"),
    ("成员", "刘  钊", "萍乡海关副关长"),
    ("办公室主任", "彭文华", "市卫健委主任（兼）"),
    ("办公室副主任", "龚建华", "市卫健委副主任（兼）"),
]


def _unit_of(post: str) -> str:
    """The member unit a post names, where it is one of the 33 (the longest that fits)."""
    matches = [unit for unit in MEMBER_UNITS if post.startswith(unit)]
    return max(matches, key=len) if matches else ""


LEADING_GROUP: dict[str, Any] = {
    "name": "萍乡市医疗卫生行业综合监管工作领导小组",
    "kind": "领导小组",
    "members": [
        {"role": role, "name": name, "post": post, "organization": _unit_of(post)}
        for role, name, post in ROSTER
    ],
    "member_organizations": [],
    "subgroups": [],
    "office_location": "萍乡市卫生健康委员会",
    "duties": "统筹协调全市医疗卫生行业监管，督办重大案件",
}

JOINT_MEETING: dict[str, Any] = {
    "name": "萍乡市医疗卫生行业综合监管联席会议",
    "kind": "联席会议",
    "members": [],
    "member_organizations": [{"name": unit, "liaison": ""} for unit in MEMBER_UNITS],
    "subgroups": [],
    "office_location": "萍乡市卫生健康委员会",
    "meeting_rule": "每半年1次",
    "duties": "研究解决综合监管重大问题，协调部门联合执法和信息共享",
}

PROFILE: dict[str, Any] = {
    "organization": {"name": NAME, "plates": [], "rank": ""},
    "duties": [],
    "boundaries": [],
    "departments": [],
    "staffing": {},
    "leaders": [],
    "committees": [LEADING_GROUP, JOINT_MEETING],
    "office_hours": [],
    "warnings": [],
}

BODY = Body(profile=PROFILE, region="360300")
