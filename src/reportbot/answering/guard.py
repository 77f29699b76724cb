"""Does a passage speak of what the question names? The subject, period and names of a
question must be the passage's (or its document title's): another city, another quarter
or another company means the passage answers a different question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from reportbot.facts.periods import RELATIVE_YEARS as _RELATIVE_YEARS
from reportbot.language.asking import (
    asks_anything,
    derivation_kind,
    pattern,
    question_for_scoring,
)
from reportbot.language.places import divisions_named, place_stem
from reportbot.language.terms import (
    metric_phrases,
    metric_present,
    named_places,
    present,
    salient_terms,
    specific_terms,
)
from reportbot.language.text import DATELINE, split_sentences
from reportbot.language.vocabulary import is_place, level, within, words
from reportbot.numbers.periods import stated_periods
from reportbot.records import Chunk, Hit, Span

PROPER_ONLY = re.compile(r"[^\d第]+")

_GLUE = set("的有是在了和与被又也之字称叫")  # characters jieba glues onto an unknown name


def anchor(term: str, question: str, texts: Sequence[str]) -> str:
    """The term as the passages spell it. jieba cuts names it has never seen badly (朱载圳的
    -> 朱 / 载圳的, 尚恩有, 王连字): when the passages lack the term, the longest piece of the
    question around it (at most one of its characters dropped) that they hold; else the term.
    Written by hand: the segmenter cannot see the passages."""
    pos = question.find(term)
    if pos < 0 or len(term) < 2 or re.search(r"[\d]", term) or any(term in t for t in texts):
        return term
    keep = max(2, len(term) - 1)
    best = term
    for a in range(max(0, pos - 3), pos + len(term) - keep + 1):
        for b in range(max(a + 2, pos + keep), min(len(question), pos + len(term) + 3) + 1):
            piece = question[a:b]
            overlap = min(b, pos + len(term)) - max(a, pos)
            dropped = term[: max(a, pos) - pos] + term[min(b, pos + len(term)) - pos :]
            if overlap >= keep and len(piece) > (len(best) if best != term else 1) \
                    and (len(piece) >= len(term) or set(dropped) <= _GLUE) \
                    and not asks_anything(piece) and any(piece in t for t in texts):
                best = piece
    return best



def judge(required: Sequence[str], window: str, specific: set[str],
           max_unknown: float, items: frozenset[str] = frozenset()) -> bool:
    """Does the window speak of what the question names?

    A specific name, number or ordinal missing from the window (another city, another batch,
    another year) means the window answers a different question; other words are tolerated
    only as a small share (they may be paraphrase). Of the ``items`` a list names (第一、
    第二、第三产业), one is enough: each has its own clause.
    """
    missing = [t for t in required if not present(t, window)]
    if items and any(t in items and t not in missing for t in required):
        missing = [t for t in missing if t not in items]
    if any(t in specific or re.search(r"\d", t) or pattern("ordinal").match(t) for t in missing):
        return False
    return len(missing) <= max_unknown * len(required)


def enumerated(question: str, terms: Sequence[str]) -> frozenset[str]:
    """The terms a question lists side by side (第一、第二、第三产业, 客运量和货运量)."""
    joins = "、和及与"
    return frozenset(t for t in terms if any(
        question.find(t + j) >= 0 or question.find(j + t) >= 0 for j in joins))


def window_supports(question: str, window: str, known: Callable[[str], bool],
                    weight: Callable[[str], float], ignore_years: bool = False) -> bool:
    """Does this text speak of what the question names (years optional: derivations)?"""
    required = salient_terms(question_for_scoring(question))
    metrics = metric_phrases(question_for_scoring(question))
    if ignore_years:  # derived: its years and the words naming a difference (差额) go
        required = [t for t in required if not re.fullmatch(r"\d{4}年?度?", t)
                    and derivation_kind(t) != "difference"]
        metrics = [m for m in metrics if derivation_kind(m) != "difference"]
    flat = re.sub(r"\s+", "", window).lower()
    specific = {t for t in specific_terms(question) if known(t) or not PROPER_ONLY.fullmatch(t)}
    places = places_as_written(question, [flat])
    required += [p for p in places if p not in required]
    specific |= set(places)
    return judge(required, flat, specific, 0.34) and all(metric_present(m, flat) for m in metrics)



def places_as_written(question: str, texts: Sequence[str]) -> list[str]:
    """The places and organisations the question names, each as the texts write it (with
    or without 市/省…); one the texts never write stays as asked, so it cannot be found."""
    out: list[str] = []
    for name in named_places(question):
        anchored = anchor(name, question, texts)
        stem = place_stem(anchored)
        written = anchored if any(anchored in t for t in texts) else \
            stem if any(stem in t for t in texts) else anchored
        out.append(written)
    return out



def section_window(hits: Sequence[Hit], chunk: Chunk,
                   notes: Mapping[str, str] | None = None) -> str:
    """The chunk with the other retrieved chunks of its section, spaces out, lower-cased:
    one context (an event named two chunks before the sentence about who spoke there),
    headed by its document's title and notes (the year its metadata gives)."""
    same = "".join(h.chunk.text for h in hits if h.chunk.doc_id == chunk.doc_id
                   and h.chunk.section == chunk.section and chunk.section
                   and h.chunk is not chunk)
    note = (notes or {}).get(chunk.doc_id, "")
    window = re.sub(r"\s+", "", f"{note}{chunk.title}{chunk.section}{chunk.text}{same}")
    return (window + _resolved_years(note, chunk.text)).lower()


