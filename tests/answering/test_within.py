"""A share, a remainder or an average from the two figures one statement gives."""

from __future__ import annotations

from reportbot.answering.within import change_within, derived_within, remainder_asked
from reportbot.records import Chunk, Hit, Span

DUST = ("受冬季风影响，全国沙尘过程明显增多，上半年达到37次，其中15次为大范围沙尘过程，"
        "沙尘过程使全国优良天数比率损失了5.4个百分点。")
TERMS = ["上半年", "沙尘", "过程", "范围"]


def _hits(text: str) -> list[Hit]:
    return [Hit(Chunk("d#0", "d", "通报", "", 100, 100 + len(text), text), 1.0, 1, 1)]


def _weight(term: str) -> float:
    return 1.0


def test_a_share_and_a_remainder_come_from_the_whole_and_its_part() -> None:
    share = derived_within("上半年的沙尘过程里，大范围沙尘过程占了多大比例？", "share",
                           _hits(DUST), TERMS, _weight)
    assert share is not None and share.short_answer == "40.54%"
    assert share.numbers[0].formula == "15次 ÷ 37次 ≈ 40.54%"
    left = "上半年的沙尘过程中，不属于大范围的有几次？"
    assert remainder_asked(left) == "difference"
    rest = derived_within(left, remainder_asked(left), _hits(DUST), TERMS, _weight)
    assert rest is not None and rest.short_answer == "22次"
    c = rest.citations[0]
    assert DUST[c.start - 100 : c.end - 100] == c.text and "37次" in c.text


def test_an_average_divides_the_amount_by_the_count_unless_a_passage_states_it() -> None:
    text = "近日，由25个集装箱装载的485吨鱼粉运抵洋山口岸。"
    terms = ["集装箱", "鱼粉"]
    each = derived_within("平均每个集装箱装了多少吨鱼粉？", "average", _hits(text), terms,
                          _weight)
    assert each is not None and each.short_answer == "19.4吨"
    assert derived_within("平均每个集装箱装了多少吨鱼粉？", "average", _hits(text), terms,
                          _weight, stated=True) is None


def test_a_stated_share_or_a_third_figure_is_not_worked_out() -> None:
    stated = "全省共有站点120个，其中达标站点102个，达标率85%。"
    assert derived_within("达标站点占多大比例？", "share", _hits(stated), ["达标", "站点"],
                          _weight) is None
    three = "全省共有站点120个，其中达标站点102个、在建站点8个。"
    assert derived_within("不属于达标的站点有几个？", "difference", _hits(three),
                          ["达标", "站点"], _weight) is None
    assert remainder_asked("故宫每天最多接待多少个未成年人团队？") is None  # 未成年 is no 未完成


def _whole(text: str) -> list[tuple[int, Span]]:
    return [(0, Span(100, 100 + len(text)))]


def test_a_change_given_as_its_two_ends_is_their_difference() -> None:
    text = "一是免赔额由原2万元降至1.6万元，对于连续续保无理赔客户最高可降至1.4万元。"
    down = change_within("免赔额比原来降了多少？", _hits(text), _whole(text))
    assert down is not None and down.short_answer == "4000元"
    assert down.numbers[0].formula == "1.6万元 − 2万元 = −4000元"
    assert down.answer.startswith("降低了4000元")
    rates = "城镇调查失业率从5.2%提高到5.5%。"
    up = change_within("失业率提高了多少？", _hits(rates), _whole(rates))
    assert up is not None and up.short_answer == "0.3个百分点"
    price = "第一阶梯气价由每立方米3.30元调整为3.50元。"
    relative = change_within("气价上调了百分之几？", _hits(price), _whole(price))
    assert relative is not None and relative.short_answer == "6.06%"


def test_a_change_stated_itself_or_no_change_asked_is_not_worked_out() -> None:
    stated = "免赔额由2万元降至1.6万元，降幅20%。"
    assert change_within("免赔额降了百分之几？", _hits(stated), _whole(stated)) is None
    third = "额度由30万元调整为50万元、首套另加10万元。"  # a third figure in its clause
    assert change_within("额度提高了多少？", _hits(third), _whole(third)) is None
    assert change_within("现在额度是多少？", _hits(third), _whole(third)) is None
    assert change_within("额度提高了多少？", _hits(third), ()) is None
