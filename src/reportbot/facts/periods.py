"""Pure period rules of fact extraction: which time a figure is stated for.

A report states a figure for a period (上半年, 1-7月, 6月末, 2009年度) in its own sentence,
and names other times only to compare with (比一季度提高, 较2021年同期增长): those are the
base of a change, never the figure's period. Periods are written out with the document's
year (上半年 -> 2023年上半年) so figures of different years never meet.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from reportbot.language.quantities import TIME_KINDS, Quantity, parse_quantities
from reportbot.language.vocabulary import alternation, load

# Years named relative to the document's year (去年 = -1), from facts.toml.
RELATIVE_YEARS = {str(k): int(v) for k, v in load("facts")["relative_years"].items()}
_RELATIVE = re.compile("|".join(RELATIVE_YEARS))
_CONTEXT_YEARS = frozenset(load("facts")["context_years"]["words"])
_WRITTEN_YEAR = re.compile(r"(?:19|20)\d{2}年")
# Words before a time that make it the base of a comparison (比一季度, 快于去年全年) and
# words after it (2021年同期, 与一季度相比); data/facts.toml.
_COMPARED_BEFORE = re.compile(rf"(?:{alternation('facts', 'comparison_before')})\s*$")
_COMPARED_AFTER = re.compile(rf"^\s*(?:{alternation('facts', 'comparison_after')})")
_CN_DIGITS = "〇一二三四五六七八九十"
_MONTH = re.compile(r"^\d{4}年\d{1,2}月")
_DAY = re.compile(r"^(\d{4}年\d{1,2}月)\d{1,2}[日号]")
_FULL_DATE = re.compile(r"((?:19|20)\d{2})(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}[日号])")


@dataclass(frozen=True)
class TimeExpr:
    """A time expression with its normalised period wording (2010年1-12月份 -> 2010年1-12月).

    ``compared`` marks the base of a comparison (比一季度): never a figure's own period.
    """

    start: int
    end: int
    period: str
    compared: bool = False


def document_year(text: str, year: int | None) -> int | None:
    """The year the document speaks in: its metadata's, else its first full date's (the
    dateline 2023-07-25 or 2023年7月25日), else the latest year it names."""
    if year is not None:
        return year
    dated = _FULL_DATE.search(text)
    if dated:
        return int(dated.group(1))
    years = [int(q.value) for q in parse_quantities(text) if q.kind in TIME_KINDS
             and re.match(r"\d{4}年", q.text)]
    return max(years) if years else None


def time_expressions(text: str, quantities: list[Quantity], year: int | None) -> list[TimeExpr]:
    """Dates, years and periods (not document numbers), anchored to the document's year.

    A relative year joins the period right after it: 今年一季度 -> 2023年一季度, 去年全年 ->
    2022年 (the whole of last year).
    """
    dated = sorted(((q.start, q.end, q) for q in quantities if q.kind in TIME_KINDS),
                   key=lambda r: r[0])
    relative = [(m.start(), m.end()) for m in _RELATIVE.finditer(text)]
    out: list[TimeExpr] = []
    last_year = year
    for start, end, q in dated:
        joined = next((r for r in relative if r[1] == start), None)
        anchor = year if year is not None else last_year
        if joined is not None and anchor is not None:
            relative.remove(joined)
            start, anchor = joined[0], anchor + RELATIVE_YEARS[text[joined[0]:joined[1]]]
        out.append(TimeExpr(start, end, _period_text(q, anchor)))
        if "年" in q.text and re.match(r"\d{4}", q.text):
            last_year = int(q.value)
    if year is not None:
        out += [TimeExpr(s, e, _relative_year(text, s, e, out, year)) for s, e in relative]
    out = _merge_relative(text, out)
    return [_compared(text, t) for t in sorted(out, key=lambda t: t.start)]


def _relative_year(text: str, start: int, end: int, dated: list[TimeExpr], year: int) -> str:
    """今年 -> the document's year; 全年 -> the year last written in its sentence, if any."""
    word = text[start:end]
    if word in _CONTEXT_YEARS:
        sentence_start = max(text.rfind(m, 0, start) for m in "。；！？\n") + 1
        written = [t for t in dated if sentence_start <= t.start and t.end <= start
                   and _WRITTEN_YEAR.match(text, t.start)]
        if written:
            return written[-1].period[:5]
    return f"{year + RELATIVE_YEARS[word]}年"


