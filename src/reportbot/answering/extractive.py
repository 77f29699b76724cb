"""Pure extractive answering: question analysis, clause scoring, answer spans, refusal.

No generative model: an answer is made of exact clauses of the retrieved passages, so every
word of it can be cited. Written by hand because no library composes cited Chinese
clause-level extractive answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from reportbot.answering.demands import Demands, demands_of, measure_stated
from reportbot.answering.evidence import (
    Evidence,
    Meaning,
    best_evidence,
    clause_spans,
    coverage,
)
from reportbot.answering.guard import (
    anchor,
    enumerated,
    judge,
    nation_holds,
    period_stated,
    place_holds,
    section_window,
    sentence_of,
    statement_span,
    year_stated,
)
from reportbot.answering.kinds import DATE, answer_type_ok
from reportbot.language.asking import (
    asked_measure,
    asked_unit,
    asks_date,
    asks_quantity,
    asks_rank,
    pattern,
    question_for_scoring,
)
from reportbot.language.english import (
    search_terms,
    sense_groups,
    unknown_english_share,
)
from reportbot.language.entities import name_pieces, quoted_names
from reportbot.language.quantities import fits_asked_unit, from_to, parse_quantities
from reportbot.language.terms import (
    metric_present,
    present,
    salient_terms,
)
from reportbot.language.text import split_sentences
from reportbot.language.tokens import is_english
from reportbot.language.vocabulary import Glossary, alternation, load, words
from reportbot.records import Chunk, Hit, Span

REFUSAL = "报告中未找到相关信息"
REFUSAL_EN = "The report does not contain this information."

_QUANTITY = re.compile(load("evidence")["quantity"])
_RANK = re.compile(r"第\s*[\d一二三四五六七八九十百]+\s*[位名届批期次]|\d+\s*强")
# A clause that changes the figure before it (同比增长…, 比上月上升0.3个百分点): it belongs to it.
_RATE_LEAD = re.compile(rf"^(?:{alternation('evidence', 'change_leads')})")


@dataclass(frozen=True)
class Extract:
    """The chosen answer spans (absolute, per hit) and how well the evidence covers the question."""

    refused: bool
    spans: tuple[tuple[int, Span], ...]
    support: float
    figure_at: int | None = None  # where the figure asked starts (a fact's), when known


# A figure in brackets after what a comparison names (快于全国（5.5%）, 慢于一季度增速（5.0%）).
_REFERENCE = re.compile(rf"(?:{alternation('facts', 'comparison_base')})[^，。；（(]{{0,16}}"
                        r"[（(][^）)]{0,16}[）)]")
# A heading of a numbered part (（二）优化服务提供。, 三、…): short, one sentence.
_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]"
                      r"|[一二三四五六七八九十]{1,3}、)[^。，；]{1,16}[。：:]?\s*$")
# An overview naming a document's parts (围绕…等6个方面，提出10条具体措施).
_OVERVIEW = re.compile(load("evidence")["overview"])
# A clause giving a purpose or a reason (为充分发挥…, 由于…, 受…影响).
_REASON = re.compile(rf"(?:{alternation('evidence', 'reason_openers')})")
# Counters of events (几次会议): their days in a month are events in that month, not figures.
_EVENTS = frozenset(words("evidence", "event_counters"))


def question_terms(question: str, hits: Sequence[Hit], glossary: Glossary,
                   focus: str = "") -> tuple[list[str], list[str], list[str]]:
    """(terms scored, terms required, passage texts): what evidence is scored against."""
    scoring = question_for_scoring(question)
    texts = [f"{h.chunk.title}{h.chunk.section}{h.chunk.text}".lower() for h in hits]
    names = quoted_names(texts)
    if is_english(question):
        # One term per English word: the sense the passages write (an unwritten sense of a
        # word with several would count against every clause), else its first.
        terms = list(dict.fromkeys(next((t for t in group if any(t in x for x in texts)),
                                        group[0]) for group in sense_groups(scoring, glossary)))
    else:
        terms = _by_names(scoring, names, texts,
                          lambda piece: search_terms(piece, glossary))
    asked = question_for_scoring(focus or question)
    required = [] if is_english(question) else _by_names(asked, names, texts, salient_terms)
    if terms and not all(re.fullmatch(r"[\d.]+", t) for t in terms):
        # A name search-mode tokens split into single characters (蟒鳗) still counts.
        terms += [t for t in required if t not in terms and len(t) > 1]
    return terms, required, texts


def _by_names(question: str, names: set[str], texts: Sequence[str],
              cut: Callable[[str], list[str]]) -> list[str]:
    """The question's words (``cut``: its terms or its salient terms) as the passages
    spell them, a name they set in quotes kept whole (沪惠保单次: 沪惠保, not 沪惠 / 保单)."""
    out: list[str] = []
    for piece, is_name in name_pieces(question, names):
        found = [anchor(t, question, texts) for t in cut(piece)]
        if is_name and piece not in found:  # the name, and its own words (they weigh)
            found = [piece, *found]
        out += [t for t in found if t not in out]
    return out


def extract_answer(question: str, hits: Sequence[Hit], weight: Callable[[str], float],
                   glossary: Glossary, known: Callable[[str], bool] | None = None,
                   min_support: float = 0.3, focus: str = "", max_unknown: float = 0.34,
                   max_unknown_english: float = 0.2, max_spans: int = 1,
                   item_margin: float = 0.0, notes: Mapping[str, str] | None = None,
                   meaning: Meaning | None = None, meaning_top: int = 8,
                   whole_sentences: bool = False) -> Extract:
    """The best clause window whose passage covers what the question names, else a refusal;
    with ``max_spans`` > 1 (a list asked), further windows scoring within ``item_margin``
    of the best, each from other text; ``whole_sentences`` quotes each window's sentence."""
    scoring = question_for_scoring(question)
    terms, required, texts = question_terms(question, hits, glossary, focus)
    if not terms or all(re.fullmatch(r"[\d.]+", t) for t in terms):
        return Extract(True, (), 0.0)  # nothing but numbers (1' OR '1'='1) names no subject
    english = is_english(question)
    asked = question_for_scoring(focus or question)
    evidence = best_evidence(scoring, hits, weight, terms, meaning=meaning,
                             meaning_top=meaning_top)
    if not evidence:
        return Extract(True, (), 0.0)
    if english and unknown_english_share(focus or question, glossary) >= max_unknown_english:
        return Extract(True, (), 0.0)
    demands = demands_of(asked, scoring, required, texts, glossary, known, max_unknown, english)
    if demands.names and not _names_held(demands.names,
                                         section_window(hits, hits[0].chunk, notes)):
        # The best passage does not write the name in the dictionary's senses: they are not
        # the corpus's words for it (Instruments -> 工具, written 德州仪器), so they ask nothing.
        demands = replace(demands, names=())
    if max_spans > 1:  # a list: each item its own clause (第一、第二、第三产业…分别)
        demands = replace(demands, items=enumerated(asked, demands.required))
    accepted: list[tuple[Evidence, Span]] = []
    for ev in evidence[:12]:
        if accepted and (len(accepted) >= max_spans
                         or ev.score < accepted[0][0].score - item_margin):
            break
        if ev.coverage < min_support or not _holds(demands, hits, ev, notes):
            continue
        span = _under_heading(hits[ev.hit_index].chunk, _grow(scoring, terms, hits, ev, weight))
        if whole_sentences:  # a list's items, or the ways and reasons of a how/why
            span = _whole_sentence(hits, ev, span)
        chunk = hits[ev.hit_index].chunk
        text = chunk.text[span.start - chunk.start : span.end - chunk.start]
        if max_spans == 1 and not asks_quantity(scoring) and _OVERVIEW.search(text):
            continue  # 围绕A、B、C等6个方面提出10条措施 names the parts; their text answers
        if not answer_type_ok(question, text):
            continue
        if not any(_overlap(hits, ev, span, other) for other in accepted):
            accepted.append((ev, span))
    if not accepted:
        return Extract(True, (), evidence[0].coverage)
    if max_spans > 1 and len(accepted) == 1:  # one item found: the rest may follow it
        ev, span = accepted[0]
        accepted = [(ev, _enumeration(hits[ev.hit_index].chunk, span))]
    # Several items (a list): in the order the documents give them.
    chosen = sorted(accepted, key=lambda a: (hits[a[0].hit_index].chunk.doc_id, a[1].start))
    return Extract(False, tuple((ev.hit_index, span) for ev, span in chosen),
                   accepted[0][0].coverage)


