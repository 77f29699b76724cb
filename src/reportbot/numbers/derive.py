"""Which derivation of facts a question asks for, and its inputs: a share, a difference, a
sum, an average, the year before a growth rate, or the rise over it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportbot.facts.consistency import part_whole
from reportbot.language.asking import without_ask_words
from reportbot.language.quantities import COUNTER_UNITS
from reportbot.language.vocabulary import table
from reportbot.numbers.crosscheck import (
    Derivation,
    average,
    before_change,
    bigrams,
    difference,
    increase,
    multiple,
    period_part,
    prior,
    share,
    total,
)
from reportbot.numbers.matching import (
    MIN_SCORE,
    FactQuery,
    Passage,
    abbreviated,
    fits_unit,
    other_place,
    places_named,
    rate_of,
    year_of,
)
from reportbot.numbers.periods import period_key, stated_periods
from reportbot.records import Fact


def _best_for(phrase: str, ranked: list[tuple[float, Fact]], unit: str | None = None,
              exclude: Fact | None = None, kind: str = "quantity",
              above: float | None = None) -> Fact | None:
    """The fact whose metric best matches a phrase of the question (A占B: A, then B); a
    whole is more than its part (``above``)."""
    want = bigrams(_rates_alike(without_ask_words(phrase)))
    places = places_named(phrase)  # 河南…比全国水平: each side is its own place's figure
    best: tuple[float, Fact] | None = None
    for _, f in ranked:
        if f.kind != kind or f is exclude or (unit and f.unit != unit) or "/" in f.unit \
                or other_place(places, f) or (above is not None and f.value <= above):
            continue
        metric = bigrams(_rates_alike(f.metric))
        hit = min(len(metric), len((metric | abbreviated(f.metric)) & want))  # GDP: 地区生产总值
        score = 2 * hit / (len(metric) + len(want)) if hit else 0.0
        if score >= 0.15 and (best is None or score > best[0]):
            best = (score, f)
    return best[1] if best else None


def derive_asked(kind: str, q: FactQuery, ranked: list[tuple[float, Fact]], live: list[Fact],
             passages: Sequence[Passage]) -> Derivation | None:
    # A rate asked (比…高多少个百分点) is derived from rates: they count as inputs too.
    usable = [f for _, f in ranked if f.kind == "quantity" or (q.unit == "%" and f.kind == "rate")]
    if not usable:
        return None
    if kind == "share":
        return _share(q, ranked, live, passages)
    if kind == "difference":
        return _difference(q, ranked, live, passages)
    if kind == "multiple":
        return _multiple(q, ranked)
    if kind == "sum":
        return _sum(q, ranked)
    if kind == "average":
        return _average(q, ranked, live)
    fitting = [f for _, f in ranked if fits_unit(q, f)]
    # A rate asked (by its unit, or by naming one: PMI) is derived from its level, never
    # from a change in percentage points.
    levels = [f for _, f in ranked if f.kind == "rate" and f.unit == "%"]
    best_is_rate = bool(ranked) and ranked[0][1].kind == "rate"
    if kind == "prior" and levels and (q.unit == "%" or q.unit is None and best_is_rate):
        change = change_of(levels[0], live)
        return before_change(levels[0], change) if change else None
    rate = rate_of(fitting[0], live) if fitting else None
    return prior(fitting[0], rate) if kind == "prior" and fitting and rate else None


# A change in percentage points follows its rate closely (增长4.7%，比一季度提高2.8个百分点).
_CHANGE_GAP = 20


def change_of(rate: Fact, live: list[Fact]) -> Fact | None:
    """The change in percentage points stated right after a rate, of its subject and period."""
    return next((c for c in live if c.unit == "pp" and c.doc_id == rate.doc_id
                 and c.subject == rate.subject and c.period == rate.period
                 and 0 <= c.start - rate.end <= _CHANGE_GAP), None)


def structure(live: list[Fact], passages: Sequence[Passage]) -> list[tuple[Fact, list[Fact]]]:
    """Total/parts pairs visible in the passages (text outside them reads as line breaks)."""
    texts: dict[str, list[str]] = {}
    for doc_id, start, end, text in passages:
        buf = texts.setdefault(doc_id, [])
        if len(buf) < end:
            buf.extend("\n" * (end - len(buf)))
        buf[start:end] = list(text[: end - start])
    return part_whole(live, {d: "".join(b) for d, b in texts.items()})


def _whole_of(part: Fact, live: list[Fact], passages: Sequence[Passage]) -> Fact | None:
    return next((t for t, parts in structure(live, passages) if part in parts), None)


def _share(q: FactQuery, ranked: list[tuple[float, Fact]], live: list[Fact],
           passages: Sequence[Passage]) -> Derivation | None:
    if not q.ordered:  # no part and whole said: the smaller of two named amounts is the part
        named = [f for s, f in ranked if f.kind == "quantity" and "/" not in f.unit
                 and _covered(q, f.metric) >= 0.6 and s >= MIN_SCORE][:2]
        if len(named) < 2 or named[0].unit != named[1].unit:
            return None
        small, big = sorted(named, key=lambda f: f.value)
        return share(small, big) if big.value else None
    inside = re.search(r"(.+?)(?:中|里|当中|之中)(?!国)(.+?)(?:所)?占", q.text)
    if inside and "在" not in inside.group(1):  # X中Y占多少: Y is the part, X the whole
        part = _best_for(inside.group(2), ranked)
        whole = _best_for(inside.group(1), ranked, part.unit, part) if part else None
        return share(part, whole) if part and whole and whole.value else None
    m = (re.search(r"(.+?)在(.+?)中(?:所)?占", q.text)
         or re.search(r"(.+?)占(.*?)(?:的)?(?:比例|比重|百分比|多少|几成|份额|%)", q.text)
         or re.search(r"(.+?)是(.+?)的(?:百分之|几成)", q.text)
         or re.search(r"(.+?)(?:承担|负担|贡献|出|拿|拨付)了?(.+?)的(?:百分之|几成|多少)", q.text))
    part = _best_for(m.group(1) if m else q.text, ranked)
    if part is None:
        return None
    whole = _best_for(m.group(2), ranked, part.unit, part, above=part.value) \
        if m and m.group(2) else None
    whole = whole or _whole_of(part, live, passages)
    return share(part, whole) if whole is not None and whole.value else None


def _multiple(q: FactQuery, ranked: list[tuple[float, Fact]]) -> Derivation | None:
    """A是B的多少倍 (相当于B的几倍): A ÷ B, two amounts of one unit."""
    m = re.search(r"(.+?)(?:是|相当于|为)(.+?)的(?:多少|几)倍", q.text)
    if m is None:
        return None
    a = _best_for(m.group(1), ranked)
    b = _best_for(m.group(2), ranked, a.unit, a) if a else None
    return multiple(a, b) if a and b and b.value else None


def _balance(q: FactQuery, ranked: list[tuple[float, Fact]]) -> tuple[Fact, Fact] | None:
    """结售汇逆差, 涉外收付款差额: a balance of a two-sided flow the question names, from its
    two sides stated in one document for one period (facts.toml [balances]). None when a
    fact states the balance itself (its own figure answers)."""
    if any(re.search("逆差|顺差|差额|净额", f.metric) for _, f in ranked[:3]):
        return None
    for flow, (one, other) in table("facts", "balances").items():
        if flow not in q.text:
            continue
        a = _best_for(one, ranked)
        b = _best_for(other, ranked, a.unit, a) if a else None
        if a and b and a.doc_id == b.doc_id and a.period == b.period:
            return a, b
    return None


def _difference(q: FactQuery, ranked: list[tuple[float, Fact]], live: list[Fact],
                passages: Sequence[Passage]) -> Derivation | None:
    pair = _by_subject(q, ranked) or _balance(q, ranked)
    m = re.search(r"(.+?)(?<![同环])比(?![例重率])(.+?)(?:多|少|高|低)", q.text)
    if pair is None and m:
        # 增速比…高多少个百分点 compares growth rates; otherwise amounts.
        kind = "rate" if q.unit == "%" else "quantity"
        first = _best_for(m.group(1), ranked, kind=kind)
        second = _best_for(m.group(2), ranked, first.unit, first, kind) if first else None
        pair = (_over_time(m.group(2), first, live) if first else None) or \
            (_elsewhere(m.group(2), first, ranked) if first else None) or \
            ((first, second) if first and second else None)
    if pair is not None:
        a, b = sorted(pair, key=lambda f: -f.value)
        return difference(a, b)
    rise = _rise_over_year(q, ranked, live)
    if rise is not None:
        return rise
    for whole, parts in structure(live, passages):
        for part in parts:
            if _mentions(q, whole) and _mentions(q, part) and whole is not part:
                return difference(whole, part)
    top = [f for s, f in ranked if f.kind == "quantity" and fits_unit(q, f)
           and s >= MIN_SCORE][:2]
    if len(top) == 2 and top[0].unit == top[1].unit:
        a, b = sorted(top, key=lambda f: -f.value)
        return difference(a, b)
    return None


def _elsewhere(side: str, first: Fact, ranked: list[tuple[float, Fact]]
               ) -> tuple[Fact, Fact] | None:
    """增速比全国水平低多少: a side naming only a place or the nation (with 水平, 平均) compares
    the same measure there: that place's fact of the first side's kind and unit whose metric
    is nearest the first's."""
    places = places_named(side)
    rest = re.sub("|".join(["水平", "平均", "的", *places, *(p + "省" for p in places),
                            *(p + "市" for p in places)]), "", side) if places else side
    if not places or rest.strip():
        return None
    others = [f for _, f in ranked if f.kind == first.kind and f.unit == first.unit
              and f is not first and not other_place(places, f)]
    if not others:
        return None
    near = max(others, key=lambda f: len(bigrams(_rates_alike(f.metric))
                                         & bigrams(_rates_alike(first.metric))))
    return first, near


