"""Figures derived from two stated ones: 「A比B多多少」, 「A是B的几倍」, 「A占B的比重」.

Each side is read as its own one-sided question over the same passages (the comparison
composer's ``sides``: the same evidence scoring and guards as any answer); the result is
computed from the two cited figures, with the formula, when both are stated in one unit.
The fact table answers such questions first when it holds both inputs; this serves the
figures it does not hold (new documents' wordings its patterns miss).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportbot.answering.citations import cite
from reportbot.answering.compare import Extractor, Side, sides
from reportbot.answering.guard import sentence_of
from reportbot.facts.rules import DECLINE
from reportbot.language.asking import asked_unit
from reportbot.language.comparing import derivation_parts
from reportbot.language.quantities import MONEY_UNITS, format_value, parse_quantities
from reportbot.language.vocabulary import alternation
from reportbot.records import Answer, Hit, NumberCheck, Span


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
        said = f"{digits(gap)}个百分点" if rate else format_value(gap, fa.unit)
        way = "多" if fa.value >= fb.value else "少"
        if rate:
            way = "高" if fa.value >= fb.value else "低"
        return (f"{label_a}比{label_b}{way}{said}", said, gap, "%" if rate else fa.unit,
                f"{fa.text} − {fb.text} = {said}" if fa.value >= fb.value
                else f"{fb.text} − {fa.text} = {said}")
    if kind == "multiple":
        ratio = fa.value / fb.value
        said = f"{digits(ratio)}倍"
        return (f"{label_a}是{label_b}的{said}", said, ratio, "倍",
                f"{fa.text} ÷ {fb.text} ≈ {said}")
    if kind == "share" and 0 < fa.value <= fb.value and fa.kind != "rate":
        share = 100 * fa.value / fb.value
        said = f"{digits(share)}%"
        return (f"{label_a}占{label_b}的{said}", said, share, "%",
                f"{fa.text} ÷ {fb.text} ≈ {said}")
    return None


def digits(value: float) -> str:
    """Two decimals at most, trailing zeros dropped (1.1, 2.46, 97.17)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def prior_from_clause(standalone: str, hits: Sequence[Hit], extract: Extractor
                      ) -> Answer | None:
    """Last year's figure worked back from this year's and its year-on-year change as one
    clause states them (营收为249.27亿美元，…同比增长47%: 249.27亿美元 ÷ (1 + 47%)); None
    when the question asks a rate, or no clause states a figure with its change."""
    if asked_unit(standalone) == "%":
        return None  # a rate of last year is stated (快于去年全年增速3.1%), not worked back
    current = _PRIOR_TIME.sub("", _WORKED_BACK.sub("", standalone))
    found = extract(current)
    if found.refused or not found.spans:
        return None
    hit_index, span = found.spans[0]
    chunk = hits[hit_index].chunk
    figures = [q for q in parse_quantities(chunk.text[span.start - chunk.start :
                                                      span.end - chunk.start])
               if q.kind == "quantity"]
    if not figures:
        return None
    # The change may follow a figure said beside it (营收为249.27亿美元，市场预期为245.1亿美元，
    # 同比增长47%): the first change stated after the figure in its sentence.
    sentence = sentence_of(chunk, span)
    at = chunk.text.find(sentence) + sentence.find(figures[0].text)
    change = _CHANGE.search(chunk.text, at + len(figures[0].text),
                            chunk.text.find(sentence) + len(sentence))
    if change is None:
        return None
    figure = figures[0]
    c = cite(1, chunk, Span(span.start, max(span.end, chunk.start + change.end())))
    rate = float(change.group(2))
    sign = -1.0 if _DOWN.search(change.group(1)) else 1.0
    prior = figure.value / (1 + sign * rate / 100)
    said = format_value(prior, figure.unit, _decimals(prior, figure.unit))
    op = "+" if sign > 0 else "−"
    formula = f"{figure.text} ÷ (1 {op} {digits(rate)}%) ≈ {said}"
    text = (f"按{change.group(1)}{digits(rate)}%推算，上年同期约为{said}（{formula}）。"
            f"{c.text.rstrip('。！？!?')}[1]。")
    number = NumberCheck(said, prior, figure.unit, "derived", formula=formula)
    return Answer(question=standalone, answer=text, refused=False, citations=(c,),
                  numbers=(number,), standalone_question=standalone, short_answer=said)


def _decimals(value: float, unit: str) -> int:
    """An estimate to two decimals of its wording (169.57亿美元, 27.64亿人次: a count said in
    亿), a count whole (79395吨)."""
    return 2 if unit in MONEY_UNITS or value < 100 or value >= 1e8 else 0


# 按同比增速推算，去年同期: the words that ask for last year's figure, off the current one.
_WORKED_BACK = re.compile(r"(?:按|由|根据)[^，,？?]{0,12}?(?:推算|倒推|反推)[，,]?")
_PRIOR_TIME = re.compile(r"去年同期|上年同期|去年|上年|前一年")
# The change stated after a figure: 同比增长47%, 同比降低13.1%, 增长9.2%.
_CHANGE = re.compile(rf"((?:同比)?(?:{alternation('facts', 'change_rise')}|"
                     rf"{alternation('facts', 'change_decline')}))"
                     r"(?:约|了|为)?(\d+(?:\.\d+)?)\s*[%％]")
_DOWN = DECLINE