def _holds(d: Demands, hits: Sequence[Hit], ev: Evidence,
           notes: Mapping[str, str] | None) -> bool:
    """Does the evidence's passage (with its section and title) meet the demands?"""
    chunk = hits[ev.hit_index].chunk
    window = section_window(hits, chunk, notes)
    return (judge(list(d.required), window, set(d.specific), d.limit, d.items)
            and all(metric_present(m, window) for m in d.metrics)
            and (bool(d.items) or measure_stated(d.narrowing, d.heads, d.en_metrics,
                                                 chunk.section + sentence_of(chunk, ev.span),
                                                 chunk.title + window))
            and all(any(present(w, window) for w in ways) for ways in d.en_metrics)
            and _names_held(d.names, window)
            and period_stated(d.asked, sentence_of(chunk, ev.span), window,
                              asks_quantity(d.scoring) and asked_unit(d.scoring) not in _EVENTS)
            and year_stated(d.asked, _statement(chunk, ev.span),
                            (notes or {}).get(chunk.doc_id, ""))
            and all(p in window for p in d.places)
            and place_holds(d.places, chunk, ev.span, _statement(chunk, ev.span))
            and nation_holds(d.asked, d.places, chunk, ev.span, _statement(chunk, ev.span))
            and _states_figure_asked(d.scoring, _text_of(hits, ev)))


