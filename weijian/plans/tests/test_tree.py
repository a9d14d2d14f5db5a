"""The task tree on invented documents: numbering styles, inline labels, other marker forms."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from weijian.plans.importers import parse_plan
from weijian.plans.importers.tree import TreeBuilder

DOCUMENT = """某市卫生健康委员会关于印发某市基层卫生能力提升三年行动计划的通知
某卫发［2021］12号
各县（区）人民政府：
现将计划印发给你们。
2021年3月6日
某市基层卫生能力提升三年行动计划
一、主要目标
到2023年，乡镇卫生院达标率达到90%以上。
二、重点任务
（一）夯实基层网络
1．推进标准化建设。每个乡镇建成1所卫生院。（牵头单位：市卫健委，配合单位：市发改委、市财政局）
2、强化人才队伍。5年内每万人口全科医生数不低于4人。(牵头单位:市卫健委;责任单位:各县〔区〕人民政府)
①开展订单定向培养。
②落实待遇保障，基层人员收入增长10%左右。
3.完善药品配备。
牵头单位：市医保局
配合单位：市卫健委、各县（市、区）人民政府等单位
（二）提升服务能力
1. 推广家庭医生签约，签约覆盖率达100%。(市卫健委、市医保局牵头,市财政局等部门参与)
2. 加强中医药服务。（市卫健委负责）
3. 开展巡诊服务。(责任单位:市卫健委、各县(区)人民政府)
4、加强监测。
牵头责任单位：市疾控中心
主要协作单位：市卫健委
协作单位：市教育局
附件：1.任务分工表
"""


def test_invented_document():
    plan = parse_plan(DOCUMENT)
    assert (plan.title, plan.document_number, plan.year) == (
        "某市基层卫生能力提升三年行动计划", "某卫发〔2021〕12号", 2021,
    )  # fmt: skip
    by_path = {t.path: t for t in plan.walk()}
    assert list(by_path) == [
        "一", "二", "二.(一)", "二.(一).1", "二.(一).2", "二.(一).2.①", "二.(一).2.②",
        "二.(一).3", "二.(二)", "二.(二).1", "二.(二).2", "二.(二).3", "二.(二).4",
    ]  # fmt: skip
    assert by_path["二.(一).1"].partners == ["市发改委", "市财政局"]
    assert by_path["二.(一).2"].responsible == ["各县〔区〕人民政府"]
    assert by_path["二.(一).2"].targets[0].year == 2026  # 5年内 from 2021
    assert by_path["二.(一).3"].lead == ["市医保局"]
    assert by_path["二.(一).3"].partners == ["市卫健委", "各县（市、区）人民政府"]
    assert by_path["二.(二).1"].lead == ["市卫健委", "市医保局"]
    assert by_path["二.(二).4"].lead == ["市疾控中心"]
    assert by_path["二.(二).4"].partners == ["市卫健委", "市教育局"]
    assert by_path["二.(二).4"].line == 22
    assert plan.warnings == []


def test_labels_inside_one_line_and_false_labels():
    plan = parse_plan(
        "一、提升能力(一)加强建设1、完善网络。到2020年,二、三级医院全部达标,统一、规范管理。"
        "(市卫健委牵头)2、强化队伍。(市人社局牵头)(二)深化改革(市编办负责)二、保障措施"
        "(一)加大投入。(市财政局牵头,市发改委等部门参与)"
    )
    assert [t.path for t in plan.walk()] == [
        "一", "一.(一)", "一.(一).1", "一.(一).2", "一.(二)", "二", "二.(一)",
    ]  # fmt: skip
    first = next(t for t in plan.walk() if t.path == "一.(一).1")
    assert "二、三级医院" in first.text


def test_gap_in_numbering_is_warned_not_lost():
    plan = parse_plan("一、总则\n1.甲任务。(A局牵头)\n3.丙任务。(B局牵头)\n")
    assert [t.label for t in plan.walk()] == ["一", "1", "3"]
    assert plan.warnings[0].line == 3


def test_no_numbered_tasks():
    plan = parse_plan("只有一段文字，没有编号。")
    assert plan.tasks == [] and plan.warnings[0].message == "未找到带编号的任务"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "一二三十（）()、.，,；;：:。\n1234567890①②牵头负责参与等部门单位市卫健委责任配合到年达以上%"
                "【】\t 序号任务完成时限底前附件分别≥/万"
            )
        ),
        max_size=300,
    )
)
def test_random_text_never_raises(text):
    plan = parse_plan(text)
    json.dumps(plan.to_json(), ensure_ascii=False)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_raises(text):
    parse_plan(text, title="T", year=2020).to_json()


def test_a_label_used_twice_gets_a_unique_path():
    plan = parse_plan("一、基本原则\n(一)坚持以人为本。(A局牵头)\n(一)总体目标。(B局牵头)\n")
    assert [(t.label, t.path) for t in plan.walk()] == [
        ("一", "一"),
        ("(一)", "一.(一)"),
        ("(一)", "一.[2]"),
    ]
    assert (3, "编号“(一)”重复，该任务记为“一.[2]”，请核对") in [
        (w.line, w.message) for w in plan.warnings
    ]


def test_text_after_a_closed_table_belongs_to_no_task():
    builder = TreeBuilder(lambda line, message: None)
    builder.feed(1, "1.甲任务。")
    builder.close()
    builder.feed(2, "注：每季度报送进展。")
    builder.feed(3, "2.乙任务。")
    assert [n.path for n in builder.roots] == ["1", "2"]
    assert builder.roots[0].chunks == [(1, "甲任务。")]
    assert builder.unplaced == [(2, "注：每季度报送进展。")]


def test_a_label_glued_to_a_number_is_a_label_only_where_it_is_due():
    """1.65岁… opens item 1 (the next label due); 3.5万… after item 1 stays a decimal."""
    text = """（一）做好老年人健康服务
1.65岁及以上老年人健康管理率达到72%以上。（市卫健委负责）
2.开展健康教育。（市卫健委负责）
（二）加强培训
1.开展全员培训。
3.5万人次参加培训。（市卫健委负责）
"""
    plan = parse_plan(text)
    first_section, second_section = plan.tasks
    assert [child.label for child in first_section.children] == ["1", "2"]
    first = first_section.children[0]
    assert (first.title + first.text).startswith("65岁及以上")
    assert [(t.value, t.unit) for t in first.targets] == [(72.0, "%")]
    assert [child.label for child in second_section.children] == ["1"]
    assert "3.5万人次参加培训" in second_section.children[0].text
