"""Pure citation helpers: spans -> Citations, and [n] markers checked against them (1-based)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from reportbot.records import Chunk, Citation, Span

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
