"""Marker forms on invented snippets (full- and half-width punctuation mixed)."""

from __future__ import annotations

import pytest

from weijian.core.text.normalize import normalize
from weijian.plans.importers.markers import find_markers


def _one(text: str):
    markers = find_markers("\n".join(normalize(line) for line in text.split("\n")))
    assert len(markers) == 1, markers
    return markers[0]


def test_lead_and_partners_full_width():
    m = _one("加强宣传。（市文明办牵头，市教育局、市总工会等单位参与）")
    assert (m.form, m.lead, m.partners) == (
        "lead_partners",
        ("市文明办",),
        ("市教育局", "市总工会"),
    )


def test_several_lead_units_half_width():
    m = _one("做好衔接。(市民政局、市医保局牵头,市财政局配合)")
    assert m.lead == ("市民政局", "市医保局") and m.partners == ("市财政局",)


def test_lead_only():
    m = _one("建设平台。（市大数据局牵头）")
    assert (m.form, m.lead, m.partners) == ("lead", ("市大数据局",), ())


def test_in_charge():
    m = _one("开展创建。(区爱卫办负责)")
    assert (m.form, m.lead) == ("in_charge", ("区爱卫办",))


def test_responsible_list_with_nested_brackets():
    m = _one("落实属地责任。（责任单位：各县〔区〕人民政府、各县(市、区)卫健局、市卫健委）")
    assert m.form == "responsible"
    assert m.responsible == ("各县〔区〕人民政府", "各县(市、区)卫健局", "市卫健委")


@pytest.mark.parametrize(
    "text",
    [
        "（牵头单位：市卫健委，配合单位：市公安局、市司法局）",
        "(牵头单位:市卫健委;配合单位:市公安局、市司法局)",
    ],
)
def test_keyed_lead_and_partners(text):
    m = _one("严厉打击。" + text)
    assert (m.form, m.lead, m.partners) == ("keyed", ("市卫健委",), ("市公安局", "市司法局"))


def test_keyed_lead_and_responsible():
    m = _one("完善机制。(牵头单位:市医保局;责任单位:各县（区）人民政府等单位)")
    assert m.lead == ("市医保局",) and m.responsible == ("各县(区)人民政府",)


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("牵头单位", "lead"),
        ("牵头责任单位", "lead"),
        ("配合单位", "partners"),
        ("协作单位", "partners"),
        ("主要协作单位", "partners"),
        ("责任单位", "responsible"),
    ],
)
def test_lines_of_their_own(key, role):
    m = _one(f"推进分级诊疗。\n{key}：市卫健委、县人民政府等部门")
    assert m.form == "own_line"
    assert getattr(m, role) == ("市卫健委", "县人民政府")


def test_unbracketed_with_empty_lead_is_reported():
    m = _one("完善转移接续办法。牵头，等部门参与")
    assert (m.form, m.lead, m.partners) == ("unbracketed", (), ())
    assert m.problems == ("牵头单位为空", "参与单位为空")


def test_ordinary_brackets_are_not_markers():
    text = normalize("每千人口执业（助理）医师（见附件1），（由市卫健委牵头组织实施）")
    assert find_markers(text) == []


def test_deadline_inside_a_marker_is_kept_as_words():
    m = _one("建设平台。（市卫健委牵头，市大数据局参与，2021年底前完成）")
    assert (m.form, m.lead, m.partners, m.deadline) == (
        "lead_partners",
        ("市卫健委",),
        ("市大数据局",),
        "2021年底前完成",
    )
    keyed = _one("建设平台。(牵头单位:市卫健委;配合单位:市财政局;完成时限:2022年6月底前)")
    assert (keyed.lead, keyed.partners, keyed.deadline) == (
        ("市卫健委",),
        ("市财政局",),
        "2022年6月底前",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("建设平台。（2020年底前完成）", "2020年底前完成"),
        ("建设平台。（完成时限：2022年底前）", "2022年底前"),
    ],
)
def test_a_bracket_holding_only_a_deadline(text, words):
    m = _one(text)
    assert (m.form, m.units, m.deadline) == ("deadline", (), words)


def test_deadline_line_of_its_own():
    markers = find_markers(
        normalize("推进分级诊疗。") + "\n牵头单位:市卫健委\n完成时限:2023年12月底"
    )
    assert [(m.form, m.lead, m.deadline) for m in markers] == [
        ("own_line", ("市卫健委",), ""),
        ("deadline", (), "2023年12月底"),
    ]


def test_a_period_in_brackets_is_no_deadline():
    text = normalize(
        "按照《全国护理事业发展规划（2016-2020年）》要求，推进优质护理。（市卫健委负责）"
    )
    assert [m.form for m in find_markers(text)] == ["in_charge"]


@pytest.mark.parametrize(
    "text",
    [
        "（责任单位：县妇幼保健院（牵头）、各乡镇卫生院）",
        "\n责任单位：县妇幼保健院（牵头）、各乡镇卫生院",
    ],
)
def test_a_unit_flagged_as_lead_inside_a_list(text):
    m = _one("做好孕产妇健康管理。" + text)
    assert (m.lead, m.partners, m.responsible) == (("县妇幼保健院",), ("各乡镇卫生院",), ())


def test_lead_and_partners_written_after_a_responsible_key():
    m = _one("完善机制。（责任单位：市卫健委牵头，市财政局、市人社局配合）")
    assert (m.lead, m.partners, m.responsible) == (("市卫健委",), ("市财政局", "市人社局"), ())


@pytest.mark.parametrize(
    ("text", "lead", "responsible"),
    [
        ("（市卫健委、市医保局按职责分工负责）", (), ("市卫健委", "市医保局")),
        ("（市卫健委、市医保局分别负责）", (), ("市卫健委", "市医保局")),
        ("（市发展改革委、市卫健委按职责分工落实）", (), ("市发展改革委", "市卫健委")),
        ("（各县（市、区）人民政府负责落实）", ("各县(市、区)人民政府",), ()),
        ("（市卫健委牵头，各县〔区〕人民政府负责）", ("市卫健委",), ("各县〔区〕人民政府",)),
    ],
)
def test_in_charge_and_shared_responsibility(text, lead, responsible):
    m = _one("开展创建。" + text)
    assert (m.lead, m.responsible) == (lead, responsible)


def test_people_named_in_a_marker_are_left_out():
    m = _one("加强领导。（责任领导：张三副市长；牵头单位：市卫健委；配合单位：市财政局）")
    assert (m.form, m.lead, m.partners) == ("keyed", ("市卫健委",), ("市财政局",))


def test_bare_unit_list_closing_a_paragraph():
    m = _one("加强监管。（市卫健委、市市场监管局）")
    assert (m.form, m.responsible) == ("units", ("市卫健委", "市市场监管局"))
    inline = normalize("各级医疗机构（含社区卫生服务中心）要落实责任。")
    assert find_markers(inline) == []


def test_square_brackets_and_a_cells_two_paragraphs():
    m = _one("推进建设。【牵头单位：市卫健委；配合单位：市发展改革委 市财政局】")
    assert (m.lead, m.partners) == (("市卫健委",), ("市发展改革委", "市财政局"))
