"""The comparison composer's reading of each side's figure."""

from __future__ import annotations

from reportbot.answering.compare import _figure


def test_a_decline_is_compared_as_a_negative_change() -> None:
    falling = _figure("天津固定资产投资同比下降16.0%", rate=True)
    rising = _figure("社会消费品零售总额同比增长8.1%", rate=True)
    assert falling is not None and rising is not None
    assert falling.value == -16.0 and rising.value == 8.1


def test_the_figure_a_fact_points_at_is_the_sides_figure() -> None:
    text = "上海市一般贸易、加工贸易进出口分别为1.46万亿元和3390.9亿元"
    second = _figure(text, rate=False, at=text.index("3390.9"))
    assert second is not None and second.value == 339090000000.0
    assert _figure(text, rate=False) is not None


def test_a_sides_figure_is_the_level_a_change_reached() -> None:
    by = _figure("下调消费预估12万吨至2535.4万吨", rate=False, label="消费")
    assert by is not None and by.text == "2535.4万吨"
    to = _figure("上浮幅度由基准门站价格的5%上浮至15%", rate=True, label="2023年")
    assert to is not None and to.text == "15%"
