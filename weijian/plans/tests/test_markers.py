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
