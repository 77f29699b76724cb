"""Pure: the report's own arithmetic, discovered from the fact table and the words around it.

Three shapes are checked: a total followed by 其中 parts (parts sum to the total, or a lone
part does not exceed it), a count times a per-unit rate (按每人9500元的标准) giving the amount
that follows, and the same subject/metric/period stated twice with the same value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportbot.language.quantities import base_unit, format_value, parse_one, tolerance
from reportbot.language.text import split_sentences
from reportbot.records import DocRange, Fact

_PARTS_MARK = "其中"


@dataclass(frozen=True)
class Check:
    """One arithmetic check: what was stated, what the parts compute to, and where."""

    kind: str  # sum | part | product | repeat
    description: str
    passed: bool
    stated: float
    computed: float
    unit: str
    fact_ids: tuple[int, ...]
    spans: tuple[DocRange, ...]


def run_checks(facts: Sequence[Fact], texts: Mapping[str, str] | None = None) -> list[Check]:
    """All checks the facts allow; sums need the document texts (``texts[doc_id]``)."""
    live = [f for f in facts if f.overridden_by is None]
    checks: list[Check] = []
    for doc_id, doc_facts in _by_doc(live).items():
        text = (texts or {}).get(doc_id)
        groups = _sentences(doc_facts, text)
        for group, sentence in groups:
            if sentence is not None:
                checks.extend(_sum(t, parts) for t, parts in _parts_in(group, sentence))
            checks.extend(_product_checks(group))
    checks.extend(_repeat_checks(live))
    return checks


def slack(fact: Fact) -> float:
    """How far the stated value may be from the exact one, given the digits written.

    A whole number written out in full (396人, 9500元) is exact; 376.2万元 stands for anything
    within 500 元 of 3762000.
    """
    q = parse_one(fact.text)
    if q is None or abs(q.value - abs(fact.value)) > tolerance(q):
        return 0.0
    return 0.0 if q.scale == 1 and q.decimals == 0 else tolerance(q)


def _by_doc(facts: list[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in sorted(facts, key=lambda f: (f.doc_id, f.start)):
        out[f.doc_id].append(f)
    return out


Sentence = tuple[int, str]  # start offset and words of one sentence


def _sentences(facts: list[Fact], text: str | None) -> list[tuple[list[Fact], Sentence | None]]:
    """Facts grouped by sentence (with its start and words), or one group without text."""
    if text is None:
        return [(facts, None)]
    groups: list[tuple[list[Fact], Sentence | None]] = []
    for span in split_sentences(text):
        inside = [f for f in facts if span.start <= f.start < span.end]
        if inside:
            groups.append((inside, (span.start, text[span.start : span.end])))
    return groups


def part_whole(facts: Sequence[Fact], texts: Mapping[str, str]) -> list[tuple[Fact, list[Fact]]]:
    """(total, parts) pairs: 总额X，其中A，B — per unit, parts after 其中 and the total before."""
    pairs: list[tuple[Fact, list[Fact]]] = []
    live = [f for f in facts if f.overridden_by is None]
    for doc_id, doc_facts in _by_doc(live).items():
        text = texts.get(doc_id)
        for group, sentence in _sentences(doc_facts, text):
            if sentence is not None:
                pairs.extend(_parts_in(group, sentence))
    return pairs


def _parts_in(facts: list[Fact], sentence: Sentence) -> list[tuple[Fact, list[Fact]]]:
    offset, words = sentence
    pairs = []
    marks = [offset + i for i in range(len(words)) if words.startswith(_PARTS_MARK, i)]
    amounts = [f for f in facts if f.kind == "quantity" and "/" not in f.unit]
    for n, mark in enumerate(marks):
        stop = marks[n + 1] if n + 1 < len(marks) else offset + len(words)
        parts_by_unit: dict[str, list[Fact]] = defaultdict(list)
        for f in amounts:
            if mark <= f.start < stop:
                parts_by_unit[f.unit].append(f)
        for unit, parts in parts_by_unit.items():
            totals = [f for f in amounts if f.end <= mark and f.unit == unit]
            if totals:
                pairs.append((totals[-1], parts))
    return pairs


def _sum(total: Fact, parts: list[Fact]) -> Check:
    computed = sum(p.value for p in parts)
    # Stated parts must add up at the coarsest precision written: 1126万 + 352万 ≠ 1477万.
    allowed = max(slack(f) for f in (total, *parts))
    if len(parts) == 1:
        passed = parts[0].value <= total.value + allowed
        desc = f"{parts[0].text} ≤ {total.text}"
        kind = "part"
    else:
        passed = abs(computed - total.value) <= allowed
        shown = format_value(computed, total.unit)
        desc = " + ".join(p.text for p in parts) + f" = {shown}"
        desc += f"（报告：{total.text}）" if not passed else ""
        kind = "sum"
    ids = (total.fact_id, *(p.fact_id for p in parts))
    return Check(kind, desc, passed, total.value, computed, total.unit, ids,
                 tuple((f.doc_id, f.start, f.end) for f in (total, *parts)))


def _product_checks(facts: list[Fact]) -> list[Check]:
    """Count × per-unit rate = the amount stated next (396人 × 9500元 = 376.2万元)."""
    checks = []
    for i, rate in enumerate(facts):
        if "/" not in rate.unit:
            continue
        top, per = rate.unit.split("/", 1)
        counts = [f for f in facts[:i] if f.unit == per and f.kind == "quantity"]
        amounts = [f for f in facts[i + 1 :] if f.unit == top and f.kind == "quantity"]
        if not counts or not amounts:
            continue
        count, amount = counts[-1], amounts[0]
        computed = count.value * rate.value
        allowed = slack(amount) + count.value * slack(rate) + rate.value * slack(count)
        passed = abs(computed - amount.value) <= allowed
        desc = f"{count.text} × {rate.text} = {format_value(computed, top)}"
        desc += f"（报告：{amount.text}）" if not passed else ""
        used = (count, rate, amount)
        checks.append(Check("product", desc, passed, amount.value, computed, top,
                            tuple(f.fact_id for f in used),
                            tuple((f.doc_id, f.start, f.end) for f in used)))
    return checks


def _repeat_checks(facts: list[Fact]) -> list[Check]:
    """The same subject, metric, period and unit stated more than once must agree."""
    groups: dict[tuple[str, str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        groups[(f.subject, f.metric, f.period, base_unit(f.unit))].append(f)
    checks = []
    for (subject, metric, period, unit), same in groups.items():
        if len(same) < 2:
            continue
        first = same[0]
        passed = all(abs(f.value - first.value) <= max(slack(f), slack(first)) for f in same)
        sign = " = " if passed else " ≠ "
        desc = f"{subject} {metric} {period}: " + sign.join(f.text for f in same)
        checks.append(Check("repeat", desc, passed, first.value,
                            max(f.value for f in same), unit,
                            tuple(f.fact_id for f in same),
                            tuple((f.doc_id, f.start, f.end) for f in same)))
    return checks
