"""Periods compared across wordings: 上半年, 1-6月 and 前6个月 are one period; 一季度 and
上半年 are two. A figure answers a question about a period only when its own sentence (or
fact) states that period.
"""

from __future__ import annotations

import functools
import re

from reportbot.facts.periods import time_expressions
from reportbot.language.quantities import parse_quantities

_CN = {"一": 1, "二": 2, "三": 3, "四": 4}
_HALF = {"上半年": "1-6", "下半年": "7-12", "全年": "1-12"}
_QUARTER = re.compile(r"^第?([一二三四1-4])季度$")
_FIRST_QUARTERS = re.compile(r"^前([一二三四1-4])(?:个)?季度$")
_RANGE = re.compile(r"^(\d{1,2})\s*[-—~～至到]\s*(\d{1,2})月")
_MONTH_END = re.compile(r"^(\d{1,2})月(?:底|末)$")
_MONTH = re.compile(r"^(\d{1,2})月")
_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]")
_DAYS = re.compile(r"^(\d{1,2})月(\d{1,2})\s*[-—~～至到]\s*(\d{1,2})日")


@functools.lru_cache(maxsize=8192)
def period_key(period: str) -> str | None:
    """A period as a year-free month range (上半年 -> '1-6', 7月份 -> '7-7', 6月末 -> 'end-6'),
    days as month/days (7月1-20日 -> '7/1-20', 7月24日 -> '7/24'), or None for a bare year
    or a wording no range covers."""
    p = re.sub(r"^\d{4}年", "", period.strip())
    if p in _HALF:
        return _HALF[p]
    for regex, shape in ((_QUARTER, "q"), (_FIRST_QUARTERS, "first")):
        m = regex.match(p)
        if m:
            q = _CN.get(m.group(1)) or int(m.group(1))
            return f"{3 * q - 2}-{3 * q}" if shape == "q" else f"1-{3 * q}"
    m = _RANGE.match(p)
    if m:
        return f"{int(m.group(1))}-{int(m.group(2))}"
    m = _MONTH_END.match(p)
    if m:
        return f"end-{int(m.group(1))}"
    m = _DAYS.match(p)
    if m:  # 7月1-20日 is part of July, not July
        return f"{int(m.group(1))}/{int(m.group(2))}-{int(m.group(3))}"
    m = _DAY.match(p)
    if m:  # 7月31日 (a release's date, a close) is a day of July, not July
        return f"{int(m.group(1))}/{int(m.group(2))}"
    m = _MONTH.match(p)
    return f"{int(m.group(1))}-{int(m.group(1))}" if m else None


# Pure and asked again for the same question and window by every evidence candidate and
# every fact of a question: remembered.
@functools.lru_cache(maxsize=4096)
def stated_periods(text: str) -> frozenset[str]:
    """The periods a text states for its own figures (not the bases it compares with)."""
    keys = (period_key(t.period) for t in time_expressions(text, parse_quantities(text), None)
            if not t.compared)
    # 截至7月31日 is the end of July (截至7月底): a stock or running total up to the last day
    ends = {f"end-{int(m.group(1))}" for m in _UP_TO_DAY.finditer(text)
            if int(m.group(2)) == _LAST_DAY.get(int(m.group(1)), 31)
            or int(m.group(1)) == 2 and int(m.group(2)) == 29}
    # 截至2023年6月30日止六个月 (a company's interim period): the months that end that day
    spans = {f"{int(m.group(1)) - n + 1}-{int(m.group(1))}" for m in _MONTHS_TO.finditer(text)
             if 0 < (n := _count(m.group(2))) <= int(m.group(1))}
    # 预期全年汽车产量为180万辆: a whole year's figure (not 快于去年全年, a base compared with)
    year = {"1-12"} if _WHOLE_YEAR.search(text) else set()
    return frozenset(k for k in keys if k is not None) | ends | year | spans


def _count(said: str) -> int:
    """A month count written in digits or Chinese numerals up to 十二."""
    if said.isdigit():
        return int(said)
    digits = "一二三四五六七八九"
    if said.startswith("十"):
        return 10 + (digits.index(said[1]) + 1 if len(said) > 1 else 0)
    return digits.index(said) + 1 if said in digits else 0


_WHOLE_YEAR = re.compile(r"(?<![去上前比较于年])全年")
_UP_TO_DAY = re.compile(r"(?:截至|截止)(?:到)?\s*(?:\d{4}年)?(\d{1,2})月(\d{1,2})[日号]")
_LAST_DAY = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}
_MONTHS_TO = re.compile(r"(?:截至|截止)(?:到)?\s*(?:\d{4}年)?(\d{1,2})月\d{1,2}[日号]止?的?"
                        r"(\d{1,2}|十[一二]?|[一二三四五六七八九])个月")
