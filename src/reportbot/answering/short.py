"""The short answer: the thing a question asks for, pulled out of the cited text.

The question restates most of the clause that answers it: the words just before and
after its asking word (什么, 谁, 哪, 多少, 几 …) recur there and the answer sits between them
(the *slot*). Typed readers narrow the slot, or search near it when words frame nothing:
a figure in the measure asked, a time, a person, an organisation, a place, a name after
又称, a reason after 由于. Unanchored, the answer is what the question's words do not cover.
By hand (no Chinese reading model ships offline); word lists in ``data/short.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import jieba
import jieba.posseg

from reportbot.answering.slots import (
    CLAUSE_END,
    WHY,
    Asked,
    Slot,
    asked_of,
    asks_of,
    edges,
    is_kind,
    pattern,
    slot_in,
)
from reportbot.answering.spans import best_span
from reportbot.language.places import place_named_body
from reportbot.language.quantities import parse_quantities
from reportbot.language.question import Question
from reportbot.language.text import covered_by, uncovered_runs
from reportbot.language.vocabulary import words

Span = tuple[int, int]

_MARKER = re.compile(r"\[\d+\]")
_DOTS = "·•"
_INITIALS = re.compile(r"(?:[A-Za-z]{1,3}[·•．.])+$")  # J·K·罗琳: initials before a surname
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
_FIRM = 1.9  # a slot this firmly anchored holds the answer
_CITED_BONUS = 0.3  # a passage must frame the answer this much better than the cited text


def short_answer(question: Question, cited: str, context: Sequence[str] = (),
                 weights: dict[str, float] | None = None) -> str | None:
    """The asked-for span of the cited text (markers removed), or None: the span the fitted
    weights rank first among those around the readers' lead (:mod:`spans`); ``weights``
    empty keeps the lead."""
    # An English question is framed by its Chinese reading (地区生产总值 增长 … 增长了多少).
    asked = asked_of((question.fact_query if question.english else question.scoring)
                     or question.text)
    texts = texts_of(cited, context)
    if not texts:
        return None
    lead, source = lead_answer(question, asked, texts)
    if question.english:
        # The weights were fitted on Chinese questions and read the question's words in the
        # text; an English question's words are not there: its lead stands.
        chosen = lead
    else:
        chosen = best_span(question, asked, texts, lead, source, weights)
    return (runs_on(chosen, texts, asked) if source == "figure" else chosen) or None


def runs_on(figure: str, texts: Sequence[str], asked: Asked) -> str:
    """A classifier asked runs on into the question's next word when the two make one unit
    the quantity parser reads and the text writes it after the figure (几个百分点: 2.8个 ->
    2.8个百分点; 几个月: 3个 -> 3个月; 几个儿子: 3个 stays, 儿子 is what is counted)."""
    then = next(iter(jieba.lcut(asked.right)), "") if asked.measure else ""
    if not then or not figure.endswith(asked.measure):
        return figure
    longer = figure + then
    read = parse_quantities(longer)
    if not read or read[0].text != longer or not any(longer in t for t in texts):
        return figure
    return longer


def texts_of(cited: str, context: Sequence[str] = ()) -> list[str]:
    """The cited text and the passages, markers removed (the cited text first)."""
    return [t for t in (_MARKER.sub("", x).strip() for x in (cited, *context)) if t]


def lead_answer(question: Question, asked: Asked, texts: Sequence[str]) -> tuple[str, str]:
    """The readers' span and the reader that found it (a name of ``LEAD_SOURCES``): a
    ``texts`` passage is read instead of the cited text (the first) when the question's
    words frame an answer there more firmly; ("", "none") when nothing is found."""
    slots = [slot_in(t, asked) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: -slots[i].score - (i == 0) * _CITED_BONUS)
    text, slot = texts[order[0]], slots[order[0]]
    readers = _typed(question, asked)
    generic = _untyped(text, asked, slot)
    if generic and slot.score >= _FIRM:
        # The words frame the answer: a typed reader only narrows it down; only a figure, a
        # time or a reason (为什么 frames nothing) is sought elsewhere if the frame has none.
        whole = Slot(0, len(generic), narrow=True)
        found = next(((n, name) for name, r in readers
                      if (n := r(generic, asked, whole, question))), None)
        if found or not {"figure", "time", "reason"} & {name for name, _ in readers}:
            return found or (generic, "framed")
    found = next(((f, name) for name, typed in readers for i in order
                  if (f := typed(texts[i], asked, slots[i], question))), None)
    if found:
        return found
    return (generic, "generic") if generic else (_trim(text), "whole") if _trim(text) else \
        ("", "none")


def _nearest(text: str, spans: Sequence[Span], slot: Slot, question: str) -> str:
    """The candidate nearest the slot (inside it first) that the question does not name."""
    def distance(span: Span) -> tuple[int, int]:
        start, end = span
        out = max(0, slot.lo - start) if slot.lo is not None else 0
        out += max(0, end - slot.hi) if slot.hi is not None else 0
        edge = abs(start - slot.lo) if slot.lo is not None else \
            abs(slot.hi - end) if slot.hi is not None else start
        return out, edge
    fresh = [s for s in spans if s[1] > s[0] and text[s[0]: s[1]] not in question]
    best = min(fresh, key=distance, default=(0, 0))
    return text[best[0]: best[1]]


def _typed(question: Question, asked: Asked) -> list[tuple[str, Callable[..., str]]]:
    """The typed readers that apply, by name, most specific first (a reason question: that
    alone)."""
    kind, asks = question.answer_kind, asks_of(question.text)
    if asks["reason"] or asked.phrase in WHY:
        return [("reason", _reason)]
    return [(name, reader) for wanted, name, reader in (
        (kind == "alias" or asks["alias"], "alias", functools.partial(_after, "alias_marker")),
        (kind in ("year", "when", "day"), "time", _time),
        # An English question asks a figure when its Chinese reading does (question.figure).
        (bool(asked.measure) or ((question.quantity or question.figure) and not question.yes_no),
         "figure", _figure),
        (kind == "person" or asks["person"], "person", _person),
        (kind in ("organisation", "company"), "organisation", _organisation),
        (asks["place"], "place", _place), (asks["place"], "place_name", _place_name)) if wanted]


def _figure(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """A number or range in the measure asked (多少公里 -> 364.6公里; 多少人 -> …人), else any
    number with the measure word written after it (2至23公尺)."""
    number = rf"{pattern('number').pattern}(?:\s*[-－—–~～至到]\s*{pattern('number').pattern})?"
    unit = asked.measure or (question.unit if question.unit not in (None, "money") else "")
    measure = "[美欧日港]?元" if question.unit == "money" or unit == "元" else re.escape(unit)
    spans = [m.span() for m in re.finditer(rf"{number}\s*(?:{measure})", text)] if unit else []
    if not spans and not asked.measure:
        for m in re.finditer(rf"{number}\s*[%‰]?", text):
            after = next(iter(jieba.lcut(text[m.end(): m.end() + 6])), "")
            if m.group(0).endswith(("%", "‰")) or not _WORDLIKE.search(m.group(0)):
                spans.append(m.span())
            elif is_kind(after, "哪"):
                spans.append((m.start(), m.end() + len(after)))
    return _nearest(text, spans, slot, asked.left + asked.right)


def _time(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """A time expression (9月26-27日, 2010年3月, 上世纪80年代, 明朝); a year when one is asked."""
    year, year_asked = pattern("year"), question.answer_kind == "year"
    spans = [m.span() for m in pattern("date").finditer(text)
             if not year_asked or year.search(m.group(0))]
    found = _nearest(text, spans, slot, asked.left + asked.right)
    kept = year.match(found) if year_asked else None
    return kept.group(0) if kept else found


def _tagged(text: str, tags: Sequence[str]) -> list[Span]:
    """Runs of jieba words carrying these tags (a name read on after ·)."""
    spans: list[Span] = []
    at = 0
    for pair in jieba.posseg.cut(text):
        start, at = at, at + len(pair.word)
        if pair.flag not in tags or (spans and spans[-1][1] > start):
            continue
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], at)
        else:
            more, back = pattern("name_goes_on").match(text, at), _INITIALS.search(text[:start])
            spans.append((back.start() if back else start, more.end() if more else at))
    return spans


def _person(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """A person's name (jieba nr) nearest the slot, else an organisation."""
    covered, spans = covered_by(text, question.text), []
    for start, end in _tagged(text, words("short", "person_tags")):
        # A name read on after · stops where the question's words begin (伊万诺夫获胜, 谁获胜).
        dot = max(text.rfind(d, start, end) for d in _DOTS)
        spans.append((start, next((i for i in range(dot + 2, end) if covered[i] and dot > 0), end)))
    return (_nearest(text, spans, slot, question.text)
            or _organisation(text, asked, slot, question)
            or _nearest(text, _tagged(text, ("j",)), slot, question.text))  # 欧盟: jieba j


