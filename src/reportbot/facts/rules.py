"""Pure clause rules behind fact extraction: subjects, periods and the phrase naming a number.

Chinese report prose states a figure as ``[time,] subject + metric phrase + number``
(南昌市新增服务外包企业188家) or ``subject + number + counted noun`` (9家服务外包企业).
These helpers read that shape from character offsets; facts/store.py assembles the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportbot.language.quantities import MONEY_UNITS, TIME_KINDS, Quantity
from reportbot.language.vocabulary import alternation, load, words

STRONG = "，,；;。：:！？!?\n"
TIME_MARK = "\x00"  # stands for a time expression inside a phrase (see store._marked)
# The words of that shape are data (language/data/facts.toml): predicates (VERBS), clause
# openers, link words before a number, words of change, name stops and name suffixes.
VERBS = words("facts", "verbs")
_STOP_CHARS = "".join(words("facts", "name_stops"))
_LEAD = re.compile(rf"(?:{alternation('facts', 'lead')})+")
_LINK_TAIL = re.compile(rf"(?:{alternation('facts', 'link_tail')})+$")
_RELATIVE_YEARS = {str(k): int(v) for k, v in load("facts")["relative_years"].items()}
_RELATIVE = re.compile("|".join(_RELATIVE_YEARS))
DECLINE = re.compile(alternation("facts", "change_decline"))
CHANGE = re.compile("|".join(words("facts", "change_rise") + words("facts", "change_decline")
                             + words("facts", "change_comparison")))
_MULTI_SUFFIXES = words("facts", "name_suffixes")
_SINGLE_SUFFIXES = "".join(words("facts", "name_suffix_chars"))
_NAME_CHAR = re.compile(r"[A-Za-z\u4e00-\u9fff·]")
_MAX_NAME = 30
_MAX_EXTENSION = 6


@dataclass(frozen=True)
class TimeExpr:
    """A time expression with its normalised period wording (2010年1-12月份 -> 2010年1-12月)."""

    start: int
    end: int
    period: str


def starts_with_verb(s: str) -> str | None:
    """The lexicon verb ``s`` starts with, if any."""
    return next((v for v in VERBS if s.startswith(v)), None)


def _name_region(text: str, pos: int, end: int) -> str:
    """Characters from pos that could belong to a name: up to a stop word, verb or mark."""
    out: list[str] = []
    i = pos
    while i < min(end, pos + _MAX_NAME):
        ch = text[i]
        if not _NAME_CHAR.match(ch) or ch in _STOP_CHARS or (out and starts_with_verb(text[i:])):
            break
        out.append(ch)
        i += 1
    return "".join(out)


def entity_at(text: str, pos: int, end: int) -> str:
    """An organisation or place name starting at pos (南昌市, 东软集团股份有限公司), or ''."""
    region = _name_region(text, pos, end)
    ends: list[tuple[int, bool]] = []
    for e in range(2, len(region) + 1):
        head = region[:e]
        multi = next((s for s in _MULTI_SUFFIXES if head.endswith(s) and len(head) > len(s)),
                     None)
        if multi or (head[-1] in _SINGLE_SUFFIXES and e >= 3):
            ends.append((e, multi is not None))
    if not ends:
        return ""
    best = ends[0][0]
    # 东软集团 + 股份有限公司: one name, extended over a short gap to a longer suffix.
    for e, is_multi in ends[1:]:
        if is_multi and e - best <= _MAX_EXTENSION:
            best = e
    return region[:best]


def skip_lead(text: str, pos: int, end: int, times: list[TimeExpr]) -> int:
    """Skip connectives (其中, 此外) and time expressions that open a clause."""
    while pos < end:
        m = _LEAD.match(text, pos, end)
        if m and m.end() > pos:
            pos = m.end()
            continue
        t = next((t for t in times if t.start == pos), None)
        if t is not None:
            pos = t.end
            continue
        if text[pos] in " \u3000":
            pos += 1
            continue
        break
    return pos


def clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause holding pos: after the last strong mark (，；。：) or floor."""
    i = pos
    while i > floor and text[i - 1] not in STRONG and text[i - 2 : i] != "——":
        i -= 1
    return i


def clause_end(text: str, pos: int, ceiling: int) -> int:
    """End of the clause holding pos (exclusive of the closing mark)."""
    i = pos
    while i < ceiling and text[i] not in STRONG:
        i += 1
    return i


