from weijian.portal.templatetags.portal_tags import chinese_number, ordinal_cn, paragraphs


def test_duty_numbers_are_written_as_profiles_write_them():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 17, 20, 35, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "十七",
        "二十",
        "三十五",
        "九十九",
    ]
    assert ordinal_cn(18) == "（十八）"
    assert chinese_number(100) == "100"


def test_paragraphs_drop_blank_lines():
    text = "一是预防为主。\n\n  二是重心下移。 \n"
    assert paragraphs(text) == ["一是预防为主。", "二是重心下移。"]
    assert paragraphs("") == []
