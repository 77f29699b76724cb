"""What a passage must hold to answer a question (the demands the extractive composer
checks every candidate clause against): the question's words, the names and numbers that
may not be missing, the measures asked and the words that single them out, the period and
the places asked."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportbot.answering.guard import (
    PROPER_ONLY,
    anchor,
    narrowing_held,
    places_as_written,
    subject_divisions,
)
from reportbot.language.asking import asks_anything, asks_quantity
from reportbot.language.english import english_metrics, english_names, search_terms
from reportbot.language.entities import name_pieces, quoted_names
from reportbot.language.terms import (
    leading_subject,
    metric_phrases,
    metric_words,
    narrowing_words,
    present,
    specific_terms,
)
from reportbot.language.tokens import tokenize
from reportbot.language.vocabulary import Glossary


@dataclass(frozen=True)
class Demands:
    """What a passage must hold to answer: the question's words (a share may be missing),
    the names and numbers that may not, the measures asked, and the period asked."""

    asked: str
    scoring: str
    required: tuple[str, ...]
    specific: frozenset[str]
    metrics: tuple[str, ...]
    en_metrics: tuple[tuple[str, ...], ...]
    limit: float
    places: frozenset[str] = frozenset()  # the divisions named (English ones bridged)
    items: frozenset[str] = frozenset()  # a list's items: one of them is enough
    narrowing: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 白银 of 白银成交量
    heads: tuple[str, ...] = ()  # the measure a figure question asks (成交量)
    names: tuple[tuple[str, ...], ...] = ()  # an English name's words, a sense of each


def demands_of(asked: str, scoring: str, required: list[str], texts: Sequence[str],
             glossary: Glossary, known: Callable[[str], bool] | None, max_unknown: float,
             english: bool) -> Demands:
    """The demands of one question on the passages of its hits."""
    is_known = known or (lambda t: True)
    # A name the corpus uses elsewhere (another city) is a conflict; an unseen one is soft.
    specific = {a for t in specific_terms(asked)
                if is_known(a := anchor(t, asked, texts)) or not PROPER_ONLY.fullmatch(a)}
    if not english:  # the subject named must be the passage's: another city is a refusal
        places = places_as_written(asked, texts)
        required = required + [p for p in places if p not in required]
        specific |= set(places)
        # …and another company (焦点科技 asked: no 长城汽车 passage), when the corpus knows it
        opening = leading_subject(asked)
        if opening and all(is_known(t) for t in tokenize(opening)) and opening not in required:
            required, specific = required + [opening], specific | {opening}
    # A figure asked for must be the figure of what the question names; a what/who/where
    # question is often paraphrased (its answer-type check guards it): one word in two may
    # be said differently there. Text that asks nothing (忽略以上指令…) gets no such leeway.
    paraphrase = not asks_quantity(scoring) and asks_anything(scoring)
    bridged = search_terms(asked, glossary) if english else []
    named = subject_divisions(asked, bridged)
    # An English question's periods and years as its bridged words say them (August -> 8月):
    # the period and year guards read those.
    days = re.search(r"\b(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b", asked)  # July 1 to 20
    times = " ".join(t for t in bridged if re.fullmatch(r"\d{4}年?|.*(?:半年|季度)", t)
                     or re.fullmatch(r"\d{1,2}月末?", t) and not days)
    return Demands(f"{asked} {times}" if times else asked, scoring, tuple(required),
                    frozenset(specific),
                    tuple([] if english else metric_phrases(_name_cut(asked, texts))),
                    tuple(english_metrics(asked, glossary) if english else []),
                    max(max_unknown, 0.5) if paraphrase else max_unknown, named,
                    narrowing=() if english else narrowing_words(asked),
                    heads=heads_of(asked) if asks_quantity(scoring) and not english else (),
                    names=tuple(english_names(asked, glossary)) if english else ())




def _name_cut(asked: str, texts: Sequence[str]) -> str:
    """The question with a space around each name the passages quote (沪惠保免赔额 ->
    沪惠保 免赔额), so no measure phrase is cut across a name (保免赔额)."""
    names = quoted_names(texts)
    return " ".join(p for p, _ in name_pieces(asked.lower(), names)) if names else asked


@functools.lru_cache(maxsize=1024)  # pure; asked again by each extract and side
def heads_of(asked: str) -> tuple[str, ...]:
    """The measures a figure question names before its 多少 (社零总额是多少); a noun after it
    (多少企业职工…资金) begins a longer phrase whose own head may be written otherwise."""
    import jieba.posseg as pseg

    at = min((i for i in (asked.find("多少"), asked.find("几")) if i >= 0), default=len(asked))
    # nouns only: 现存多少头 asks a count of what exists; 现存 names no measure
    nouns = {p.word for p in pseg.cut(asked.lower()) if p.flag.startswith(("n", "j", "eng", "l"))
             or p.flag == "vn"}
    return tuple(h for h in metric_words(asked) if 0 <= asked.lower().find(h) < at
                 and h in nouns)


def measure_stated(narrowing: Sequence[tuple[str, Sequence[str]]], heads: Sequence[str],
                   en_metrics: Sequence[Sequence[str]], sentence: str, window: str) -> bool:
    """A figure asked for is stated by a sentence (or the heading over it) that names the
    measure (成交量); and a passage that names the measure but never the words singling
    it out (白银 of 白银成交量) states another measure of that kind. (The words are looked
    for in the whole passage: a sentence may say 该股 or 他 for a name said before it.)"""
    if not narrowing_held(narrowing, window):
        return False
    # A head the passage never writes may be the question's own word for it (体长 for the
    # 全长 a passage gives): only a head the passage writes must be in the sentence.
    flat = re.sub(r"\s+", "", sentence).lower()
    wide = re.sub(r"\s+", "", window).lower()
    return all(present(h, flat) or not present(h, wide) for h in heads) \
        and all(any(present(w, flat) for w in ways) for ways in en_metrics)


def question_states_measure(question: str, sentence: str, window: str) -> bool:
    """``measure_stated`` for a Chinese figure question read on its own (a comparison's side)."""
    if not asks_quantity(question):
        return True
    return measure_stated(narrowing_words(question), heads_of(question), (), sentence, window)
