"""The short answer chosen among the spans of the sentences around it, by fitted weights.

short.py's readers propose one span (the *lead*). This module scores every span of the
sentences around the lead (and of the cited text) that starts and ends at a word boundary
and picks the best. The features say nothing of any one question: where the span sits
against the question's words and the slot, the parts of speech at and beside its edges,
its length, whether it is the lead or inside it, and the kind of thing asked crossed with
what the span holds. Their weights are fitted on CMRC 2018 by eval/fit_spans.py
(conditional logistic regression over a question's spans, as for the evidence weights), so
a boundary a rule would fix for one question is learnt from all of them. By hand because
no Chinese reading model ships offline; the weights in ``data/span_weights.toml``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import jieba.posseg

from reportbot.answering.slots import CLAUSE_END, WHY, Asked, Slot, asks_of, pattern, slot_in
from reportbot.language.question import Question
from reportbot.language.text import covered_by, share_in, word_pieces
from reportbot.language.vocabulary import load

_SENTENCE = re.compile(r"[^。！!？?\n]+[。！!？?]?")
_OPEN, _CLOSE = "《「“『（(【", "》」”』）)】"
_MAX_WORDS = 14
_MAX_CHARS = 48
_SENTENCES_PER_TEXT = 2  # beside the lead's and the slot's sentence, per context passage

POS = ("nr", "ns", "nt", "nz", "n", "v", "a", "d", "p", "c", "u", "m", "q", "r", "f", "t",
       "eng", "x", "other")
KINDS = ("person", "time", "organisation", "alias", "place", "quantity", "reason", "other")
_LENGTHS = ((1, 1), (2, 2), (3, 3), (4, 5), (6, 8), (9, 99))
_GAPS = ("out", "0", "1", "2_3", "4_8", "far")
# Which reader of short.py found the lead (crossed with "the span is the lead").
LEAD_SOURCES = ("alias", "time", "figure", "person", "organisation", "place", "place_name",
                "reason", "framed", "generic", "whole", "none")
LEXICAL = "word:"  # the prefix of a feature naming a word
# Readers whose lead the ranker only moves the edges of: a shape (a time, a figure), a
# marker word (由于), a person's or an organisation's name (on report questions, 哪个部门发布
# answered by a date or a list of figures once the ranker was free: the weights come from
# encyclopaedia text). A place's or an alias's lead may be replaced by any span: keeping
# them cost CMRC's held half 0.006 F1 (eval/README.md).
TYPED_SOURCES = ("reason", "time", "figure", "organisation", "person")
_HOLDS = ("digit", "date", "nr", "ns", "org", "lead", "chars")

FEATURES: tuple[str, ...] = (
    "s_cover", "s_slot", "s_lead",
    *(f"from_{r}" for r in LEAD_SOURCES),
    "lead", "in_lead", "new_clause", "has_lead", "lead_start", "lead_end", "lead_f1", "cited",
    "q_share", "q_all", "q_exact", "left_q", "right_q", "left_edge", "right_edge",
    "q_first", "q_last", "touch_left", "touch_right",
    *(f"lo_{g}" for g in _GAPS), *(f"hi_{g}" for g in _GAPS),
    *(f"lead_lo_{g}" for g in _GAPS), *(f"lead_hi_{g}" for g in _GAPS),
    "in_slot", "at_lo", "at_hi", "comma", "dun", "bracket_open", "quoted",
    "digit", "date", "chars",
    *(f"w{lo}" for lo, _ in _LENGTHS),
    *(f"first_{g}" for g in POS), *(f"last_{g}" for g in POS),
    *(f"before_{g}" for g in (*POS, "edge")), *(f"after_{g}" for g in (*POS, "edge")),
    *(f"{k}_{h}" for k in KINDS for h in _HOLDS),
    *(f"{k}_{e}_{g}" for k in KINDS for e in ("first", "last") for g in POS),
)
_NUMBER_JOIN = re.compile(r"\d[,，.．]\d")  # a thousands separator or decimal point
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


@dataclass(frozen=True)
class Candidate:
    """One span: its text and its features (name -> value, zero when absent)."""
    text: str
    features: dict[str, float]


@dataclass(frozen=True)
class _Sentence:
    text: str
    cited: bool
    slot: Slot
    said: dict[str, float]  # what the whole sentence says of the question (s_ features)


def _group(flag: str) -> str:
    """A jieba part-of-speech tag, coarsened (nrfg -> nr, vn -> v, w/x -> x)."""
    for g in ("nr", "ns", "nt", "nz", "eng"):
        if flag.startswith(g):
            return g
    head = flag[:1]
    return "x" if head in ("x", "w") else head if head in POS else "other"


@functools.lru_cache(maxsize=4096)
def _words(sentence: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Word boundaries (0 … len) and each word's coarse part of speech; a number jieba
    cuts at its separators (2,663 -> 2 / , / 663; 1.5) is one word."""
    bounds, groups, at = [0], [], 0
    for pair in jieba.posseg.cut(sentence):
        at += len(pair.word)
        bounds.append(at)
        groups.append(_group(pair.flag))
    k = 1
    while k < len(bounds) - 1:
        b = bounds[k]
        inside = _NUMBER_JOIN.match(sentence, b - 1) or _NUMBER_JOIN.match(sentence, b - 2)
        if inside and inside.start() < b < inside.end():
            del bounds[k]
            groups[k - 1] = "m" if groups[k - 1] == "x" else groups[k - 1]
            del groups[k]
        else:
            k += 1
    return tuple(bounds), tuple(groups)


