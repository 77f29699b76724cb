"""The one sentence and clause splitter: spans with exact offsets into the text.

Written by hand: the offsets must be exact for citations, and Chinese end marks (。！？；)
and clause marks (，：、) need no model.
"""

from __future__ import annotations

import re

from reportbot.records import Span

# A sentence ends at 。！？； (full or half width) or a line break; closing quotes and
# brackets that follow the end mark stay with the sentence.
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)\"']*|\n")
# Clause ends inside a sentence; the enumeration comma 、 only where asked (cutting long
# sentences into chunks), since an enumeration (苹果、梨和桃) is one clause of meaning.
# 1,990万元 and 10:30: a comma or colon between digits is part of a number, not a break.
_CLAUSE_END = re.compile(r"[，；;：]|(?<!\d)[,:]|[,:](?!\d)")
_CLAUSE_OR_ITEM_END = re.compile(r"[，；;：、]|(?<!\d)[,:]|[,:](?!\d)")


def split_sentences(text: str) -> list[Span]:
    """Sentence spans (end marks included, surrounding whitespace excluded), in order."""
    spans: list[Span] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        _append(text, pos, match.end(), spans, trim=True)
        pos = match.end()
    _append(text, pos, len(text), spans, trim=True)
    return spans


def split_clauses(text: str, span: Span, *, enumeration: bool = False,
                  trim: bool = True) -> list[Span]:
    """Clause spans of one sentence, split after ，,；;：: (and 、 with ``enumeration``);
    marks stay with their clause. ``trim`` drops whitespace at both ends of a clause
    (answers quote clauses untrimmed, as they were first cited)."""
    marks = _CLAUSE_OR_ITEM_END if enumeration else _CLAUSE_END
    clauses: list[Span] = []
    pos = span.start
    for match in marks.finditer(text, span.start, span.end):
        _append(text, pos, match.end(), clauses, trim)
        pos = match.end()
    _append(text, pos, span.end, clauses, trim)
    return clauses


def _append(text: str, start: int, end: int, out: list[Span], trim: bool) -> None:
    if trim:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    if text[start:end].strip():
        out.append(Span(start, end))


_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def word_pieces(text: str, *, whole: bool = True) -> frozenset[str]:
    """The text's two-character pieces that are words' characters: both of them
    (``whole``), or at least one."""
    found = (text[k : k + 2] for k in range(len(text) - 1))
    if whole:
        return frozenset(p for p in found if _WORDLIKE.match(p[0]) and _WORDLIKE.match(p[1]))
    return frozenset(p for p in found if _WORDLIKE.search(p))


def share_in(pieces: frozenset[str], text: str) -> float:
    """The share of the pieces that occur in the text (0 without pieces)."""
    return sum(p in text for p in pieces) / len(pieces) if pieces else 0.0


def covered_by(text: str, question: str) -> list[bool]:
    """Characters of the text inside a two-character piece the question also has."""
    pairs = {question[i: i + 2] for i in range(len(question) - 1)}
    return [text[max(i - 1, 0): i + 1] in pairs or text[i: i + 2] in pairs
            for i in range(len(text))]


def uncovered_runs(text: str, covered: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of uncovered characters, cut at clause punctuation."""
    masked = "".join("\0" if c else ch for ch, c in zip(text, covered, strict=True))
    found = re.finditer(r"[^\0，,。；;：:！!？?\n]+", masked)
    return [m.span() for m in found if _WORDLIKE.search(m.group(0))]


# A news dispatch's date line (本报北京8月15日电): when and where it was filed, not a period
# its figures state, nor anyone a question asks about.
DATELINE = re.compile(r"\d{1,2}月\d{1,2}日电")