def _resolved_years(note: str, text: str) -> str:
    """The years a text names relative to its document's year (去年 in a 2023 article is
    2022年), written out: a question names the year, the article says 去年."""
    return "".join(f"{y}年" for y in _relative_years(note, text, same_year=False))


def _relative_years(note: str, text: str, same_year: bool = True) -> set[int]:
    """The years named relative to the document's year (from its note) in a text."""
    year = re.match(r"(\d{4})年", note)
    if year is None:
        return set()
    base = int(year.group(1))
    return {base + offset for word, offset in _RELATIVE_YEARS.items()
            if (offset or same_year) and word in text}


# 比上年 / 较去年: last year as the base of a change, not as the year asked
_BASES = re.compile("(?:比|较|与|同)(?:"
                    + "|".join(w for w, offset in _RELATIVE_YEARS.items() if offset < 0) + ")")


def year_stated(question: str, statement: str, note: str) -> bool:
    """A year asked (2022年, or 去年 against the document's year) is the statement's when it
    names one, in digits or relative to its document's year (去年全年，该市…: 2022; 今年一季度:
    not 2022); a statement naming no year takes a year asked in digits, and is its document's
    own year when last year is asked."""
    asked = {int(y) for y in re.findall(r"(\d{4})年", question)}
    # 去年同期 asked (not 比上年增长…: last year is then the base of the change asked)
    earlier = _relative_years(note, _BASES.sub("", question), same_year=False)
    if not asked and not earlier:
        return True
    stated = {int(y) for y in re.findall(r"(\d{4})年", statement)}
    stated |= _relative_years(note, statement)
    if not stated:  # a statement naming no year is its document's year, not last year
        return not earlier
    return bool((asked | earlier) & stated)




def subject_divisions(question: str, terms: Sequence[str] = ()) -> frozenset[str]:
    """The divisions a question names (河南, 杭州市 -> 杭州), without their suffix, also among
    ``terms`` (an English question's words bridged to Chinese: Suzhou -> 苏州); none when it
    asks for a place (去哪个城市): its answer names a place the question does not."""
    if pattern("asks_place").search(question):
        return frozenset()
    names = [*named_places(question), *terms]
    return frozenset(place_stem(p) for p in names if is_place(p))


def _subject_places(text: str) -> list[str]:
    """The places a text names as whose figures it gives: not where something happened or
    went (赴大连参加交易会, 在杭州举办)."""
    after = tuple(words("words", "place_not_subject_after"))
    out = []
    for p in named_places(text):
        at = text.lower().find(p)
        # 北京、西安、武汉等地旅客慕名前来: places listed as where people come from or go
        listed = _LISTED_PLACES.match(text, at + len(p)) is not None
        if is_place(p) and not (at > 0 and text[:at].endswith(after)) and not listed:
            out.append(place_stem(p))
    return out


_LISTED_PLACES = re.compile(r"[^，。；,;！？]{0,30}?等(?:地|城市|省份|省市|国家)")