def _merge_relative(text: str, times: list[TimeExpr]) -> list[TimeExpr]:
    """去年全年, 2022年全年: a year and the whole-year word right after it are one time."""
    out: list[TimeExpr] = []
    for t in sorted(times, key=lambda t: t.start):
        if out and out[-1].end == t.start and text[t.start:t.end] in _CONTEXT_YEARS:
            out[-1] = TimeExpr(out[-1].start, t.end, out[-1].period)
            continue
        out.append(t)
    return out


def _compared(text: str, t: TimeExpr) -> TimeExpr:
    before = text[max(0, t.start - 6):t.start]
    after = text[t.end:t.end + 4]
    if _COMPARED_BEFORE.search(before) or _COMPARED_AFTER.match(after):
        return TimeExpr(t.start, t.end, t.period, compared=True)
    return t


def _period_text(q: Quantity, year: int | None) -> str:
    """One spelling per period: 份 and spaces dropped, dashes as -, 第一季度 as 一季度,
    前7个月 as 1-7月, Chinese-numeral years and ISO dates in digits, the year added."""
    words = re.sub(r"\s*[-－—–~～至到]\s*", "-", q.text.replace("份", "").replace(" ", ""))
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words)
    if iso:
        return f"{iso.group(1)}年{int(iso.group(2))}月{int(iso.group(3))}日"
    m = re.match(rf"^([{_CN_DIGITS}零]{{4}})年", words)
    if m:
        words = f"{int(q.value)}年{words[m.end():]}"
    words = re.sub(r"第(?=[一二三四1-4]季度)", "", words).replace("半年度", "上半年")
    words = re.sub(r"(?<![一二三四])([1-4])季度",
                   lambda g: "一二三四"[int(g.group(1)) - 1] + "季度", words)
    words = re.sub(r"前(\d{1,2}|[一二三四五六七八九十]{1,2})个月",
                   lambda g: f"1-{_small_number(g.group(1))}月", words)
    if q.kind == "date" and "年" not in words.replace("半年", "") and year is not None:
        words = f"{year}年{words}"
    return words


def _small_number(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if raw.startswith("十"):
        return 10 + (_CN_DIGITS.index(raw[1]) if len(raw) > 1 else 0)
    tens, _, ones = raw.partition("十")
    return _CN_DIGITS.index(tens) * (10 if _ else 1) + (_CN_DIGITS.index(ones) if ones else 0)


def own_period(q_start: int, q_end: int, sentence: tuple[int, int],
               times: list[TimeExpr], clause_end: int | None = None) -> str | None:
    """The period the figure's own sentence states: the nearest time before the number,
    else after it in its clause (…增长42.4%，提前半年完成全年目标: 全年 is the target's);
    a compared time (比一季度) is the base of a change, not a period."""
    s_start, s_end = sentence
    before = [t for t in times if s_start <= t.start and t.end <= q_start and not t.compared]
    if before:
        return before[-1].period
    end = s_end if clause_end is None else clause_end
    after = [t for t in times if q_end <= t.start and t.end <= end and not t.compared]
    return after[0].period if after else None


def attached_time(text: str, q_start: int, times: list[TimeExpr]) -> TimeExpr | None:
    """A compared time written right before the figure (相比1-6月份9%的水平): the figure is
    that time's, so the time is its period."""
    for t in times:
        if t.compared and t.end <= q_start and text[t.end:q_start] in ("", "的"):
            return t
    return None


def sentence_period(sentence: tuple[int, int], times: list[TimeExpr]) -> str | None:
    """The last period a sentence states (for the sentence that continues it), or None."""
    own = [t for t in times if sentence[0] <= t.start and t.end <= sentence[1]
           and not t.compared]
    return own[-1].period if own else None


def carried(period: str) -> str:
    """A period carried into a later sentence: a day widens to its month (6月11日-12日… 6月
    22日-25日. 三次会议… speaks of June, not of the 25th)."""
    day = _DAY.match(period)
    return day.group(1) if day else period


def document_period(title_times: list[TimeExpr], times: list[TimeExpr],
                    year: int | None) -> str:
    """The period a document reports on: its title's, else the period its text states most
    (days are events, not reporting periods), else its year."""
    if title_times:
        return title_times[-1].period
    counts = Counter(t.period for t in times
                     if not t.compared and not _DAY.match(t.period) and t.period)
    if counts:
        return counts.most_common(1)[0][0]
    return f"{year}年" if year else ""


def is_month(period: str) -> bool:
    """Does the period name one month of a year (2010年6月)?"""
    return bool(_MONTH.match(period))
