"""A figure question matched against the fact table: the subjects it names, its years,
content bigrams and head noun (its unit and wording come from language.asking), and the
facts of the retrieved passages ranked against it (used by numeric answers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportbot.facts.names import NATIONAL
from reportbot.facts.periods import RELATIVE_YEARS
from reportbot.facts.rules import CHANGE
from reportbot.language.asking import asked_unit, asks_per_unit, without_ask_words
from reportbot.language.places import divisions_named, place_stem
from reportbot.language.quantities import TIME_KINDS, base_unit, parse_quantities
from reportbot.language.tokens import tokenize
from reportbot.language.vocabulary import SYNONYMS, is_place
from reportbot.language.vocabulary import words as word_list
from reportbot.numbers.crosscheck import (
    bigrams,
    common_part,
    is_money,
    mentioned_subjects,
)
from reportbot.numbers.periods import period_key, stated_periods
from reportbot.records import Fact

Passage = tuple[str, int, int, str]


_SENTENCE_MARKS = "。！？；!?;\n"


MIN_SCORE = 0.3


_MIN_EVIDENCE = 0.2


@dataclass(frozen=True)
class FactQuery:
    """A figure question as the fact matcher reads it."""

    text: str
    content: frozenset[str]
    unit: str | None
    years: tuple[int, ...]
    named: tuple[str, ...]
    per: bool  # asks a per-unit figure (每人, 人均): 元/人 facts may answer it
    head: str  # the last word of what is asked about (Chinese puts the head noun last)
    periods: frozenset[str] = frozenset()  # month ranges asked (上半年 -> 1-6), year-free
    ordered: bool = True  # word order carries meaning (A占B: A is the part)
    places: frozenset[str] = frozenset()  # the places it names, without their suffix


def other_place(q: FactQuery | frozenset[str], f: Fact) -> bool:
    """Is the fact about a place (or the nation) that the question (or one side of it),
    naming places, does not name? 杭州's GDP is never answered with 深圳市's, nor 河南's
    growth with 全国's."""
    places = q.places if isinstance(q, FactQuery) else q
    if not places:
        return False
    subject = place_stem(f.subject)
    return (is_place(subject) or f.subject == NATIONAL) and subject not in places


_RATIO = re.compile(r"([\u4e00-\u9fff]{2,4})率$")


def _other_ratio(q: FactQuery, f: Fact) -> bool:
    """Is the fact a named ratio (贡献率, 不良贷款率) the question does not name? 营收增速 is
    not answered by the share of growth it contributed (对…营业收入增长的贡献率)."""
    m = _RATIO.search(f.metric)
    if m is None or f.kind != "rate":
        return False
    named = m.group(1)[-2:] + "率"
    return named not in q.text and not CHANGE.fullmatch(m.group(1)[-2:])  # 增长率 is a growth


def places_named(text: str) -> frozenset[str]:
    """The divisions a text names, without their suffix, and the nation when it says so."""
    places = frozenset(divisions_named(text))
    if any(w in text for w in word_list("facts", "names.national")):
        places |= {NATIONAL}
    return places


def in_passages(passages: Sequence[Passage], facts: list[Fact]) -> dict[int, tuple[int, str]]:
    """fact_id -> (rank of the first passage holding it, its sentence in that passage)."""
    found: dict[int, tuple[int, str]] = {}
    for rank, (doc_id, start, end, text) in enumerate(passages):
        for f in facts:
            if f.fact_id not in found and f.doc_id == doc_id and start <= f.start < f.end <= end:
                a, b = f.start - start, f.end - start
                left = max(text.rfind(m, 0, a) for m in _SENTENCE_MARKS) + 1
                rights = [i for m in _SENTENCE_MARKS if (i := text.find(m, b)) >= 0]
                found[f.fact_id] = (rank, text[left : min(rights, default=len(text))])
    return found