def _rates_alike(metric: str) -> str:
    """增速 and 增长 name one rate (GDP增速, 地区生产总值同比增长)."""
    return metric.replace("增速", "增长")


def _over_time(side: str, first: Fact, live: list[Fact]) -> tuple[Fact, Fact] | None:
    """净利润比2022年上半年多多少 (or 比一季度: that period of the same year): a side naming
    only a time compares the same measure of the same subject then (the same part of that
    year); a measure stated both times in a narrower wording (归属于上市公司股东的净利润) is
    compared in that wording."""
    years = [int(y) for y in re.findall(r"(\d{4})年", side)]
    words = re.sub(r"\d{4}年|同期|上半年|下半年|全年|[一二三四]季度|\d+月份?|的", "", side)
    if bigrams(words) & bigrams(first.metric):
        return None
    key = then_key = period_key(first.period)
    periods = stated_periods(side)
    if not years and len(periods) == 1 and key not in periods:
        # 上半年地区生产总值比一季度多多少: the same measure in the period named, same year
        years, then_key = [year_of(first.period) or 0], next(iter(periods))
    if len(years) != 1:
        return None

    def same(f: Fact, metric: str, year: int | None, at: str | None) -> bool:
        return (f.subject == first.subject and f.unit == first.unit and f.kind == first.kind
                and year_of(f.period) == year and period_key(f.period) == at
                and (f.metric == metric or f.metric.endswith(metric)))

    then = sorted((f for f in live if same(f, first.metric, years[0], then_key)),
                  key=lambda f: f.metric != first.metric)
    for earlier in then:
        now = next((f for f in live if f.metric == earlier.metric
                    and same(f, earlier.metric, year_of(first.period), key)), None)
        if now is not None:
            return now, earlier
    return None


