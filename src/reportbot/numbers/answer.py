"""Numeric answers from the fact table: the fact a question asks for, or a derivation of facts.

The question's words choose the subject (named in it), the unit (多少人 vs 多少家), the period
(its years) and the metric (bigram overlap with the fact's metric and sentence); only facts
inside the retrieved passages are considered, so retrieval decides which statements are in
play and this module decides which number answers.

FactQuery analysis lives in numeric_question, the choice of derivation in numeric_derive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportbot.language.asking import asked_unit, asks_figure, derivation_kind
from reportbot.language.quantities import format_value
from reportbot.language.terms import CHANGE_WORDS, present
from reportbot.language.text import split_sentences
from reportbot.language.vocabulary import load, words
from reportbot.numbers.crosscheck import (
    Derivation,
    bigrams,
    check_numbers,
)
from reportbot.numbers.derive import derive_asked, from_cumulative, prior_by_year, structure
from reportbot.numbers.matching import (
    ABBREVIATIONS,
    MIN_SCORE,
    FactQuery,
    Passage,
    fact_query,
    fits_unit,
    in_passages,
    rank,
    rate_of,
)
from reportbot.records import DocRange, Fact, NumberCheck

__all__ = ["NumericAnswer", "answer_numeric"]




@dataclass(frozen=True)
class NumericAnswer:
    """A short answer built from facts: text, the fact spans to cite, and its number checks."""

    text: str
    spans: tuple[DocRange, ...]
    numbers: tuple[NumberCheck, ...]
    facts: tuple[Fact, ...]
    kind: str = "direct"  # direct | extreme | share | sum | difference | prior | average
    formula: str = ""


_ASK_PARTS = re.compile(r"[、，,；;]")
# The words of a stated change (比一季度提高…): what follows 比 up to one names the period.
_CHANGE_WORDS = "|".join(words("facts", "change_rise") + words("facts", "change_decline"))


def answer_numeric(question: str, passages: list[Passage], store_facts: list[Fact],
                   word_order: bool = True) -> NumericAnswer | None:
    """Answer a quantity question from the facts in the retrieved passages, or None.

    ``word_order=False`` for a question put together from words (an English question in the
    report's Chinese words): its last word is then no head noun, A占B no part and whole.
    A question asking two things (补助了多少人、拨了多少钱) gets both, or None.
    """
    asks = [p for p in _ASK_PARTS.split(question) if asks_figure(p)]
    units = [asked_unit(p) for p in asks]
    if len(asks) >= 2 and len(set(units)) == len(units) and None not in units:
        parts = [_answer_one(question, passages, store_facts, word_order, u) for u in units]
        if any(a is None for a in parts):
            return None
        return _joined([a for a in parts if a is not None])
    return _answer_one(question, passages, store_facts, word_order)


def _joined(parts: list[NumericAnswer]) -> NumericAnswer:
    lead = parts[0].text.split("，")[0] + "，"  # 2009年度，… said once
    text = "；".join(a.text.rstrip("。").removeprefix(lead) if i else a.text.rstrip("。")
                    for i, a in enumerate(parts)) + "。"
    kinds = {a.kind for a in parts}
    return NumericAnswer(text, tuple(s for a in parts for s in a.spans),
                         tuple(n for a in parts for n in a.numbers),
                         tuple(f for a in parts for f in a.facts),
                         kinds.pop() if len(kinds) == 1 else "derived",
                         "；".join(a.formula for a in parts if a.formula))


def _answer_one(question: str, passages: list[Passage], store_facts: list[Fact],
                word_order: bool, unit: str | None = None) -> NumericAnswer | None:
    if not asks_figure(question):
        return None
    live = [f for f in store_facts if f.overridden_by is None]
    pool = in_passages(passages, live) if passages else {f.fact_id: (0, f.metric)
                                                          for f in live}
    facts = [f for f in live if f.fact_id in pool]
    if not facts:
        return None
    q = fact_query(question, facts, live)
    if unit is not None:
        q = replace(q, unit=unit)
    if not word_order:
        q = replace(q, head="", ordered=False)
    ranked = rank(q, q.content, facts, pool)
    kind = derivation_kind(question)
    # 上年同期…是多少 works the earlier year out from this year's figures: not held to it
    # 人身险公司…占全部…的比重: the whole is another subject's figure than the part's
    inputs = rank(replace(q, years=()), q.content, facts, pool) if kind == "prior" else \
        rank(replace(q, named=()), q.content, facts, pool) if kind == "share" else ranked
    derived = derive_asked(kind, q, inputs, live, passages) if kind else None
    derived = derived or prior_by_year(q, rank(q, q.content, facts, pool, False), live) \
        or from_cumulative(q, rank(q, q.content, facts, pool, False), live)
    if derived is not None and len({f.doc_id for f in derived.inputs}) > 1 \
            and len(q.places) < 2:
        derived = None  # a figure worked out of two documents mixes their subjects
    if derived is not None:
        stated = _stated_remainder(derived, live, passages)
        if stated is not None:
            return stated
        return _from_derivation(derived, live)
    # 补助了多少人、拨付了多少钱: the question's head names one part only; each part is held
    # to the sentence around its figure, as before
    return _extreme(q, ranked, live, pool, passages) or \
        _direct(q, ranked, live, kind, pool, passages if unit is None else ())


# 哪个行业增长最快, 哪类…更多 (no pair named): the item of a list stated in one sentence whose
# figure is the highest (最快, 最高) or the lowest (最慢, 最低).
_OPPOSITES = [(str(a), str(b)) for a, b in load("asking")["compare_opposites"]]
_LOW = "".join(b for _, b in _OPPOSITES)
_EXTREME = re.compile("[最更]([" + "".join(a + b for a, b in _OPPOSITES) + "])")


def _extreme(q: FactQuery, ranked: list[tuple[float, Fact]], live: list[Fact],
             pool: dict[int, tuple[int, str]], passages: Sequence[Passage]
             ) -> NumericAnswer | None:
    """哪个…最快/最高: among the figures one sentence states for several items (the first
    such sentence of the best-matching facts), the highest or lowest, with its item."""
    m = _EXTREME.search(q.text)
    if m is None or not re.search(r"哪|什么", q.text):
        return None
    groups: list[list[Fact]] = []
    for _, top in ranked[:8]:
        sentence = pool.get(top.fact_id, (0, ""))[1]
        group = [f for _, f in ranked if f.kind == top.kind and f.unit == top.unit
                 and pool.get(f.fact_id, (0, ""))[1] == sentence and fits_unit(q, f)]
        if len({f.value for f in group}) >= 2 and group not in groups:
            groups.append(group)
    if not groups:
        return None
    # The list the question frames (高技术制造业中…): its sentence with the one before it.
    best = max(groups, key=lambda g: len(q.content & bigrams(_lead_in(g[0], passages))))
    f = (min if m.group(1) in _LOW else max)(best, key=lambda g: g.value)
    text = (f"{f.period}，{f.subject}{f.metric}{format_value(f.value, f.unit)}，"
            f"在所列各项中最{m.group(1)}。")
    return _answer(text, (f,), live, "extreme", "")


def _said_before(f: Fact, passages: Sequence[Passage]) -> str:
    """A fact's sentence up to its figure and the rest of its own clause (10家服务外包人才
    机构: a count's noun follows it), not the clauses after (no passage holding it: '')."""
    found = _holding(f, passages)
    if found is None:
        return ""
    text, at, to = found
    left = max(text.rfind(m, 0, at) for m in "；;。！？") + 1
    right = min((i for m in "，,；;。！？" if (i := text.find(m, to)) >= 0), default=len(text))
    return text[left:right]


def _lead_in(f: Fact, passages: Sequence[Passage]) -> str:
    """A fact's sentence up to it, with the sentence before it in its passage (…高技术制造业
    实现工业总产值…。其中，A、B和C分别增长…)."""
    found = _holding(f, passages)
    if found is None:
        return f.metric
    text, at, _ = found
    spans = [x for x in split_sentences(text) if x.start <= at]
    first = spans[-2].start if len(spans) >= 2 else 0
    return text[first:at]


def _holding(f: Fact, passages: Sequence[Passage]) -> tuple[str, int, int] | None:
    """The text of the first passage holding a fact, with the fact's offsets in it."""
    for doc_id, start, end, text in passages:
        if doc_id == f.doc_id and start <= f.start < end:
            return text, f.start - start, f.end - start
    return None


def _stated_remainder(d: Derivation, live: list[Fact],
                      passages: Sequence[Passage]) -> NumericAnswer | None:
    """剩下的部分: total − part is another part the report states (县(区)级财政拨付351万元);
    answer with that fact, the subtraction shown as its check."""
    if d.kind != "difference":
        return None
    whole, part = d.inputs
    for total_, parts in structure(live, passages):
        if total_ is not whole or part not in parts:
            continue
        rest = [f for f in parts if f is not part and f.unit == d.unit
                and abs(f.value - d.value) <= 1e-9 * max(1.0, abs(d.value))]
        if len(rest) == 1:
            f = rest[0]
            text = (f"{f.period}，{f.subject}{f.metric}为{format_value(f.value, f.unit)}"
                    f"（{d.formula}）。")
            return _answer(text, (f, whole, part), live, "direct", "", d)
    return None


def _direct(q: FactQuery, ranked: list[tuple[float, Fact]], live: list[Fact],
            kind: str | None, pool: dict[int, tuple[int, str]],
            passages: Sequence[Passage]) -> NumericAnswer | None:
    """The best fact of the asked unit, with its growth rate, and any fact named alongside.

    The question's head noun (its last word: 产值 in 服务外包产值是多少) must appear in the
    fact's metric or its sentence before it, so a figure for a neighbouring metric of the
    same sentence (成交套数10.8万套，…成交均价每平方米40080元: 均价 asked) is never passed off.
    """
    fitting = [(s, f) for s, f in ranked if fits_unit(q, f)
               and present(q.head, f.metric + (_said_before(f, passages)
                                               if passages and q.head not in CHANGE_WORDS
                                               else pool.get(f.fact_id, (0, ""))[1]))
               and _names_measure(q, f.metric + pool.get(f.fact_id, (0, ""))[1])]
    if kind == "share":  # a growth rate is no answer to a share question
        fitting = [(s, f) for s, f in fitting if re.search(r"占|比重|比例|份额", f.metric)]
    if not fitting or fitting[0][0] < MIN_SCORE:
        return None
    f = _narrowest(q, fitting, live, passages)
    base = next((g for g in live if g.fact_id == f.qualifies), None) \
        if f.kind == "rate" and f.qualifies else None
    if base is not None:  # a growth rate is said with the figure it qualifies
        f, fitting = base, [(s, g) for s, g in fitting if g is not f]
    # Of the figure's rates, the one the question names best (同比下降 asked: not 环比).
    rate = next((g for _, g in ranked if g.kind == "rate" and g.qualifies == f.fact_id),
                rate_of(f, live)) if f.kind == "quantity" else None
    also = [g for _, g in fitting[1:] if _alongside(q, f, g)]
    parts = [f"{g.metric}{'' if g.kind == 'rate' else '为'}{format_value(g.value, g.unit)}"
             for g in sorted((f, *also), key=lambda g: g.start)]
    text = f"{f.period}，{f.subject}" + "，".join(parts)
    if rate is not None:
        phrase = rate.metric.removeprefix(f.metric)
        text += f"，{phrase}{format_value(abs(rate.value), rate.unit)}"
    used = (f, *also) if rate is None else (f, *also, rate)
    return _answer(text + "。", used, live, "direct", "")


def _names_measure(q: FactQuery, said: str) -> bool:
    """A standard abbreviation the question measures by (GDP, CPI) must be said of the fact
    (as itself or the name it stands for): 规模以上工业增加值增速 is no GDP growth."""
    low = said.lower()
    return all(short in low or any(n in said for n in names)
               for short, names in ABBREVIATIONS if short in q.text.lower())


def _narrowest(q: FactQuery, fitting: list[tuple[float, Fact]], live: list[Fact],
               passages: Sequence[Passage]) -> Fact:
    """县区一级财政承担了多少兑现资金: the part the question narrows the whole to.

    The best match is a total and the question also names what sets one of its parts apart
    (words of the part's metric that the total's lacks): the part answers.
    """
    top_score, top = fitting[0]
    for whole, parts in structure(live, passages):
        if whole is not top:
            continue
        for score, f in fitting[1:]:
            own = bigrams(f.metric) - bigrams(whole.metric)
            if f in parts and score >= top_score - 0.15 and len(own & q.content) >= 2:
                return f
    return top


def _alongside(q: FactQuery, f: Fact, g: Fact) -> bool:
    """企业和培训机构: a second fact of the same statement whose metric the question names."""
    return (g.unit == f.unit and g.subject == f.subject and g.period == f.period
            and g.metric != f.metric and abs(g.start - f.start) < 80
            and bigrams(g.metric) <= q.content and bigrams(f.metric) <= q.content)


def _answer(text: str, used: Sequence[Fact], live: list[Fact], kind: str,
            formula: str, derivation: Derivation | None = None) -> NumericAnswer:
    # A growth rate is cited with the figure it qualifies (188家, 同比增长43.51%).
    by_id = {f.fact_id: f for f in live}
    cited: list[Fact] = []
    for f in used:
        base = by_id.get(f.qualifies) if f.kind == "rate" and f.qualifies else None
        cited.extend(g for g in (base, f) if g is not None and g not in cited)
    spans = tuple((f.doc_id, f.start, f.end) for f in cited)
    known = [derivation] if derivation is not None else []
    numbers = tuple(check_numbers(text, live, list(spans), known))
    return NumericAnswer(text, spans, numbers, tuple(used), kind, formula)


def _label(facts: Sequence[Fact]) -> str:
    subjects = list(dict.fromkeys(f.subject for f in facts))
    metrics = list(dict.fromkeys(f.metric for f in facts))
    if len(metrics) == 1:
        return "、".join(subjects) + metrics[0]
    if len(subjects) == 1:
        return subjects[0] + "、".join(metrics)
    return "、".join(f.subject + f.metric for f in facts)


def _from_derivation(d: Derivation, live: list[Fact]) -> NumericAnswer:
    a, b = d.inputs[0], d.inputs[-1]
    about = "约为" if "≈" in d.formula else "为"
    if d.kind == "share":
        text = f"{a.metric}占{b.metric}的比例{about}{d.text}"
    elif d.kind == "sum":
        text = f"{_label(d.inputs)}合计{d.text}"
    elif d.kind == "period_part":
        part = re.sub(r"^\d{4}年", "", b.period)
        text = f"{a.period}减去{part}，{a.subject}{a.metric}{about}{d.text}"
    elif d.kind == "multiple":
        text = f"{a.metric}{'约' if '≈' in d.formula else ''}是{b.metric}的{d.text}"
    elif d.kind == "difference":
        names = [f.period + f.metric if a.metric == b.metric and a.subject == b.subject
                 else f.metric if a.subject == b.subject else f.subject + f.metric
                 for f in (a, b)]  # the same measure at two times: named by its time
        gap = (f"{format_value(d.value, '')}个百分点" if a.kind == "rate" else d.text)
        text = f"{names[0]}与{names[1]}相差{gap}"
    elif d.kind == "increase":
        period = re.sub(r"^\d{4}", lambda m: str(int(m.group(0)) - 1), a.period)
        growth = b.metric.removeprefix(a.metric) or "增长"
        text = (f"按{growth}{format_value(abs(b.value), '%')}推算，{a.period}{a.subject}"
                f"{a.metric}比{period}多{about.removesuffix('为')}{d.text}")
    elif d.kind == "before_change":
        earlier = re.search(rf"比(.+?)(?:{_CHANGE_WORDS})", b.metric)
        when = earlier.group(1) if earlier else "此前"
        text = (f"按{a.period}{format_value(a.value, '%')}、{b.metric}"
                f"{format_value(abs(b.value), 'pp')}推算，{when}{a.subject}{a.metric}{about}"
                f"{d.text}")
    elif d.kind == "prior":
        period = re.sub(r"^\d{4}", lambda m: str(int(m.group(0)) - 1), a.period)
        growth = b.metric.removeprefix(a.metric) or "增长"
        text = (f"按{growth}{format_value(abs(b.value), '%')}推算，{period}{a.subject}"
                f"{a.metric}{about}{d.text}")
    else:
        text = f"平均每{b.unit}{a.metric}{about}{d.text}"
    return _answer(f"{text}（{d.formula}）。", d.inputs, live, d.kind, d.formula, d)

