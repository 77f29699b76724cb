"""Pure citation helpers: spans -> Citations, and [n] markers checked against them (1-based)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from reportbot.records import Chunk, Citation, Hit, Span

log = logging.getLogger(__name__)
_MARKER = re.compile(r"\[(\d+)\]")
_TRAILING = "，,；;：:、 \n"


def cite(n: int, chunk: Chunk, span: Span) -> Citation:
    """Citation ``n`` for an absolute span that lies inside ``chunk``; trailing commas dropped."""
    if not (chunk.start <= span.start < span.end <= chunk.end):
        raise ValueError(f"span {span.start}-{span.end} is outside chunk "
                         f"{chunk.start}-{chunk.end} of {chunk.doc_id}")
    text = chunk.text[span.start - chunk.start : span.end - chunk.start]
    stripped = text.rstrip(_TRAILING)
    return Citation(n, chunk.doc_id, chunk.title, chunk.section, span.start,
                    span.start + len(stripped), stripped, chunk.start, chunk.end, chunk.text)


def passage(n: int, chunk: Chunk) -> Citation:
    """A whole chunk as citation ``n`` (the closest passages of a refusal)."""
    return Citation(n, chunk.doc_id, chunk.title, chunk.section, chunk.start, chunk.end,
                    chunk.text, chunk.start, chunk.end, chunk.text)


def markers(text: str) -> list[int]:
    """The [n] markers of an answer, in order of appearance."""
    return [int(m.group(1)) for m in _MARKER.finditer(text)]


def check_markers(text: str, citations: Sequence[Citation]) -> tuple[str, list[Citation]]:
    """Drop (and log) markers that name no citation; return the text and the citations used.

    Markers are 1-based: [0] or [n] past the end is dropped, never wrapped around to
    another passage (a negative index would silently cite the wrong text).
    """
    by_n = {c.n: c for c in citations}
    used: dict[int, Citation] = {}

    def keep(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in by_n:
            log.warning("dropping citation marker [%d]: only 1..%d exist", n, len(citations))
            return ""
        used[n] = by_n[n]
        return match.group(0)

    clean = _MARKER.sub(keep, text)
    return clean, [used[n] for n in sorted(used)]


_BETWEEN_CLAUSES = re.compile(r"[\s,，、;；]*")


def joined_clauses(clauses: list[tuple[Hit, Span]]) -> list[tuple[Hit, Span]]:
    """Clauses of one chunk with only punctuation between them become one citation
    (新增服务外包企业188家,同比增长43.51%: the figure and its growth rate)."""
    out: list[tuple[Hit, Span]] = []
    for hit, span in sorted(clauses, key=lambda c: (c[0].chunk.doc_id, c[1].start)):
        if out and out[-1][0].chunk.chunk_id == hit.chunk.chunk_id:
            prev = out[-1][1]
            gap = hit.chunk.text[prev.end - hit.chunk.start : span.start - hit.chunk.start]
            if span.start >= prev.end and _BETWEEN_CLAUSES.fullmatch(gap):
                out[-1] = (hit, Span(prev.start, span.end))
                continue
        out.append((hit, span))
    return out


def quoted(hits: Sequence[Hit], spans: Sequence[tuple[int, Span]], english: bool
           ) -> tuple[str, tuple[Citation, ...]]:
    """The answer text quoting each (hit index, span) with its marker, and the citations."""
    citations: list[Citation] = []
    parts: list[str] = []
    for hit_index, span in spans:
        c = cite(len(citations) + 1, hits[hit_index].chunk, span)
        citations.append(c)
        parts.append(f"{c.text.rstrip('。！？!?')}[{c.n}]")
    if english:
        return "According to the report: " + " ".join(f"“{p}”" for p in parts), \
            tuple(citations)
    return "；".join(parts) + "。", tuple(citations)
