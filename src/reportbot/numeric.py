"""Numeric answers from the fact table: the fact a question asks for, or a derivation of facts.

The question's words choose the subject (named in it), the unit (多少人 vs 多少家), the period
(its years) and the metric (bigram overlap with the fact's metric and sentence); only facts
inside the retrieved passages are considered, so retrieval decides which statements are in
play and this module decides which number answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .consistency import part_whole
from .crosscheck import (
    Derivation,
    average,
    bigrams,
    check_numbers,
    common_part,
    derivation_kind,
    difference,
    increase,
    is_money,
    mentioned_subjects,
    prior,
    share,
    total,
)
from .lexical import tokenize
from .quantities import COUNTER_UNITS, TIME_KINDS, base_unit, format_value, parse_quantities
from .questions import present
from .records import Fact, NumberCheck

Passage = tuple[str, int, int, str]
Span = tuple[str, int, int]

_ASKS = re.compile(r"多少|几[个家人项次名位批所届种]?|多大|多高|多长|占比|比例|比重|百分之几|"
                   r"百分比|合计|一共|总共|共计|总计|总额|差额|相差|之差|增长前|增长率|增幅|增速|"
                   r"how many|how much|what share|what percent", re.I)
# A counter said right after 多少/几 names the unit outright (按增幅倒推…多少家 asks 家).
_COUNTED = (
    ("家", re.compile(r"(?:多少|几)家")),
    ("人", re.compile(r"(?:多少|几)(?:个)?[人名位]")),
    ("项", re.compile(r"(?:多少|几)项")),
    ("次", re.compile(r"(?:多少|几)次")),
    ("%", re.compile(r"(?:多少|几)个百分点")),
)
_UNIT_WORDS = (
    ("%", re.compile(r"百分之|百分比|比例|比重|占比|增长率|增幅|增速|增长了?多少|几成|%")),
    ("家", re.compile(r"家数")),  # 新增从业人数的增长率 asks %, 人数是多少 asks 人
    ("人", re.compile(r"人数")),
    ("个", re.compile(r"(?:多少|几)个")),
    ("money", re.compile(r"多少(?:万|亿)?(?:美)?元|多少钱")),
)
# Otherwise the later of a person word and a money word is the head noun: 多少学员补贴 asks
# money, 资金支持了多少学员 asks people.
_HEAD_WORDS = (
    ("人", re.compile(r"(?:多少|几)[^，。？?]{0,10}?(?:人员|学员|员工|职工|人才)|"
                     r"(?:人员|学员|员工|职工|人才)[^，。？?]{0,6}?(?:多少|几)")),
    ("money", re.compile(r"金额|资金|经费|补贴|拨款|万元|亿元|美元")),
)
_ASK_NOISE = re.compile(r"(?:多少|几)[个家人项次名位批所届种]?|请问|是|吗|呢|的|了|有|为|共|一共|"
                        r"合计|总共|共计|总计|分别|大约|大概|左右|约|哪些|什么|平均|人均|户均|每[人家个项次]|"
                        r"钱|百分之|百分比|"
                        r"[？?，,。！!]")
_PER_WORDS = re.compile(r"每|人均|户均|平均")
_SENTENCE_MARKS = "。！？；!?;\n"
_MIN_SCORE = 0.3
_MIN_EVIDENCE = 0.2


@dataclass(frozen=True)
class NumericAnswer:
    """A short answer built from facts: text, the fact spans to cite, and its number checks."""

    text: str
    spans: tuple[Span, ...]
    numbers: tuple[NumberCheck, ...]
    facts: tuple[Fact, ...]
    kind: str = "direct"  # direct | share | sum | difference | prior | average
    formula: str = ""


@dataclass(frozen=True)
class _Question:
    text: str
    content: frozenset[str]
    unit: str | None
    years: tuple[int, ...]
    named: tuple[str, ...]
    per: bool  # asks a per-unit figure (每人, 人均): 元/人 facts may answer it
    head: str  # the last word of what is asked about (Chinese puts the head noun last)
    ordered: bool = True  # word order carries meaning (A占B: A is the part)


def asks_quantity(question: str) -> bool:
    """Does the question ask for a number (多少, 几, 占比, 合计, how many…)?"""
    return _ASKS.search(question) is not None


# 按增幅倒推 / 根据增速推算: the rate is the means, not what is asked.
_BY_RATE = re.compile(r"(?:按|根据|依据|按照|用)(?:同比)?(?:增速|增幅|增长率|增长幅度)")


def asked_unit(question: str) -> str | None:
    """The unit the question wants: 人, 家, 个, 项, 次, % or 'money'; None if not said."""
    question = _BY_RATE.sub(" ", question)
    for unit, pattern in (*_COUNTED, *_UNIT_WORDS):
        if pattern.search(question):
            return unit
    heads = [(m.end(), unit) for unit, pattern in _HEAD_WORDS
             for m in pattern.finditer(question)]
    return max(heads)[1] if heads else None


_ASK_PARTS = re.compile(r"[、，,；;]")


def answer_numeric(question: str, passages: list[Passage], store_facts: list[Fact],
                   word_order: bool = True) -> NumericAnswer | None:
    """Answer a quantity question from the facts in the retrieved passages, or None.

    ``word_order=False`` for a question put together from words (an English question in the
    report's Chinese words): its last word is then no head noun, A占B no part and whole.
    A question asking two things (补助了多少人、拨了多少钱) gets both, or None.
    """
    asks = [p for p in _ASK_PARTS.split(question) if asks_quantity(p)]
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
    if not asks_quantity(question):
        return None
    live = [f for f in store_facts if f.overridden_by is None]
    pool = _in_passages(passages, live) if passages else {f.fact_id: (0, f.metric)
                                                          for f in live}
    facts = [f for f in live if f.fact_id in pool]
    if not facts:
        return None
    q = _analyse(question, facts, live)
    if unit is not None:
        q = replace(q, unit=unit)
    if not word_order:
        q = replace(q, head="", ordered=False)
    ranked = _rank(q, q.content, facts, pool)
    kind = derivation_kind(question)
    derived = _derived(kind, q, ranked, live, passages) if kind else None
    derived = derived or _prior_by_year(q, _rank(q, q.content, facts, pool, False), live)
    if derived is not None:
        stated = _stated_remainder(derived, live, passages)
        if stated is not None:
            return stated
        return _from_derivation(derived, live)
    return _direct(q, ranked, live, kind, pool, passages)


def _stated_remainder(d: Derivation, live: list[Fact],
                      passages: Sequence[Passage]) -> NumericAnswer | None:
    """剩下的部分: total − part is another part the report states (县(区)级财政拨付351万元);
    answer with that fact, the subtraction shown as its check."""
    if d.kind != "difference":
        return None
    whole, part = d.inputs
    for total_, parts in _structure(live, passages):
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


def _in_passages(passages: Sequence[Passage], facts: list[Fact]) -> dict[int, tuple[int, str]]:
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


def _analyse(question: str, facts: list[Fact], live: list[Fact]) -> _Question:
    # Spaces out: a question put together from words still names 江西 IT … as 江西IT….
    named = tuple(s for s in mentioned_subjects(question.replace(" ", ""), live)
                  if any(f.subject == s for f in facts))
    years = tuple(int(q.value) for q in parse_quantities(question)
                  if q.kind in TIME_KINDS and "年" in q.text)
    words = question
    for q in parse_quantities(question):
        words = words.replace(q.text, " ")
    for s in named:
        words = words.replace(common_part(s, question), " ")
    words = _ASK_NOISE.sub(" ", words)
    runs = re.findall(r"[A-Za-z\u4e00-\u9fff]+", words)
    words_of_last = [w for w in tokenize(runs[-1]) if len(w) > 1] if runs else []
    head = words_of_last[-1] if words_of_last else ""
    return _Question(question, frozenset(bigrams(words)), asked_unit(question), years, named,
                     _PER_WORDS.search(question) is not None, head)


def _year(period: str) -> int | None:
    m = re.match(r"(\d{4})", period)
    return int(m.group(1)) if m else None


def _rank(q: _Question, content: frozenset[str], facts: list[Fact],
          pool: dict[int, tuple[int, str]], use_period: bool = True) -> list[tuple[float, Fact]]:
    """Facts of the named subjects, best first: metric overlap (recall-weighted), sentence,
    period and passage rank."""
    scored = []
    for f in facts:
        if q.named and f.subject not in q.named:
            continue
        metric = bigrams(f.metric)
        hit = len(metric & content)
        p, r = (hit / len(metric), hit / len(content)) if hit else (0.0, 0.0)
        f2 = 5 * p * r / (4 * p + r) if hit else 0.0
        rank, sentence = pool.get(f.fact_id, (len(pool), f.metric))
        in_sentence = len(content & bigrams(sentence)) / len(content) if content else 0.0
        evidence = f2 + 0.5 * in_sentence
        if evidence < _MIN_EVIDENCE:
            continue  # nothing the question says points at this fact; period and rank can't
        score = evidence + 0.1 / (1 + rank)
        year = _year(f.period)
        if use_period and q.years and year is not None:
            score += 0.3 if year in q.years else -0.5
        scored.append((score, f))
    return sorted(scored, key=lambda s: (-s[0], s[1].fact_id))


def _fits_unit(q: _Question, f: Fact) -> bool:
    """Is the fact of the kind and unit the question asks for?"""
    if "/" in f.unit and not q.per:
        return False
    if q.unit is None:
        return f.kind == "quantity"
    if q.unit == "%":
        return f.kind == "rate"
    if q.unit == "money":
        return f.kind == "quantity" and is_money(f.unit)
    return f.kind == "quantity" and base_unit(f.unit) == q.unit


def _rate_of(f: Fact, live: list[Fact]) -> Fact | None:
    return next((r for r in live if r.kind == "rate" and r.qualifies == f.fact_id), None)


def _direct(q: _Question, ranked: list[tuple[float, Fact]], live: list[Fact],
            kind: str | None, pool: dict[int, tuple[int, str]],
            passages: Sequence[Passage]) -> NumericAnswer | None:
    """The best fact of the asked unit, with its growth rate, and any fact named alongside.

    The question's head noun (its last word: 产值 in 服务外包产值是多少) must appear in the
    fact's metric or sentence, so a figure for a neighbouring metric is never passed off.
    """
    fitting = [(s, f) for s, f in ranked if _fits_unit(q, f)
               and present(q.head, f.metric + pool.get(f.fact_id, (0, ""))[1])]
    if kind == "share":  # a growth rate is no answer to a share question
        fitting = [(s, f) for s, f in fitting if re.search(r"占|比重|比例|份额", f.metric)]
    if not fitting or fitting[0][0] < _MIN_SCORE:
        return None
    f = _narrowest(q, fitting, live, passages)
    base = next((g for g in live if g.fact_id == f.qualifies), None) \
        if f.kind == "rate" and f.qualifies else None
    if base is not None:  # a growth rate is said with the figure it qualifies
        f, fitting = base, [(s, g) for s, g in fitting if g is not f]
    rate = _rate_of(f, live) if f.kind == "quantity" else None
    also = [g for _, g in fitting[1:] if _alongside(q, f, g)]
    parts = [f"{g.metric}{'' if g.kind == 'rate' else '为'}{format_value(g.value, g.unit)}"
             for g in sorted((f, *also), key=lambda g: g.start)]
    text = f"{f.period}，{f.subject}" + "，".join(parts)
    if rate is not None:
        phrase = rate.metric.removeprefix(f.metric)
        text += f"，{phrase}{format_value(abs(rate.value), rate.unit)}"
    used = (f, *also) if rate is None else (f, *also, rate)
    return _answer(text + "。", used, live, "direct", "")


def _narrowest(q: _Question, fitting: list[tuple[float, Fact]], live: list[Fact],
               passages: Sequence[Passage]) -> Fact:
    """县区一级财政承担了多少兑现资金: the part the question narrows the whole to.

    The best match is a total and the question also names what sets one of its parts apart
    (words of the part's metric that the total's lacks): the part answers.
    """
    top_score, top = fitting[0]
    for whole, parts in _structure(live, passages):
        if whole is not top:
            continue
        for score, f in fitting[1:]:
            own = bigrams(f.metric) - bigrams(whole.metric)
            if f in parts and score >= top_score - 0.15 and len(own & q.content) >= 2:
                return f
    return top


def _alongside(q: _Question, f: Fact, g: Fact) -> bool:
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


def _best_for(phrase: str, ranked: list[tuple[float, Fact]], unit: str | None = None,
              exclude: Fact | None = None, kind: str = "quantity") -> Fact | None:
    """The fact whose metric best matches a phrase of the question (A占B: A, then B)."""
    want = bigrams(_ASK_NOISE.sub(" ", phrase))
    best: tuple[float, Fact] | None = None
    for _, f in ranked:
        if f.kind != kind or f is exclude or (unit and f.unit != unit) or "/" in f.unit:
            continue
        metric = bigrams(f.metric)
        hit = len(metric & want)
        score = 2 * hit / (len(metric) + len(want)) if hit else 0.0
        if score >= 0.15 and (best is None or score > best[0]):
            best = (score, f)
    return best[1] if best else None


def _derived(kind: str, q: _Question, ranked: list[tuple[float, Fact]], live: list[Fact],
             passages: Sequence[Passage]) -> Derivation | None:
    quantities = [f for _, f in ranked if f.kind == "quantity"]
    if not quantities:
        return None
    if kind == "share":
        return _share(q, ranked, live, passages)
    if kind == "difference":
        return _difference(q, ranked, live, passages)
    if kind == "sum":
        return _sum(q, ranked)
    if kind == "average":
        return _average(q, ranked, live)
    fitting = [f for _, f in ranked if _fits_unit(q, f)]
    rate = _rate_of(fitting[0], live) if fitting else None
    return prior(fitting[0], rate) if kind == "prior" and fitting and rate else None


def _structure(live: list[Fact], passages: Sequence[Passage]) -> list[tuple[Fact, list[Fact]]]:
    """Total/parts pairs visible in the passages (text outside them reads as line breaks)."""
    texts: dict[str, list[str]] = {}
    for doc_id, start, end, text in passages:
        buf = texts.setdefault(doc_id, [])
        if len(buf) < end:
            buf.extend("\n" * (end - len(buf)))
        buf[start:end] = list(text[: end - start])
    return part_whole(live, {d: "".join(b) for d, b in texts.items()})


def _whole_of(part: Fact, live: list[Fact], passages: Sequence[Passage]) -> Fact | None:
    return next((t for t, parts in _structure(live, passages) if part in parts), None)


def _share(q: _Question, ranked: list[tuple[float, Fact]], live: list[Fact],
           passages: Sequence[Passage]) -> Derivation | None:
    if not q.ordered:  # no part and whole said: the smaller of two named amounts is the part
        named = [f for s, f in ranked if f.kind == "quantity" and "/" not in f.unit
                 and _covered(q, f.metric) >= 0.6 and s >= _MIN_SCORE][:2]
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
    whole = _best_for(m.group(2), ranked, part.unit, part) if m and m.group(2) else None
    whole = whole or _whole_of(part, live, passages)
    return share(part, whole) if whole is not None and whole.value else None


def _difference(q: _Question, ranked: list[tuple[float, Fact]], live: list[Fact],
                passages: Sequence[Passage]) -> Derivation | None:
    pair = _by_subject(q, ranked)
    m = re.search(r"(.+?)(?<![同环])比(?![例重率])(.+?)(?:多|少|高|低)", q.text)
    if pair is None and m:
        # 增速比…高多少个百分点 compares growth rates; otherwise amounts.
        kind = "rate" if q.unit == "%" else "quantity"
        first = _best_for(m.group(1), ranked, kind=kind)
        second = _best_for(m.group(2), ranked, first.unit, first, kind) if first else None
        pair = (first, second) if first and second else None
    if pair is not None:
        a, b = sorted(pair, key=lambda f: -f.value)
        return difference(a, b)
    rise = _rise_over_year(q, ranked, live)
    if rise is not None:
        return rise
    for whole, parts in _structure(live, passages):
        for part in parts:
            if _mentions(q, whole) and _mentions(q, part) and whole is not part:
                return difference(whole, part)
    top = [f for s, f in ranked if f.kind == "quantity" and _fits_unit(q, f)
           and s >= _MIN_SCORE][:2]
    if len(top) == 2 and top[0].unit == top[1].unit:
        a, b = sorted(top, key=lambda f: -f.value)
        return difference(a, b)
    return None


def _rise_over_year(q: _Question, ranked: list[tuple[float, Fact]],
                    live: list[Fact]) -> Derivation | None:
    """比2009年多了多少: the best fact is of the next year and states its growth rate."""
    fitting = [f for s, f in ranked if f.kind == "quantity" and _fits_unit(q, f)
               and s >= _MIN_SCORE]
    if not q.years or not fitting:
        return None
    best = fitting[0]
    year, rate = _year(best.period), _rate_of(best, live)
    if year is None or rate is None or year - 1 not in q.years:
        return None
    if any(_year(f.period) == year - 1 and f.metric == best.metric for f in fitting):
        return None  # the report states the earlier year itself: a plain difference
    return increase(best, rate)


def _by_subject(q: _Question, ranked: list[tuple[float, Fact]]) -> tuple[Fact, Fact] | None:
    """Two subjects named (IBM先锋基地比江西IT基地…): the best fact of each, same metric."""
    if len(q.named) != 2:
        return None
    best: dict[str, Fact] = {}
    for _, f in ranked:
        if _fits_unit(q, f) and f.subject not in best:
            best[f.subject] = f
    a, b = (best.get(s) for s in q.named)
    if a is None or b is None or a.metric != b.metric or a.unit != b.unit:
        return None
    return a, b


def _covered(q: _Question, text: str) -> float:
    """Share of the text's characters inside a bigram the question has (合同 执行 金额 cover
    6 of 接包合同执行金额's 8)."""
    hit = {i + k for i in range(len(text) - 1) if text[i : i + 2] in q.content for k in (0, 1)}
    return len(hit) / len(text) if text else 0.0


def _mentions(q: _Question, f: Fact) -> bool:
    metric = bigrams(f.metric)
    return bool(metric) and len(metric & q.content) / len(metric) >= 0.5


def _sum(q: _Question, ranked: list[tuple[float, Fact]]) -> Derivation | None:
    """Facts of one unit that score close to the best (396人 and 188人 of 补助人数)."""
    fitting = [(s, f) for s, f in ranked if _fits_unit(q, f)]
    if not fitting or fitting[0][0] < _MIN_SCORE:
        return None
    top, unit = fitting[0][0], fitting[0][1].unit
    group = [f for s, f in fitting if f.unit == unit and s >= 0.75 * top]
    keys = {(f.subject, f.metric, f.period) for f in group}
    group.sort(key=lambda f: (f.doc_id, f.start))
    return total(group) if len(group) >= 2 and len(keys) == len(group) else None


def _average(q: _Question, ranked: list[tuple[float, Fact]],
             live: list[Fact]) -> Derivation | None:
    m = re.search(r"每([^\W\d])", q.text)
    per = COUNTER_UNITS.get(m.group(1), "人") if m else "户" if "户均" in q.text else "人"
    if any(f.unit.endswith(f"/{per}") for _, f in ranked[:3]):
        return None  # the report states the per-unit figure itself (补助标准)
    amount = next((f for s, f in ranked if f.kind == "quantity" and f.unit != per
                   and "/" not in f.unit and s >= _MIN_SCORE), None)
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


def _prior_by_year(q: _Question, ranked: list[tuple[float, Fact]],
                   live: list[Fact]) -> Derivation | None:
    """Asked for the year before the best-matching fact's, which has a growth rate: derive.

    ``ranked`` ignores periods, so a fact of the asked year only wins by naming the metric
    better (2009年新增服务外包企业: 新增… of 2010 with 同比增长, not 服务外包企业 of 2009).
    """
    fitting = [(s, f) for s, f in ranked if f.kind == "quantity" and _fits_unit(q, f)]
    if not q.years or not fitting or fitting[0][0] < _MIN_SCORE:
        return None
    score, best = fitting[0]
    year = _year(best.period)
    rate = _rate_of(best, live)
    if year is None or year in q.years or year - 1 not in q.years or rate is None:
        return None
    same_year = [s for s, f in fitting if _year(f.period) in q.years]
    if same_year and same_year[0] >= score - 0.05:
        return None
    return prior(best, rate)


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
    elif d.kind == "difference":
        names = [f.metric if a.subject == b.subject else f.subject + f.metric for f in (a, b)]
        gap = (f"{format_value(d.value, '')}个百分点" if a.kind == "rate" else d.text)
        text = f"{names[0]}与{names[1]}相差{gap}"
    elif d.kind == "increase":
        period = re.sub(r"^\d{4}", lambda m: str(int(m.group(0)) - 1), a.period)
        growth = b.metric.removeprefix(a.metric) or "增长"
        text = (f"按{growth}{format_value(abs(b.value), '%')}推算，{a.period}{a.subject}"
                f"{a.metric}比{period}多{about.removesuffix('为')}{d.text}")
    elif d.kind == "prior":
        period = re.sub(r"^\d{4}", lambda m: str(int(m.group(0)) - 1), a.period)
        growth = b.metric.removeprefix(a.metric) or "增长"
        text = (f"按{growth}{format_value(abs(b.value), '%')}推算，{period}{a.subject}"
                f"{a.metric}{about}{d.text}")
    else:
        text = f"平均每{b.unit}{a.metric}{about}{d.text}"
    return _answer(f"{text}（{d.formula}）。", d.inputs, live, d.kind, d.formula, d)
