"""Pure: every number in an answer checked against the fact table; derivations with formulas.

Statuses: ``verified`` (a fact states it, ids given), ``derived`` (computed from cited facts,
formula given), ``mismatch`` (contradicts the fact for the subject/metric it is said of) and
``unverified`` (no fact covers it).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from reportbot.language.asking import derivation_kind
from reportbot.language.quantities import (
    COUNTER_UNITS,
    MONEY_UNITS,
    QUANTITY_KINDS,
    Quantity,
    base_unit,
    format_value,
    parse_quantities,
    tolerance,
)
from reportbot.records import DocRange, Fact, NumberCheck

_MEASURE_TAIL = re.compile(r"(?:人数|数量|金额|数)$")
_SENTENCE_MARKS = "。！？；;!?\n"
_CLAUSE_MARKS = _SENTENCE_MARKS + "，,：:（）()"
_COUNTS = frozenset(COUNTER_UNITS.values())


@dataclass(frozen=True)
class Derivation:
    """A number computed from facts, with the formula that shows the work."""

    # share | sum | difference | prior | increase | average | before_change | multiple |
    # period_part
    kind: str
    value: float
    unit: str
    formula: str
    inputs: tuple[Fact, ...]
    decimals: int | None = None

    @property
    def text(self) -> str:
        """The result in natural wording (39.7%, 4.42亿美元, 131家)."""
        return format_value(self.value, self.unit, self.decimals)


def _result(value: float, unit: str, decimals: int | None) -> tuple[str, str]:
    shown = format_value(value, unit, decimals)
    exact = format_value(value, unit, None) == shown
    return shown, "=" if exact else "≈"


def share(part: Fact, whole: Fact) -> Derivation:
    """part ÷ whole as a percentage (2.91亿美元 ÷ 7.33亿美元 = 39.7%)."""
    value = part.value / whole.value * 100
    shown, eq = _result(value, "%", 1)
    return Derivation("share", value, "%", f"{part.text} ÷ {whole.text} {eq} {shown}",
                      (part, whole), 1)


def period_part(total_: Fact, before: Fact) -> Derivation:
    """A part of a period from running totals: 上半年 − 一季度 = 二季度 (7842.83亿元 −
    3715.38亿元 = 4127.45亿元)."""
    return replace(difference(total_, before), kind="period_part")


def multiple(a: Fact, b: Fact) -> Derivation:
    """a ÷ b in times (7531.8亿元 ÷ 6247.3亿元 ≈ 1.21倍)."""
    value = a.value / b.value
    shown, eq = _result(value, "倍", 2)
    return Derivation("multiple", value, "倍", f"{a.text} ÷ {b.text} {eq} {shown}", (a, b), 2)


def total(parts: Sequence[Fact]) -> Derivation:
    """The sum of same-unit facts (396人 + 188人 = 584人)."""
    value = sum(p.value for p in parts)
    unit = parts[0].unit
    shown, eq = _result(value, unit, None)
    return Derivation("sum", value, unit, " + ".join(p.text for p in parts) + f" {eq} {shown}",
                      tuple(parts))


def difference(a: Fact, b: Fact) -> Derivation:
    """a − b (7.33亿美元 − 2.91亿美元 = 4.42亿美元)."""
    value = a.value - b.value
    shown, eq = _result(value, a.unit, None)
    return Derivation("difference", value, a.unit, f"{a.text} − {b.text} {eq} {shown}", (a, b))


def before_change(rate: Fact, change: Fact) -> Derivation:
    """A rate before a change stated in percentage points: 4.7% − 2.8个百分点 = 1.9%."""
    value = rate.value - change.value
    shown, eq = _result(value, "%", 1)
    sign = "−" if change.value >= 0 else "+"
    formula = f"{rate.text} {sign} {format_value(abs(change.value), 'pp')} {eq} {shown}"
    return Derivation("before_change", value, "%", formula, (rate, change), 1)


def prior(quantity: Fact, rate: Fact) -> Derivation:
    """The value before a growth rate: 188家 ÷ (1 + 43.51%) ≈ 131家."""
    value = quantity.value / (1 + rate.value / 100)
    # a count whole (131家), unless said in 亿 (27.64亿人次, not 28亿人次)
    decimals = 0 if quantity.unit in _COUNTS and value < 1e8 else 2
    shown, eq = _result(value, quantity.unit, decimals)
    sign = "+" if rate.value >= 0 else "−"
    formula = f"{quantity.text} ÷ (1 {sign} {format_value(abs(rate.value), '%')}) {eq} {shown}"
    return Derivation("prior", value, quantity.unit, formula, (quantity, rate), decimals)


def increase(quantity: Fact, rate: Fact) -> Derivation:
    """The rise over the year before: 188家 − 188家 ÷ (1 + 43.51%) ≈ 57家."""
    before = prior(quantity, rate)
    value = quantity.value - before.value
    shown, eq = _result(value, quantity.unit, before.decimals)
    sign = "+" if rate.value >= 0 else "−"
    formula = (f"{quantity.text} − {quantity.text} ÷ (1 {sign} "
               f"{format_value(abs(rate.value), '%')}) {eq} {shown}")
    return Derivation("increase", value, quantity.unit, formula, (quantity, rate),
                      before.decimals)


def average(amount: Fact, count: Fact, *more: Fact) -> Derivation:
    """A per-unit average: amount ÷ count (27136人 ÷ 188家 ≈ 144.34人/家); counts listed
    together are added first (867.85万元 ÷ (8家 + 8家))."""
    counts = (count, *more)
    value = amount.value / sum(c.value for c in counts)
    unit = f"{base_unit(amount.unit)}/{count.unit}"
    shown, eq = _result(value, unit, 2)
    divisor = count.text if not more else "(" + " + ".join(c.text for c in counts) + ")"
    return Derivation("average", value, unit, f"{amount.text} ÷ {divisor} {eq} {shown}",
                      (amount, *counts), 2)


def candidate_derivations(facts: Sequence[Fact], rates: Sequence[Fact] = ()) -> list[Derivation]:
    """Every simple derivation among the given facts (used to recognise derived numbers)."""
    amounts = [f for f in facts if f.kind == "quantity"]
    out: list[Derivation] = []
    for a, b in itertools.permutations(amounts, 2):
        if a.unit == b.unit and "/" not in a.unit:
            if a.value >= b.value:
                out.append(difference(a, b))
                if a.value:
                    out.append(share(b, a))
                if a.fact_id < b.fact_id or a.value > b.value:
                    out.append(total([a, b]))
        elif b.unit in _COUNTS and "/" not in a.unit and b.value:
            out.append(average(a, b))
    growth = [f for f in facts if f.kind == "rate" and f.unit == "%"]
    out.extend(difference(a, b) for a, b in itertools.permutations(growth, 2)
               if a.value >= b.value)  # percentage points between two growth rates
    by_unit: dict[str, list[Fact]] = {}
    for f in amounts:
        by_unit.setdefault(f.unit, []).append(f)
    out.extend(total(group) for group in by_unit.values() if len(group) > 2)
    by_id = {f.fact_id: f for f in amounts}
    for r in [*facts, *rates]:
        if r.kind == "rate" and r.qualifies in by_id and r.unit == "%":
            out.append(prior(by_id[r.qualifies], r))
            out.append(increase(by_id[r.qualifies], r))
    return out


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK/Latin runs of text, brackets ignored: 县(区)级 ~ 县区级."""
    runs = re.findall(r"[A-Za-z\u4e00-\u9fff]+", re.sub(r"[()（）]", "", text))
    return {r[i : i + 2] for r in runs for i in range(len(r) - 1)} | {r for r in runs
                                                                      if len(r) == 1}


