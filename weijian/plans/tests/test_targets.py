"""Targets on invented sentences."""

from __future__ import annotations

from weijian.core.text.normalize import normalize
from weijian.plans.importers.targets import find_targets


def _read(text: str, doc_year: int | None = None):
    targets, problems = find_targets(normalize(text), doc_year=doc_year)
    return [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in targets], problems


def test_comparators_and_years():
    found, problems = _read(
        "到2022年，孕产妇系统管理率不低于90%，婴儿死亡率不超过5‰；到2025年，"
        "县域内就诊率达95%以上，住院费用增幅控制在10%以内，人均预期寿命达到80岁左右。"
    )
    assert found == [
        ("孕产妇系统管理率", ">=", 90.0, "%", 2022),
        ("婴儿死亡率", "<=", 5.0, "‰", 2022),
        ("县域内就诊率", ">=", 95.0, "%", 2025),
        ("住院费用增幅", "<=", 10.0, "%", 2025),
        ("人均预期寿命", "~", 80.0, "岁", 2025),
    ]
    assert problems == []


def test_relative_change_and_range():
    targets, _ = find_targets(normalize("到2020年，吸烟率降低20%，发病率下降3-5个百分点。"))
    assert [(t.indicator, t.comparator, t.value, t.unit, t.change) for t in targets] == [
        ("吸烟率", "=", 20.0, "%", "decrease"),
        ("发病率", ">=", 3.0, "个百分点", "decrease"),
    ]
    assert targets[1].value_max == 5.0


def test_within_years_counts_from_the_document_year():
    assert _read("力争5年内，健康档案建档率达到95%以上。", doc_year=2019)[0] == [
        ("健康档案建档率", ">=", 95.0, "%", 2024)
    ]
    found, problems = _read("3年内覆盖率达100%。")
    assert found == [("覆盖率", "=", 100.0, "%", None)]
    assert problems and "文件年份不明" in problems[0]


def test_year_opening_a_clause_and_missing_year():
    assert _read("2020年空气优良天数比例稳定在79%以上。")[0][0][4] == 2020
    found, problems = _read("到2020年，筛查率达86%以上。到年，缺陷发生率控制在4‰以内。")
    assert [t[4] for t in found] == [2020, None]
    assert problems == ["目标年份缺失（“到…年”中没有年份）"]


def test_several_targets_in_one_item_with_brackets():
    found, _ = _read("每万人口精神科执业（助理）医师数增加到0.5人以上、精神科床位增加到5张以上")
    assert found == [
        ("每万人口精神科执业(助理)医师数", ">=", 0.5, "人", None),
        ("精神科床位", ">=", 5.0, "张", None),
    ]


def test_numbers_that_are_not_targets():
    assert _read("提高0-6岁儿童健康管理水平，比2015年增加，建成3个以上工作站。")[0] == []


def test_forms_of_the_task_division_documents():
    found, problems = _read(
        "到2020年，每千常住人口执业（助理）医师数达到3.5人以上，12岁儿童龋齿率控制在25%以内；"
        "到2025年，孕产妇系统管理率达95%以上，基层医疗卫生机构覆盖率达100%，"
        "吸烟率降低20%，个人卫生支出占比不超过25%，人均预期寿命达到79岁左右。"
    )
    assert found == [
        ("每千常住人口执业(助理)医师数", ">=", 3.5, "人", 2020),
        ("12岁儿童龋齿率", "<=", 25.0, "%", 2020),
        ("孕产妇系统管理率", ">=", 95.0, "%", 2025),
        ("基层医疗卫生机构覆盖率", "=", 100.0, "%", 2025),
        ("吸烟率", "=", 20.0, "%", 2025),
        ("个人卫生支出占比", "<=", 25.0, "%", 2025),
        ("人均预期寿命", "~", 79.0, "岁", 2025),
    ]
    assert problems == []


def test_year_is_the_nearest_preceding_one():
    found, _ = _read("血压控制率达到60%；到2022年，管理率达到65%；2025年前，管理率达到70%以上。")
    assert [t[4] for t in found] == [None, 2022, 2025]


def test_within_years_in_chinese_numerals():
    assert _read("三年内，乡镇卫生院达标率不低于90%。", doc_year=2021)[0] == [
        ("乡镇卫生院达标率", ">=", 90.0, "%", 2024)
    ]


def test_rates_per_hundred_thousand_and_signs():
    found, _ = _read("孕产妇死亡率控制在10/10万以下，门诊预约率≥50%，平均住院日≤8天。")
    assert found == [
        ("孕产妇死亡率", "<=", 10.0, "/10万", None),
        ("门诊预约率", ">=", 50.0, "%", None),
        ("平均住院日", "<=", 8.0, "天", None),
    ]


def test_respectively_gives_one_target_per_value():
    found, _ = _read("到2025年，孕产妇系统管理率和3岁以下儿童系统管理率分别达到90%、85%以上。")
    assert found == [
        ("孕产妇系统管理率", ">=", 90.0, "%", 2025),
        ("3岁以下儿童系统管理率", ">=", 85.0, "%", 2025),
    ]
    found, _ = _read("城乡居民基本医保和大病保险参保率分别达到95%和100%。")
    assert [(t[0], t[2]) for t in found] == [
        ("城乡居民基本医保和大病保险参保率", 95.0),
        ("城乡居民基本医保和大病保险参保率", 100.0),
    ]


def test_half_width_full_stop_ends_a_target():
    found, _ = _read("每年培训服务人员不少于500人次.签约率达到3.5%以上.")
    assert found == [
        ("每年培训服务人员", ">=", 500.0, "人次", None),
        ("签约率", ">=", 3.5, "%", None),
    ]
