"""What a question asks, read from its wording: a number, a unit, a derivation, a yes/no
check, a date, a person, an organisation, another name, a rank.

Every "what does it ask" pattern of the package lives here, its words in
``language/data/asking.toml``; other stages read the answers from the question frame
(:mod:`reportbot.language.question`) or these functions, never from patterns of their own.
Written by hand: no offline Chinese question classifier ships on PyPI.
"""

from __future__ import annotations

import functools
import re

from reportbot.language.quantities import (
    QUANTITY_KINDS,
    Quantity,
    parse_quantities,
    unit_counted,
)
from reportbot.language.tokens import is_english
from reportbot.language.vocabulary import load

_DATA = "asking"


@functools.cache
def pattern(key: str) -> re.Pattern[str]:
    """One compiled pattern of asking.toml (a list is joined with |), case-insensitive."""
    value = load(_DATA)[key]
    return re.compile(value if isinstance(value, str) else "|".join(value), re.IGNORECASE)


@functools.cache
def _named(table: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """An ordered array of {name, pattern} tables, compiled."""
    return tuple((str(row["name"]), re.compile(
        row["pattern"] if isinstance(row["pattern"], str) else "|".join(row["pattern"]),
        re.IGNORECASE)) for row in load(_DATA)[table])


def follow_up_leads() -> tuple[str, ...]:
    """Words a follow-up starts with when it leans on the previous question."""
    return tuple(load(_DATA)["follow_up_leads"])


def asks_quantity(question: str) -> bool:
    """Does the question ask for a number? (哪几家 asks which ones; 几月 asks when.)"""
    return bool(pattern("asks_quantity").search(pattern("not_a_count").sub("", question)))


def asks_figure(question: str) -> bool:
    """Could the fact table answer it: a count, amount, share, total or difference asked?"""
    return pattern("figure").search(question) is not None


def wanted_unit(question: str) -> str | None:
    """The unit a quantity question asks for (人 vs 家 matters), if it says."""
    q = question.lower()
    for words, unit in load(_DATA)["wanted_unit"]:
        if words in q:
            return str(unit)
    return None


def asked_unit(question: str) -> str | None:
    """The unit a figure question wants: 人, 家, 个, 项, 次, %, 'money' or any counter the
    quantity parser knows (多少套, 多少万吨); None if not said."""
    question = pattern("by_rate").sub(" ", question)
    for unit, found in (*_named("counted"), *_named("unit_word")):
        if found.search(question):
            return unit
    if (counted := unit_counted(question)) is not None:
        return counted
    heads = [(m.end(), unit) for unit, found in _named("head_word")
             for m in found.finditer(question)]
    return max(heads)[1] if heads else None


def derivation_kind(question: str) -> str | None:
    """The derivation a question asks for (prior, share, difference, average, sum,
    multiple) or None."""
    return next((kind for kind, found in _named("derivation") if found.search(question)), None)


def asks_per_unit(question: str) -> bool:
    """A per-unit figure asked (每人, 人均): 元/人 facts may answer it."""
    return pattern("per_unit").search(question) is not None


def without_ask_words(text: str) -> str:
    """The text with asking words and particles blanked (for matching fact metrics)."""
    return pattern("ask_noise").sub(" ", text)


def is_yes_no(question: str) -> bool:
    """Is it a yes/no question (是不是, 吗, Is …)?"""
    return pattern("yes_no").search(question.strip()) is not None


def _asserted(question: str) -> list[Quantity]:
    """The figures a yes/no question puts forward (dates and years are context, not claims)."""
    if not is_yes_no(question):
        return []
    return [q for q in parse_quantities(question) if q.kind in QUANTITY_KINDS]


def asserted_quantity(question: str) -> str | None:
    """The number a yes/no question puts forward to be checked (是不是27136家 -> 27136家,
    超过1万亿元了吗 -> 1万亿元)."""
    found = _asserted(question)
    return found[0].text if found else None


def threshold(question: str) -> str | None:
    """Which side of its asserted figure a yes/no question asks about: 'above' (超过X了吗),
    'at_least' (达到X了吗), 'below' (不到X吗), or None (是不是X: the figure itself)."""
    found = _asserted(question)
    if not found:
        return None
    # 超过每立方米5元了吗: a per-unit phrase may stand between the word and the figure
    before = re.sub(r"每[\u4e00-\u9fff]{1,4}$", "", question[: found[0].start])
    word = _threshold_word(before[-4:])
    for side in ("below", "above", "at_least"):  # the longest word decides: 未超过 is below
        if word and word in load(_DATA)[f"threshold_{side}"]:
            return side
    after = question[found[0].end : found[0].end + 2]  # 50%以上了吗: the word follows
    return next((side for side in ("at_least", "below")
                 if after in load(_DATA)[f"threshold_after_{side}"]), None)


@functools.cache
def threshold_sides() -> dict[str, str]:
    """Every threshold word (超过, 低于, 达到…) -> its side: above, at_least or below."""
    return {w: side for side in ("above", "at_least", "below")
            for w in load(_DATA)[f"threshold_{side}"]}


def reference_comparison(question: str) -> tuple[str, str, str] | None:
    """(subject, side, reference) of a yes/no question that compares with a named level
    rather than a figure: 增速超过全国水平了吗 -> ('…增速', 'above', '全国水平');
    高于临界点吗 -> (…, 'above', '临界点'). None when it puts a figure forward or asks no
    yes/no."""
    if not is_yes_no(question) or _asserted(question):
        return None
    sides = threshold_sides()
    words = "|".join(sorted(map(re.escape, sides), key=len, reverse=True))
    # …了吗, or the yes/no word before it (是否高于全国水平？, 有没有快于全国？)
    found = re.search(rf"({words})了?([\u4e00-\u9fff]{{2,8}}?)(?:的水平)?(?:了)?"
                      r"(?:吗|没有|么|[？?]?$)", question)
    if found is None or found.start() < 2:
        return None
    subject = re.sub(r"(?:是否|有没有|是不是|能否|可否)$", "", question[: found.start()])
    return (subject, sides[found.group(1)], found.group(2)) if subject else None


def question_for_scoring(question: str) -> str:
    """A yes/no question's asserted numbers are what is being checked, not what to look for:
    "是1477元吗" asks how much it really is, so look for the quantity, not for 1477."""
    out = question
    # An English question keeps its figures: the glossary bridge reads them (english_proxy).
    for q in reversed([] if is_english(question) else _asserted(question)):
        unit = question[q.start : q.end].lstrip("0123456789.,，").lstrip("万亿千百")
        start = q.start - len(_threshold_word(question[max(0, q.start - 4) : q.start]))
        out = out[:start] + f"多少{unit}" + out[q.end :]  # 超过1万亿元 asks 多少元 too
    return out


def _threshold_word(before: str) -> str:
    """The threshold word (超过, 达到, 不到…) that ``before`` ends with, or ''."""
    words = [w for side in ("below", "above", "at_least")
             for w in load(_DATA)[f"threshold_{side}"] if before.endswith(w)]
    return max(words, key=len, default="")


def english_asserted(question: str) -> str | None:
    """The figure an English yes/no question puts forward, in Chinese (27,136 companies ->
    27136家), or None."""
    if not is_yes_no(question):
        return None
    m = pattern("english_asserted").search(question)
    if m is None:
        return None
    number, said = m.group(1).replace(",", ""), m.group(2).lower()
    unit = ("%" if said in ("%", "percent") else "元" if said == "yuan" else
            "美元" if said == "dollars" else "家" if re.search(r"compan|firm|enterpris", said)
            else "人")
    return number + unit


def english_ask(question: str) -> str:
    """The Chinese asking words for an English question's shape (how many people -> 多少人)."""
    low = question.lower()
    for row in load(_DATA)["english_ask"]:
        if re.search(row["pattern"], low, re.IGNORECASE):
            return str(row["chinese"])
    return ""


def is_asking_word(token: str) -> bool:
    """A token that asks rather than names (几, 哪, 什么…): never a salient term."""
    return pattern("asking_word").search(token) is not None


def asks_anything(text: str) -> bool:
    """Does the text ask at all (何 only in 何时/为何…: alone it is also a surname)?"""
    return pattern("asks_anything").search(text) is not None


def asked_measure(question: str) -> str | None:
    """The measure word asked for (历仕几朝 -> 朝), for units evidence rules do not list."""
    m = pattern("asked_measure").search(question)
    return m.group(1) if m else None


def answer_kind(question: str) -> str | None:
    """The kind of thing a what/who/when question wants: alias, year, when, day,
    organisation, company, person, region, document; None when any clause may answer."""
    if pattern("asks_alias").search(question):
        return "alias"
    if pattern("asks_date").search(question):
        if pattern("asks_year").search(question):
            return "year"
        return "when" if pattern("asks_when").search(question) else "day"
    if pattern("asks_org").search(question):
        return "organisation"
    if pattern("asks_person").search(question):
        return "company" if pattern("asks_company").search(question) else "person"
    if pattern("asks_region").search(question):
        return "region"
    if pattern("asks_document").search(question):
        return "document"
    return None


def asks_date(question: str) -> bool:
    """A date of any grain asked (什么时候, 哪天, 几月, when)."""
    return pattern("asks_date").search(question) is not None


def asks_rank(question: str) -> bool:
    """A rank or place asked (第几, 排名, which edition)."""
    return pattern("asks_rank").search(question) is not None


# Derivations as intents: an average is a ratio of two facts, a sum a plain figure.
_DERIVED_INTENT = {"share": "share", "difference": "difference", "prior": "prior_year",
                   "average": "ratio", "multiple": "ratio", "sum": "lookup"}
_KIND_INTENT = {"year": "when", "when": "when", "day": "when", "person": "who",
                "company": "which", "organisation": "which", "alias": "which"}


def intent_of(question: str) -> str:
    """What kind of answer the question wants: yes_no, compare, share, ratio, difference,
    prior_year, list, when, who, which, where, why, how, or lookup (a figure or a fact)."""
    if is_yes_no(question):
        return "yes_no"
    rows = dict(_named("intent"))
    if rows["compare"].search(question):
        return "compare"
    derived = derivation_kind(question)
    if derived is not None:
        return _DERIVED_INTENT[derived]
    if rows["list"].search(question):
        return "list"
    kind = answer_kind(question)
    if kind in _KIND_INTENT:  # a region or a document asked: where/which by the wording
        return _KIND_INTENT[kind]
    for name in ("where", "why", "how"):
        if rows[name].search(question) and not (name == "how" and asks_quantity(question)):
            return name
    return "lookup"


def asks_lower(question: str) -> bool:
    """Does a comparison ask which is lower (少, 低, 慢) rather than higher?"""
    return re.search(str(load(_DATA)["compare_lower"]), question) is not None