def kind_asked(question: Question, asked: Asked) -> str:
    """The kind of thing a question asks (one of KINDS), from its frame and wording."""
    asks = asks_of(question.text)
    kind = question.answer_kind
    if asks["reason"] or asked.phrase in WHY:
        return "reason"
    if kind == "alias" or asks["alias"]:
        return "alias"
    if kind in ("year", "when", "day"):
        return "time"
    if kind == "person" or asks["person"]:
        return "person"
    if kind in ("organisation", "company"):
        return "organisation"
    if asks["place"]:
        return "place"
    return "quantity" if asked.measure or question.quantity else "other"


def _sentences(texts: Sequence[str], lead: str, asked: Asked) -> list[_Sentence]:
    """The cited text's sentences, and in each passage the lead's sentence, the slot's
    and its first few (the passages are retrieved chunks, read only near the answer)."""
    q = asked.left + asked.right
    pairs = word_pieces(q, whole=False)
    out: dict[str, _Sentence] = {}
    for i, text in enumerate(texts):
        spans = [m.span() for m in _SENTENCE.finditer(text) if m.group(0).strip()]
        slot = slot_in(text, asked)
        near = {k for k, (s, e) in enumerate(spans)
                if (lead and lead in text[s:e])
                or any(p is not None and s <= p <= e for p in (slot.lo, slot.hi))}
        keep = range(len(spans)) if i == 0 else \
            sorted(near | set(range(min(_SENTENCES_PER_TEXT, len(spans)))))
        for k in keep:
            s, e = spans[k]
            piece = text[s:e]
            if piece not in out:
                framed = slot_in(piece, asked)
                out[piece] = _Sentence(piece, i == 0, framed, _said(piece, pairs, framed, lead))
    return list(out.values())


def _said(sentence: str, pairs: frozenset[str], slot: Slot, lead: str) -> dict[str, float]:
    """How much of the question (its two-character pieces) the sentence restates, how
    firmly its words frame the slot, whether it holds the lead."""
    return {"s_cover": share_in(pairs, sentence), "s_slot": min(max(slot.score, 0.0), 5.0) / 5.0,
            "s_lead": float(bool(lead) and lead in sentence)}


def _gap(inward: int) -> str:
    """How far a span edge lies inside a boundary (negative: outside it), bucketed."""
    if inward < 0:
        return "out"
    return next((g for g, top in (("0", 0), ("1", 1), ("2_3", 3), ("4_8", 8)) if inward <= top),
                "far")


def _overlap_f1(a: tuple[int, int], b: tuple[int, int]) -> float:
    common = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    if not common:
        return 0.0
    p, r = common / (a[1] - a[0]), common / (b[1] - b[0])
    return 2 * p * r / (p + r)


