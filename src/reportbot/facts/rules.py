"""Pure clause rules behind fact extraction: names, clauses and the phrase naming a number.

Chinese report prose states a figure as ``[time,] subject + metric phrase + number``
(南昌市新增服务外包企业188家) or ``subject + number + counted noun`` (9家服务外包企业).
These helpers read that shape from character offsets; periods.py, names.py, metrics.py and
enumerations.py build on them and facts/extract.py assembles the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from reportbot.language.quantities import MONEY_UNITS
from reportbot.language.vocabulary import alternation, load, words

STRONG = "，,；;。：:！？!?\n"
TIME_MARK = "\x00"  # stands for a time expression inside a phrase (see extract._marked)
# The words of that shape are data (language/data/facts.toml): predicates (VERBS), clause
# openers, link words before a number, words of change, name stops and name suffixes.
VERBS = words("facts", "verbs")
_STOP_CHARS = "".join(words("facts", "name_stops"))
_LEAD = re.compile(rf"(?:{alternation('facts', 'lead')})+")
_LINK_TAIL = re.compile(rf"(?:{alternation('facts', 'link_tail')})+$")
_CONNECTORS = re.compile(rf"^(?:{alternation('facts', 'connectors')})+")
# 全市地区生产总值: a reference to the subject (全市, 该省) opening a phrase is not metric.
_REFERENCE = re.compile("^(?:" + "|".join(sorted(load("facts")["anaphors"], key=len,
                                                  reverse=True)) + ")")
_LIGHT_VERB = re.compile(alternation("facts", "light_verbs"))
_ADVERBIAL = re.compile(alternation("facts", "adverbials"))
_LOCATIVE_END = re.compile(r"(?<=..)[中内里]$")
_NOUN_BREAK = re.compile(rf"(?:{alternation('facts', 'comparison_base')})")
DECLINE = re.compile(alternation("facts", "change_decline"))
CHANGE = re.compile("|".join(words("facts", "change_rise") + words("facts", "change_decline")
                             + words("facts", "change_comparison")))
_MULTI_SUFFIXES = words("facts", "name_suffixes")
_SINGLE_SUFFIXES = "".join(words("facts", "name_suffix_chars"))
_NAME_CHAR = re.compile(r"[A-Za-z\u4e00-\u9fff·]")
_NOT_NAME_ENDS = words("facts", "suffix_in_words.ending")
_NOT_NAME_STARTS = words("facts", "suffix_in_words.starting")
_MAX_NAME = 30
_MAX_EXTENSION = 6


def _by_first_character(verbs: Sequence[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for v in verbs:
        out.setdefault(v[:1], []).append(v)
    return {first: tuple(vs) for first, vs in out.items()}


# The lexicon's verbs by their first character, each list in the lexicon's order: a check
# reads only the verbs that can start there (it runs at every character of every name).
_VERBS_AT = _by_first_character(VERBS)


def starts_with_verb(s: str, pos: int = 0) -> str | None:
    """The lexicon verb ``s`` starts with at ``pos`` (its first in the lexicon), if any."""
    return next((v for v in _VERBS_AT.get(s[pos : pos + 1], ()) if s.startswith(v, pos)), None)


def _name_region(text: str, pos: int, end: int) -> str:
    """Characters from pos that could belong to a name: up to a stop word, verb or mark."""
    out: list[str] = []
    i = pos
    while i < min(end, pos + _MAX_NAME):
        ch = text[i]
        if not _NAME_CHAR.match(ch) or ch in _STOP_CHARS or (out and starts_with_verb(text, i)):
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
        if multi or (head[-1] in _SINGLE_SUFFIXES and e >= 3 and _single_end(region, e)):
            ends.append((e, multi is not None))
    if not ends:
        return ""
    best = ends[0][0]
    # 东软集团 + 股份有限公司: one name, extended over a short gap to a longer suffix.
    for e, is_multi in ends[1:]:
        if is_multi and e - best <= _MAX_EXTENSION:
            best = e
    return region[:best]


def _single_end(region: str, e: int) -> bool:
    """Does a one-character suffix end a name here? Not in a common word (全部, 地区) nor
    where it starts one (市场, 部分)."""
    return (not any(region[:e].endswith(w) for w in _NOT_NAME_ENDS)
            and not any(region.startswith(w, e - 1) for w in _NOT_NAME_STARTS))


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def skip_lead(text: str, pos: int, end: int, times: Sequence[_Span]) -> int:
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


def following_noun(text: str, pos: int, end: int) -> str:
    """The counted noun after a classifier (9家服务外包企业被… -> 服务外包企业), or ''."""
    out: list[str] = []
    i = pos
    while i < min(end, pos + 12):
        ch = text[i]
        if (not _NAME_CHAR.match(ch) or ch in _STOP_CHARS or starts_with_verb(text, i)
                or _NOUN_BREAK.match(text, i)):
            break
        out.append(ch)
        i += 1
    noun = "".join(out)
    # 35个大类行业中，…: a locative closing the clause is not part of the noun.
    return _LOCATIVE_END.sub("", noun) if i >= end or text[i] in STRONG else noun


def modifier(segment: str) -> str:
    """Bare nouns right before a count modify its counted noun (工业35个大类行业 -> 工业大类
    行业); anything with a stop word, verb or change is a phrase of its own, not a modifier."""
    words = drop_lead(segment.rsplit(TIME_MARK, 1)[-1])
    if (2 <= len(words) <= 6 and all(_NAME_CHAR.match(c) and c not in _STOP_CHARS
                                     for c in words)
            and not starts_with_verb(words) and not CHANGE.search(words)):
        return words
    return ""


def noun_continues(text: str, pos: int) -> bool:
    """Could the noun read up to pos go on (no mark, stop word or verb there)?"""
    return (pos < len(text) and bool(_NAME_CHAR.match(text[pos]))
            and text[pos] not in _STOP_CHARS and not starts_with_verb(text, pos))


def clean_phrase(phrase: str) -> str:
    """The metric words of the text before a number, without connectives and link verbs."""
    phrase = _ADVERBIAL.sub("", re.sub(r"从[^，。；]*?中", "", phrase))
    phrase = phrase.rsplit(TIME_MARK, 1)[-1].rsplit("了", 1)[-1]
    phrase = drop_lead(phrase).removeprefix("的")
    phrase = re.sub(r"^[（(][^)）]*[)）]", "", phrase)
    # X、Y等单位兑现资金: the enumeration closer 等+noun is not part of the metric.
    closer = re.match(r"^等[^\W\d]{0,4}?(?=" + "|".join(VERBS) + ")", phrase)
    if closer:
        phrase = phrase[closer.end():]
    phrase = _LINK_TAIL.sub("", phrase)
    # 争取国家…资金: a verb opening a long object is the predicate; 兑现资金 is one noun.
    verb = starts_with_verb(phrase)
    # …but 建设项目投资增长: before a word of change the verb is part of the noun.
    if verb and len(phrase) - len(verb) >= 4 and not CHANGE.search(phrase):
        phrase = phrase[len(verb):]
    light = _LIGHT_VERB.sub("", phrase)
    phrase = light if len(light) >= 2 else phrase
    return re.sub(r"一行$", "", phrase).strip(" ·（(")  # 增速（3.1%）: the bracket is no word


def drop_lead(phrase: str) -> str:
    """A phrase without the connectives, references and joining words that open it."""
    phrase = _CONNECTORS.sub("", phrase)
    lead = _LEAD.match(phrase)
    if lead:
        phrase = phrase[lead.end():]
    return _REFERENCE.sub("", phrase)


def head_noun(phrase: str, unit: str) -> str:
    """Give a bare verb a head noun by unit (拨付 -> 拨付金额, 补助 -> 补助人数)."""
    if phrase in VERBS or not phrase:
        noun = "金额" if unit in MONEY_UNITS else "人数" if unit == "人" else "数量"
        return phrase + noun
    if unit == "人" and not re.search(r"[人数员者生工师]", phrase):
        return phrase + "人数"
    return phrase
