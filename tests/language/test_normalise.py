"""Question normalisation: Traditional to Simplified (kept where the corpus writes it),
full-width letters and digits to ASCII."""

from __future__ import annotations

from reportbot.language.normalise import normalise_question, to_half_width, to_simplified


def test_traditional_characters_become_simplified() -> None:
    assert to_simplified("離岸接包執行金額是多少？") == "离岸接包执行金额是多少？"


def test_simplified_text_is_left_alone() -> None:
    text = "2010年南昌市新增多少家服务外包企业？"
    assert normalise_question(text) == text


def test_a_character_the_corpus_itself_writes_is_kept() -> None:
    corpus = {"黄霑", "填词"}
    assert to_simplified("黃霑有哪些填詞作品？", corpus.__contains__) == "黄霑有哪些填词作品？"


def test_a_traditional_character_written_elsewhere_in_the_corpus_is_still_converted() -> None:
    # One document writes 機場 (a Hong Kong text), the others 机场: the question is read
    # as the corpus mostly spells the word, and 滬 (written nowhere as 滬惠) becomes 沪.
    corpus = {"機場", "机场", "南宁", "沪惠", "惠保"}
    assert to_simplified("南寧機場和滬惠保", corpus.__contains__) == "南宁机场和沪惠保"


def test_full_width_letters_digits_and_percent_become_ascii_but_punctuation_stays() -> None:
    assert to_half_width("ＧＤＰ增长５．５％吗？") == "GDP增长5.5%吗？"
    assert normalise_question("２０１０年服務外包企業，多少家？") == "2010年服务外包企业，多少家？"