def _spans(bounds: Sequence[int], groups: Sequence[str], text: str) -> list[tuple[int, int]]:
    """(first word, end word) of every span that starts and ends at a word boundary, does
    not begin or end on punctuation other than a bracket, and is not too long."""
    out = []
    for i in range(len(groups)):
        if groups[i] == "x" and text[bounds[i]] not in _OPEN:
            continue
        for j in range(i + 1, min(len(groups), i + _MAX_WORDS) + 1):
            if bounds[j] - bounds[i] > _MAX_CHARS:
                break
            if groups[j - 1] == "x" and text[bounds[j] - 1] not in _CLOSE:
                continue
            out.append((i, j))
    return out


@dataclass(frozen=True)
class _Reading:
    """One sentence read against the question: its words, what the question covers, the
    lead's place in it, the kind asked, which reader found the lead."""
    sentence: _Sentence
    bounds: tuple[int, ...]
    groups: tuple[str, ...]
    covered: list[bool]
    lead: tuple[int, int] | None
    question: str
    around: tuple[str, str]
    kind: str
    source: str


def candidates(question: Question, asked: Asked, texts: Sequence[str], lead: str,
               source: str = "none") -> list[Candidate]:
    """Every candidate span of the sentences around the lead, with its features."""
    kind = kind_asked(question, asked)
    found: list[Candidate] = []
    for sentence in _sentences(texts, lead, asked):
        text = sentence.text
        bounds, groups = _words(text)
        at = text.find(lead) if lead else -1
        r = _Reading(sentence, bounds, groups, covered_by(text, asked.left + asked.right),
                     (at, at + len(lead)) if at >= 0 else None, question.text,
                     (asked.left, asked.right), kind, source)
        pairs = _spans(bounds, groups, text)
        found += [_candidate(r, lo, hi) for lo, hi in pairs
                  if _WORDLIKE.search(text[bounds[lo]: bounds[hi]])]
        if r.lead and r.lead not in {(bounds[i], bounds[j]) for i, j in pairs}:
            # The lead cuts a word: it is kept as it is.
            lo = max(k for k, b in enumerate(bounds) if b <= r.lead[0])
            hi = min(k for k, b in enumerate(bounds) if b >= r.lead[1])
            found.append(_candidate(r, lo, hi, r.lead))
    return found


