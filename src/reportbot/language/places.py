"""Places and bodies in text: a division's name without its suffix, a body named after its
place (上海海关), the divisions a text names, the names a document's lead gives for its
source and actor."""

from __future__ import annotations

from reportbot.language.terms import named_places
from reportbot.language.text import split_sentences
from reportbot.language.vocabulary import gazetteer, is_place, load


def divisions_named(text: str) -> list[str]:
    """The divisions a text names (河南, 杭州市 -> 杭州), in order, without their suffix."""
    return [place_stem(p) for p in named_places(text) if is_place(p)]


def place_named_body(word: str) -> bool:
    """A body named after its place (上海海关, 天津调查总队): a known place followed by more.
    jieba tags such bodies ns, as it tags places and some plain words (新建, 城市)."""
    places = gazetteer()
    return any(word[:n] in places for n in range(2, len(word) - 1))


def place_stem(name: str) -> str:
    """The name without its administrative suffix (苏州市 -> 苏州), when two characters remain."""
    for suffix in load("words")["place_suffixes"]:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def lead_names(text: str) -> list[str]:
    """The names a document's lead sentence gives for who reports or acts (易居房地产研究院,
    国家统计局, 国务院办公厅): a news article or bulletin names its source and actor once, at
    the start, and every later sentence is theirs. Places are left out: a dateline (北京7月31
    日电) names where the article was filed, not what it is about (the title names that)."""
    import jieba.posseg as pseg

    spans = split_sentences(text[:300])
    lead = text[spans[0].start : spans[0].end] if spans else text[:300]
    flags = set(load("short")["person_tags"]) | set(load("short")["organisation_tags"])
    out: list[str] = []
    for pair in pseg.cut(lead):
        if pair.flag in flags and len(pair.word) > 1 and pair.word not in out:
            out.append(pair.word)
    return out
