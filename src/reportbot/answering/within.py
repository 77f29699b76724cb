"""A share, a remainder or an average worked out from the two figures one statement gives
(共发现涉气问题3.2万个，已整改完成2.6万个: 完成率 2.6 ÷ 3.2, 未完成 3.2 − 2.6; 25个集装箱装载485吨:
每个 485 ÷ 25), when the question names no two sides to read apart (sides.py).

Only a statement holding exactly two figures of the unit is read: the larger is the whole,
the smaller its part. Written by hand: no library reads which figure of a Chinese sentence
is the whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from reportbot.answering.citations import cite
from reportbot.answering.evidence import best_evidence
from reportbot.answering.guard import statement_span
from reportbot.answering.sides import digits
from reportbot.language.asking import asked_unit, pattern, question_for_scoring
from reportbot.language.quantities import Quantity, format_value, from_to, parse_quantities
from reportbot.language.vocabulary import alternation
from reportbot.records import Answer, Hit, NumberCheck, Span

_PER = re.compile(r"(?:平均)?每(?:一)?([个家次人户辆台批条项件套])")
_REMAINDER = re.compile(alternation("asking", "remainder"))
_TENTHS = re.compile(r"[一二三四五六七八九十]成")  # 近九成: a share in tenths
_TOP = 4  # best clauses read
_MIN_SUPPORT = 0.5  # the statement must say most of what the question names


def remainder_asked(question: str) -> str | None:
    """"difference" when the question asks what is left of a whole (还有多少没整改完)."""
    return "difference" if _REMAINDER.search(question) else None


def derived_within(question: str, kind: str | None, hits: Sequence[Hit],
                   terms: Sequence[str], weight: Callable[[str], float],
                   stated: bool = False) -> Answer | None:
    """The derivation asked, from the best statement that gives its two figures; None when
    none does, or when an average is asked that a passage states (``stated``: 每人1万元)."""
    if kind not in ("share", "difference", "average") or (kind == "average" and stated):
        return None
    per = _PER.search(question)
    if kind == "average" and per is None:
        return None
    for ev in best_evidence(question_for_scoring(question), hits, weight, terms)[:_TOP]:
        if ev.coverage < _MIN_SUPPORT:
            continue
        chunk = hits[ev.hit_index].chunk
        statement = statement_span(chunk, ev.span)
        span = _near(chunk.text, chunk.start, statement, ev.span)
        text = chunk.text[span.start - chunk.start : span.end - chunk.start]
        # figures written in digits (两个战场 counts no statistic); a counter may read as a
        # name's number (25个集装箱)
        figures = [q for q in parse_quantities(text) if q.kind in ("quantity", "name")
                   and q.text[:1].isdigit() and q.unit]
        said = chunk.text[statement.start - chunk.start : statement.end - chunk.start]
        if kind == "share" and (_TENTHS.search(said) or any(
                q.kind == "rate" and q.text.endswith(("%", "％"))  # not 个百分点: a change
                for q in parse_quantities(said))):
            continue  # the share is stated there (85%, 近九成), not to be worked out
        pair = _per_unit(figures, per.group(1)) if per else _whole_and_part(figures)
        if pair is None:
            continue
        found = _result(kind, *pair)
        if found is None:
            continue
        lead, said, value, unit, formula = found
        c = cite(1, chunk, span)
        number = NumberCheck(said, value, unit, "derived", formula=formula)
        quote = c.text.rstrip("。；;，,")
        return Answer(question=question, answer=f"{lead}（{formula}）。{quote}[1]。",
                      refused=False, citations=(c,), numbers=(number,),
                      standalone_question=question, short_answer=said)
    return None


def change_within(question: str, hits: Sequence[Hit], spans: Sequence[tuple[int, Span]]
                  ) -> Answer | None:
    """A change asked (提高了多少) that the cited clause gives only as its two ends (由30万调整为
    50万元): the difference, or the relative change when a percentage is asked of two
    amounts. None when the pair's clause states another figure of that unit, or the clause
    and its neighbours a percentage when one is asked (the change itself: 降幅20%)."""
    if not spans or pattern("asks_change").search(question) is None:
        return None
    i, span = spans[0]
    chunk = hits[i].chunk
    near = _near(chunk.text, chunk.start, statement_span(chunk, span), span)
    text = chunk.text[near.start - chunk.start : near.end - chunk.start]
    pairs = from_to(text)
    figures = [q for q in parse_quantities(text) if q.kind in ("quantity", "rate")
               and q.text[:1].isdigit()]
    if len(pairs) != 1:
        return None
    a, b = pairs[0]
    others = [q for q in figures if q.start not in (a.start, b.start)]
    lo, hi = text.rfind("，", 0, a.start), text.find("，", b.end)  # the pair's clause
    hi = len(text) if hi < 0 else hi
    percent = asked_unit(question) == "%"
    if any(lo < q.start < hi and q.unit == a.unit or percent and q.kind == "rate"
           for q in others):
        return None  # the change may be stated itself (降幅20%), or the ends are not these
    rise = b.value > a.value
    if percent and a.kind != "rate" and a.value:
        value = 100 * abs(b.value - a.value) / a.value
        said = f"{digits(value)}%"
        formula = f"({b.text} − {a.text}) ÷ {a.text} ≈ {'' if rise else '−'}{said}"
        unit = "%"
    else:
        value, unit = abs(b.value - a.value), "pp" if a.kind == "rate" else a.unit
        said = format_value(value, unit, 2 if value < 100 else 0)
        formula = f"{b.text} − {a.text} = {'' if rise else '−'}{said}"
    c = cite(1, chunk, near)
    number = NumberCheck(said, value, unit, "derived", formula=formula)
    lead = f"{'提高' if rise else '降低'}了{said}（{formula}）"
    return Answer(question=question, answer=f"{lead}。{c.text.rstrip('。；;，,')}[1]。",
                  refused=False, citations=(c,), numbers=(number,),
                  standalone_question=question, short_answer=said)


def _near(text: str, start: int, statement: Span, span: Span) -> Span:
    """The clause holding the span with the clauses on either side of it (absolute)."""
    body = text[statement.start - start : statement.end - start]
    clauses = [m.span() for m in re.finditer(r"[^，,]+[，,]?", body)]
    at = span.start - statement.start
    k = next((i for i, (a, b) in enumerate(clauses) if a <= at < b), 0)
    lo, hi = clauses[max(0, k - 1)][0], clauses[min(len(clauses) - 1, k + 1)][1]
    return Span(statement.start + lo, statement.start + hi)


def _whole_and_part(figures: Sequence[Quantity]) -> tuple[Quantity, Quantity] | None:
    """The whole and its part: the two figures of one unit, larger first."""
    figures = [q for q in figures if q.kind == "quantity"]
    units = {q.unit for q in figures}
    if len(figures) != 2 or len(units) != 1 or figures[0].value == figures[1].value:
        return None
    a, b = sorted(figures, key=lambda q: -q.value)
    return a, b


def _per_unit(figures: Sequence[Quantity], counter: str) -> tuple[Quantity, Quantity] | None:
    """The amount and the count it is shared by (485吨 over 25个)."""
    counts = [q for q in figures if q.unit == counter]
    amounts = [q for q in figures if q.unit != counter]
    if len(counts) != 1 or len(amounts) != 1 or counts[0].value == 0:
        return None
    return amounts[0], counts[0]


def _result(kind: str, a: Quantity, b: Quantity
            ) -> tuple[str, str, float, str, str] | None:
    """(lead, the figure as said, its value, its unit, the formula)."""
    if kind == "share":
        share = 100 * b.value / a.value
        said = f"{digits(share)}%"
        return f"占比约为{said}", said, share, "%", f"{b.text} ÷ {a.text} ≈ {said}"
    if kind == "difference":
        rest = a.value - b.value
        said = format_value(rest, a.unit)
        return f"余下{said}", said, rest, a.unit, f"{a.text} − {b.text} = {said}"
    each = a.value / b.value
    said = format_value(each, a.unit, 2 if each < 100 else 0)
    return f"平均每{b.unit}约{said}", said, each, a.unit, f"{a.text} ÷ {b.text} ≈ {said}"
