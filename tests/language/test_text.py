"""The one sentence and clause splitter: exact spans, marks kept, 、 split only when asked."""

from __future__ import annotations

from reportbot.language.text import split_clauses, split_sentences
from reportbot.records import Span


def texts(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def test_sentences_keep_their_end_marks_and_closing_quotes() -> None:
    text = "他说：“好。” 然后离开！最后一句"
    assert texts(text, split_sentences(text)) == ["他说：“好。”", "然后离开！", "最后一句"]


def test_an_enumeration_is_one_clause_unless_asked_to_split_items() -> None:
    text = "出口苹果、梨和桃，增长5%。"
    whole = Span(0, len(text))
    assert texts(text, split_clauses(text, whole)) == ["出口苹果、梨和桃，", "增长5%。"]
    assert texts(text, split_clauses(text, whole, enumeration=True)) == [
        "出口苹果、", "梨和桃，", "增长5%。"]


def test_trimming_only_drops_whitespace_at_clause_ends() -> None:
    text = "加强培训, 提升效能。"
    whole = Span(0, len(text))
    assert texts(text, split_clauses(text, whole)) == ["加强培训,", "提升效能。"]
    assert texts(text, split_clauses(text, whole, trim=False)) == ["加强培训,", " 提升效能。"]


def test_a_comma_between_digits_is_part_of_a_number_not_a_clause_break() -> None:
    text = "宣告发放现金股利1,990万元，计入投资收益科目。增长43.51%,位居第一"
    clauses = [text[s.start : s.end] for s in split_clauses(text, Span(0, len(text)))]
    assert clauses[0] == "宣告发放现金股利1,990万元，" and clauses[-1] == "位居第一"
