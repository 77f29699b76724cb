"""Pure enumeration rules: several figures stated for several items in one clause.

Statistical prose lists items, then their figures in the same order: 规模以上工业增加值、
社会消费品零售总额、固定资产投资分别增长a%、b%和c% (three figures, three metrics), 一般贸易、
加工贸易进出口分别为X和Y (the head noun 进出口 shared by both items), and a later clause may
reuse the items (…，分别占全市进出口总值的59.9%和13.9%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportbot.facts.rules import TIME_MARK, drop_lead
from reportbot.language.quantities import Quantity
from reportbot.language.vocabulary import alternation, words

_JOIN = re.compile(rf"^\s*(?:左右|以上)?\s*(?:{alternation('facts', 'connectors')})\s*$")
_SPLIT = re.compile(alternation("facts", "connectors"))
_SHARED = sorted(words("facts", "shared_heads"), key=len, reverse=True)
_LINK_TAIL = re.compile(rf"(?:{alternation('facts', 'link_tail')})+$")
_CHANGE_TAIL = re.compile(rf"(?:{alternation('facts', 'change_comparison')}|"
                          rf"{alternation('facts', 'change_rise')}|"
                          rf"{alternation('facts', 'change_decline')})+$")
_RESPECTIVELY = "分别"
_LAST_JOINS = ("以及", "和", "与", "及")
_CATEGORY = re.compile(rf"^.+?(?:{alternation('facts', 'categories')})(?=..)")
_LABEL = re.compile(r"[“\"「][^”\"」]{1,8}[”\"」]$")


@dataclass(frozen=True)
class Items:
    """The items of an enumeration (with their shared noun) and the words before the figures
    (分别增长 -> 增长; 占比为 -> 为)."""

    names: tuple[str, ...]
    predicate: str


def runs(text: str, quantities: list[Quantity]) -> list[list[Quantity]]:
    """Figures joined only by 、 和 及 (15.2%、36.8%和20.2%): one enumeration each."""
    out: list[list[Quantity]] = []
    for q in quantities:
        if out and _JOIN.match(text[out[-1][-1].end:q.start]):
            out[-1].append(q)
        else:
            out.append([q])
    return [r for r in out if len(r) > 1]


def joined(between: str) -> bool:
    """Are two figures joined only by an enumeration word (3000亿元、4000亿元)?"""
    return bool(_JOIN.match(between))


def items(phrase: str, n: int) -> Items | None:
    """The n items named before the figures of an enumeration, or None when the phrase does
    not list n items. ``phrase`` runs from the clause's subject to the first figure."""
    phrase = phrase.rsplit(TIME_MARK, 1)[-1]
    if _RESPECTIVELY in phrase:
        head, predicate = phrase.rsplit(_RESPECTIVELY, 1)
    else:
        tail = _LINK_TAIL.search(phrase) or _CHANGE_TAIL.search(phrase)
        cut = tail.start() if tail else len(phrase)
        head, predicate = phrase[:cut], phrase[cut:]
    change = _CHANGE_TAIL.search(head)  # 产量同比分别增长: 同比 belongs to the predicate
    if change:
        head, predicate = head[: change.start()], change.group(0) + predicate
    head = drop_lead(head)
    if not head:
        return Items((), predicate)
    parts = head.split("、")
    if len(parts) == n - 1:  # A、B和C: the last 和 (及 may sit inside a name: 航空航天器及设备)
        sep = next((w for w in _LAST_JOINS if w in parts[-1]), None)
        if sep is not None:
            at = parts[-1].rfind(sep)
            parts[-1:] = [parts[-1][:at], parts[-1][at + len(sep) :]]
    if len(parts) != n:
        parts = _SPLIT.split(head)
    if len(parts) != n or not all(parts):
        return None
    return Items(_with_shared(parts), predicate)


def _with_shared(parts: list[str]) -> tuple[str, ...]:
    """A head noun written once after the last item belongs to every item (高技术制造业和高技术
    服务业投资 -> 高技术制造业投资, 高技术服务业投资) unless the items are whole already."""
    if any(parts[0].endswith(s) for s in _SHARED):
        return tuple(parts)
    last, shared = parts[-1], ""
    while True:
        head = next((s for s in _SHARED if last.endswith(s) and len(last) > len(s)), None)
        if head is None:
            break
        last, shared = last[: -len(head)], head + shared
    last = _LABEL.sub("", last)  # 太阳能电池“新三样”出口: the quoted label names the group
    # 大宗资源类商品铁矿砂、煤炭: a category word before the first item names the group.
    first = _CATEGORY.sub("", parts[0])
    return (first + shared, *(p + shared for p in parts[1:-1]), last + shared)
