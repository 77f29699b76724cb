"""The comparison composer: 「A和B哪个多？」 answered with both figures, each cited, and the
conclusion first. Each side is read as its own one-sided question (the same evidence
scoring and guards as any answer); a side the passages do not state means no comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reportbot.answering.citations import cite
from reportbot.answering.extractive import Extract, clause_around
from reportbot.facts.rules import DECLINE
from reportbot.language.asking import asks_lower, reference_comparison
from reportbot.language.comparing import comparison_parts
from reportbot.language.quantities import QUANTITY_KINDS, Quantity, changes, parse_quantities
from reportbot.language.terms import named_places
from reportbot.language.vocabulary import load
from reportbot.numbers.answer import NumericAnswer
from reportbot.records import Answer, Citation, Hit

# Answers a one-sided question over the same passages (the extractive composer).
Extractor = Callable[..., Extract]

_OPPOSITE = {str(a): str(b) for a, b in load("asking")["compare_opposites"]}
_ADJECTIVE = re.compile(rf"([{''.join(_OPPOSITE)}{''.join(_OPPOSITE.values())}])"
                        r"(?:一些|一点)?(?:呢|吗)?[？?]?$")
_RATE_WORDS = re.compile(r"增长|增速|增幅|快|慢|百分|比重|占比")


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its label, its cited clause and the figure it states."""

    label: str
    citation: Citation
    figure: Quantity | None


def _figure(text: str, rate: bool, at: int | None = None, label: str = "") -> Quantity | None:
    """The figure of a clause the comparison is about: the one at ``at`` when a fact says
    which (一般贸易、加工贸易进出口分别为1.46万亿元和3390.9亿元), else a rate when growth
    is compared, the one written after the side's own word first (生产47.97万辆，交付46.61万
    辆: 交付量 is the second)."""
    found = [q for q in parse_quantities(text) if q.kind in QUANTITY_KINDS]
    preferred = [q for q in found if (q.kind == "rate") == rate]
    stem = label.removesuffix("量")

    # A change's two figures (上调消费预估12万吨至2535.4万吨): the side's word is read before
    # the change, and its level (2535.4万吨) comes before its first end or the amount moved.
    pairs = changes(text)
    begins = {b.start: a.start for a, b, _ in pairs}
    firsts = {a.start for a, _, _ in pairs}

    def named(q: Quantity) -> bool:  # the side's word before it, or before its change
        at = begins.get(q.start, q.start)
        return len(stem) < 2 or stem in text[max(0, at - 8) : at]

    preferred.sort(key=lambda q: (not named(q), q.start in firsts))
    q = next((q for q in found if q.start == at), None) if at is not None else None
    q = q or (preferred[0] if preferred else found[0] if found else None)
    # 同比下降16.0%: a decline is compared as a negative change (下降16% < 增长8.1%)
    if q is not None and q.kind == "rate" and q.value > 0 \
            and DECLINE.search(text[max(0, q.start - 6) : q.start]):
        q = replace(q, value=-q.value)
    return q


def sides(question: str, hits: list[Hit], labels: tuple[str, str],
          extracts: tuple[Extract, Extract]) -> tuple[Side, Side] | None:
    """Both sides cited (1 and 2), or None when either is not stated."""
    if any(e.refused or not e.spans for e in extracts):
        return None
    rate = _RATE_WORDS.search(question) is not None
    out = []
    for n, (label, extract) in enumerate(zip(labels, extracts, strict=True), start=1):
        hit_index, span = extract.spans[0]
        c = cite(n, hits[hit_index].chunk, span)
        at = None if extract.figure_at is None else extract.figure_at - c.start
        out.append(Side(label, c, _figure(c.text, rate, at, label)))
    fa, fb = out[0].figure, out[1].figure
    if out[0].citation.start == out[1].citation.start and (
            fa is None or fb is None or fa.start == fb.start):
        return None  # one figure for both: the passages do not set them side by side
    return out[0], out[1]


def _said(q: Quantity) -> str:
    """A figure as the comparison states it: a decline read as negative says so."""
    return f"下降{q.text}" if q.value < 0 and not q.text.startswith(("-", "－")) else q.text


