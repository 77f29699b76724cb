"""Figures derived from two stated ones, each side read as its own question (sides.py)."""

from __future__ import annotations

from typing import Any

import pytest

from reportbot.answering.extractive import Extract, extract_answer
from reportbot.answering.sides import derived_from_sides, prior_from_clause
from reportbot.language.vocabulary import corpus_glossary
from reportbot.records import Chunk, Hit

TEXT = ("特斯拉第二季度营收为249.27亿美元，市场预期为245.1亿美元，同比增长47%。"
        "2023年第二季度特斯拉共生产47.97万辆电动车，"
        "交付46.61万辆电动车。特斯拉第二季度的毛利率为18.2%，第一季度毛利率则为19.3%。")
HITS = [Hit(Chunk("d#0", "d", "特斯拉2023年第二季度财报", "", 0, len(TEXT), TEXT), 1.0, 1, 1)]
GLOSSARY = corpus_glossary(None)


def _side(question: str, **items: Any) -> Extract:
    return extract_answer(question, HITS, lambda term: 1.0, GLOSSARY, **items)


@pytest.mark.parametrize(("question", "short", "value"), [
    ("特斯拉二季度电动车产量比交付量多多少辆？", "13600辆", 13600.0),
    ("特斯拉二季度毛利率比一季度下降了多少个百分点？", "1.1个百分点", 1.1),
    ("特斯拉二季度交付量占产量的比例是多少？", "97.16%", 97.16),
])
def test_the_derived_figure_comes_from_both_cited_sides(question: str, short: str,
                                                       value: float) -> None:
    got = derived_from_sides(question, HITS, _side)
    assert got is not None and got.short_answer == short and len(got.citations) == 2
    assert got.numbers[0].status == "derived" and abs(got.numbers[0].value - value) < 0.01


def test_no_derivation_when_a_side_is_not_stated() -> None:
    assert derived_from_sides("特斯拉二季度营收比一季度多多少？", HITS, _side) is None


def test_last_years_figure_is_worked_back_from_the_change_its_sentence_states() -> None:
    got = prior_from_clause("按同比增速推算，特斯拉去年第二季度营收大约是多少？", HITS, _side)
    assert got is not None and got.short_answer == "169.57亿美元"
    assert "249.27亿美元 ÷ (1 + 47%)" in got.answer and got.numbers[0].status == "derived"
    assert prior_from_clause("特斯拉去年二季度毛利率是多少？", HITS, _side) is None  # a rate