def place_holds(asked: frozenset[str], chunk: Chunk, span: Span, statement: str) -> bool:
    """Is the cited clause about the place asked? The places it names decide (杭州 asked,
    「深圳市地区生产总值…」: no). A clause naming none is about the nearest place named before
    it, in its sentence or the earlier ones of its passage (a roundup of cities gives each its
    paragraph); when its statement speaks of a whole city or province (全市, 全省), the nearest
    place of that level (「武汉市统计局发布…根据湖北省…，全市…」 is 武汉's; 全省 after 甘肃 is no
    兰州 figure). Before a clause that says no level, a division holding the one asked
    (江苏省统计局…, 苏州 asked) or inside it (郑州航空港…, 河南 asked) is not another place."""
    if not asked:
        return True
    text, rel, end = chunk.text, span.start - chunk.start, span.end - chunk.start
    own = divisions_named(text[rel:end])
    if own:
        return bool(asked & set(own))
    before: list[str] = []  # nearest first
    for sentence in reversed(split_sentences(text)):
        if sentence.start < rel:
            before.extend(reversed(_subject_places(text[sentence.start : min(sentence.end,
                                                                            rel)])))
    levels = [lv for lv in ("province", "city")
              if any(w in statement for w in words("words", f"{lv}_words"))]
    governing = next((p for p in before if not levels or level(p) in levels), None)
    if governing is None or governing in asked:
        return True
    if levels:  # 全省… after 甘肃 is 甘肃's figure, whether 兰州 or 河南 is asked
        return False
    # 江苏省统计局…，第二产业… (苏州 asked) or 郑州航空港…。规上工业… (河南 asked)
    return any(within(a, governing) or within(governing, a) for a in asked)


def nation_holds(question: str, asked: frozenset[str], chunk: Chunk, span: Span,
                 statement: str) -> bool:
    """A question about the whole country (全国绿色贷款余额, no division named) is not
    answered by a clause naming a division or speaking of a whole province or city (全省…)."""
    national = "|".join(words("facts", "names.national"))
    # 与全国持平, 高于全国水平, 哪个城市: the nation is a level compared with, not the subject
    subject = re.search(rf"(?<![与和比较跟同于])(?:{national})(?!水平|平均)", question)
    if asked or subject is None or pattern("asks_place").search(question):
        return True
    clause = chunk.text[span.start - chunk.start : span.end - chunk.start]
    levels = (*words("words", "province_words"), *words("words", "city_words"))
    return not divisions_named(clause) and not any(w in statement for w in levels)


def narrowing_held(narrowing: Sequence[tuple[str, Sequence[str]]], sentence: str) -> bool:
    """A text naming a measure asked (成交量, 贷款余额, 产量) names it with the words that
    narrow it (terms.narrowing_words: 白银成交量, 普惠小微贷款余额, 柏林超级工厂…产量);
    otherwise it states another measure of the same kind."""
    sentence = re.sub(r"\s+", "", sentence).lower()  # 增 持: a break inside a word
    return all(not present(head, sentence) or all(present(w, sentence) for w in words)
               for head, words in narrowing)


def statement_span(chunk: Chunk, span: Span) -> Span:
    """The part of the span's sentence between semicolons that holds it, absolute (one
    statement: 「今年一季度…；去年全年，该市…」 states two years, one each)."""
    sentence = sentence_of(chunk, span)
    at = chunk.start + chunk.text.find(sentence)
    for part in re.finditer(r"[^；;]+[；;]?", sentence):
        if at + part.start() <= span.start < at + part.end():
            return Span(at + part.start(), at + part.end())
    return Span(at, at + len(sentence))


def sentence_of(chunk: Chunk, span: Span) -> str:
    """The sentence of the chunk that holds the (absolute) span's start."""
    for s in split_sentences(chunk.text):
        if chunk.start + s.start <= span.start < chunk.start + s.end:
            return chunk.text[s.start : s.end]
    return chunk.text




def period_stated(question: str, sentence: str, window: str, figure: bool = True) -> bool:
    """Does the evidence state the period the question asks about (上半年 = 1-6月)? Its own
    sentence decides when it names a period (「一季度…」 does not answer 上半年); a sentence
    naming none takes its period from the section and title around it. A figure of some days
    (7月1-20日, or a release dated 7月31日) is no figure of the month; an event then is."""
    asked = stated_periods(question)
    if not asked:
        return True
    # 本报北京8月15日电: a news dispatch's date is when it was filed, not a period it states
    sentence, window = DATELINE.sub("", sentence), DATELINE.sub("", window)
    stated = stated_periods(sentence) or stated_periods(window)
    if not figure:  # an event on days of a month (6月11日-12日) happened in that month
        stated |= {f"{k.split('/')[0]}-{k.split('/')[0]}" for k in stated if "/" in k}
        # …and one at its end (7月末 asked, 7月最后一周 written) too: no figure to misdate
        asked = frozenset(_month_of(k) for k in asked)
        stated |= {_month_of(k) for k in stated}
    return asked <= stated


def _month_of(key: str) -> str:
    """end-7 (the end of July) -> 7-7 (July); any other period key as it is."""
    return f"{key[4:]}-{key[4:]}" if key.startswith("end-") else key
