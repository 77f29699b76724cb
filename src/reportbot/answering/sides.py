"""Figures derived from two stated ones: 「A比B多多少」, 「A是B的几倍」, 「A占B的比重」.

Each side is read as its own one-sided question over the same passages (the comparison
composer's ``sides``: the same evidence scoring and guards as any answer); the result is
computed from the two cited figures, with the formula, when both are stated in one unit.
The fact table answers such questions first when it holds both inputs; this serves the
figures it does not hold (new documents' wordings its patterns miss).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportbot.answering.compare import Extractor, Side, sides
from reportbot.language.comparing import derivation_parts
from reportbot.language.quantities import format_value
from reportbot.records import Answer, Hit, NumberCheck


def derived_from_sides(standalone: str, hits: Sequence[Hit], extract: Extractor
                       ) -> Answer | None:
    """The derived figure first, then both sides cited; None when the question names no
    two sides or the passages do not state both in one unit."""
    parts = derivation_parts(standalone)
    if parts is None:
        return None
    kind, sub_a, sub_b, label_a, label_b = parts
    both = sides(standalone, list(hits), (label_a, label_b), (extract(sub_a), extract(sub_b)))
    if both is None:
        return None
    a, b = both
    fa, fb = a.figure, b.figure
    if fa is None or fb is None or fa.unit != fb.unit or fb.value == 0:
        return None
    result = _result(kind, label_a, label_b, a, b)
    if result is None:
        return None
    lead, said, value, unit, formula = result
    body = "；".join(f"{s.label}：{s.citation.text.rstrip('。！？!?')}[{s.citation.n}]"
                    for s in both) + "。"
    number = NumberCheck(said, value, unit, "derived", formula=formula)
    return Answer(question=standalone, answer=f"{lead}（{formula}）。{body}", refused=False,
                  citations=(a.citation, b.citation), numbers=(number,),
                  standalone_question=standalone, short_answer=said)


def _result(kind: str, label_a: str, label_b: str, a: Side, b: Side
            ) -> tuple[str, str, float, str, str] | None:
    """(lead, the figure as said, its value, its unit, the formula) of the derivation."""
    fa, fb = a.figure, b.figure
    assert fa is not None and fb is not None
    if kind == "difference":
        gap = abs(fa.value - fb.value)
        rate = fa.kind == "rate"
        said = f"{_digits(gap)}个百分点" if rate else format_value(gap, fa.unit)
        way = "多" if fa.value >= fb.value else "少"
        if rate:
            way = "高" if fa.value >= fb.value else "低"
        return (f"{label_a}比{label_b}{way}{said}", said, gap, "%" if rate else fa.unit,
                f"{fa.text} − {fb.text} = {said}" if fa.value >= fb.value
                else f"{fb.text} − {fa.text} = {said}")
    if kind == "multiple":
        ratio = fa.value / fb.value
        said = f"{_digits(ratio)}倍"
        return (f"{label_a}是{label_b}的{said}", said, ratio, "倍",
                f"{fa.text} ÷ {fb.text} ≈ {said}")
    if kind == "share" and 0 < fa.value <= fb.value and fa.kind != "rate":
        share = 100 * fa.value / fb.value
        said = f"{_digits(share)}%"
        return (f"{label_a}占{label_b}的{said}", said, share, "%",
                f"{fa.text} ÷ {fb.text} ≈ {said}")
    return None


def _digits(value: float) -> str:
    """Two decimals at most, trailing zeros dropped (1.1, 2.46, 97.17)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
