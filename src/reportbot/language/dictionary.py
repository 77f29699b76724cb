"""English words -> Chinese words, from the English–Chinese word list the ``cedict`` package
ships (EnWords.csv: 103,976 headwords with their Chinese senses).

The glossary (english.toml plus the corpus's glossary.toml) bridges the words staff use
most; this is the bridge for every other word of an English question (non-performing,
settlement, culture…), so an English question on a new document is not refused only because
nobody listed its vocabulary. The file is read directly: the package's own lookup builds its
SQL by string formatting and returns one row without its senses split.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
from pathlib import Path

_POS = re.compile(r"\b(?:n|v|vt|vi|adj|adv|prep|conj|num|pron|int|interj|abbr|art|aux|vbl|pl)\.")
_NOTES = re.compile(r"\[[^\]]*\]|\([^)]*\)|（[^）]*）|<[^>]*>")
_SEPARATORS = re.compile(r"[,，;；/、\s]+")
_HAN = re.compile(r"[\u4e00-\u9fff]{2,8}")
# 「sell的过去式和过去分词」「bank的复数」: an inflected headword points at its base word.
_INFLECTED = re.compile(
    r"^\s*(?:vbl\.)?\s*([a-z][a-z-]*)的(?:过去式|过去分词|现在分词|复数|第三人称)")


def _path() -> Path | None:
    spec = importlib.util.find_spec("cedict")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "csv" / "EnWords.csv"
    return path if path.is_file() else None


@functools.cache
def _entries() -> dict[str, str]:
    """Headword (lower case) -> its translation text, the first row of a headword kept."""
    path = _path()
    if path is None:
        return {}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            word = (row.get("word") or "").strip().lower()
            if word and word not in out:
                out[word] = row.get("translation") or ""
    return out


@functools.cache
def _by_stem() -> dict[str, str]:
    """Snowball stem -> the shortest headword of that stem (policies -> policy)."""
    from reportbot.language.english import stem

    out: dict[str, str] = {}
    for word in _entries():
        if re.fullmatch(r"[a-z]+", word):
            key = stem(word)
            if key not in out or len(word) < len(out[key]):
                out[key] = word
    return out


def senses(translation: str) -> tuple[str, ...]:
    """The Chinese words of one translation text, in the dictionary's order (its first
    senses are the common ones): part-of-speech marks, bracketed notes and non-Chinese
    pieces dropped."""
    text = _NOTES.sub(" ", _POS.sub(" ", translation))
    out: list[str] = []
    for piece in _SEPARATORS.split(text):
        # 快速的 / 牢固地: the adjective or adverb mark off, as documents write the stem
        piece = re.sub(r"(?<=[\u4e00-\u9fff]{2})[的地]$", "", piece)
        for word in _HAN.findall(piece):
            if word not in out:
                out.append(word)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def chinese_for(word: str) -> tuple[str, ...]:
    """The Chinese senses of an English word, found as written, by its base word when the
    list gives the word as an inflection, or by its stem; () when the list lacks it."""
    word = word.lower()
    entries = _entries()
    translation = entries.get(word)
    if translation is None:
        from reportbot.language.english import stem

        base = _by_stem().get(stem(word))
        translation = entries.get(base) if base else None
    if translation is None:
        if "-" in word:  # culture-related: the senses of its words (a prefix like non- is none)
            parts = [p for p in word.split("-") if len(p) > 3]
            return tuple(dict.fromkeys(c for p in parts for c in chinese_for(p)))
        return ()
    inflected = _INFLECTED.match(translation)
    if inflected and inflected.group(1) in entries:
        translation = entries[inflected.group(1)]
    return senses(translation)