def metric_core(metric: str) -> str:
    """The metric without the head noun added to a bare verb (补助人数 -> 补助)."""
    return _MEASURE_TAIL.sub("", metric) or metric


def recall(phrase: str, text: str) -> float:
    """Share of the phrase's bigrams found in text."""
    want = bigrams(phrase)
    return len(want & bigrams(text)) / len(want) if want else 0.0


def common_part(a: str, b: str) -> str:
    """The longest common substring of a and b."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


@functools.lru_cache(maxsize=65536)
def _pairs(text: str) -> frozenset[str]:
    """The two-character pieces of a text."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def mentioned_subjects(text: str, facts: Sequence[Fact]) -> list[str]:
    """Subjects of the facts that text names, fully or by a distinctive part (IBM先锋)."""
    # Only a subject sharing two characters in a row with the text can be named by it (every
    # rule below needs that); with thousands of documents this spares most of the work.
    pairs = _pairs(text)
    subjects = sorted(s for s in {f.subject for f in facts} if not _pairs(s).isdisjoint(pairs))
    metrics = {f.metric for f in facts}
    common = {s: common_part(s, text) for s in subjects}
    found = []
    by_head = []
    for s, part in common.items():
        head = next((s[:n] for n in range(len(s), 2, -1) if s[:n] in text), "")
        if len(head) >= 3 and not any(head in m for m in metrics):
            by_head.append(s)  # called by its head (IBM先锋基地), whatever else it shares
            continue
        if len(part) < min(len(s) - 1, 3) or len(part) < 2:
            continue
        if not s.startswith(part) and not (s.endswith(part) and len(part) >= 4):
            continue  # a name is called by its head (南昌, IBM先锋) or its long tail
        if any(part in m for m in metrics):
            continue  # 服务外包 names a trade, not one subject
        if any(o != s and part in o and len(common[o]) > len(part) for o in subjects):
            continue  # 人才实训基地 inside 江西IT人才实训基地, which is named in full
        found.append(s)
    # 江西IT…实训基地 named by its head: 实训基地 alone does not name IBM先锋…实训基地 too.
    return sorted([*by_head, *(s for s in found
                               if not any(common[s] in o for o in by_head))])


