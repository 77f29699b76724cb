"""Pure checks of a generated reply against the passages it was given. Nothing the model
writes is trusted: every ``[n]`` must name a given passage, every sentence must carry one,
its cited passages (read without any instruction planted in them) must hold its numbers,
names and most of its wording, and every number must survive the fact-table cross-check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportbot.language.places import place_stem
from reportbot.language.quantities import QUANTITY_KINDS, parse_quantities
from reportbot.language.terms import named_places, present, question_terms
from reportbot.language.text import split_clauses, split_sentences
from reportbot.language.vocabulary import load
from reportbot.numbers.crosscheck import (
    check_numbers,
    close,
    mentioned_subjects,
    recall,
    units_agree,
)
from reportbot.records import Chunk, DocRange, Fact, NumberCheck, Span

MARKER = re.compile(r"\[(\d+)\]")
_LOOSE_MARKER = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
_ENGLISH_STOP = re.compile(r"(?<=[A-Za-z\]\)%\d]\.)\s+")  # "… 188 people [1]. Next …"
_LEADING_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
_CONTENT = re.compile(r"[A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a reply: as written, without its markers, and the passages it cites."""

    text: str
    claim: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class Checked:
    """The verdict on a reply: ``reason`` is None when every check passed."""

    sentences: tuple[Sentence, ...]
    numbers: tuple[NumberCheck, ...]
    reason: str | None
    refused: bool = False


@functools.cache
def _cues() -> re.Pattern[str]:
    return re.compile("|".join(load("generative")["instructions"]["cues"]), re.I)


def normalise(reply: str) -> str:
    """Markers as ``[n]`` (【1】, [1, 2] and [1、2] too), Markdown emphasis dropped."""
    def split(m: re.Match[str]) -> str:
        return "".join(f"[{int(n)}]" for n in re.split(r"\s*[,，、]\s*", m.group(1)))

    return _LOOSE_MARKER.sub(split, reply.replace("**", "")).strip()


def sentences(reply: str) -> list[Sentence]:
    """The sentences of a (normalised) reply that say something, in order: the one splitter,
    then English full stops; markers written after the end mark ("…188人。[1]") still
    belong to the sentence before."""
    joined: list[str] = []
    end = 0
    for span in split_sentences(reply):
        new_line = "\n" in reply[end : span.start]  # a marker opening a line cites forward
        end = span.end
        for i, piece in enumerate(_ENGLISH_STOP.split(reply[span.start : span.end])):
            lead = _LEADING_MARKERS.match(piece)
            if lead and joined and not (new_line and i == 0):
                joined[-1] += lead.group(0).strip()
                piece = piece[lead.end() :]
            joined.append(piece)
    out: list[Sentence] = []
    for piece in joined:
        _add(piece, out)
    return out


def _add(text: str, out: list[Sentence]) -> None:
    text = text.strip()
    claim = MARKER.sub("", text).strip().lstrip("-*•·0123456789.、） )").strip()
    if _CONTENT.search(claim):
        out.append(Sentence(text, claim, tuple(int(n) for n in MARKER.findall(text))))


def instruction_spans(text: str) -> list[Span]:
    """Where a text addresses the model instead of the reader: from a sentence holding an
    instruction cue to the end of its paragraph (offsets into ``text``)."""
    spans: list[Span] = []
    for s in split_sentences(text):
        if spans and s.start < spans[-1].end:
            continue
        if _cues().search(text[s.start : s.end]):
            stop = text.find("\n", s.start)
            spans.append(Span(s.start, len(text) if stop < 0 else stop))
    return spans


def evidence(chunk: Chunk, *, instructions: bool = False) -> str:
    """What a passage offers as evidence: title, section and text, without the instructions
    planted in it (unless asked for)."""
    body = chunk.text
    if not instructions:
        for span in reversed(instruction_spans(body)):
            body = body[: span.start] + "\n" + body[span.end :]
    return f"{chunk.title}\n{chunk.section}\n{body}"


