"""Yes/no verdicts and the short answer of a composed answer (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from reportbot.answering.short import short_answer
from reportbot.language.asking import (
    asserted_quantity,
    english_asserted,
    reference_comparison,
    threshold_sides,
)
from reportbot.language.quantities import Quantity, parse_one, superseded
from reportbot.language.question import Question
from reportbot.language.vocabulary import words
from reportbot.records import Answer, NumberCheck


def verdict(standalone: str, frame: Question, answer: Answer, english: bool) -> Answer:
    """For 是不是27136家？ say yes or no before the cited figure; for 超过1万亿元了吗？
    compare the cited figure with the threshold and say which side it is on."""
    asserted = (english_asserted(standalone) if english
                else asserted_quantity(standalone))
    claimed = parse_one(asserted) if asserted else None
    if claimed is None:
        return answer if english else _stated_verdict(standalone, answer)
    side = None if english else frame.threshold
    if side is not None:
        lead = _threshold_lead(side, claimed, asserted or "",
                               _by_basis(standalone, answer.answer, answer.numbers))
        return replace(answer, answer=lead + answer.answer) if lead else answer
    same = any(n.unit == claimed.unit and abs(n.value - claimed.value)
               <= 1e-6 * max(1.0, abs(claimed.value)) for n in answer.numbers)
    if english:
        lead = "Yes. " if same else "No. "
    else:
        lead = "是的。" if same else f"不是{asserted}。"
    return replace(answer, answer=lead + answer.answer)


_SIDE_WORDS = {"above": ("超过", "未超过"), "at_least": ("达到", "未达到"),
               "below": ("不到", "不低于")}


def _threshold_lead(side: str, claimed: Quantity, asserted: str,
                    numbers: Sequence[NumberCheck]) -> str:
    """是/否 for a threshold question, from the first cited figure in the claimed unit."""
    actual = next((n for n in numbers if n.unit == claimed.unit), None)
    if actual is None:
        return ""
    holds = {"above": actual.value > claimed.value, "at_least": actual.value >= claimed.value,
             "below": actual.value < claimed.value}[side]
    said, unsaid = _SIDE_WORDS[side]
    return f"{'是' if holds else '否'}，{actual.text}，{said if holds else unsaid}{asserted}。"


# The basis a rate is measured against (同比, 环比, 比上年…): 同比跌幅超过1%了吗 is answered
# by the 同比 figure even when the 环比 one is quoted first.
_BASES = tuple(w for w in words("evidence", "change_leads") if w[0] in "同环比较")


def _by_basis(question: str, text: str, numbers: Sequence[NumberCheck]
              ) -> Sequence[NumberCheck]:
    """The figures, those whose clause states the basis the question names first, and a
    figure a change replaced after the figure it became."""
    asked = {b for b in _BASES if b in question}

    def basis_differs(n: NumberCheck) -> bool:
        at = text.find(n.text)
        clause = re.split(r"[，。；,;]", text[:at])[-1] if at >= 0 else ""
        stated = {b for b in _BASES if b in clause}
        return bool(asked) and bool(stated) and not stated & asked

    def before_change(n: NumberCheck) -> bool:
        """由4.80元调整为5.00元: the figure before the change is no longer the figure."""
        at = text.find(n.text)
        return at >= 0 and superseded(text, at)

    return sorted(numbers, key=lambda n: (basis_differs(n), before_change(n)))


def short_of(frame: Question, answer: Answer) -> str | tuple[str, ...] | None:
    """The figure a fact answer derives or states, 是/否 before a yes/no figure, else the
    asked-for span of the cited text; None for a refusal."""
    if answer.refused:
        return None
    derived = [n.text for n in answer.numbers if n.status == "derived"]
    text = answer.answer if answer.numbers and not answer.citations else \
        "".join(c.text for c in answer.citations) or answer.answer
    if frame.intent == "list" and len(answer.citations) > 1:
        return tuple(c.text.rstrip("。；;，,") for c in answer.citations)
    if frame.yes_no and frame.asserted:
        claimed = parse_one(frame.asserted)
        figure = next((n.text for n in _by_basis(frame.text, answer.answer, answer.numbers)
                       if claimed is not None and n.unit == claimed.unit), None)
        verdict = "否" if answer.answer.startswith(("不是", "No.", "否")) else "是"
        return f"{verdict}，{figure}" if figure else verdict
    # A stated figure beats a computed one, unless the answer is the computation (二季度
    # from running totals: its first figure is the derived one).
    if derived and (frame.derivation is not None or answer.numbers[0].status == "derived"):
        return derived[0]
    return short_answer(frame, text, [c.passage for c in answer.citations if c.passage])


def _stated_verdict(standalone: str, answer: Answer) -> Answer:
    """是/否 for a question comparing with a named level (超过全国水平了吗), when the cited
    text itself says which side the subject is on (低于全国水平): the first comparison
    with that level after the subject is named."""
    asked = reference_comparison(standalone)
    if asked is None or not answer.citations:
        return answer
    subject, side, reference = asked
    cited = "".join(c.text for c in answer.citations)
    # Where the cited text names the subject: the longest end of it that it writes.
    tail = next((subject[i:] for i in range(len(subject) - 1) if subject[i:] in cited), "")
    sides = threshold_sides()
    words = "|".join(sorted(map(re.escape, sides), key=len, reverse=True))
    stated = re.compile(rf"({words})[^，。；,;]{{0,4}}?{re.escape(reference)}")
    found = stated.search(cited, cited.find(tail) if tail else 0)
    if found is None:
        return answer
    said = sides[found.group(1)]
    holds = said == side or (side == "at_least" and said == "above")
    lead = f"{'是' if holds else '否'}，{found.group(0)}。"
    return replace(answer, answer=lead + answer.answer, short_answer=lead.rstrip("。"))