def _names_held(names: Sequence[Sequence[str]], window: str) -> bool:
    """An English name asked (Focus Technology) is the passage's when it writes a sense of
    one of the name's words (焦点): the dictionary rarely gives every word the sense the
    corpus uses."""
    return not names or any(present(w, window) for ways in names for w in ways)


def _statement(chunk: Chunk, span: Span) -> str:
    """The statement (between semicolons) of the span's sentence that holds it."""
    part = statement_span(chunk, span)
    return chunk.text[part.start - chunk.start : part.end - chunk.start]


def _overlap(hits: Sequence[Hit], ev: Evidence, span: Span,
             other: tuple[Evidence, Span]) -> bool:
    """Do two answer spans share text of one document (chunks overlap by a sentence)?"""
    same_doc = hits[ev.hit_index].chunk.doc_id == hits[other[0].hit_index].chunk.doc_id
    return same_doc and span.start < other[1].end and other[1].start < span.end


def _counts(clause: str, measure: str | None) -> bool:
    """Does the clause count in that measure word (永历三朝, 十五路)?"""
    return measure is not None and re.search(
        rf"(?:\d+|[一二两三四五六七八九十百千]+)\s*{re.escape(measure)}", clause) is not None


def _states_figure_asked(scoring: str, clause: str) -> bool:
    """A rank asked needs a rank in the clause; a quantity asked needs a figure (or a count
    in the measure word asked); other questions need neither."""
    if asks_rank(scoring):
        return _RANK.search(clause) is not None
    own = _REFERENCE.sub("", clause)  # 低于全国水平（5.5%）: the level's figure, not its own
    if not asks_quantity(scoring) or _counts(clause, asked_measure(scoring)):
        return True
    # 多少亿元 is answered by an amount, 多少% by a rate, 多少人 by a count of people
    unit = asked_unit(scoring)
    if unit == "%" and pattern("asks_change").search(scoring) and from_to(own):
        return True  # 上调了百分之几: worked out from 由3.30元调整为3.50元 (within.py)
    if unit is None:  # any figure; the parser also reads one in a unit no list has (4公分)
        return _QUANTITY.search(own) is not None \
            or any(q.kind == "quantity" for q in parse_quantities(own))
    return any(fits_asked_unit(q, unit) for q in parse_quantities(own))


def _text_of(hits: Sequence[Hit], ev: Evidence) -> str:
    c = hits[ev.hit_index].chunk
    return c.text[ev.span.start - c.start : ev.span.end - c.start]


def _grow(question: str, terms: Sequence[str], hits: Sequence[Hit], best: Evidence,
          weight: Callable[[str], float]) -> Span:
    """Extend the best clause over neighbours of its sentence that add what the question asks."""
    c = hits[best.hit_index].chunk
    sentence = next(s for s in split_sentences(c.text)
                    if c.start + s.start <= best.span.start < c.start + s.end)
    clauses = [Span(c.start + s.start, c.start + s.end)
               for s in clause_spans(c.text, sentence)]
    k = next(i for i, s in enumerate(clauses) if s.start <= best.span.start < s.end)
    first, last = k, k

    def text(i: int) -> str:
        return c.text[clauses[i].start - c.start : clauses[i].end - c.start]

    def covered(lo: int, hi: int) -> float:
        return coverage(terms, "".join(text(j) for j in range(lo, hi + 1)), weight)

    # The clause before names more of what is asked: quoted with it unless it states a
    # figure of its own, or the clause is that figure's change (…2.91亿美元，同比增长150.18%).
    if first > 0 and covered(first - 1, last) > covered(first, last) + 1e-9 \
            and (not _QUANTITY.search(text(first - 1)) or _RATE_LEAD.match(text(first))):
        first -= 1
    elif first > 0 and asks_date(question) and DATE.search(text(first - 1)) \
            and not DATE.search(text(first)):
        first -= 1
    while last + 1 < len(clauses) and last - first < 3:
        nxt = text(last + 1)
        if _RATE_LEAD.match(nxt) or covered(first, last + 1) > covered(first, last) + 0.05:
            last += 1
        else:
            break
    if not asks_quantity(question):
        # A what/who/when answer often sits in the clause beside the one that restates the
        # question: widen until the kind of thing asked for is inside.
        def joined() -> str:
            return "".join(text(j) for j in range(first, last + 1))

        while not answer_type_ok(question, joined()) and (first > 0 or last + 1 < len(clauses)):
            if first > 0:
                first -= 1
            if not answer_type_ok(question, joined()) and last + 1 < len(clauses):
                last += 1
        if len(joined()) < 25 and (first > 0 or last + 1 < len(clauses)):
            first, last = max(first - 1, 0), min(last + 1, len(clauses) - 1)
    return Span(clauses[first].start, clauses[last].end)


