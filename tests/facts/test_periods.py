"""Period rules: one spelling per period, the document's year, compared times."""

from __future__ import annotations

import pytest

from reportbot.facts.periods import document_year, time_expressions
from reportbot.language.quantities import parse_quantities


def periods(text: str, year: int | None = 2023) -> list[str]:
    return [t.period for t in time_expressions(text, parse_quantities(text), year)]


@pytest.mark.parametrize(("text", "period"), [
    ("上半年，全市", "2023年上半年"),
    ("2023年第一季度，", "2023年一季度"),
    ("今年一季度，", "2023年一季度"),
    ("今年前7个月，", "2023年1-7月"),
    ("前七个月，", "2023年1-7月"),
    ("1—7月份，", "2023年1-7月"),
    ("截至6月底，", "2023年6月底"),
    ("6月末，", "2023年6月末"),
    ("7月份，", "2023年7月"),
    ("去年全年，", "2022年"),
    ("全年，", "2023年"),
    ("2023-07-25 15:03", "2023年7月25日"),
])
def test_one_spelling_per_period_with_the_documents_year(text: str, period: str) -> None:
    assert periods(text) == [period]


def test_the_year_of_a_document_without_metadata() -> None:
    assert document_year("2023-07-25 15:03，正文：上半年…2022年同期…", None) == 2023
    assert document_year("7月25日，2022年上半年为…，2023年上半年为…", None) == 2023
    assert document_year("上半年…", 2010) == 2010
    assert document_year("上半年…", None) is None


def test_compared_times_are_marked() -> None:
    text = "较2021年同期增长，与一季度相比改善，快于去年全年，由一季度的-2.7%提高至上半年"
    found = time_expressions(text, parse_quantities(text), 2023)
    assert [(t.period, t.compared) for t in found] == [
        ("2021年", True), ("2023年一季度", True), ("2022年", True),
        ("2023年一季度", False), ("2023年上半年", False)]