def units_agree(stated: str, fact_unit: str) -> bool:
    """A stated unit matches a fact's unit, or its numerator (9500元 vs 9500元/人)."""
    return stated == fact_unit or stated == base_unit(fact_unit)


def close(q: Quantity, value: float) -> bool:
    """Is value what q states, within the rounding its written digits allow?"""
    return abs(q.value - value) <= tolerance(q) + 1e-9 * abs(value)


def _shown_number(f: Fact) -> float | None:
    """The number as a reader sees it (2.91 of 2.91亿美元), for bare numbers in formulas."""
    m = re.match(r"-?\d+(?:\.\d+)?", format_value(f.value, f.unit))
    return float(m.group(0)) if m else None


def _matches(q: Quantity, f: Fact) -> bool:
    if q.unit:
        return units_agree(q.unit, f.unit) and close(q, f.value)
    shown = _shown_number(f)
    return shown is not None and close(q, shown)


def _context(text: str, q: Quantity) -> tuple[str, str]:
    """The sentence before the number and its last clause (where its subject/metric are)."""
    s = max(text.rfind(m, 0, q.start) for m in _SENTENCE_MARKS) + 1
    c = max(text.rfind(m, 0, q.start) for m in _CLAUSE_MARKS) + 1
    return text[s : q.start], text[c : q.start]


def check_numbers(answer_text: str, facts: list[Fact], cited_spans: list[DocRange],
                  known: Sequence[Derivation] = ()) -> list[NumberCheck]:
    """Parse every quantity in the answer and give it a status against the fact table.

    ``known`` are derivations the answer was built from (they may combine more inputs than
    the simple candidates tried here, e.g. an amount over a sum of counts).
    """
    live = [f for f in facts if f.overridden_by is None]
    cited = [f for f in live if any(f.doc_id == d and s <= f.start and f.end <= e
                                    for d, s, e in cited_spans)]
    derivations = [*known, *candidate_derivations(cited, live)]
    names = [f.metric for f in cited]  # 十一项 of 十一项国际认证 names a kind, claims nothing
    docs = {d for d, _, _ in cited_spans}
    return [_check(q, answer_text, live, cited, derivations, docs, len(known))
            for q in parse_quantities(answer_text)
            if q.kind in QUANTITY_KINDS and not _growth_constant(q, answer_text)
            and not _inside_name(q, answer_text, names)]