def _enumeration(chunk: Chunk, span: Span, longest: int = 320) -> Span:
    """A list's item quoted with the statements after it in its sentence, when they fit:
    an enumeration is often one sentence of statements split by semicolons (按业务划分，美容
    业务营收为31亿欧元;个人护理业务营收为35亿欧元;…, or 以下条件：（一）…；（二）…)."""
    end = span.end - chunk.start
    stop = _FULL_STOP.search(chunk.text, end)
    last = stop.end() if stop else len(chunk.text)
    if chunk.text[end - 1 : end] in "；;" and last - (span.start - chunk.start) <= longest:
        return Span(span.start, chunk.start + last)
    return span


_FULL_STOP = re.compile(r"[。！？!?\n]")


def _whole_sentence(hits: Sequence[Hit], ev: Evidence, grown: Span,
                    longest: int = 160) -> Span:
    """The sentence of the evidence, unless it is too long to quote: a list's items are
    written as its parallel clauses (扩大餐饮服务消费，丰富文旅消费，促进文娱体育会展消费),
    and so are the ways of a how (全面落实带薪休假制度，鼓励错峰休假，…促进假日消费) and
    what a finding shows (原材料库存指数上升，表明…降幅收窄)."""
    c = hits[ev.hit_index].chunk
    for s in split_sentences(c.text):
        span = Span(c.start + s.start, c.start + s.end)
        if span.start <= ev.span.start < span.end:
            if span.end - span.start <= longest:
                return Span(min(span.start, grown.start), max(span.end, grown.end))
            # Too long to quote whole: the clauses after the evidence that fit (an action
            # is followed by what it is for: …开放，推进分级诊疗，满足群众…的需求).
            clauses = [(c.start + x.start, c.start + x.end) for x in clause_spans(c.text, s)]
            end = grown.end
            for a, b in clauses:
                if a >= end and b - grown.start <= longest:
                    end = b
                elif a >= end:
                    break
            # …and what it was done for, said before it (为充分发挥…，…，对…进行调整)
            start = next((a for a, _ in clauses if a < grown.start and end - a <= longest
                          and _REASON.match(c.text, a - c.start)), grown.start)
            return Span(start, end)
    return grown


def _under_heading(chunk: Chunk, span: Span, longest: int = 160) -> Span:
    """A numbered heading (（六）提升签约感受。) is answered by what is written under it: its
    sentences up to the next heading, within ``longest``."""
    sentences = split_sentences(chunk.text)
    for i, s in enumerate(sentences):
        if chunk.start + s.start <= span.start < chunk.start + s.end:
            if not _HEADING.match(chunk.text[s.start : s.end]):
                return span
            end = chunk.start + s.end
            for t in sentences[i + 1 :]:
                if _HEADING.match(chunk.text[t.start : t.end]) or t.end - s.start > longest:
                    break
                end = chunk.start + t.end
            return Span(chunk.start + s.start, end)
    return span


def clause_around(chunk: Chunk, start: int, end: int) -> Span:
    """The clause (absolute span) of the chunk that holds [start, end)."""
    for sentence in split_sentences(chunk.text):
        for clause in clause_spans(chunk.text, sentence):
            a, b = chunk.start + clause.start, chunk.start + clause.end
            if a <= start and end <= b:
                return Span(a, b)
    return Span(start, end)


def clauses_of(hits: Sequence[Hit], spans: Sequence[tuple[str, int, int]]
               ) -> list[tuple[Hit, Span]]:
    """The clause of the retrieved passages around each (doc_id, start, end) of a fact
    answer, each once."""
    clauses: list[tuple[Hit, Span]] = []
    for doc_id, start, end in spans:
        hit = next((h for h in hits if h.chunk.doc_id == doc_id
                    and h.chunk.start <= start and end <= h.chunk.end), None)
        if hit is None or any(h.chunk.doc_id == doc_id and sp.start <= start
                              and end <= sp.end for h, sp in clauses):
            continue
        clauses.append((hit, clause_around(hit.chunk, start, end)))
    return clauses