def fact_query(question: str, facts: list[Fact], live: list[Fact]) -> FactQuery:
    """Read a figure question against the facts: subjects named, years, content, head."""
    # Spaces out: a question put together from words still names 江西 IT … as 江西IT….
    named = tuple(s for s in mentioned_subjects(question.replace(" ", ""), live)
                  if any(f.subject == s for f in facts))
    national = any(w in question for w in word_list("facts", "names.national"))
    if named and national and NATIONAL not in named and any(f.subject == NATIONAL for f in facts):
        named += (NATIONAL,)  # 比全国水平低多少: the nation's figure is asked beside it
    years = tuple(int(q.value) for q in parse_quantities(question)
                  if q.kind in TIME_KINDS and "年" in q.text and q.value >= 1000)  # not 上半年
    # 去年同期: the year before the latest one the passages state figures for
    stated = [y for f in facts if (y := year_of(f.period)) is not None]
    if stated:
        offsets = {o for w, o in RELATIVE_YEARS.items() if w in question}
        if offsets - {0} or years:
            years = tuple(sorted({*years, *(max(stated) + o for o in offsets)}))
    words = question
    for q in parse_quantities(question):
        if q.kind != "ordinal":  # 第三产业: an ordinal is part of the name of what is asked
            words = words.replace(q.text, " ")
    for s in named:
        words = words.replace(common_part(s, question), " ")
    words = without_ask_words(words)
    runs = re.findall(r"[A-Za-z\u4e00-\u9fff]+", words)
    words_of_last = [w for w in tokenize(runs[-1]) if len(w) > 1] if runs else []
    head = words_of_last[-1] if words_of_last else ""
    places = frozenset(divisions_named(question))
    if places and national:
        places |= {NATIONAL}
    return FactQuery(question, frozenset(bigrams(words)), asked_unit(question), years, named,
                     asks_per_unit(question), head, stated_periods(question), places=places)


def year_of(period: str) -> int | None:
    m = re.match(r"(\d{4})", period)
    return int(m.group(1)) if m else None


def abbreviated(metric: str) -> set[str]:
    """The bigrams of the standard abbreviation of a name a metric uses (地区生产总值 -> gdp):
    GDP asked, the bulletin's 地区生产总值同比增长 answers."""
    return {b for short, names in ABBREVIATIONS if any(n in metric for n in names)
            for b in bigrams(short) | bigrams(short.upper())}


# Standard abbreviations (gdp, cpi) and the names documents write for them (words.toml).
ABBREVIATIONS = [(k, v) for k, v in SYNONYMS.items() if k.isascii()]


def rank(q: FactQuery, content: frozenset[str], facts: list[Fact],
          pool: dict[int, tuple[int, str]], use_period: bool = True) -> list[tuple[float, Fact]]:
    """Facts of the named subjects, best first: metric overlap (recall-weighted), sentence,
    period and passage rank."""
    scored = []
    # A question naming no year asks about the latest year a measure is stated for: the
    # earlier year's figure of the same measure (2022年上半年…, beside 2023's) is stated
    # for comparison and answers another question.
    latest: dict[tuple[str, str, str], int] = {}
    for f in facts:
        measure = (f.doc_id, f.subject, f.metric)
        if (y := year_of(f.period)) is not None and y > latest.get(measure, 0):
            latest[measure] = y
    for f in facts:
        if q.named and f.subject not in q.named or other_place(q, f) or _other_ratio(q, f):
            continue
        metric = bigrams(f.metric)
        # GDP asked, 地区生产总值 stated: the abbreviation's bigrams match the name's
        hit = min(len(metric), len((metric | abbreviated(f.metric)) & content))
        p, r = (hit / len(metric), hit / len(content)) if hit else (0.0, 0.0)
        f2 = 5 * p * r / (4 * p + r) if hit else 0.0
        rank, sentence = pool.get(f.fact_id, (len(pool), f.metric))
        in_sentence = len(content & bigrams(sentence)) / len(content) if content else 0.0
        evidence = f2 + 0.5 * in_sentence
        if evidence < _MIN_EVIDENCE:
            continue  # nothing the question says points at this fact; period and rank can't
        score = evidence + 0.1 / (1 + rank)
        year = year_of(f.period)
        key = period_key(f.period) if f.period else None
        if use_period and q.periods and (key is not None and key not in q.periods
                                         or key is None and re.fullmatch(r"\d{4}年", f.period)):
            continue  # another period (一季度, a whole year) does not answer 上半年
        if use_period and q.years and year is not None:
            if year not in q.years:
                continue  # 去年同期 asked: this year's figure answers another question
            score += 0.3
        elif use_period and year is not None and year < latest[(f.doc_id, f.subject, f.metric)]:
            score -= 0.2
        scored.append((score, f))
    return sorted(scored, key=lambda s: (-s[0], s[1].fact_id))


def fits_unit(q: FactQuery, f: Fact) -> bool:
    """Is the fact of the kind and unit the question asks for?"""
    if "/" in f.unit and not q.per:
        return False
    if q.unit is None:
        return f.kind == "quantity"
    if q.unit == "%":  # a change in percentage points answers only a question asking points
        return f.kind == "rate" and (f.unit != "pp" or "百分点" in q.text)
    if q.unit == "money":
        return f.kind == "quantity" and is_money(f.unit)
    return f.kind == "quantity" and base_unit(f.unit) == q.unit


def rate_of(f: Fact, live: list[Fact]) -> Fact | None:
    return next((r for r in live if r.kind == "rate" and r.qualifies == f.fact_id), None)