def from_cumulative(q: FactQuery, ranked: list[tuple[float, Fact]],
                    live: list[Fact]) -> Derivation | None:
    """二季度单季 (7月份) asked, and only running totals stated: the total to its end less
    the total before it (上半年 − 一季度; 1-7月 − 1-6月), the same measure of one year."""
    asked = [k for k in q.periods if re.fullmatch(r"\d+-\d+", k)]
    if len(asked) != 1 or not ranked:
        return None
    first, last = (int(x) for x in asked[0].split("-"))
    if first == 1 or any(period_key(f.period) == asked[0] for _, f in ranked):
        return None
    for _, total_ in ranked:
        if total_.kind != "quantity" or period_key(total_.period) != f"1-{last}":
            continue
        before = next((f for f in live if f.kind == "quantity" and f.metric == total_.metric
                       and f.subject == total_.subject and f.unit == total_.unit
                       and year_of(f.period) == year_of(total_.period)
                       and period_key(f.period) == f"1-{first - 1}"), None)
        if before is not None:
            return period_part(total_, before)
    return None


def _rise_over_year(q: FactQuery, ranked: list[tuple[float, Fact]],
                    live: list[Fact]) -> Derivation | None:
    """比2009年多了多少: the best fact is of the next year and states its growth rate."""
    fitting = [f for s, f in ranked if f.kind == "quantity" and fits_unit(q, f)
               and s >= MIN_SCORE]
    if not q.years or not fitting:
        return None
    best = fitting[0]
    year, rate = year_of(best.period), rate_of(best, live)
    if year is None or rate is None or year - 1 not in q.years:
        return None
    if any(year_of(f.period) == year - 1 and f.metric == best.metric for f in fitting):
        return None  # the report states the earlier year itself: a plain difference
    return increase(best, rate)


