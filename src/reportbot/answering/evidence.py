"""Evidence scoring: every clause of the retrieved sentences, described by features and
scored by weights fitted on labelled questions (``eval/fit_evidence.py``), best first.

Written by hand because no library scores Chinese clauses as answer evidence; the weights
are not: they come from a logistic regression over the features below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reportbot.answering.kinds import answer_type_ok
from reportbot.answering.slots import frame_score
from reportbot.language.asking import (
    answer_kind,
    asked_unit,
    asks_quantity,
    asserted_quantity,
    english_ask,
)
from reportbot.language.quantities import (
    QUANTITY_KINDS,
    fits_asked_unit,
    parse_one,
    parse_quantities,
)
from reportbot.language.terms import metric_words, present
from reportbot.language.text import (
    covered_by,
    share_in,
    split_clauses,
    split_sentences,
    word_pieces,
)
from reportbot.language.tokens import is_english
from reportbot.language.vocabulary import TITLES, load
from reportbot.records import Hit, Span

# What each clause is described by (the order of a feature vector):
# clause / sentence / passage: weighted share of the question's terms in the clause, its
# sentence (with the section) and its passage (with title and section); unit: does it state
# a figure in the unit asked; title: the office asked (市委书记, not 市委副书记); rank: the
# passage's place in the fused ranking; dense / lexical: its place in each retriever's
# ranking; meaning: cosine of the clause and the question (the same embedder; 0 without);
# measure: the clause, or the one before it in its sentence, names what a quantity
# question measures (增速 asked: 「增速显著高于整体，…达24.1%」, not a share beside it);
# frame: how firmly the words around the question's asking phrase recur in the clause
# (answering/slots.py); novel: the share of the clause's characters the question does not
# say (a clause that only restates the question answers nothing); pair: the share of the
# question's terms in the clause with the one before it (离岸接包执行金额2.91亿美元，同比增长
# 150.18%: the figure's clause says only 同比增长); grams: the share of the question's
# two-character pieces in the clause's sentence, whatever jieba made of them (生三孩 asked,
# 生育三孩 written; a name the corpus coined); kind: a what/who/when question's clause holds
# a thing of the kind asked (kinds.answer_type_ok: a date, a person, a body), 1 in the
# clause, 0.5 elsewhere in its sentence (the unit feature's counterpart for names and
# dates: 哪天起实施 prefers 「7月25日起正式实施」 to the clause restating the measure).
# Tried and left out (no gain in a by-document cross-validation): the same share in the
# clause alone, the question's terms in the sentence before (a topic named once before its
# statements) (session 11); novel times the sentence's coverage, for a clause saying
# something new in a sentence about what is asked (session 12: CV top-1 0.698 either way).
FEATURES = ("clause", "sentence", "passage", "unit", "title", "rank", "dense", "lexical",
            "meaning", "measure", "frame", "novel", "pair", "grams", "kind")

_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")

# Meaning: clause texts -> cosine similarity of each with the question.
Meaning = Callable[[Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Evidence:
    """A scored span of a retrieved chunk (absolute offsets in its document)."""

    hit_index: int
    span: Span
    coverage: float
    score: float


@dataclass(frozen=True)
class Candidate:
    """A clause of a retrieved sentence with its features (see FEATURES)."""

    hit_index: int
    span: Span
    text: str
    coverage: float
    features: tuple[float, ...]


def fitted_weights() -> dict[str, float]:
    """The weights written by eval/fit_evidence.py (``bias`` and one per feature)."""
    return {str(k): float(v) for k, v in load("evidence_weights")["weights"].items()}


def prior_weights() -> dict[str, float]:
    """The hand-set weights the fit is pulled towards (a feature the training questions
    rarely exercise keeps its prior weight); 0 for a feature added since."""
    return {str(k): float(v) for k, v in load("evidence_weights")["prior"].items()}


def coverage(terms: Sequence[str], text: str, weight: Callable[[str], float]) -> float:
    """Weighted share of the terms (or their synonyms) that occur in text, case-insensitive."""
    total = sum(weight(t) for t in terms)
    if total <= 0:
        return 0.0
    low = text.lower()
    return sum(weight(t) for t in terms if present(t, low)) / total


def clause_spans(text: str, span: Span) -> list[Span]:
    """Clauses of a sentence, split after ，,；;：: (the enumeration comma 、 does not split),
    untrimmed as answers first quoted them."""
    return split_clauses(text, span, trim=False)


def _unit_fit(clause: str, unit: str | None, quantity: bool) -> float:
    """A quantity asked: does the clause state a figure, and one in the unit asked
    (asking.asked_unit: 多少套 is answered by 1.26万套, not by 下降37%)?"""
    if not quantity:
        return 0.0
    found = [q for q in parse_quantities(clause) if q.kind in QUANTITY_KINDS]
    if not found:
        return -0.4
    if unit is None or unit == "个":
        return 0.3
    return 0.5 if any(fits_asked_unit(q, unit) for q in found) else -0.3


def _title_fit(question: str, clause: str) -> float:
    """市委书记 asked: a clause naming 市委书记 gains, one naming only 市委副书记 loses."""
    fit = 0.0
    for title in TITLES:
        if title not in question or "副" + title in question:
            continue
        plain = re.search(rf"(?<!副){title}", clause)
        fit += 0.3 if plain else -0.3 if "副" + title in clause else 0.0
    return fit


def _sentences(hits: Sequence[Hit]) -> list[tuple[int, Span, str]]:
    """(hit index, absolute sentence span, sentence text), each sentence once."""
    seen: set[tuple[str, int]] = set()
    out: list[tuple[int, Span, str]] = []
    for i, hit in enumerate(hits):
        c = hit.chunk
        for s in split_sentences(c.text):
            key = (c.doc_id, c.start + s.start)
            if key not in seen:
                seen.add(key)
                out.append((i, Span(c.start + s.start, c.start + s.end), c.text[s.start : s.end]))
    return out


def _novel(question: str, clause: str) -> float:
    """The share of the clause's word characters outside every two-character piece of the
    question."""
    covered = covered_by(clause, question)
    word = [c for ch, c in zip(clause, covered, strict=True) if _WORDLIKE.match(ch)]
    return sum(not c for c in word) / len(word) if word else 0.0


def _place(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / rank


def candidates(question: str, hits: Sequence[Hit], weight: Callable[[str], float],
               terms: Sequence[str], meaning: Meaning | None = None) -> list[Candidate]:
    """Every clause of the retrieved sentences with its features, in passage order."""
    # An English question's shape says what it asks (How fast … grow -> 增长了多少: a %).
    asking = english_ask(question) if is_english(question) else question
    unit = asked_unit(asking)
    quantity = bool(asking) and asks_quantity(asking)
    asserted = parse_one(asserted_quantity(question) or "")
    if asserted is not None:  # 股价还在210元以上吗: the figure to check is in 元
        unit, quantity = asserted.unit, True
    measures = metric_words(question) if quantity else []
    pieces = word_pieces(question.lower())
    kind_asked = bool(asking) and answer_kind(asking) is not None
    out: list[Candidate] = []
    for i, sent, text in _sentences(hits):
        hit = hits[i]
        chunk = hit.chunk
        context = f"{chunk.title} {chunk.section} {chunk.text}"
        sent_cov = coverage(terms, f"{chunk.section} {text}", weight)
        support = max(sent_cov, coverage(terms, context, weight) * 0.9)
        # Words of the document's title name its topic, which every clause is about: the
        # clause is chosen by the other words (朱载圳的封号 -> the clause with 封号).
        topic = chunk.title.lower()
        grams = share_in(pieces, text.lower())
        sent_kind = 0.5 if kind_asked and answer_type_ok(asking, text, strict=True) else 0.0

        def in_clause(t: str, topic: str = topic) -> float:
            return weight(t) * (0.5 if len(t) > 1 and t in topic else 1.0)

        before = ""
        for clause in clause_spans(text, Span(0, len(text))):
            ctext = text[clause.start : clause.end]
            near = (before + ctext).lower()
            measure = float(bool(measures) and all(present(m, near) for m in measures))
            pair = coverage(terms, before + ctext, in_clause)
            before = ctext
            novel = _novel(question, ctext)
            features = (coverage(terms, ctext, in_clause), sent_cov, support,
                        _unit_fit(ctext, unit, quantity), _title_fit(question, ctext),
                        1.0 / (1 + i), _place(hit.dense_rank), _place(hit.lexical_rank), 0.0,
                        measure, frame_score(question, ctext) / 10, novel,
                        pair, grams,
                        1.0 if sent_kind and answer_type_ok(asking, ctext, strict=True)
                        else sent_kind)
            absolute = Span(sent.start + clause.start, sent.start + clause.end)
            out.append(Candidate(i, absolute, ctext, support, features))
    if meaning is not None and out:
        sims = meaning([c.text for c in out])
        m = FEATURES.index("meaning")
        out = [Candidate(c.hit_index, c.span, c.text, c.coverage,
                         (*c.features[:m], float(s), *c.features[m + 1 :]))
               for c, s in zip(out, sims, strict=True)]
    return out


def score(features: Sequence[float], weights: Mapping[str, float]) -> float:
    """The fitted linear score of one feature vector (a logit up to scale)."""
    return weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * x for name, x in zip(FEATURES, features, strict=True))


def best_evidence(question: str, hits: Sequence[Hit], weight: Callable[[str], float],
                  terms: Sequence[str], weights: Mapping[str, float] | None = None,
                  meaning: Meaning | None = None, meaning_top: int = 8) -> list[Evidence]:
    """Every clause of the retrieved sentences, scored against the question, best first.

    Embedding a clause costs milliseconds, so only the ``meaning_top`` best by the other
    features are compared with the question by meaning; the rest are given the lowest of
    those similarities (they rank below them on the other features anyway).
    """
    w = fitted_weights() if weights is None else weights
    found = candidates(question, hits, weight, list(terms))
    base = [score(c.features, w) for c in found]
    order = sorted(range(len(found)), key=lambda k: (-base[k], found[k].hit_index,
                                                     found[k].span.start))
    if meaning is not None and w.get("meaning", 0.0) and meaning_top > 0 and found:
        top = order[:meaning_top]
        sims = dict(zip(top, meaning([found[k].text for k in top]), strict=True))
        floor = min(sims.values())
        base = [b + w["meaning"] * sims.get(k, floor) for k, b in enumerate(base)]
    scored = [Evidence(c.hit_index, c.span, c.coverage, b) for c, b in zip(found, base,
                                                                           strict=True)]
    scored.sort(key=lambda e: (-e.score, e.hit_index, e.span.start))
    return scored