def verify(reply: str, chunks: Sequence[Chunk], facts: list[Fact], refusal: str,
           min_support: float, english: bool) -> Checked:
    """Check a normalised reply against the numbered passages (1-based) it was given."""
    said = sentences(reply)
    claims = [s for s in said if refusal not in s.claim]
    if not claims:
        return Checked(tuple(said), (), None if said else "endpoint empty reply",
                       refused=bool(said))
    given = range(1, len(chunks) + 1)
    for s in said:
        invented = [n for n in s.cited if n not in given]
        if invented:
            return Checked(tuple(said), (), f"invented citation: [{invented[0]}] in 「"
                           f"{s.claim}」, but only passages 1–{len(chunks)} were given")
    for s in claims:
        if not s.cited:
            return Checked(tuple(said), (), f"missing citation: 「{s.claim}」 cites no passage")
    spans: list[DocRange] = [(c.doc_id, c.start, c.end) for c in chunks]
    cited = sorted({n for s in claims for n in s.cited})
    numbers = tuple(check_numbers(MARKER.sub("", "".join(s.text for s in claims)), facts,
                                  [spans[n - 1] for n in cited]))
    wrong = next((n for n in numbers if n.status == "mismatch"), None)
    if wrong is not None:
        return Checked(tuple(said), numbers, f"number mismatch: {wrong.formula or wrong.text}")
    derived = {n.text for n in numbers if n.status == "derived"}
    for s in claims:
        reason = _sentence_reason(s, chunks, facts, derived, min_support, english)
        if reason is not None:
            return Checked(tuple(said), numbers, reason)
    return Checked(tuple(said), numbers, None)


def _sentence_reason(s: Sentence, chunks: Sequence[Chunk], facts: list[Fact],
                     derived: set[str], min_support: float, english: bool) -> str | None:
    """Why the sentence's cited passages do not support it (None when they do)."""
    cited = [chunks[n - 1] for n in s.cited]
    window = "\n".join(evidence(c) for c in cited)
    why = unsupported(s.claim, window, facts, derived, min_support, english)
    if why is None:
        return None
    marks = "".join(f"[{n}]" for n in s.cited)
    planted = "\n".join(evidence(c, instructions=True) for c in cited)
    if planted != window and unsupported(s.claim, planted, facts, derived, min_support,
                                         english) is None:
        return (f"planted instruction: 「{s.claim}」 rests only on an instruction written "
                f"in passage {marks}")
    return f"unsupported sentence: 「{s.claim}」 — {why} (cited {marks})"


def unsupported(claim: str, window: str, facts: list[Fact], derived: set[str],
                min_support: float, english: bool) -> str | None:
    """What of the claim the window lacks: a number (unless derived from cited facts), a
    year, a named subject or place, or most of its wording; None when it holds it all."""
    stated = parse_quantities(window)
    for q in parse_quantities(claim):
        if q.kind in QUANTITY_KINDS and q.text not in window and q.text not in derived \
                and not any(units_agree(q.unit, p.unit) and close(q, p.value) for p in stated):
            return f"{q.text} is not in the cited passage"
        if q.kind == "year" and re.sub(r"\D", "", q.text) not in window:
            return f"{q.text} is not in the cited passage"
    there = set(mentioned_subjects(window, facts))
    for subject in mentioned_subjects(claim, facts):
        if subject not in there:
            return f"the cited passage does not speak of {subject}"
    if english:
        return None  # English wording over Chinese passages: numbers and names only
    flat = re.sub(r"\s+", "", window)
    for place in named_places(claim):
        if place not in flat and place_stem(place) not in flat:
            return f"the cited passage does not name {place}"
    terms = question_terms(claim)
    missing = [t for t in terms if not present(t, flat)]
    if terms and 1 - len(missing) / len(terms) < min_support:
        return f"the cited passage lacks {'、'.join(missing)}"
    return None


def supporting_span(chunk: Chunk, claims: Sequence[str]) -> Span:
    """The clauses of a passage that back the claims citing it (the clauses stating each
    claim's figures, else the sentence sharing most of its wording), as one absolute span."""
    planted = instruction_spans(chunk.text)
    spans = [s for s in split_sentences(chunk.text)
             if not any(i.start <= s.start < i.end for i in planted)]
    if not spans:
        return Span(chunk.start, chunk.end)
    chosen: list[Span] = []
    for claim in claims:
        figures = [q.text for q in parse_quantities(claim) if q.kind in QUANTITY_KINDS]
        holding = [c for s in spans for c in split_clauses(chunk.text, s)
                   if any(f in chunk.text[c.start : c.end] for f in figures)]
        chosen += holding or [max(spans, key=lambda s: recall(claim, chunk.text[s.start:s.end]))]
    return Span(chunk.start + min(s.start for s in chosen),
                chunk.start + max(s.end for s in chosen))
