"""Vocabulary as data: word lists, synonyms, units and question words.

The lists live in TOML files under ``language/data/`` and are read once. Names that belong
to one corpus (its places and organisations spelled in English, acronyms it uses) live in
an optional ``glossary.toml`` beside the corpus documents and reach the question analysis
as a :class:`Glossary`; library code names no report's people, places or organisations.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportbot.errors import ReportbotError

DATA = Path(__file__).parent / "data"
CORPUS_GLOSSARY = "glossary.toml"


@functools.cache
def load(name: str) -> dict[str, Any]:
    """One data file of the package (``language/data/<name>.toml``), parsed once."""
    with (DATA / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def words(name: str, key: str) -> tuple[str, ...]:
    """A word list from a data file: ``words("words", "stop")``."""
    value = load(name)
    for part in key.split("."):
        value = value[part]
    return tuple(value)  # type: ignore[arg-type]


def alternation(name: str, key: str) -> str:
    """A word list joined as a regex alternation (entries are pattern fragments, not
    escaped: a data file may write ``几[个家人]?``)."""
    return "|".join(words(name, key))


def pairs(name: str, key: str) -> tuple[tuple[str, str], ...]:
    """An ordered list of two-element arrays from a data file (first match wins)."""
    value = load(name)
    for part in key.split("."):
        value = value[part]
    return tuple((str(item[0]), str(item[1])) for item in value)


def table(name: str, key: str) -> dict[str, tuple[str, ...]]:
    """A TOML table of word -> list of words, in file order."""
    value = load(name)
    for part in key.split("."):
        value = value[part]
    return {str(k): tuple(v) for k, v in value.items()}


@dataclass(frozen=True)
class Glossary:
    """English words -> the Chinese words documents use, the package's general words
    merged with the corpus's own names; hashable so analyses of it can be cached."""

    entries: tuple[tuple[str, tuple[str, ...]], ...]
    acronyms: frozenset[str] = frozenset()

    def items(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(English word or phrase, Chinese words) in order: corpus names first."""
        return iter(self.entries)

    def __iter__(self) -> Iterator[str]:
        return (word for word, _ in self.entries)

    def get(self, word: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The Chinese words for an English word or phrase."""
        return self.as_dict().get(word, default)

    @functools.cache  # noqa: B019 (frozen and hashable: one dict per glossary)
    def as_dict(self) -> Mapping[str, tuple[str, ...]]:
        """The entries as a mapping."""
        return dict(self.entries)


def corpus_glossary(corpus_dir: Path | None) -> Glossary:
    """The package glossary merged with ``corpus_dir/glossary.toml`` when it exists."""
    extra: dict[str, Any] = {}
    path = corpus_dir / CORPUS_GLOSSARY if corpus_dir is not None else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                extra = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ReportbotError(f"{path}: expected a TOML glossary with an [english] table "
                                 f"of name = [\"中文\"] entries ({exc}); fix or remove it") from exc
    names = {str(k).lower(): tuple(v) for k, v in extra.get("english", {}).items()}
    general = table("english", "glossary")
    merged = {**names, **{k: v for k, v in general.items() if k not in names}}
    return Glossary(tuple(merged.items()), frozenset(extra.get("acronyms", ())))


def corpus_examples(corpus_dir: Path | None) -> tuple[str, ...]:
    """Example questions the corpus's glossary offers to the web chat (may be empty)."""
    path = corpus_dir / CORPUS_GLOSSARY if corpus_dir is not None else None
    if path is None or not path.is_file():
        return ()
    try:
        with path.open("rb") as handle:
            return tuple(str(q) for q in tomllib.load(handle).get("examples", ()))
    except (OSError, tomllib.TOMLDecodeError):
        return ()


@functools.cache
def gazetteer() -> frozenset[str]:
    """China's administrative divisions (provinces, cities, districts, counties), each with
    and without its suffix (无锡市, 无锡): from the adcodes table the cpca package ships.
    Read as a file: importing cpca would load pandas for nothing."""
    return frozenset(_division_codes())


@functools.cache
def _division_codes() -> dict[str, tuple[str, ...]]:
    """Each division's name, with and without its suffix -> its adcodes (cpca's table)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "resources" / "adcodes.csv"
    codes: dict[str, list[str]] = {}
    suffixes = words("words", "place_suffixes")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name, code = row["name"], row["adcode"]
            codes.setdefault(name, []).append(code)
            for s in suffixes:
                if name.endswith(s) and len(name) - len(s) >= 2:
                    codes.setdefault(name[: -len(s)], []).append(code)
    return {name: tuple(found) for name, found in codes.items()}


def is_place(word: str) -> bool:
    """Does the word name a division? Written with its suffix (新建区), any; bare, only a
    province or a city (杭州, 河南): a bare county name is often a plain word (新建, 城区)."""
    if word not in _division_codes():
        return False
    suffixed = any(word.endswith(s) for s in words("words", "place_suffixes"))
    return suffixed or level(word) != "county"


def level(place: str) -> str:
    """'province', 'city' or 'county': the level of the division by its adcode."""
    codes = _division_codes().get(place, ())
    if any(c.endswith("0" * 10) for c in codes):
        return "province"
    return "city" if any(c.endswith("0" * 8) for c in codes) else "county"


def within(place: str, region: str) -> bool:
    """Is the division ``place`` inside ``region`` (郑州 in 河南, 浦东新区 in 上海), by their
    adcodes: a province's code keeps 2 digits, a city's 4, a county's 6."""
    table = _division_codes()
    for outer in table.get(region, ()):
        prefix = outer[:2] if outer.endswith("0" * 10) else \
            outer[:4] if outer.endswith("0" * 8) else outer[:6]
        if any(inner != outer and inner.startswith(prefix) for inner in table.get(place, ())):
            return True
    return False


STOP = frozenset(words("words", "stop"))
GENERIC = frozenset(words("words", "generic"))
MODIFIERS = frozenset(words("words", "modifiers"))
LIGHT_VERBS = frozenset(words("words", "light_verbs"))
TITLES = words("words", "titles")
NOT_SALIENT_POS = words("words", "not_salient_pos")
EN_STOP = frozenset(words("words", "english_stop"))
SYNONYMS = table("words", "synonyms")
