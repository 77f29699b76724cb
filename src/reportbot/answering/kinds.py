"""What kind of thing a candidate answer holds: the date, person, body or other name a
what/who/when question asks for (a date the question names itself answers nothing)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportbot.facts.rules import CHANGE
from reportbot.language.asking import answer_kind, pattern
from reportbot.language.places import place_named_body, place_stem
from reportbot.language.text import DATELINE
from reportbot.language.vocabulary import TITLES, alternation, load, words

# A date of any grain (a year, a month, a day, a quarter).
DATE = re.compile(r"\d+月|\d+日|年初|年底|年末|季度|\d{4}年")
_DAY = re.compile(r"\d+月|\d+日|年初|年底|年末|季度")
_DAY_OF_MONTH = re.compile(r"\d+月\d+日|\d+日|[今昨前]天")
_ERA = re.compile(r"世纪|年代|时代|时期|[春夏秋冬]季|[春夏秋冬]天|朝|\d+年")
_COMPANY = re.compile(r"(公司|集团)$")
_ORG = re.compile(load("evidence")["organisation"])


# 市委书记余欣荣: a title then a name (jieba does not know every name as a person).
_TITLED_NAME = re.compile(rf"(?:{'|'.join(TITLES)})[\u4e00-\u9fff]{{2,3}}"
                          r"(?:[,，、；;。]|出席|致辞|$)")


# A name written in Latin letters (首席执行官Hein Schumacher): jieba tags no person there.
_LATIN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+(?: [A-Z][a-z]+)+(?![A-Za-z])")

_ALIAS = re.compile("|".join(load("evidence")["alias"]))
# A share named by its word (占, 比重, 三成, 百分之…).
_SHARE_WORD = re.compile(r"占|比重|比例|份额|[一二三四五六七八九]成|百分之")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
# The tags of a name that answers each kind of question (see short.toml). An abbreviation
# (jieba j) answers 谁 (最大的贸易伙伴是谁 -> 欧盟) but not 哪个部门: jieba tags 同比 and 环比 j.
# A document's title or its number (国办函2010年69号, 〔2023〕5号).
_TITLE = re.compile(r"《[^《》]{2,40}》|(?:\d{4}年|[〔\[]\d{4}[〕\]])\d{1,4}号")
_NAME_FLAGS = {"region": words("short", "place_tags"),
               "person": [*words("short", "person_tags"), *words("short", "organisation_tags"),
                          "j"],
               "organisation": [*words("short", "organisation_tags"),
                                *words("short", "place_tags")]}


def answer_type_ok(question: str, text: str, strict: bool = False) -> bool:
    """Does the candidate answer hold the kind of thing asked for (a date, a person, a body,
    another name)? ``strict`` leaves out abbreviations (jieba j) as names of who: as a filter
    they let 欧盟 answer 谁, as a ranking feature they would favour every clause saying 同比."""
    kind = answer_kind(question)
    if kind == "alias":  # 又被称为什么: the clause that gives the other name
        return _ALIAS.search(text) is not None
    # A date the question itself names (7月的数据是哪天发布的: 7月) is no answer to it.
    if kind == "year":
        return _new_match(DATE, question, text)
    if kind == "when":  # 什么时候: a day, a year, an era or a season
        return _new_match(DATE, question, text) or _new_match(_ERA, question, text)
    if kind == "day":
        fine = pattern("asks_day").search(question) is not None
        return _new_match(_DAY_OF_MONTH if fine else _DAY, question, text)
    if kind == "organisation":
        asked = set(_ORG.findall(question))
        return any(org not in asked for org in _ORG.findall(text)) \
            or bool(_new_names(question, text, _NAME_FLAGS["organisation"]))
    if kind in ("company", "person"):
        # 谁 may ask for a body as well as a person (落户的企业是谁); when the question names
        # the kind (企业), only a body of that kind answers it.
        asked = set(_ORG.findall(question))
        found = [org for org in _ORG.findall(text) if org not in asked]
        if kind == "company":
            return any(_COMPANY.search(org) for org in found)
        flags = [f for f in _NAME_FLAGS["person"] if not (strict and f == "j")]
        return (bool(found) or bool(_new_names(question, text, flags))
                or _TITLED_NAME.search(text) is not None
                or any(m.group(0) not in question for m in _LATIN_NAME.finditer(text)))
    if kind == "region":  # a division or a country the question does not name
        import jieba.posseg as pseg

        return any(p.flag in _NAME_FLAGS["region"] and len(p.word) > 1
                   and place_stem(p.word) not in question for p in pseg.cut(text))
    if kind == "document":  # a title or number the question does not give
        return any(m.group(0) not in question for m in _TITLE.finditer(text))
    return True


def states_share(text: str) -> bool:
    """Does the text state a part of a whole: by a share word (占全市的20.4%, 三成), or as a
    percentage of a clause that states no change (覆盖97.3%人口, 有42%的城市)?"""
    if _SHARE_WORD.search(text):
        return True
    return any(_PERCENT.search(clause) and not CHANGE.search(clause)  # 增长5% is a change
               for clause in re.split(r"[，。；;,]", text))


def _new_match(found: re.Pattern[str], question: str, text: str) -> bool:
    return any(m.group(0) not in question for m in found.finditer(text))


def _new_names(question: str, text: str, flags: Sequence[str]) -> list[str]:
    """Proper names of the text (by jieba's tags) that the question does not name, with or
    without an administrative suffix (上海市 is the 上海 asked about; 上海海关 is not)."""
    import jieba.posseg as pseg

    low = question.lower()
    # A reporter's byline (（记者 张艺）, 通讯员 王某) and a dispatch's date line (7月27日电)
    # name who wrote the article and when, never whom the question asks about.
    text = _BYLINE.sub("", DATELINE.sub("", text))
    return [p.word for p in pseg.cut(text) if p.flag in flags and len(p.word) > 1
            and p.word.lower() not in low and place_stem(p.word).lower() not in low
            and (p.flag != "ns" or place_named_body(p.word))]


_BYLINE = re.compile(rf"(?:{alternation('evidence', 'byline_roles')})[\s:：]*"
                     r"[\u4e00-\u9fff]{2,3}(?:[\s、，,][\u4e00-\u9fff]{2,3})*")
