"""Pure metric rules: what a figure is a figure of, when the words before it do not say.

A change with no noun of its own (同比增长4.7%, 比一季度提高2.8个百分点) is the change of the
figure before it; a share (占比30.8%) is the share of the quantity before it; a figure in
brackets after a time or the nation (快于一季度（6.7%）, 全国水平（5.5%）) is the clause's measure
for that time or for the nation; a clause whose words before the number name nothing
(由一季度的-2.7%) is named by its head (规模以上工业增加值增速由…).
"""

from __future__ import annotations

import re
from dataclasses import replace

from reportbot.facts.names import NATIONAL
from reportbot.facts.periods import TimeExpr
from reportbot.facts.rules import CHANGE, TIME_MARK, clean_phrase
from reportbot.language.vocabulary import alternation, words
from reportbot.records import Fact

_BASE = re.compile(rf"(?:{alternation('facts', 'comparison_base')})[^，。；]*$")
_SHARE = re.compile(rf"^(?:{alternation('facts', 'share')})")
_CHANGE_TAIL = re.compile(rf"(?:{alternation('facts', 'change_comparison')}|"
                          rf"{alternation('facts', 'change_rise')}|"
                          rf"{alternation('facts', 'change_decline')})+$")
_HEAD_END = re.compile(rf"由|从|(?:{alternation('facts', 'comparison_base')})|为|达|[（(]")
_NATIONAL_LEVEL = re.compile(rf"(?:{'|'.join(words('facts', 'names.national'))})"
                             r"(?:平均)?(?:水平)?$")
_GROWTH = "增速"


def own_noun(phrase: str) -> bool:
    """Do the words before a number name something beyond a change and its base?
    (民营企业增加值同比增长: yes; 同比增长, 比一季度提高, 较2021年同期增长: no)"""
    rest = CHANGE.sub("", _BASE.sub("", phrase))
    rest = rest.replace(TIME_MARK, "").strip(" 的同")
    return len(rest) >= 2


def clause_head(words_before: str) -> str:
    """The noun a clause opens with, before 由, 比 or a link word (…增速由一季度的 -> …增速)."""
    plain = words_before.replace(TIME_MARK, "")
    cut = _HEAD_END.search(plain)
    return clean_phrase(plain[: cut.start()] if cut else plain)


def parenthetical_owner(text: str, start: int, end: int, times: list[TimeExpr],
                        base: Fact) -> Fact | None:
    """A figure alone in brackets gives the value of what the brackets follow: a time
    (快于一季度（6.7%）: the period) or the nation (全国水平（5.5%）: the subject)."""
    if start == 0 or text[start - 1] not in "（(" or text[end : end + 1] not in ("）", ")"):
        return None
    owner = start - 1
    time = next((t for t in times if t.end == owner), None)
    if time is not None:
        return replace(base, period=time.period)
    if _NATIONAL_LEVEL.search(text[max(0, owner - 8) : owner]):
        return replace(base, subject=NATIONAL)
    return None


def qualifier_metric(target: Fact, phrase: str) -> str:
    """The metric of a change of ``target``: a growth rate's change is its growth's
    (地区生产总值同比增长 + 比一季度提高 -> 地区生产总值增速比一季度提高)."""
    if target.kind == "rate" and _CHANGE_TAIL.search(target.metric):
        return _CHANGE_TAIL.sub("", target.metric) + _GROWTH + phrase
    return target.metric + phrase


def borrowed(phrase: str, quantities: list[Fact]) -> str | None:
    """A share names the quantity before it (进出口额… 占比30.8% -> 进出口额占比), or None."""
    if not _SHARE.match(phrase) or not quantities:
        return None
    return quantities[-1].metric + phrase