def _organisation(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """An organisation nearest the slot: jieba nt/nz, a body named after its place, or a run
    of nouns ending in 公司/大学 … (the whole run: 腾讯公司, not 腾讯)."""
    spans = _tagged(text, words("short", "organisation_tags"))
    suffix, at, run = pattern("organisation_suffix"), 0, None
    for pair in jieba.posseg.cut(text):
        start, at = at, at + len(pair.word)
        # A body's name runs over nouns and abbreviations (上海易居房地产研究院: ns nr j n).
        run = (start if run is None else run) if pair.flag[:1] in ("n", "j") else None
        if run is not None and suffix.search(pair.word + "$"):
            spans.append((run, at))
        elif pair.flag == "ns" and place_named_body(pair.word):
            spans.append((start, at))
    whole = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
    return _nearest(text, whole, slot, question.text)


def _reason(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """The clause after 由于/因为/因, or the one before 因此/所以/致使."""
    found = _after("reason_before", text, asked, slot, question)
    spans = [(max((p.end() for p in CLAUSE_END.finditer(text, 0, max(m.start() - 1, 0))),
                  default=0), m.start()) for m in pattern("reason_after").finditer(text)]
    return found or _trim(_nearest(text, spans, slot, question.text))


def _place(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """The place after 位于/出生于 … (framed: the text), cut at a 的 that follows a place name
    (帕萨迪纳的多元化金融企业 -> 帕萨迪纳; 现今的北美洲与东亚 stays whole)."""
    found = _after("place_before", text, asked, slot, question) or (text if slot.narrow else "")
    head = found.partition("的")[0]
    named = any(p.flag in words("short", "place_tags") for p in jieba.posseg.cut(head))
    return head if head and named else found


def _place_name(text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """A run of place names (jieba ns) nearest the slot, when no 位于/在 … says where."""
    spans = [] if slot.narrow else _tagged(text, words("short", "place_tags"))
    return _nearest(text, spans, slot, question.text)


def _after(key: str, text: str, asked: Asked, slot: Slot, question: Question) -> str:
    """The span nearest the slot after a word of a list (又称, 由于, 位于 …), up to the
    clause's end."""
    spans: list[Span] = []
    for m in pattern(key).finditer(text):
        end = CLAUSE_END.search(text, m.end())
        spans.append((m.end(), end.start() if end else len(text)))
    return _trim(_nearest(text, spans, slot, question.text))


def _untyped(text: str, asked: Asked, slot: Slot) -> str:
    """Between the anchors (the clause next to the firmer one); from the left one to the
    clause's end (a quotation whole); else the run the question does not cover."""
    lo, hi, span = slot.lo, slot.hi, ""
    if lo is not None and hi is not None:
        pieces = [p for p in CLAUSE_END.split(text[lo:hi]) if _trim(p)]
        span = _trim(pieces[-1] if slot.firm_hi else pieces[0]) if pieces else ""
    elif lo is not None:
        stop = CLAUSE_END.search(text, lo)
        end = stop.start() if stop else len(text)
        quote = pattern("quoted").match(text, lo)
        span = _trim(quote.group(0) if quote and quote.end() > end else text[lo:end])
    if not span:
        runs = uncovered_runs(text, covered_by(text, asked.left + asked.right))
        before = [r for r in runs if hi is not None and r[1] <= hi]
        best = before[-1] if before else max(runs, key=lambda r: r[1] - r[0], default=(0, 0))
        span = _trim(text[best[0]: best[1]])
    return _with_category(span, asked) if span else ""


def _with_category(span: str, asked: Asked) -> str:
    """No leading one-character word of the question (字介眉 for 的字是什么); a 哪 question's
    name after the last 的 (十六国时期的扶余国); a name after its kind alone (组合西城男孩);
    a name ending in its kind ends there (山东省中部, 腾讯公司于)."""
    said = {w for w in jieba.lcut(asked.left + asked.right) if len(w) == 1}
    while len(span) > 1 and span[0] in said and "\u4e00" <= span[0] <= "\u9fff":
        span = _trim(span[1:])
    cat = asked.category
    if not cat:
        return span
    named = _trim(span.rsplit("的", 1)[-1])
    span = named if asked.phrase.startswith("哪") and cat in named and named != cat else span
    at = len(span)
    for token in reversed(jieba.lcut(span)):
        if token.endswith(cat):
            rest = span[at:]
            # The kind ends the name unless a name follows it: not the question's own words
            # (平安时代人物 for 什么时代的人), a particle or punctuation.
            if token != cat or rest[:1] in asked.right + "，,。；;" or rest.startswith(edges()[0]):
                return span[:at]
            return _trim(rest) or span
        at -= len(token)
    return span


def _trim(span: str) -> str:
    """Function words, punctuation, half brackets off both edges (是在1903年 -> 1903年)."""
    lead, tail, punct, _ = edges()
    prev = None
    while span and span != prev:
        prev = span
        for half in ("half_closed", "half_open", "aside"):
            span = pattern(half).sub("", span)
        span = span.strip(punct)
        lead_word = next((w for w in lead if span.startswith(w) and len(span) > len(w)), "")
        span = span[len(lead_word):]
        tail_word = next((w for w in tail if span.endswith(w) and len(span) > len(w)), "")
        span = span[: len(span) - len(tail_word)]
    return span
