"""The profile importer's parser: pure, no database.

The seed expectations below were written by reading the documents (../shared/seeds/000–003), not
by running the parser. The texts under tests/profiles/ are invented ones from other places, to
show that the parser holds on documents it was not tuned on.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weijian.core.text.normalize import display, normalize
from weijian.core.text.numerals import cn_to_int, split_label
from weijian.orgs.importers.profile import DocumentError, parse_profile, read_document
from weijian.orgs.importers.profile.parser import ProfileParser

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
PROFILES = Path(__file__).resolve().parent / "profiles"


def seed(prefix: str) -> dict:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed document {prefix}_*.txt not found under {SEEDS}")
    return parse_profile(read_document(found[0])).to_json()


def profile(name: str) -> dict:
    return parse_profile(read_document(PROFILES / name)).to_json()


def by_name(items: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in items}


def members(committee: dict, role: str) -> list[tuple[str, str]]:
    return [(m["name"], m["post"]) for m in committee["members"] if m["role"] == role]


def subgroup(committee: dict, name: str) -> dict:
    return by_name(committee["subgroups"])[name]


# -- seed 000: 临江市卫生健康和医疗保障局机关简介 ---------------------------------------------


@pytest.fixture(scope="module")
def linjiang() -> dict:
    return seed("000")


def test_linjiang_organization_name_plates_and_rank(linjiang):
    organization = linjiang["organization"]
    assert organization["name"] == "临江市卫生健康和医疗保障局"
    assert organization["plates"] == ["临江市中医药管理局", "临江市疾病预防控制局"]
    assert organization["rank"] == "正科级"
    assert organization["head"] == "梁东"
    assert organization["postcode"] == "134600"
    assert organization["phone"] == "0439-5258178"


def test_linjiang_has_eighteen_numbered_duties(linjiang):
    duties = linjiang["duties"]
    assert [d["number"] for d in duties] == list(range(1, 19))
    assert {d["kind"] for d in duties} == {"duty"}
    assert duties[13]["text"] == "监督药品、医用耗材的招标采购。"
    assert duties[-1]["text"] == "完成市委、市政府交办的其他任务。"
    assert linjiang["boundaries"] == []


def test_linjiang_six_departments_and_the_party_organisation(linjiang):
    departments = linjiang["departments"]
    internal = [d["name"] for d in departments if d["kind"] == "内设机构"]
    assert internal == [
        "办公室",
        "医政医管与体制改革科",
        "疾病预防控制科",
        "妇幼健康与家庭发展科",
        "基金监管科",
        "待遇保障科",
    ]
    party = [d for d in departments if d["kind"] == "机关党组织"]
    assert [d["name"] for d in party] == ["机关党组织"]
    assert party[0]["duties"] == "负责机关及所属单位的党群工作。"
    named = by_name(departments)
    assert named["办公室"]["aliases"] == ["人事科", "安全生产科"]
    assert named["医政医管与体制改革科"]["aliases"] == ["中医药管理科"]
    assert named["疾病预防控制科"]["aliases"] == ["职业健康与食品科", "政策法规科"]
    assert named["基金监管科"]["duties"].startswith("组织实施医疗保障基金监督管理。")


def test_linjiang_offices_marked_internal_in_the_division_of_work(linjiang):
    offices = [d["name"] for d in linjiang["departments"] if d["kind"] == "内设科室"]
    assert sorted(offices) == sorted(["宣传科", "爱卫办", "基层卫生科", "党风政风室"])


def test_linjiang_staffing(linjiang):
    staffing = linjiang["staffing"]
    assert staffing["administrative"] == 16
    posts = {p["title"]: p for p in staffing["posts"]}
    assert posts["局长"]["count"] == 1
    assert posts["副局长"]["count"] == 3
    assert posts["市疾病预防控制局专职局长"]["count"] == 1
    assert posts["市疾病预防控制局专职局长"]["note"] == "副科长级"
    assert posts["内设机构领导"] == {
        "title": "内设机构领导",
        "count": 7,
        "leadership": True,
        "includes": [{"title": "机关党组织专职副书记", "count": 1, "leadership": False}],
    }


def test_linjiang_eight_leaders_with_their_division_of_work(linjiang):
    leaders = linjiang["leaders"]
    assert [leader["name"] for leader in leaders] == [
        "梁东",
        "高彦",
        "王文飞",
        "史秀娟",
        "陈航宇",
        "孟庆林",
        "张纯波",
        "郑涛",
    ]
    expected = {
        "梁东": ([], []),
        "高彦": (
            ["办公室", "直属机关党委", "宣传科", "妇幼健康与家庭发展科"],
            ["市妇幼保健计划生育服务中心"],
        ),
        "王文飞": (["办公室"], ["临江友谊老年病医院", "三公里便民医院"]),
        "史秀娟": (
            ["疾病预防控制科", "爱卫办"],
            ["市人民医院", "市疾病预防控制中心（市卫生监督所）", "市结核病防治所"],
        ),
        "陈航宇": (["医政医管与体制改革科"], ["市中医院"]),
        "孟庆林": (
            ["基层卫生科", "妇幼健康与家庭发展科"],
            ["全市各乡镇卫生院", "市兴隆社区卫生服务中心", "市建国社区卫生服务中心"],
        ),
        "张纯波": (["办公室", "党风政风室", "基金监管科", "待遇保障科"], ["医保经办中心"]),
        "郑涛": (["医政医管与体制改革科"], ["恒兴中医院"]),
    }
    for leader in leaders:
        assert (leader["supervises"], leader["liaisons"]) == expected[leader["name"]]
    named = by_name(leaders)
    # 一级主任科员 is a grade (职级), kept apart from the posts (issue 3: Post has titles and 职级)
    assert named["梁东"]["titles"] == ["党组书记", "局长"]
    assert named["梁东"]["grade"] == "一级主任科员"
    assert named["梁东"]["responsibilities"] == "主持市卫生健康和医疗保障局全面工作。"
    assert named["史秀娟"]["titles"] == ["党组成员", "副局长", "疾病预防控制局专职局长"]
    assert named["史秀娟"]["responsibilities"].startswith("负责疾病预防控制、结核病防治")
    assert named["陈航宇"]["titles"] == ["党组成员", "副局长"]
    assert named["陈航宇"]["notes"] == ["挂职"]
    assert named["孟庆林"]["titles"] == []
    assert named["孟庆林"]["grade"] == "一级主任科员"
    assert named["高彦"]["supervises_as_written"][0] == "办公室（人事科、安全生产科）"


def test_linjiang_unknown_supervised_unit_is_a_warning(linjiang):
    messages = [w["message"] for w in linjiang["warnings"]]
    assert any("直属机关党委" in message for message in messages)


def test_linjiang_two_office_hour_seasons(linjiang):
    hours = {h["season"]: h for h in linjiang["office_hours"]}
    assert set(hours) == {"秋冬", "春夏"}
    assert hours["秋冬"]["sessions"] == [["08:30", "11:30"], ["13:00", "16:30"]]
    assert hours["春夏"]["sessions"] == [["08:30", "11:30"], ["13:30", "17:00"]]
    assert hours["春夏"]["days"] == "星期一至星期五"
    assert hours["秋冬"]["holidays_excluded"] is True


# -- seed 001: 渝中区卫生健康委 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def yuzhong() -> dict:
    return seed("001")


def test_yuzhong_sixteen_duties_and_the_transformation(yuzhong):
    duties = yuzhong["duties"]
    plain = [d for d in duties if d["kind"] == "duty"]
    assert [d["number"] for d in plain] == list(range(1, 17))
    assert plain[-1]["text"] == "完成区委、区政府交办的其他任务。"
    transformation = [d for d in duties if d["kind"] == "transformation"]
    assert len(transformation) == 1
    assert transformation[0]["number"] == 17
    assert transformation[0]["text"].startswith("区卫生健康委应当牢固树立大卫生、大健康理念")
    assert "四是协调推进深化医药卫生体制改革" in transformation[0]["text"]


def test_yuzhong_duty_boundaries_with_four_agencies(yuzhong):
    boundaries = yuzhong["boundaries"]
    assert [b["with"] for b in boundaries] == [
        "重庆市渝中区发展和改革委员会",
        "重庆市渝中区民政局",
        "重庆市渝中区市场监督管理局",
        "重庆市渝中区医疗保障局",
    ]
    assert boundaries[0]["text"].startswith("区卫生健康委负责开展人口监测预警工作")
    assert boundaries[3]["text"].endswith("提高医疗资源使用效率和医疗保障水平。")


def test_yuzhong_staffing(yuzhong):
    staffing = yuzhong["staffing"]
    assert staffing["administrative"] == 24
    assert [(p["title"], p["count"]) for p in staffing["posts"]] == [
        ("主任", 1),
        ("副主任", 3),
        ("科级领导", 14),
    ]
    assert [p["title"] for p in staffing["leadership"]] == ["科级领导"]


def test_yuzhong_eleven_departments(yuzhong):
    departments = yuzhong["departments"]
    assert [d["name"] for d in departments] == [
        "办公室",
        "组织人事科",
        "规划财务科",
        "医政管理科",
        "中医与药政科",
        "老龄健康科",
        "疾病预防控制科",
        "社区卫生健康科",
        "妇幼健康科",
        "人口监测与家庭发展科",
        "保健科",
    ]
    named = by_name(departments)
    assert named["医政管理科"]["aliases"] == ["行政审批科"]
    assert named["老龄健康科"]["aliases"] == ["职业健康科"]
    assert named["妇幼健康科"]["aliases"] == ["健康促进科"]
    assert named["保健科"]["aliases"] == ["区保健委员会办公室"]
    assert named["组织人事科"]["duties"].startswith("负责组织实施党委的决议")


def test_yuzhong_name_hours_and_site(yuzhong):
    assert yuzhong["organization"]["name"] == "区卫生健康委"
    assert yuzhong["organization"]["website"] == "http://www.cqyz.gov.cn/bm_229/qwsjkw/"
    assert yuzhong["office_hours"] == [
        {
            "season": "全年",
            "sessions": [["09:00", "12:30"], ["14:00", "18:00"]],
            "days": "周一至周五",
            "holidays_excluded": True,
        }
    ]
    assert yuzhong["warnings"] == []


# -- seed 002: 萍乡 leading group and joint meeting ---------------------------------------------


@pytest.fixture(scope="module")
def pingxiang() -> dict:
    return seed("002")


def test_pingxiang_leading_group_roster(pingxiang):
    group = by_name(pingxiang["committees"])["萍乡市医疗卫生行业综合监管工作领导小组"]
    assert group["kind"] == "领导小组"
    assert members(group, "组长") == [("黄强", "副市长")]
    assert members(group, "副组长") == [("贺飞", "市政府副秘书长"), ("彭文华", "市卫健委主任")]
    ordinary = members(group, "成员")
    assert len(ordinary) == 33
    assert ordinary[0] == ("彭先荣", "市委宣传部副部长")
    assert ("欧阳海涛", "市委网信办副主任") in ordinary
    assert ("周良", "市商务局二级调研员") in ordinary
    assert ordinary[-1] == ("刘钊", "萍乡海关副关长")


def test_pingxiang_leading_group_office(pingxiang):
    group = by_name(pingxiang["committees"])["萍乡市医疗卫生行业综合监管工作领导小组"]
    office = [g for g in group["subgroups"] if g["kind"] == "办公室"]
    assert len(office) == 1
    assert office[0]["host"] == "市卫健委"
    assert members(office[0], "主任") == [("彭文华", "市卫健委主任")]
    assert members(office[0], "副主任") == [("龚建华", "市卫健委副主任")]


def test_pingxiang_joint_meeting_with_33_member_units(pingxiang):
    meeting = by_name(pingxiang["committees"])["萍乡市医疗卫生行业综合监管联席会议"]
    assert meeting["kind"] == "联席会议"
    units = [o["name"] for o in meeting["member_organizations"]]
    assert len(units) == 33
    assert units[0] == "市卫健委"
    assert "人民银行萍乡市中心支行" in units
    assert units[-1] == "萍乡海关"
    assert meeting["meeting_rule"] == "每半年1次"
    assert meeting["members"][0]["role"] == "召集人"
    assert meeting["members"][0]["post"] == "市卫健委分管领导"
    assert len(meeting["duties"].splitlines()) == 5
    assert meeting["subgroups"][0]["host"] == "市卫健委"


def test_pingxiang_is_not_a_profile(pingxiang):
    assert len(pingxiang["committees"]) == 2
    assert pingxiang["duties"] == [] and pingxiang["departments"] == []
    assert not any("成员单位" in w["message"] for w in pingxiang["warnings"])


# -- seed 003: 呼伦贝尔 working mechanism -----------------------------------------------------


@pytest.fixture(scope="module")
def hulunbuir() -> dict:
    return seed("003")


def test_hulunbuir_leading_group(hulunbuir):
    [group] = hulunbuir["committees"]
    assert group["name"] == "深化医药卫生体制改革工作领导小组"
    assert group["host"] == "呼伦贝尔市卫生局"
    assert members(group, "组长") == [("田晓川", "市卫生局局长")]
    assert [name for name, _ in members(group, "副组长")] == [
        "孙泽成",
        "相林扎布",
        "王国栋",
        "谢福林",
        "斯日古楞",
    ]
    ordinary = dict(members(group, "成员"))
    assert len(ordinary) == 25
    assert ordinary["王革"] == "市地研所所长"
    assert ordinary["张晓光"] == "林业总医院院长"
    assert ordinary["沃德勒"] == "市中心血站站长"
    assert group["meeting_rule"] == "每月1次"


def test_hulunbuir_office_and_five_task_groups(hulunbuir):
    [group] = hulunbuir["committees"]
    office = [g for g in group["subgroups"] if g["kind"] == "办公室"]
    assert office[0]["host"] == "市卫生局办公室"
    assert [m["name"] for m in office[0]["members"]] == ["谢福林"]
    assert len(office[0]["duties"].splitlines()) == 5
    tasks = [g for g in group["subgroups"] if g["kind"] == "工作推进组"]
    expected = {
        "基本医疗保障制度建设工作推进组": ("孙泽成", ["牧仁", "桂罕林"], 5),
        "实施基本药物制度工作推进组": ("王国栋", ["白宏", "牧仁"], 11),
        "健全基层医疗卫生服务体系工作推进组": ("斯日古楞", ["李传英", "闫海军"], 22),
        "促进基本公共卫生服务逐步均等化推进组": ("孙泽成", ["牧仁", "李国勤"], 13),
        "推进公立医院改革工作推进组": ("相林扎布", ["王洪福", "特木乐"], 8),
    }
    assert [t["name"] for t in tasks] == list(expected)
    for task in tasks:
        leader, deputies, unit_count = expected[task["name"]]
        assert [name for name, _ in members(task, "组长")] == [leader]
        assert [name for name, _ in members(task, "副组长")] == deputies
        assert len(task["member_organizations"]) == unit_count
    assert (
        subgroup(group, "实施基本药物制度工作推进组")["member_organizations"][5]["name"] == "药招办"
    )


def test_hulunbuir_leaders_take_their_posts_from_the_roster(hulunbuir):
    assert hulunbuir["organization"]["name"] == "呼伦贝尔市卫生局"
    named = by_name(hulunbuir["leaders"])
    assert named["田晓川"]["titles"] == ["局长"]
    assert named["孙泽成"]["titles"] == ["副局长"]
    assert named["王国栋"]["titles"] == ["纪检组长"]
    assert named["谢福林"]["titles"] == ["市爱卫办主任"]
    assert named["斯日古楞"]["titles"] == [] and named["斯日古楞"]["grade"] == "调研员"


def test_hulunbuir_leaders_contact_regions(hulunbuir):
    regions = {leader["name"]: leader["liaison_regions"] for leader in hulunbuir["leaders"]}
    assert regions == {
        "田晓川": ["满洲里市", "陈旗"],
        "孙泽成": ["扎兰屯", "阿荣旗", "莫旗"],
        "相林扎布": ["牙克石市", "额尔古纳市"],
        "王国栋": ["根河市", "鄂伦春旗"],
        "谢福林": ["鄂温克旗", "新右旗"],
        "斯日古楞": ["海拉尔区", "新左旗"],
    }


# -- invented texts from other places ---------------------------------------------------------


def test_county_bureau_profile_with_arabic_numbering():
    parsed = profile("qingchuan_medical_security.txt")
    organization = parsed["organization"]
    assert organization["name"] == "青川县医疗保障局"
    assert organization["plates"] == ["青川县医疗保险服务中心", "青川县医药价格管理办公室"]
    assert organization["rank"] == "正科级"
    assert organization["address"] == "青川县乔庄镇青竹路88号"
    duties = parsed["duties"]
    assert [d["number"] for d in duties] == list(range(1, 8))
    assert duties[1]["text"].endswith("医疗保障制度，落实待遇标准和调整机制。")
    departments = by_name(parsed["departments"])
    assert list(departments) == ["办公室", "待遇保障股", "基金监管股", "机关党支部"]
    assert departments["待遇保障股"]["aliases"] == ["价格招采股"]
    assert departments["机关党支部"]["kind"] == "机关党组织"
    staffing = parsed["staffing"]
    assert staffing["administrative"] == 8
    assert staffing["other"] == {"institutional": 3}
    assert [(p["title"], p["count"]) for p in staffing["posts"]] == [
        ("局长", 1),
        ("副局长", 2),
        ("股级领导", 3),
    ]
    leaders = by_name(parsed["leaders"])
    assert leaders["何建平"]["titles"] == ["党组书记", "局长"]
    assert leaders["唐敏"]["liaisons"] == ["县医疗保险服务中心"]
    assert leaders["罗志刚"]["assists"] == ["办公室"]
    assert leaders["罗志刚"]["liaison_regions"] == ["乔庄镇", "青溪镇"]
    hours = {h["season"]: h for h in parsed["office_hours"]}
    assert hours["夏季"]["from"] == "05-01" and hours["夏季"]["to"] == "09-30"
    assert hours["冬季"]["sessions"] == [["08:30", "12:00"], ["14:00", "17:30"]]
    assert parsed["warnings"] == []


def test_leader_division_notice():
    parsed = profile("lianshui_leader_notice.txt")
    leaders = by_name(parsed["leaders"])
    assert list(leaders) == ["周建国", "吴晓燕", "郑凯", "欧阳丽华"]
    assert leaders["周建国"]["responsibilities"] == "主持委全面工作。负责财务、审计工作。"
    assert leaders["周建国"]["supervises"] == ["办公室", "规划财务科"]
    assert leaders["吴晓燕"]["supervises"] == ["医政医管科", "中医科"]
    assert leaders["吴晓燕"]["assists"] == ["规划财务科"]
    assert leaders["吴晓燕"]["liaisons"] == ["市第一人民医院", "市中医院"]
    assert leaders["吴晓燕"]["liaison_regions"] == ["河西街道"]
    assert leaders["郑凯"]["liaisons"] == ["市疾病预防控制中心", "市急救中心"]
    assert leaders["郑凯"]["liaison_regions"] == ["东山镇", "西岭乡"]
    assert leaders["欧阳丽华"]["supervises"] == ["组织人事科", "机关党委"]
    assert [w["line"] for w in parsed["warnings"]] == [15]


def test_committee_roster_with_sub_groups():
    parsed = profile("nanxi_committee_roster.txt")
    [group] = parsed["committees"]
    assert group["name"] == "南溪区创建国家卫生城市工作领导小组"
    assert members(group, "组长") == [("陈立新", "区长")]
    assert members(group, "副组长") == [("刘洋", "副区长"), ("何静", "区政府办公室主任")]
    assert [name for name, _ in members(group, "成员")] == ["张伟", "王芳", "赵磊", "孙丽", "郑强"]
    assert group["meeting_rule"] == "每季度1次"
    office = subgroup(group, "南溪区创建国家卫生城市工作领导小组办公室")
    assert office["host"] == "区卫生健康局"
    assert members(office, "主任") == [("张伟", "区卫生健康局局长")]
    tasks = [g for g in group["subgroups"] if g["kind"] == "工作推进组"]
    assert [t["name"] for t in tasks] == ["环境整治组", "健康教育组", "督查考核组"]
    education = subgroup(group, "健康教育组")
    assert education["members"][0]["concurrent"] is True
    assert [o["name"] for o in education["member_organizations"]] == [
        "区卫生健康局",
        "区教育局",
        "区融媒体中心",
    ]
    review = subgroup(group, "督查考核组")
    assert review["member_organizations"] == [
        {"name": "区政府督查室", "liaison": "李娜"},
        {"name": "区卫生健康局", "liaison": "周强"},
    ]
    assert parsed["warnings"] == []


def test_profile_with_decimal_numbering():
    parsed = profile("qingshan_decimal_profile.txt")
    assert [d["number"] for d in parsed["duties"]] == [1, 2, 3, 4, 5]
    assert parsed["duties"][0]["text"].startswith("贯彻执行国家")
    assert len(parsed["departments"]) == 6
    assert [(p["title"], p["count"]) for p in parsed["staffing"]["posts"]] == [
        ("局长", 1),
        ("副局长", 2),
        ("股级领导", 6),
    ]
    assert parsed["warnings"] == []
    dd = profile("xicheng_decimal_departments.txt")
    assert [d["text"] for d in dd["duties"]] == ["负责全县卫生健康工作。", "负责疾病预防控制。"]
    assert [d["name"] for d in dd["departments"]] == ["办公室", "医政股"]


def test_notice_closing_lines_and_hung_regions():
    parsed = profile("jiangnan_leader_notice.txt")
    assert parsed["organization"]["name"] == "江南区卫生健康局"  # from the signature
    leaders = by_name(parsed["leaders"])
    assert leaders["赵六"]["liaison_regions"] == ["东山镇", "清河街道"]
    assert "挂点" not in leaders["赵六"]["responsibilities"]
    assert (
        leaders["钱七"]["responsibilities"]
        == "协助张三同志负责办公室工作。负责机关党建、宣传工作。"
    )
    assert [w["line"] for w in parsed["warnings"]] == [17]  # 班子成员外出期间… is reported


def test_leader_layouts_title_before_name_and_blocks():
    parsed = profile("beihu_title_name_layout.txt")
    leaders = by_name(parsed["leaders"])
    assert list(leaders) == ["张伟", "刘芳", "马林"]
    assert leaders["马林"]["titles"] == ["副局长"]
    assert leaders["马林"]["notes"] == ["兼区疾控局局长"]
    assert leaders["马林"]["assists"] == ["办公室"]
    assert leaders["刘芳"]["liaisons"] == ["区人民医院"]
    departments = by_name(parsed["departments"])
    assert list(departments) == ["办公室", "医政医管科", "疾病预防控制科", "基层卫生科"]
    assert departments["医政医管科"]["aliases"] == ["中医科"]
    posts = {p["title"]: p for p in parsed["staffing"]["posts"]}
    assert posts["正科"]["count"] == 4 and posts["正科"]["leadership"] is True
    assert posts["副科"]["leadership"] is True
    assert parsed["warnings"] == []
    blocks = by_name(profile("leader_blocks.txt")["leaders"])
    assert blocks["张伟"]["titles"] == ["党组书记", "局长"]
    assert blocks["张伟"]["supervises"] == ["办公室"]
    assert blocks["刘芳"]["liaisons"] == ["区人民医院"]


def test_joint_meeting_member_units_with_liaisons():
    parsed = profile("donghe_roster_and_joint_meeting.txt")
    group, meeting = parsed["committees"]
    office = subgroup(group, "东河县传染病防控工作领导小组办公室")
    assert members(office, "副主任") == [("陈静", "")]
    assert meeting["name"] == "东河县传染病防控联席会议"
    units = meeting["member_organizations"]
    assert [(o["name"], o["liaison"]) for o in units] == [
        ("县卫生健康局", "陈静"),
        ("县委宣传部", "赵丽"),
        ("县教育局", "黄伟"),
        ("县公安局", "孙强"),
        ("县财政局", "钱多多"),
        ("县市场监管局", "李明"),
    ]
    assert units[0]["liaison_post"] == "疾控股股长"
    assert units[0]["liaison_phone"] == "13800000001"
    assert parsed["warnings"] == []
    layouts = profile("donghe_liaison_layouts.txt")
    [meeting] = layouts["committees"]
    assert meeting["name"] == "东河县传染病防控联席会议"
    assert [(o["name"], o["liaison"]) for o in meeting["member_organizations"]] == [
        ("县卫生健康局", "陈静"),
        ("县委宣传部", "赵丽"),
        ("县教育局", "黄伟"),
        ("县公安局", "孙强"),
        ("县财政局", "钱多多"),
    ]
    assert meeting["member_organizations"][-1]["liaison_post"] == "社保股股长"
    [rules] = profile("donghe_joint_meeting_rules.txt")["committees"]
    assert [o["liaison"] for o in rules["member_organizations"]] == ["陈静", "赵丽", "黄伟"]
    assert rules["meeting_rule"] == "每季度1次"


def test_office_director_appointed_without_concurrent():
    [group] = profile("qingshan_safety_group.txt")["committees"]
    office = subgroup(group, "青山区卫生健康系统安全生产工作领导小组办公室")
    assert [m["name"] for m in office["members"] if m["role"] == "主任"] == ["张伟"]


def test_docx_with_two_roster_tables():
    parsed = profile("donghe_two_tables.docx")
    group, meeting = parsed["committees"]
    assert group["name"] == "东河县传染病防控工作领导小组"
    assert [name for name, _ in members(group, "成员")] == ["郑华", "王芳芳"]
    assert meeting["name"] == "东河县传染病防控联席会议"
    assert [(o["name"], o["liaison"]) for o in meeting["member_organizations"]] == [
        ("县卫生健康局", "陈静"),
        ("县教育局", "黄伟"),
    ]


def test_short_self_name_is_replaced_by_the_full_name_in_the_text():
    text = (
        "区卫生健康委简介\n北湖区卫生健康委员会是区政府工作部门。\n主要职责\n(一)负责卫生工作。\n"
    )
    assert parse_profile(text).to_json()["organization"]["name"] == "北湖区卫生健康委员会"


def test_full_width_and_half_width_text_read_alike():
    text = (PROFILES / "qingchuan_medical_security.txt").read_text(encoding="utf-8")
    wide = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,:;()"})
    assert wide != text
    assert parse_profile(wide).to_json() == parse_profile(text).to_json()


def test_names_written_with_spaces_are_joined():
    parsed = parse_profile("领导分工\n王\u3000\u3000明  党组书记、局长\n主持全面工作。\n")
    assert [leader["name"] for leader in parsed.to_json()["leaders"]] == ["王明"]


def test_unplaced_lines_are_warnings_with_line_numbers():
    text = "东湖县卫生健康局简介\n主要职责\n(一)负责全县卫生健康工作。\n\n内设机构\n"
    text += "(一)办公室。负责日常运转。\n(二)？？？\n"
    warnings = parse_profile(text).to_json()["warnings"]
    assert [w["line"] for w in warnings] == [7]
    assert "未能识别" in warnings[0]["message"]


# -- reading files ----------------------------------------------------------------------------


def test_read_gb18030_text(tmp_path):
    path = tmp_path / "profile.txt"
    path.write_bytes("青川县医疗保障局简介\n主要职责\n1.负责医保工作。\n".encode("gb18030"))
    assert read_document(path).splitlines()[0] == "青川县医疗保障局简介"


def _docx(path: Path, body: str) -> None:
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{namespace}"><w:body>'
    xml += body + "</w:body></w:document>"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", xml)


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_read_docx_paragraphs_and_table_cells(tmp_path):
    path = tmp_path / "roster.docx"
    row = "<w:tr>" + "".join(f"<w:tc>{_p(c)}</w:tc>" for c in ("组长", "李明", "市卫健委主任"))
    _docx(path, _p("东湖市控烟工作领导小组名单") + f"<w:tbl>{row}</w:tr></w:tbl>")
    text = read_document(path)
    assert text.splitlines() == ["东湖市控烟工作领导小组名单", "组长  李明  市卫健委主任"]
    [group] = parse_profile(text).to_json()["committees"]
    assert group["name"] == "东湖市控烟工作领导小组"
    assert members(group, "组长") == [("李明", "市卫健委主任")]


def test_unreadable_files_raise_a_chinese_message(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match="无法读取"):
        read_document(broken)
    with pytest.raises(DocumentError, match=r"\.doc"):
        read_document(tmp_path / "old.doc")


# -- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十八", 18),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一百零五", 105),
        ("两", 2),
        ("16", 16),
        ("一二", None),
        ("x", None),
    ],
)
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


def test_labels_in_full_and_half_width_brackets():
    eighteenth = split_label(normalize("（十八）有关职责分工"))
    assert eighteenth is not None and eighteenth.number == 18
    parenthesised, numbered = split_label("(3)事项"), split_label("1.与某局")
    assert parenthesised is not None and parenthesised.style == "pnum"
    assert numbered is not None and numbered.style == "num"
    assert split_label("2019.10") is None


def test_display_restores_chinese_punctuation():
    assert display(normalize("负责财务，统计（内设）：8：30")) == "负责财务，统计（内设）：8:30"


_TOKENS = st.sampled_from(
    [
        "主要职责",
        "内设机构",
        "(一)",
        "一、",
        "1.",
        "组长:",
        "成员:",
        "副组长:",
        "办公室设在",
        "领导小组",
        "联席会议",
        "分管",
        "联系",
        "同志",
        "行政编制",
        "16名",
        "设局长1名",
        "上午8:30—11:30",
        "(秋冬)",
        "加挂",
        "牌子",
        "\n",
        "\n",
        " ",
        "、",
        "。",
        ",",
        ":",
        "(",
        ")",
        "张三",
        "市卫健委",
        "推进组",
        "等3个部门",
        "每月召开1次",
        "附件1",
        "职能转变",
        "与",
        "的有关职责分工",
        "\u3000",
        "①",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(_TOKENS, max_size=80).map("".join)))
def test_random_text_never_raises(text):
    parsed = ProfileParser().parse(text)  # the unguarded parser: a bug would raise here
    json.dumps(parsed.to_json(), ensure_ascii=False)
