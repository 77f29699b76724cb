"""Chinese quantities: values in base units, exact spans, non-quantities told apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportbot.language.quantities import (
    Quantity,
    base_unit,
    fits_asked_unit,
    format_value,
    parse_one,
    parse_quantities,
    tolerance,
)
from tests.conftest import REPORT_TEXT


def kinds(text: str) -> list[tuple[str, str, float, str]]:
    return [(q.kind, q.text, q.value, q.unit) for q in parse_quantities(text)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("188家", 188, "家"),
    ("27136人", 27136, "人"),
    ("7.33亿美元", 733_000_000, "美元"),
    ("1477万元", 14_770_000, "元"),
    ("867.85万元", 8_678_500, "元"),
    ("9500元", 9500, "元"),
    ("五个合作协议", 5, "个"),
    ("两家培训机构", 2, "家"),
    ("三次会议", 3, "次"),
    ("两万元", 20_000, "元"),
    ("1,200万元", 12_000_000, "元"),
    ("１８８家", 188, "家"),
    ("100多家企业", 100, "家"),
    ("3000万元人民币", 30_000_000, "元"),
    ("144.34人/家", 144.34, "人/家"),
    ("50万美金", 500_000, "美元"),
    ("200港币", 200, "港元"),
    ("3.5平方公里", 3.5, "平方公里"),
    ("1000千克", 1000, "公斤"),
    ("2次/年", 2, "次/年"),
    ("12个月", 12, "月"),
    ("300人次", 300, "人次"),
    ("2.45万亿元", 2.45e12, "元"),
    ("8888亿千瓦时", 8.888e11, "千瓦时"),
    ("2247万标准箱", 22_470_000, "标准箱"),
    ("13852元/平方米", 13852, "元/平方米"),
    ("816万平方米", 8_160_000, "平方米"),
    ("4560点", 4560, "点"),
    ("12套", 12, "套"),
    ("3.5小时", 3.5, "小时"),
    ("4625.38 万元", 46_253_800, "元"),
])
def test_quantities_are_normalised_to_base_units(text: str, value: float, unit: str) -> None:
    q = parse_one(text)
    assert q is not None and q.kind == "quantity"
    assert q.value == pytest.approx(value) and q.unit == unit


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("43.51%", 43.51, "%"), ("39.7%", 39.7, "%"), ("百分之四十", 40, "%"),
    ("-5.2%", -5.2, "%"), ("2.5个百分点", 2.5, "pp"), ("5倍", 5, "倍"),
    ("近六成", 60, "%"), ("8成城市", 80, "%"), ("1.0倍", 1, "倍"),
])
def test_rates_are_rates_not_counts(text: str, value: float, unit: str) -> None:
    q = parse_one(text)
    assert q is not None and (q.kind, q.value, q.unit) == ("rate", pytest.approx(value), unit)


@pytest.mark.parametrize(("text", "kind", "span"), [
    ("9月26-27日", "date", "9月26-27日"),
    ("2010年6月", "date", "2010年6月"),
    ("3月29日", "date", "3月29日"),
    ("6月11日-12日", "date", "6月11日-12日"),
    ("2010年1-12月份", "date", "2010年1-12月份"),
    ("于一季度足额", "date", "一季度"),
    ("9月26号", "date", "9月26号"),
    ("二○一○年十二月", "date", "二○一○年十二月"),
    ("2009年度", "year", "2009年度"),
    ("2010年", "year", "2010年"),
    ("第24位", "rank", "第24位"),
    ("排名100 强企业", "rank", "100 强"),
    ("世界500强", "rank", "500强"),
    ("69号文件", "docno", "69号"),
    ("国办函2010年69号文件", "docno", "2010年69号"),
    ("国办函〔2010〕69号", "docno", "〔2010〕69号"),
    ("第五届", "ordinal", "第五届"),
    ("第二批", "ordinal", "第二批"),
    ("第一阶段", "ordinal", "第一阶段"),
    ("第2部分", "ordinal", "第2部分"),
    ("第三季", "ordinal", "第三季"),
    ("第三季度", "date", "第三季度"),
    ("三、四期学员", "ordinal", "三、四期"),
    ("（一）出台", "ordinal", "（一）"),
    ("十一五规划", "name", "十一五"),
    ("上半年，", "date", "上半年"),
    ("2023年上半年", "date", "2023年上半年"),
    ("今年前7个月", "date", "前7个月"),
    ("截至6月末", "date", "6月末"),
    ("7月中旬", "date", "7月中旬"),
    ("1—7月份", "date", "1—7月份"),
    ("2023-07-25", "date", "2023-07-25"),
    ("15:03", "clock", "15:03"),
    ("2023-2025年期间", "year", "2023-2025年"),
    ("2022 年末", "date", "2022 年末"),
    ("2023年半年度报告", "date", "2023年半年度"),
    ("晚上8点", "clock", "晚上8点"),
    ("《中国服务外包发展报告2009》", "name", "2009"),
])
def test_dates_ranks_docnos_ordinals_and_names_are_not_quantities(
        text: str, kind: str, span: str) -> None:
    found = parse_quantities(text)
    assert [(q.kind, q.text) for q in found] == [(kind, span)]


def test_eleven_certifications_name_the_kind_of_the_27() -> None:
    assert kinds("新增企业十一项国际认证27个") == [
        ("name", "十一项", 11, "项"), ("quantity", "27个", 27, "个")]


@pytest.mark.parametrize("text", ["会议组织十分成功", "进一步发展", "千百十工程",
                                  "搭建了一个很好的平台", "目前已有多个服务外包企业",
                                  "IBM3650服务器", "亮点之一", "实现两位数增速",
                                  "唯一一个省份", "一成不变"])
def test_words_made_of_numerals_are_not_numbers(text: str) -> None:
    assert parse_quantities(text) == []


def test_a_party_of_two_is_two_people() -> None:
    assert kinds("调研组一行两人于3月29日") == [
        ("quantity", "两人", 2, "人"), ("date", "3月29日", 3, "")]


def test_every_span_in_the_report_is_exact_and_no_number_is_left_out() -> None:
    found = parse_quantities(REPORT_TEXT)
    assert all(REPORT_TEXT[q.start:q.end] == q.text for q in found)
    counted = {q.text for q in found if q.kind == "quantity"}
    assert {"188家", "27136人", "7.33亿美元", "2.91亿美元", "27个", "33家", "10家", "1477万元",
            "两家", "396人", "9500元", "四项", "两项", "五个", "三次", "两人"} <= counted
    # Every Arabic digit in the report belongs to some recognised span.
    covered = {i for q in found for i in range(q.start, q.end)}
    assert all(i in covered for i, ch in enumerate(REPORT_TEXT) if ch.isdigit())


@pytest.mark.parametrize(("value", "unit", "words"), [
    (14_770_000, "元", "1477万元"), (733_000_000, "美元", "7.33亿美元"),
    (291_000_000, "美元", "2.91亿美元"), (442_000_000.0000001, "美元", "4.42亿美元"),
    (3_762_000, "元", "376.2万元"), (9500, "元", "9500元"), (10_000, "元", "1万元"),
    (27136, "人", "27136人"), (39.7, "%", "39.7%"), (9500, "元/人", "9500元/人"),
    (2.5, "pp", "2.5个百分点"), (131.0, "家", "131家"),
])
def test_format_value_uses_natural_chinese_magnitudes(value: float, unit: str,
                                                      words: str) -> None:
    assert format_value(value, unit) == words


def test_format_value_rounds_when_asked() -> None:
    assert format_value(39.6998, "%", 1) == "39.7%"
    assert format_value(131.0025, "家", 0) == "131家"


def test_tolerance_is_half_the_last_written_digit() -> None:
    def tol(text: str) -> float:
        q = parse_one(text)
        assert isinstance(q, Quantity)
        return tolerance(q)

    assert tol("376.2万元") == pytest.approx(500)
    assert tol("7.33亿美元") == pytest.approx(500_000)
    assert tol("188家") == pytest.approx(0.5)
    assert base_unit("元/人") == "元"


@given(st.integers(min_value=1, max_value=10**11), st.sampled_from(["元", "美元", "人", "家"]))
def test_formatted_values_parse_back_to_themselves(value: int, unit: str) -> None:
    q = parse_one(format_value(value, unit))
    assert q is not None and q.unit == unit
    assert abs(q.value - value) <= tolerance(q) + 1e-6 * value


def test_a_magnitude_without_a_unit_scales_the_count() -> None:
    got = [(q.text, q.value, q.unit) for q in parse_quantities("共为1555万低保对象代缴")]
    assert got == [("1555万", 15550000.0, "")]


def test_the_first_figure_of_a_change_takes_the_seconds_unit() -> None:
    got = [(q.value, q.unit) for q in parse_quantities("最高额度由30万调整为50万元")]
    assert got == [(300000.0, "元"), (500000.0, "元")]


def test_a_figure_answers_the_unit_asked() -> None:
    amount, rate, count = parse_quantities("投资1.83万亿元，增长12.3%，1555万人员")
    assert fits_asked_unit(amount, "money") and not fits_asked_unit(rate, "money")
    assert fits_asked_unit(rate, "%") and not fits_asked_unit(amount, "%")
    assert fits_asked_unit(count, "人")


def test_a_count_in_the_general_classifier_answers_a_count_in_a_specific_one() -> None:
    five = parse_one("五个")
    assert five is not None and fits_asked_unit(five, "份")  # 几份协议: 五个合作协议
    tons = parse_one("5个")
    assert tons is not None and not fits_asked_unit(tons, "吨")  # a measure is no classifier
    sets = parse_one("1.26万套")
    assert sets is not None and fits_asked_unit(sets, "套") and not fits_asked_unit(sets, "辆")


def test_a_change_written_as_its_two_ends_is_read_as_a_pair() -> None:
    from reportbot.language.quantities import from_to, superseded

    pairs = from_to("住房公积金贷款最高额度由30万调整为50万元")
    assert [(a.text, b.text) for a, b in pairs] == [("30万", "50万元")]
    assert [(a.value, b.value) for a, b in from_to("失业率从5.2%提高到5.5%")] == [(5.2, 5.5)]
    # 上调2.6万吨至2543.9万吨: by 2.6万吨 to 2543.9万吨, not from one to the other
    assert from_to("上调产量预估2.6万吨至2543.9万吨") == []
    assert from_to("由3.30元，调整为3.50元") == []  # a clause break between them
    text = "气价由每立方米3.30元调整为3.50元"
    assert superseded(text, text.find("3.30")) and not superseded(text, text.find("3.50"))
