"""Pure subject rules of fact extraction: the places and bodies a document's figures are about.

A figure belongs to the place or body named in subject position before it (天津市地区生产
总值…, 河北全省…, 洋河股份…). A document names one subject several ways: in full and short
(山西杏花村汾酒厂股份有限公司（山西汾酒）), with and without its suffix (天津市, 天津), through
the body that publishes its figures (苏州市统计局) and by reference (全市, 该省, 公司). All of
those become one subject name, so one place's figures are never filed under another's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from reportbot.facts.periods import TimeExpr, time_expressions
from reportbot.facts.rules import STRONG, entity_at, skip_lead
from reportbot.language.quantities import parse_quantities
from reportbot.language.vocabulary import alternation, load, words

_ANAPHORS = {str(k): str(v) for k, v in load("facts")["anaphors"].items()}
_ANAPHOR_WORDS = sorted(_ANAPHORS, key=len, reverse=True)
_SOURCES = words("facts", "names.sources")
_CLASSES = words("facts", "names.classes")
_NATIONAL = words("facts", "names.national")
_NATIONAL_BODIES = words("facts", "names.national_bodies")
NATIONAL = _NATIONAL[0]
_PROVINCES = words("facts", "names.provinces")
_PROVINCE_SUFFIXES = sorted(words("facts", "names.province_suffixes"), key=len, reverse=True)
_PLACE_END = "市省区县州"
_ORG_ENDS = ("公司", "集团", "银行", "股份")
_NAME = r"[\u4e00-\u9fffA-Za-z·]"
# A name opening with a predicate or a comparison (推动公司…, 较金鹰卡通公司…) is none.
_NOT_A_NAME = re.compile("|".join([*words("facts", "verbs"),
                                   *words("facts", "comparison_base")]))
# 山西杏花村汾酒厂股份有限公司（山西汾酒，600809.SH）/（以下简称“山西汾酒”）: a body's short name.
_ALIAS = re.compile(rf"(?P<full>{_NAME}{{4,30}}?(?:公司|集团|银行))[（(]"
                    rf"(?:{alternation('facts', 'names.alias_markers')})?"
                    rf"[“\"]?(?P<alias>{_NAME}{{2,8}}?)[”\"]?[，,、)）]")
# 洋河股份（002304）: a name before its stock code is a listed company.
_LISTED = re.compile(rf"(?P<alias>{_NAME}{{2,8}}?)(?:[（(][^（()）]{{0,30}}[)）])*"
                     r"[（(]\d{6}(?:\.[A-Z]{2})?[)）]")  # 藏格矿业(22.72, -3.93%)(000408.SZ)


@dataclass(frozen=True)
class Mention:
    """A subject named in subject position: text[start:end] resolved to ``name``."""

    start: int
    end: int
    name: str


@dataclass(frozen=True)
class Names:
    """The ways one document writes its subjects: written form -> subject name."""

    spelled: dict[str, str]

    def at(self, text: str, pos: int, end: int) -> tuple[str, int]:
        """The known name written at pos (longest first) and its length, or ('', 0)."""
        for written in sorted(self.spelled, key=len, reverse=True):
            if text.startswith(written, pos) and pos + len(written) <= end:
                return self.spelled[written], len(written)
        return "", 0

    def for_title(self) -> Names:
        """The spellings a title may use: a title opening with 中国 or 国家 (2023年7月中国采购
        经理指数…) is about the nation, though running text 中国… seldom is."""
        return Names({**{w: NATIONAL for w in _NATIONAL_BODIES}, **self.spelled})


def document_names(text: str, title: str, times: list[TimeExpr]) -> Names:
    """Every spelling of the document's subjects: short names, stems, provinces, the nation."""
    spelled: dict[str, str] = {w: NATIONAL for w in _NATIONAL}
    for m in [*_ALIAS.finditer(text), *_LISTED.finditer(text)]:
        alias = m.group("alias")
        spelled[alias] = alias
        if "full" in m.groupdict():
            spelled[m.group("full")] = alias
    found = [entity_at(text, p, len(text)) for p in _openings(text, 0, len(text), times)]
    heading = time_expressions(title, parse_quantities(title), None)
    found += [entity_at(title, p, len(title)) for p in _openings(title, 0, len(title), heading)]
    full = {place(n) for n in found if n and not is_class(n)}
    for province in _PROVINCES:
        suffixed = next((province + s for s in _PROVINCE_SUFFIXES if province + s in text), "")
        spelled.setdefault(province, suffixed or province)
        if suffixed:
            spelled.setdefault(suffixed, suffixed)
    for name in full:
        if len(name) >= 3 and name[-1] in _PLACE_END:
            spelled.setdefault(name[:-1], name)
    return Names(spelled)


