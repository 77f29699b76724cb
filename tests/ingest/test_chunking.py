"""Chunking: exact offsets (property-tested), sentences, headings, windows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportbot.ingest.chunking import chunk_document, heading_of
from reportbot.language.text import split_sentences
from reportbot.records import SourceDoc
from tests.conftest import REPORT_TEXT


def doc(text: str) -> SourceDoc:
    return SourceDoc("d.txt", "d.txt", "T", text, "0" * 64)


ALPHABET = st.sampled_from(
    list("南昌市服务外包企业家人元。！？；，,;!?\n （一）(二)1234567890.%“”abc ")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=600), st.integers(min_value=40, max_value=300))
def test_every_chunk_is_an_exact_slice(text: str, max_chars: int) -> None:
    for chunk in chunk_document(doc(text), max_chars):
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip() == chunk.text
        assert chunk.end - chunk.start <= max_chars


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_chunks_cover_every_non_space_character(text: str) -> None:
    covered = set()
    for chunk in chunk_document(doc(text), 80):
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_end_punctuation_stays_with_its_sentence() -> None:
    text = "第一句。第二句！第三句？第四句；第五句”。\n第六句"
    got = [text[s.start : s.end] for s in split_sentences(text)]
    assert got == ["第一句。", "第二句！", "第三句？", "第四句；", "第五句”。", "第六句"]


def test_headings_are_recognised_in_both_bracket_widths() -> None:
    assert heading_of("（一）出台扶持政策，给力产业发展。") == "（一）出台扶持政策，给力产业发展"
    assert heading_of("(十) 加强专业培训, 提升工作效能。") == "(十) 加强专业培训, 提升工作效能"
    assert heading_of("二、主要做法") == "二、主要做法"
    assert heading_of("## 附件") == "附件"
    assert heading_of("南昌市新增服务外包企业188家。") is None


def test_report_chunks_carry_sections_and_offsets() -> None:
    chunks = chunk_document(doc(REPORT_TEXT), 200)
    assert all(REPORT_TEXT[c.start : c.end] == c.text for c in chunks)
    first = chunks[0]
    assert first.section == "" and first.text.startswith("2010年1-12月份")
    holder = next(c for c in chunks if "江西IT人才实训基地补助188人" in c.text)
    assert holder.section == "(二)解决遗留问题,兑现政府承诺"
    sections = {c.section for c in chunks}
    assert len(sections - {""}) == 10


def test_windows_overlap_by_a_sentence_and_are_never_subsets() -> None:
    chunks = chunk_document(doc(REPORT_TEXT), 200)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert not (b.start >= a.start and b.end <= a.end)
    assert any(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_overlong_sentence_is_cut_at_clauses() -> None:
    text = "，".join(["南昌市服务外包企业发展迅速"] * 40) + "。"
    chunks = chunk_document(doc(text), 100)
    assert len(chunks) > 1
    assert all(c.text.endswith(("，", "。")) for c in chunks)