def comparison_text(question: str, a: Side, b: Side) -> tuple[str, str | None]:
    """The answer text (conclusion first when the figures compare) and the short answer."""
    body = "；".join(f"{s.label}：{s.citation.text.rstrip('。！？!?')}[{s.citation.n}]"
                    for s in (a, b)) + "。"
    fa, fb = a.figure, b.figure
    if fa is None or fb is None or fa.unit != fb.unit or fa.value == fb.value:
        return body, None
    m = _ADJECTIVE.search(question)
    adjective = m.group(1) if m else "高"
    high, low = (a, b) if fa.value > fb.value else (b, a)
    winner = low if asks_lower(question) else high
    other = high if winner is low else low
    said = adjective if (winner is high) != (adjective in _OPPOSITE.values()) else \
        _OPPOSITE.get(adjective, adjective)
    assert winner.figure is not None and other.figure is not None
    lead = (f"{winner.label}更{said}（{_said(winner.figure)}，{other.label}"
            f"{_said(other.figure)}）。")
    return lead + body, winner.label


def stated_by_fact(hits: Sequence[Hit], question: str, numeric: NumericAnswer | None,
                   speaks: Callable[[Hit], bool] = lambda hit: True) -> Extract | None:
    """One side's figure from the fact table (a direct fact of its subject, measure and
    period) as the clause that states it, or None: the fact matcher reads 河南上半年GDP增速 as
    地区生产总值同比增长 where a clause's words may pick a neighbouring measure."""
    if numeric is None or numeric.kind != "direct" or not numeric.facts:
        return None
    rate = _RATE_WORDS.search(question) is not None  # growth compared: the rate's clause
    fact = next((f for f in numeric.facts if (f.kind == "rate") == rate), numeric.facts[0])
    doc_id, start, end = fact.doc_id, fact.start, fact.end
    at = next((i for i, h in enumerate(hits) if h.chunk.doc_id == doc_id
               and h.chunk.start <= start and end <= h.chunk.end), None)
    if at is None or not speaks(hits[at]):  # 焦点科技 asked: no 汾酒 fact
        return None
    return Extract(False, ((at, clause_around(hits[at].chunk, start, end)),), 1.0, start)


def compared(standalone: str, hits: Sequence[Hit], extract: Extractor) -> Answer | None:
    """Both sides of a comparison, each cited, the conclusion first; None when the wording
    names no pair or the passages state only one side."""
    parts = comparison_parts(standalone)
    if parts is None:
        return None
    sub_a, sub_b, label_a, label_b = parts
    both = sides(standalone, list(hits), (label_a, label_b), (extract(sub_a), extract(sub_b)))
    if both is None:
        return None
    text, winner = comparison_text(standalone, *both)
    return Answer(question=standalone, answer=text, refused=False,
                  citations=tuple(s.citation for s in both), standalone_question=standalone,
                  short_answer=winner)


def with_own_figure(standalone: str, hits: Sequence[Hit], found: Extract,
                    extract: Extractor) -> Extract:
    """超过全国水平了吗: the clause saying which side of the level the subject is on, and
    the subject's own figure (天津GDP增速: 同比增长4.8%) where another clause states it, and
    the level's (全国GDP增速) when the subject is a place's."""
    asked = reference_comparison(standalone)
    if asked is None or found.refused:
        return found
    # The best clause for the figure may be the level's own (低于全国水平（5.5%）): the best
    # one that the answer does not quote yet.
    subject, _, level = asked
    spans = list(found.spans)
    # …and the level's own figure when the subject is a place's (河北上半年GDP增速 vs 全国:
    # 全国上半年GDP增速), so both sides of the verdict are cited
    place = next((p for p in named_places(subject) if subject.startswith(p)), None)
    other = f"{level.removesuffix('水平')}{subject[len(place):]}" if place else None
    for figure in [subject] + ([other] if other and other != subject else []):
        for i, span in extract(f"{figure}是多少？", max_spans=2, item_margin=1.0).spans:
            doc = hits[i].chunk.doc_id
            if not any(hits[j].chunk.doc_id == doc and s.start < span.end
                       and span.start < s.end for j, s in spans):
                spans.append((i, span))
                break
    return replace(found, spans=tuple(spans))
