"""Terms of a question: the thing a figure question measures, with the words narrowing it."""

from __future__ import annotations

import pytest

from reportbot.language.terms import metric_phrases, present


@pytest.mark.parametrize(("question", "phrase"), [
    ("7月份全国50个重点城市二手房成交面积是多少？", "二手房成交面积"),
    ("天津上半年进出口总值是多少？", "进出口总值"),
    ("离岸接包执行金额是多少？", "接包执行金额"),
    ("南昌市2010年GDP是多少？", "gdp"),  # a place or a year never narrows the metric
])
def test_the_metric_keeps_the_words_that_narrow_it(question: str, phrase: str) -> None:
    assert metric_phrases(question) == [phrase]


def test_a_passage_about_new_homes_does_not_state_second_hand_ones() -> None:
    window = "2023年7月，全国重点城市新建商品住宅成交面积为1265万平方米"
    assert present(metric_phrases("7月份重点城市新建商品住宅成交面积是多少？")[0], window)
    assert not present(metric_phrases("7月份重点城市二手房成交面积是多少？")[0], window)