def _candidate(r: _Reading, lo: int, hi: int, exact: tuple[int, int] | None = None
               ) -> Candidate:
    text, bounds, groups, covered = r.sentence.text, r.bounds, r.groups, r.covered
    slot, lead, around, kind = r.sentence.slot, r.lead, r.around, r.kind
    start, end = exact or (bounds[lo], bounds[hi])
    span = text[start:end]
    inside = groups[lo:hi]
    f: dict[str, float] = dict(r.sentence.said)
    if lead is not None:
        f["lead"] = float((start, end) == lead)
        f[f"from_{r.source}"] = f["lead"]
        f["in_lead"] = float(lead[0] <= start and end <= lead[1] and (start, end) != lead)
        f["has_lead"] = float(start <= lead[0] and lead[1] <= end and (start, end) != lead)
        f["lead_start"] = float(start == lead[0])
        f["lead_end"] = float(end == lead[1])
        f["lead_f1"] = _overlap_f1((start, end), lead)
        outside = text[start: max(start, lead[0])] + text[min(end, lead[1]): end]
        f["new_clause"] = float(CLAUSE_END.search(outside) is not None)
    q = sum(covered[start:end]) / max(end - start, 1)
    first, last = (bounds[lo], bounds[lo + 1]), (bounds[hi - 1], bounds[hi])
    f["q_first"] = float(all(covered[first[0]: first[1]]))
    f["q_last"] = float(all(covered[last[0]: last[1]]))
    f["touch_left"] = float(len(around[0]) >= 1 and text[:start].endswith(around[0][-2:]))
    f["touch_right"] = float(len(around[1]) >= 1 and text[end:].startswith(around[1][:2]))
    if slot.lo is not None:
        f[f"lo_{_gap(start - slot.lo)}"] = 1.0
    if slot.hi is not None:
        f[f"hi_{_gap(slot.hi - end)}"] = 1.0
    if lead is not None:
        f[f"lead_lo_{_gap(start - lead[0])}"] = 1.0
        f[f"lead_hi_{_gap(lead[1] - end)}"] = 1.0
    f.update(cited=float(r.sentence.cited), q_share=q, q_all=float(q == 1.0),
             q_exact=float(span in r.question),
             left_q=float(start > 0 and covered[start - 1]),
             right_q=float(end < len(text) and covered[end]),
             left_edge=float(start == 0 or groups[lo - 1] == "x"),
             right_edge=float(end >= len(text) or hi >= len(groups) or groups[hi] == "x"))
    if slot.lo is not None or slot.hi is not None:
        f["in_slot"] = float((slot.lo or 0) <= start and end <= (slot.hi or len(text)))
        f["at_lo"] = float(slot.lo == start)
        f["at_hi"] = float(slot.hi == end)
    f["comma"] = float("，" in span or "," in span)
    f["dun"] = float("、" in span)
    f["bracket_open"] = float(sum(span.count(c) for c in _OPEN)
                              != sum(span.count(c) for c in _CLOSE))
    f["quoted"] = float(span[:1] in _OPEN and span[-1:] in _CLOSE)
    words = hi - lo
    f.update({f"w{a}": 1.0 for a, b in _LENGTHS if a <= words <= b})
    f[f"first_{inside[0]}"] = f[f"last_{inside[-1]}"] = 1.0
    f[f"before_{groups[lo - 1] if lo > 0 else 'edge'}"] = 1.0
    f[f"after_{groups[hi] if hi < len(groups) else 'edge'}"] = 1.0
    # The words themselves at and beside the edges (是 before an answer, 的 after a name):
    # a feature per word; the fit keeps the frequent ones (LEXICAL in the weights' names).
    word = lambda k: text[bounds[k]: bounds[k + 1]]  # noqa: E731
    f[f"{LEXICAL}first={word(lo)}"] = f[f"{LEXICAL}last={word(hi - 1)}"] = 1.0
    if lo > 0:
        f[f"{LEXICAL}before={word(lo - 1)}"] = 1.0
    if hi < len(groups):
        f[f"{LEXICAL}after={word(hi)}"] = 1.0
    holds = {"digit": float("m" in inside),
             "date": float(pattern("date").fullmatch(span) is not None),
             "nr": float("nr" in inside), "ns": float("ns" in inside),
             "org": float("nt" in inside or "nz" in inside),
             "lead": f.get("lead", 0.0), "chars": math.log1p(end - start)}
    f["digit"], f["date"], f["chars"] = holds["digit"], holds["date"], holds["chars"]
    f.update({f"{kind}_{h}": v for h, v in holds.items() if v})
    f[f"{kind}_first_{inside[0]}"] = f[f"{kind}_last_{inside[-1]}"] = 1.0
    return Candidate(span, f)


@functools.cache
def span_weights() -> dict[str, float]:
    """The weights written by eval/fit_spans.py (empty: the lead is kept as it is)."""
    return {str(k): float(v) for k, v in load("span_weights").get("weights", {}).items()}


def score(features: dict[str, float], weights: dict[str, float]) -> float:
    return sum(v * weights.get(k, 0.0) for k, v in features.items())


def may_replace(features: dict[str, float], source: str) -> bool:
    """Whether a span may stand for the lead: a time, a figure or a reason a reader found
    has only its edges moved, within its clause (TYPED_SOURCES); any other lead may be
    replaced by any span."""
    return source not in TYPED_SOURCES or (
        features.get("lead_f1", 0.0) > 0.0 and not features.get("new_clause"))


def best_span(question: Question, asked: Asked, texts: Sequence[str], lead: str,
              source: str = "none", weights: dict[str, float] | None = None) -> str:
    """The span the fitted weights rank first (the lead when there are none)."""
    weights = span_weights() if weights is None else weights
    if not weights:
        return lead
    found = [c for c in candidates(question, asked, texts, lead, source)
             if may_replace(c.features, source)]
    best = max(found, key=lambda c: score(c.features, weights), default=None)
    return best.text if best is not None else lead
