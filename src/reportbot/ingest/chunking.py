"""Pure Chinese-aware chunking: section headings and windows of whole sentences with exact
offsets (sentences and clauses come from language.text)."""

from __future__ import annotations

import re

from reportbot.language.text import split_clauses, split_sentences
from reportbot.records import Chunk, SourceDoc, Span

_CN_NUM = "一二三四五六七八九十百零〇"
_HEADING = re.compile(
    rf"^\s*(?:[（(][{_CN_NUM}\d]{{1,4}}[)）]"
    rf"|[{_CN_NUM}]{{1,4}}、"
    rf"|第[{_CN_NUM}\d]{{1,4}}[章节部分篇条]"
    r"|#{1,6}\s)"
)
_HEADING_MAX_CHARS = 60


def heading_of(line: str) -> str | None:
    """The section name if this line is a heading such as （一）出台扶持政策，给力产业发展。"""
    stripped = line.strip()
    if not stripped or len(stripped) > _HEADING_MAX_CHARS or not _HEADING.match(stripped):
        return None
    return stripped.lstrip("#").strip().rstrip("。.")


def _line_of(text: str, span: Span) -> str:
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    return text[line_start : len(text) if line_end < 0 else line_end]


def _pieces(text: str, span: Span, max_chars: int) -> list[Span]:
    """Cut a sentence longer than max_chars at clause ends, hard-cutting only as last resort."""
    if span.end - span.start <= max_chars:
        return [span]
    out: list[Span] = []
    cur_start = span.start
    cur_end = span.start
    for clause in split_clauses(text, span, enumeration=True):
        if clause.end - cur_start > max_chars and cur_end > cur_start:
            out.append(Span(cur_start, cur_end))
            cur_start = clause.start
        cur_end = clause.end
        while cur_end - cur_start > max_chars:
            out.append(Span(cur_start, cur_start + max_chars))
            cur_start += max_chars
    if cur_end > cur_start:
        out.append(Span(cur_start, cur_end))
    return out


def sections_and_sentences(text: str, max_chars: int) -> list[tuple[str, list[Span]]]:
    """Group sentence pieces by section; a heading starts a new section and belongs to it."""
    groups: list[tuple[str, list[Span]]] = [("", [])]
    for sentence in split_sentences(text):
        name = heading_of(_line_of(text, sentence))
        line_start = text.rfind("\n", 0, sentence.start) + 1
        starts_line = not text[line_start : sentence.start].strip()
        if name is not None and starts_line:
            groups.append((name, []))
        groups[-1][1].extend(_pieces(text, sentence, max_chars))
    return [(name, spans) for name, spans in groups if spans]


def chunk_doc_id(chunk_id: str) -> str:
    """The doc_id of a chunk id made by chunk_document (doc_id#sha#n; a doc_id may hold #)."""
    return chunk_id.rsplit("#", 2)[0]


def chunk_document(doc: SourceDoc, max_chars: int = 200, overlap: int = 1) -> list[Chunk]:
    """Windows of whole sentences up to max_chars, overlapping by ``overlap`` sentences."""
    chunks: list[Chunk] = []
    for section, spans in sections_and_sentences(doc.text, max_chars):
        for first, last in _windows(spans, max_chars, overlap):
            start, end = spans[first].start, spans[last].end
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}#{doc.sha256[:12]}#{len(chunks)}",
                    doc_id=doc.doc_id,
                    title=doc.title,
                    section=section,
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                )
            )
    return chunks


def _windows(spans: list[Span], max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Index ranges [first, last] of sentence windows; each new window starts inside the last."""
    out: list[tuple[int, int]] = []
    first = 0
    while first < len(spans):
        last = first
        while last + 1 < len(spans) and spans[last + 1].end - spans[first].start <= max_chars:
            last += 1
        out.append((first, last))
        if last == len(spans) - 1:
            break
        # Keep `overlap` sentences, unless the window they start could not grow past
        # this one (it would be a subset of it).
        nxt = max(first + 1, last + 1 - overlap)
        if spans[last + 1].end - spans[nxt].start > max_chars:
            nxt = last + 1
        first = nxt
    return out
