"""The short answer: the thing a question asks for, pulled out of the cited text.

A figure for a quantity question (in the unit asked), a date for a when question, the
span of a clause that the question's own words do not cover for a what/who/which
question (the question restates the rest), or the items of a list. Written by hand: no
Chinese reading-comprehension model ships offline.
"""

from __future__ import annotations

import re

from reportbot.language.quantities import parse_quantities
from reportbot.language.question import Question

_MARKER = re.compile(r"\[\d+\]")
_DATE = re.compile(r"(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{4}年")


def short_answer(question: Question, cited: str) -> str | None:
    """The asked-for span of the cited answer text (markers removed), or None."""
    text = _MARKER.sub("", cited).strip()
    if not text:
        return None
    if question.quantity:
        for q in parse_quantities(text):
            if question.unit is None or question.unit in q.text or q.unit == question.unit:
                return q.text
    if question.answer_kind in ("year", "when", "day"):
        found = [m.group(0) for m in _DATE.finditer(text) if m.group(0)]
        if found:
            return max(found, key=len)
    return text.rstrip("。；;，,")
