"""Enumeration rules: items named before their figures."""

from __future__ import annotations

from reportbot.facts.enumerations import Items, items, runs
from reportbot.language.quantities import parse_quantities


def test_figures_joined_by_enumeration_words_make_a_run() -> None:
    text = "分别增长15.2%、36.8%和20.2%，增长11.6%"
    assert [[q.text for q in r] for r in runs(text, parse_quantities(text))] == [
        ["15.2%", "36.8%", "20.2%"]]


def test_items_with_a_shared_head_a_category_and_a_label() -> None:
    assert items("高技术制造业和高技术服务业投资分别增长", 2) == Items(
        ("高技术制造业投资", "高技术服务业投资"), "增长")
    assert items("大宗资源类商品铁矿砂、煤炭进口分别增长", 2) == Items(
        ("铁矿砂进口", "煤炭进口"), "增长")
    assert items("电动载人汽车、锂电池、太阳能电池“新三样”出口分别增长", 3) == Items(
        ("电动载人汽车出口", "锂电池出口", "太阳能电池出口"), "增长")
    assert items("太阳能电池、新能源汽车产品产量同比分别增长", 2) == Items(
        ("太阳能电池产量", "新能源汽车产品产量"), "同比增长")


def test_whole_items_keep_their_own_nouns() -> None:
    assert items("规模以上工业增加值、社会消费品零售总额、固定资产投资分别增长", 3) == Items(
        ("规模以上工业增加值", "社会消费品零售总额", "固定资产投资"), "增长")


def test_no_items_when_the_count_differs_and_none_before_respectively() -> None:
    assert items("营收增速", 2) is None
    assert items("分别占全市进出口总值的", 2) == Items((), "占全市进出口总值的")


def test_the_last_of_three_items_follows_the_last_and() -> None:
    phrase = ("电子及通信设备制造业、医疗仪器设备及仪器仪表制造业和航空航天器及设备制造业"
              "产值分别增长")
    got = items(phrase, 3)
    assert got is not None and [n.removesuffix("产值") for n in got.names] == [
        "电子及通信设备制造业", "医疗仪器设备及仪器仪表制造业", "航空航天器及设备制造业"]