def _by_subject(q: FactQuery, ranked: list[tuple[float, Fact]]) -> tuple[Fact, Fact] | None:
    """Two subjects named (IBM先锋基地比江西IT基地…): the best fact of each, same metric."""
    if len(q.named) != 2:
        return None
    best: dict[str, Fact] = {}
    for _, f in ranked:
        if fits_unit(q, f) and f.subject not in best:
            best[f.subject] = f
    a, b = (best.get(s) for s in q.named)
    if a is None or b is None or a.metric != b.metric or a.unit != b.unit:
        return None
    return a, b


def _covered(q: FactQuery, text: str) -> float:
    """Share of the text's characters inside a bigram the question has (合同 执行 金额 cover
    6 of 接包合同执行金额's 8)."""
    hit = {i + k for i in range(len(text) - 1) if text[i : i + 2] in q.content for k in (0, 1)}
    return len(hit) / len(text) if text else 0.0


def _mentions(q: FactQuery, f: Fact) -> bool:
    metric = bigrams(f.metric)
    return bool(metric) and len(metric & q.content) / len(metric) >= 0.5


def _sum(q: FactQuery, ranked: list[tuple[float, Fact]]) -> Derivation | None:
    """Facts of one unit that score close to the best (396人 and 188人 of 补助人数)."""
    fitting = [(s, f) for s, f in ranked if fits_unit(q, f)]
    if not fitting or fitting[0][0] < MIN_SCORE:
        return None
    top, unit = fitting[0][0], fitting[0][1].unit
    group = [f for s, f in fitting if f.unit == unit and s >= 0.75 * top]
    keys = {(f.subject, f.metric, f.period) for f in group}
    group.sort(key=lambda f: (f.doc_id, f.start))
    return total(group) if len(group) >= 2 and len(keys) == len(group) else None


def _average(q: FactQuery, ranked: list[tuple[float, Fact]],
             live: list[Fact]) -> Derivation | None:
    m = re.search(r"每([^\W\d])", q.text)
    per = COUNTER_UNITS.get(m.group(1), "人") if m else "户" if "户均" in q.text else "人"
    if any(f.unit.endswith(f"/{per}") for _, f in ranked[:3]):
        return None  # the report states the per-unit figure itself (补助标准)
    amount = next((f for s, f in ranked if f.kind == "quantity" and f.unit != per
                   and "/" not in f.unit and s >= MIN_SCORE), None)
    if amount is None:
        return None
    # The counts stated in the amount's own sentence come first (8家企业…共867.85万元).
    near = [f for f in live if f.doc_id == amount.doc_id and f.period == amount.period
            and 0 < amount.start - f.start < 120 and f.unit == per and f.kind == "quantity"]
    count = next((f for s, f in ranked if f.kind == "quantity" and f.unit == per
                  and f is not amount), None) if not near else near[0]
    if count is None:
        return None
    # 8家企业、8家培训机构…共867.85万元: every count listed with the first is a divisor.
    listed = sorted((f for f in [*near, *(g for _, g in ranked)]
                     if f.unit == per and f.doc_id == count.doc_id
                     and f.period == count.period and f.subject == count.subject
                     and abs(f.start - count.start) < 30 and f.start < amount.start),
                    key=lambda f: f.start)
    counts = list(dict.fromkeys(listed)) if count in listed else [count]
    total_count = sum(f.value for f in counts)
    return average(amount, *counts) if total_count else None


def prior_by_year(q: FactQuery, ranked: list[tuple[float, Fact]],
                   live: list[Fact]) -> Derivation | None:
    """Asked for the year before the best-matching fact's, which has a growth rate: derive.

    ``ranked`` ignores periods, so a fact of the asked year only wins by naming the metric
    better (2009年新增服务外包企业: 新增… of 2010 with 同比增长, not 服务外包企业 of 2009).
    """
    fitting = [(s, f) for s, f in ranked if f.kind == "quantity" and fits_unit(q, f)]
    if not q.years or not fitting or fitting[0][0] < MIN_SCORE:
        return None
    score, best = fitting[0]
    year = year_of(best.period)
    rate = rate_of(best, live)
    if year is None or year in q.years or year - 1 not in q.years or rate is None:
        return None
    same_year = [s for s, f in fitting if year_of(f.period) in q.years]
    if same_year and same_year[0] >= score - 0.05:
        return None
    return prior(best, rate)