def _openings(text: str, start: int, end: int, times: list[TimeExpr]) -> list[int]:
    """Positions that open a clause (after connectives and times): where subjects stand."""
    starts = [start] + [i + 1 for i in range(start, end) if text[i] in STRONG]
    starts += [i + 2 for i in range(start, end - 1) if text[i : i + 2] == "——"]
    return [skip_lead(text, s, end, times) for s in sorted(starts) if s < end]


def is_class(name: str) -> bool:
    """A suffixed noun naming a class of bodies (境内上市公司), not one body."""
    return any(c in name for c in _CLASSES)


def place(name: str) -> str:
    """The place a publishing body speaks for (江苏省苏州市统计局 -> 苏州市; 国家统计局 -> 全国)."""
    source = next((s for s in _SOURCES if name.endswith(s) and len(name) > len(s)), None)
    if source is None:
        return name
    stem = name[: -len(source)]
    if stem in _NATIONAL_BODIES:
        return NATIONAL
    # 江苏省苏州市 -> 江苏省, 苏州市 (州 in 苏州 is no end: a suffix follows it).
    parts = re.findall(rf".+?(?:{'|'.join(_PROVINCE_SUFFIXES)}|[{_PLACE_END}])"
                       rf"(?![{_PLACE_END}])", stem)
    return parts[-1] if parts else stem


def document_mentions(text: str, times: list[TimeExpr], names: Names,
                      fallback: str = "") -> list[Mention]:
    """Subjects in subject position, in order, references (全市, 该省) resolved to the last
    place or body of their kind named before them, else to ``fallback``."""
    out: list[Mention] = []
    for pos in _openings(text, 0, len(text), times):
        mention = _mention_at(text, pos, names, out, fallback)
        if mention is not None:
            out.append(mention)
    return out


def _mention_at(text: str, pos: int, names: Names, earlier: list[Mention],
                fallback: str) -> Mention | None:
    anaphor = next((a for a in _ANAPHOR_WORDS if text.startswith(a, pos)), None)
    if anaphor is not None:
        name = refer(_ANAPHORS[anaphor], [m.name for m in earlier]) or fallback
        return Mention(pos, pos + len(anaphor), name) if name else None
    name, length = names.at(text, pos, len(text))
    written = entity_at(text, pos, len(text))
    if len(written) > length and not is_class(written) and not _NOT_A_NAME.match(written):
        name, length = names.spelled.get(place(written), place(written)), len(written)
    if not name:
        return None
    end = pos + length
    if _MEDIA.match(text, end):
        return None  # 来源：上海证券报: a newspaper or site named after its place, not the place
    # 河北全省, 辽宁全市: a reference right after the name is the same subject.
    follow = next((a for a in _ANAPHOR_WORDS if text.startswith(a, end)), "")
    return Mention(pos, end + len(follow), name)


_MEDIA = re.compile(alternation("facts", "names.media"))


def refer(kind: str, earlier: list[str]) -> str:
    """The last name of the kind a reference stands for (全市 -> the last city named)."""
    for name in reversed(earlier):
        if kind == "司" and name.endswith(_ORG_ENDS) or kind == "司" and _is_short(name):
            return name
        if kind != "司" and (name.endswith(kind) or _bare_province(name)
                             or kind == "省" and name.endswith("自治区")):
            return name
    return ""


def _is_short(name: str) -> bool:
    """A short name of a body (山西汾酒): no place suffix, not the nation."""
    return name[-1] not in _PLACE_END and name != NATIONAL and not _bare_province(name)


def _bare_province(name: str) -> bool:
    return name in _PROVINCES


def main_subject(title_mentions: list[Mention], mentions: list[Mention]) -> str:
    """The subject a document is about: the one its title names, else the one it names most."""
    if title_mentions:
        return title_mentions[0].name
    counts = Counter(m.name for m in mentions if m.name != NATIONAL)
    return counts.most_common(1)[0][0] if counts else ""
