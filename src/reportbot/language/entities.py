"""Named things a text is about: places, organisations, people and products with counts,
and the years it names. Pure text work, used at ingest (a document's entity list) and at
question time (what a question is about), so both sides name things the same way.

jieba's part-of-speech tags are the start (ns place, nt organisation, nr person, nz other
proper noun); its ns/nt tags are noisy, so a place must be an administrative division (the
gazetteer from cpca's table) and an organisation must end like a body (…银行, …大学).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from reportbot.language.places import place_stem
from reportbot.language.vocabulary import gazetteer, load

KINDS = ("place", "organisation", "person", "product")
_TAGS = {"ns": "place", "nt": "organisation", "nr": "person", "nrt": "person", "nz": "product"}
# Tags of common nouns and verbs: 有限公司 or 跨国公司 (tagged n) names no body.
_COMMON = ("n", "v", "vn")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
_NAME_CHARS = re.compile(r"^[\u3400-\u9fffA-Za-z0-9·]+$")

Entities = dict[str, Counter[str]]


def entity_kind(word: str, flag: str) -> str | None:
    """The kind of a tagged word (place, organisation, person, product), or None."""
    if len(word) < 2 or not _NAME_CHARS.match(word):
        return None
    words = load("words")
    full_division = word.endswith(tuple(words["place_suffixes"]))
    # A division's stem is also a common word now and then (合作 of 合作市): only when
    # tagged as a place, or written with its suffix.
    if word in gazetteer() and (flag.startswith("ns") or full_division):
        return "place"
    body = word.endswith(tuple(words["body_suffixes"]))
    if flag == "nt" or (body and flag not in _COMMON):
        return "organisation"
    kind = _TAGS.get(flag)
    if kind == "person" and full_division:
        return None  # 高新区 tagged nr
    # Other ns / nt words (no division, no body's ending) are mostly mis-tags.
    return kind if kind in ("person", "product") else None


def canonical(kind: str, word: str) -> str:
    """The form two mentions of one thing share (a place without its suffix: 苏州市 -> 苏州)."""
    return place_stem(word) if kind == "place" else word


def entities(text: str) -> Entities:
    """Every place, organisation, person and product named in the text, with counts."""
    import jieba.posseg as pseg

    found: Entities = {kind: Counter() for kind in KINDS}
    for pair in pseg.cut(text):
        word = pair.word.strip()
        kind = entity_kind(word, pair.flag)
        if kind is not None:
            found[kind][canonical(kind, word)] += 1
    return found


def merge(parts: Iterable[Mapping[str, Mapping[str, int]]]) -> Entities:
    """The entity counts of several texts added up."""
    total: Entities = {kind: Counter() for kind in KINDS}
    for part in parts:
        for kind, names in part.items():
            total.setdefault(kind, Counter()).update(names)
    return total


def years(text: str) -> Counter[int]:
    """The years a text names (2010年, 2023年), with counts."""
    return Counter(int(m.group(1)) for m in _YEAR.finditer(text))


def subjects(text: str) -> frozenset[str]:
    """The names a short text (a question) is about, in their canonical forms."""
    found = entities(text)
    return frozenset(name for kind in KINDS for name in found[kind])


def asked_places(text: str) -> frozenset[str]:
    """The places a question names, in their canonical forms (江西南昌 -> 江西, 南昌)."""
    return frozenset(entities(text)["place"])


# A name the documents set in quotes or title marks (“沪惠保”, 《办法》): a word of theirs,
# however jieba cuts it (沪惠 / 保单 / 次 of 沪惠保单次).
_QUOTED = re.compile(r"“([^“”，。；！？\n]{2,16})”|《([^《》，。；！？\n]{2,30})》"
                     r"|「([^「」，。；！？\n]{2,16})」")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def quoted_names(texts: Sequence[str]) -> set[str]:
    """The names the texts set in quotes or title marks (with a Chinese character)."""
    return {name for t in texts for m in _QUOTED.finditer(t)
            if (name := next(g for g in m.groups() if g)) and _HAN.search(name)}


def name_pieces(question: str, names: set[str]) -> list[tuple[str, bool]]:
    """The question cut at the names it holds (longest first, not overlapping): (piece, is
    a name) in order, so the rest is segmented without cutting across a name. Written by
    hand: jieba's dictionary is global, and the index's tokens must not change."""
    found: list[tuple[int, int]] = []
    for name in sorted((n for n in names if n in question), key=len, reverse=True):
        for m in re.finditer(re.escape(name), question):
            if all(m.end() <= a or m.start() >= b for a, b in found):
                found.append(m.span())
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for a, b in sorted(found):
        if a > pos:
            pieces.append((question[pos:a], False))
        pieces.append((question[a:b], True))
        pos = b
    if pos < len(question):
        pieces.append((question[pos:], False))
    return pieces