def _inside_name(q: Quantity, text: str, names: Sequence[str]) -> bool:
    """Is the number part of a metric's name written out in the text (十一项国际认证)?"""
    for name in names:
        at = text.find(name)
        while at >= 0:
            if at <= q.start and q.end <= at + len(name):
                return True
            at = text.find(name, at + 1)
    return False


def _growth_constant(q: Quantity, text: str) -> bool:
    """The 1 of ``(1 + 43.51%)`` in a formula is arithmetic, not a claim about the world."""
    return not q.unit and q.text == "1" and re.match(r"\s*[+−-]", text[q.end :]) is not None


def _check(q: Quantity, answer: str, live: list[Fact], cited: list[Fact],
           derivations: list[Derivation], docs: Collection[str] = (),
           known: int = 0) -> NumberCheck:
    """One number's status: derived from the answer's own derivation, verified by a fact of
    the subject the sentence names (none named: of the cited documents), else a candidate
    derivation, a contradiction, or unverified."""
    sentence, clause = _context(answer, q)
    named = mentioned_subjects(sentence, live)
    # A figure is verified only by a fact about what the sentence speaks of: the subject it
    # names, or, naming none, the documents it cites (another city's equal figure is no ✓).
    fits = [f for f in live if (f.subject in named if named
                                else not docs or f.doc_id in docs)]
    same = [f for f in fits if _matches(q, f)]
    for d in derivations[:known]:  # the answer was computed this way: say so
        if _derived(q, d):
            return NumberCheck(q.text, q.value, q.unit, "derived",
                               tuple(f.fact_id for f in d.inputs), d.formula)
    if same:
        preferred = [f for f in same if f in cited] or same
        return NumberCheck(q.text, q.value, q.unit, "verified",
                           tuple(f.fact_id for f in preferred))
    for d in derivations[known:]:
        if _derived(q, d):
            return NumberCheck(q.text, q.value, q.unit, "derived",
                               tuple(f.fact_id for f in d.inputs), d.formula)
    contradicted = _contradicted(q, clause, fits)
    if contradicted is not None:
        return NumberCheck(q.text, q.value, q.unit, "mismatch", (contradicted.fact_id,),
                           f"{q.text} ≠ {contradicted.text}（{contradicted.metric}）")
    return NumberCheck(q.text, q.value, q.unit, "unverified")


def _derived(q: Quantity, d: Derivation) -> bool:
    """Is the number the derivation's result (个百分点 for a difference of rates)?"""
    points = q.unit == "pp" and d.unit == "%" and d.kind == "difference"
    return (not q.unit or points or units_agree(q.unit, d.unit)) and close(q, d.value)


def _contradicted(q: Quantity, clause: str, fits: list[Fact]) -> Fact | None:
    """The fact this number is said of (its metric named just before it) if it disagrees."""
    said_of = [f for f in fits if f.kind == q.kind and recall(metric_core(f.metric), clause) >= .6]
    if not said_of:
        return None
    same_unit = [f for f in said_of if units_agree(q.unit, f.unit)]
    confused = [f for f in said_of if close(q, f.value)]  # 188家 said of 188人
    pool = same_unit or confused
    if not pool:
        return None
    return max(pool, key=lambda f: recall(metric_core(f.metric), clause))


def is_money(unit: str) -> bool:
    """Is this a currency unit?"""
    return base_unit(unit) in MONEY_UNITS


def derive(question: str, facts: list[Fact]) -> Derivation | None:
    """Compute what the question asks from facts given in role order (part, whole; a, b…)."""
    kind = derivation_kind(question)
    quantities = [f for f in facts if f.kind == "quantity"]
    rates = [f for f in facts if f.kind == "rate"]
    if kind == "prior" and quantities and rates:
        return prior(quantities[0], rates[0])
    if len(quantities) < 2:
        return None
    a, b = quantities[0], quantities[1]
    if kind == "share" and b.value:
        return share(a, b)
    if kind == "difference":
        return difference(a, b)
    if kind == "average" and b.value:
        return average(a, b)
    if kind == "sum" and all(f.unit == a.unit for f in quantities):
        return total(quantities)
    return None