def subject_mentions(text: str, start: int, end: int,
                     times: list[TimeExpr]) -> list[tuple[int, str]]:
    """Names standing in subject position (opening a clause) in text[start:end]."""
    found: list[tuple[int, str]] = []
    starts = [start] + [i + 1 for i in range(start, end) if text[i] in STRONG]
    starts += [i + 2 for i in range(start, end - 1) if text[i : i + 2] == "——"]
    for s in sorted(starts):
        pos = skip_lead(text, s, end, times)
        name = entity_at(text, pos, end)
        if name:
            found.append((pos, name))
    return found


def time_expressions(text: str, quantities: list[Quantity], year: int | None) -> list[TimeExpr]:
    """Dates and years (not document numbers) with periods anchored to the report's year."""
    raw: list[tuple[int, int, Quantity | None]] = [
        (q.start, q.end, q) for q in quantities if q.kind in TIME_KINDS]
    raw += [(m.start(), m.end(), None) for m in _RELATIVE.finditer(text)]
    out: list[TimeExpr] = []
    last_year = year
    for start, end, q in sorted(raw, key=lambda r: r[0]):
        if q is None:
            if year is not None:
                period = f"{year + _RELATIVE_YEARS[text[start:end]]}年"
                out.append(TimeExpr(start, end, period))
            continue
        out.append(TimeExpr(start, end, _period_text(q, year if year else last_year)))
        if "年" in q.text:
            last_year = int(q.value)
    return out


def _period_text(q: Quantity, year: int | None) -> str:
    words = q.text.replace("份", "").replace(" ", "")
    m = re.match(r"^([〇零一二三四五六七八九]{4})年", words)
    if m:
        words = f"{int(q.value)}年{words[m.end():]}"
    if q.kind == "date" and "年" not in words and year is not None:
        words = f"{year}年{words}"
    return words


_MONTH = re.compile(r"^\d{4}年\d{1,2}月")


def period_for(q_start: int, q_end: int, sentence: tuple[int, int], paragraph: tuple[int, int],
               times: list[TimeExpr], default: str) -> str:
    """Nearest time before the number in its sentence, else after it, else in the paragraph."""
    s_start, s_end = sentence
    before = [t for t in times if s_start <= t.start and t.end <= q_start]
    if before:
        return before[-1].period
    after = [t for t in times if q_end <= t.start and t.end <= s_end]
    if after:
        return after[0].period
    earlier = [t for t in times if paragraph[0] <= t.start and t.end <= s_start]
    if not earlier:
        return default
    # A sentence after several dates of one month (6月11日…, 6月15日…) speaks of that month.
    months = {m.group(0) for t in earlier if (m := _MONTH.match(t.period))}
    if len(earlier) > 1 and len(months) == 1 and all(_MONTH.match(t.period) for t in earlier):
        return months.pop()
    return earlier[-1].period


def following_noun(text: str, pos: int, end: int) -> str:
    """The counted noun after a classifier (9家服务外包企业被… -> 服务外包企业), or ''."""
    out: list[str] = []
    i = pos
    while i < min(end, pos + 12):
        ch = text[i]
        if not _NAME_CHAR.match(ch) or ch in _STOP_CHARS or starts_with_verb(text[i:]):
            break
        out.append(ch)
        i += 1
    return "".join(out)


def clean_phrase(phrase: str) -> str:
    """The metric words of the text before a number, without connectives and link verbs."""
    phrase = re.sub(r"从[^，。；]*?中", "", phrase)
    phrase = phrase.rsplit(TIME_MARK, 1)[-1].rsplit("了", 1)[-1]
    lead = _LEAD.match(phrase)
    if lead:
        phrase = phrase[lead.end():]
    phrase = re.sub(r"^[（(][^)）]*[)）]", "", phrase)
    # X、Y等单位兑现资金: the enumeration closer 等+noun is not part of the metric.
    closer = re.match(r"^等[^\W\d]{0,4}?(?=" + "|".join(VERBS) + ")", phrase)
    if closer:
        phrase = phrase[closer.end():]
    phrase = _LINK_TAIL.sub("", phrase)
    # 争取国家…资金: a verb opening a long object is the predicate; 兑现资金 is one noun.
    verb = starts_with_verb(phrase)
    if verb and len(phrase) - len(verb) >= 4:
        phrase = phrase[len(verb):]
    return re.sub(r"一行$", "", phrase).strip(" ·")


def head_noun(phrase: str, unit: str) -> str:
    """Give a bare verb a head noun by unit (拨付 -> 拨付金额, 补助 -> 补助人数)."""
    if phrase in VERBS or not phrase:
        noun = "金额" if unit in MONEY_UNITS else "人数" if unit == "人" else "数量"
        return phrase + noun
    if unit == "人" and not re.search(r"[人数员者生工师]", phrase):
        return phrase + "人数"
    return phrase
