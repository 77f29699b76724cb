"""English questions over Chinese documents: glossary bridging of words (by stem) and the
Chinese wording of an English quantity question for the fact table."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from reportbot.language.asking import english_ask, english_asserted
from reportbot.language.terms import question_terms
from reportbot.language.tokens import is_english
from reportbot.language.vocabulary import EN_STOP, Glossary, load

_TIME = re.compile(r"\d{1,2}月|[一二三四]?季度|[上下]半年|星期.|周.")


_MONTHS = {name: k + 1 for k, name in enumerate((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"))}
_NAME_OF = {k: name for name, k in _MONTHS.items()}
_END_OF = re.compile(r"\bend-(?=[a-z])", re.IGNORECASE)  # end-June: at the end of June


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter2) stem of an English word, with -ise/-ize spellings merged."""
    stem = str(_stemmer().stemWord(word))
    return stem.replace("iz", "is") if stem.endswith(("is", "iz")) else stem


@functools.lru_cache(maxsize=256)
def _glossary_stems(glossary: Glossary) -> dict[str, tuple[str, ...]]:
    stems: dict[str, tuple[str, ...]] = {}
    for word, chinese in glossary.items():
        if " " not in word:
            key = stem(word)
            stems[key] = tuple(dict.fromkeys((*stems.get(key, ()), *chinese)))
    return stems


def _english_words(question: str) -> list[str]:
    return re.findall(r"[a-z][a-z-]*", question.lower().replace("'s", ""))


def unbridged_runs(question: str, glossary: Glossary) -> list[str]:
    """The content words of an English question the glossary cannot bridge, each with the
    run of content words around it (yangtze river delta, piped gas): what is left for the
    corpus's own words to stand for."""
    stems = _glossary_stems(glossary)
    phrases = {w for phrase in glossary if " " in phrase for w in phrase.split()}
    runs: list[list[str]] = [[]]
    for word in _english_words(question):
        if word in EN_STOP:
            runs.append([])
        else:
            runs[-1].append(word)
    out: list[str] = []
    for run in runs:
        unknown = [w for w in run if len(w) > 2 and w not in phrases and stem(w) not in stems]
        if unknown and 1 < len(run) <= 4:
            out.append(" ".join(run))
        out.extend(unknown)
    return list(dict.fromkeys(out))


def search_terms(question: str, glossary: Glossary) -> list[str]:
    """Content terms, with English words bridged to the report's Chinese words (by stem:
    subsidise, subsidised and subsidized all reach 补助)."""
    if not is_english(question):
        return question_terms(question)
    question = _END_OF.sub("end of ", question)
    stems = _glossary_stems(glossary)
    low = question.lower()
    terms: list[str] = []
    for phrase, chinese in glossary.items():
        if " " in phrase and re.search(rf"\b{re.escape(phrase)}\b", low):
            terms.extend(t for t in chinese if t not in terms)
    for original in re.findall(r"[A-Za-z][A-Za-z-]*", question.replace("'s", "")):
        if original in glossary.acronyms:  # a trade or name the corpus writes so, not a pronoun
            terms.append(original)
            continue
        terms.extend(t for t in stems.get(stem(original.lower()), ()) if t not in terms)
    terms.extend(t for t in re.findall(r"\d+(?:\.\d+)?", question) if t not in terms)
    return _month_ends(question, terms)


def sense_groups(question: str, glossary: Glossary) -> list[tuple[str, ...]]:
    """The Chinese senses of each English phrase and word of the question, one group each
    (revenue -> (营业收入, 营收)); the question's numbers are groups of one."""
    question = _END_OF.sub("end of ", question)
    stems = _glossary_stems(glossary)
    low = question.lower()
    groups: list[tuple[str, ...]] = []
    for phrase, chinese in glossary.items():
        if " " in phrase and re.search(rf"\b{re.escape(phrase)}\b", low):
            groups.append(tuple(chinese))
    for original in re.findall(r"[A-Za-z][A-Za-z-]*", question.replace("'s", "")):
        if original in glossary.acronyms:
            groups.append((original,))
        elif senses := tuple(stems.get(stem(original.lower()), ())):
            groups.append(senses)
    groups.extend((t,) for t in re.findall(r"\d+(?:\.\d+)?", question))
    return [tuple(_month_ends(question, list(g))) for g in dict.fromkeys(groups) if g]


def _month_ends(question: str, words: list[str]) -> list[str]:
    """A month said as its end (at the end of June, end-June) is that month's end: 6月末, a
    stock at that day, not the month's flow."""
    ends = {f"{m}月" for m in _MONTHS.values()
            if re.search(rf"\bend(?:-| of ){_NAME_OF[m]}\b", question, re.IGNORECASE)}
    return [f"{w}末" if w in ends else w for w in words]


def english_proxy(question: str, glossary: Glossary) -> str:
    """An English quantity question in the Chinese words of the report, for the fact table
    (How many trainees at the IBM base… -> ibm 补助 学员 … 多少人); '' if it asks no quantity.

    The glossary bridges the content words; the asking shape picks the unit. A yes/no
    question asks for the real figure of the kind it asserts.
    """
    low = question.lower()
    asserted = english_asserted(question)
    if asserted:
        ask = "多少" + asserted.lstrip("0123456789.")
    else:
        ask = english_ask(question)
    if not ask:
        return ""
    if ask == "多少%":
        ask = "增长了多少"
    # one word per English word, its most common wording: every sense would read as more
    # words of the question than it has (growth -> 增长, 增速 both)
    words = [g[0] for g in sense_groups(question, glossary) if not re.fullmatch(r"[\d.]+", g[0])]
    years = [f"{y}年" for y in re.findall(r"\b(?:19|20)\d\d\b", question)]
    per = "每人 " if re.search(r"\bper (?:person|trainee|student|head|capita)\b", low) else ""
    return " ".join([*years, *words, per + ask])


def unknown_english_share(question: str, glossary: Glossary) -> float:
    """Share of an English question's content words that the glossary cannot bridge."""
    words = [w for w in _english_words(question) if len(w) > 2 and w not in EN_STOP]
    if not words:
        return 0.0
    stems = _glossary_stems(glossary)
    phrases = {w for phrase in glossary if " " in phrase for w in phrase.split()}
    unknown = [w for w in words if w not in phrases and stem(w) not in stems]
    return len(unknown) / len(words)


def with_dictionary_words(glossary: Glossary, question: str,
                          known: Callable[[str], bool], most: int = 4) -> Glossary:
    """The glossary plus, for each content word of an English question it cannot bridge,
    the word's senses from the English–Chinese word list (dictionary.py) that the corpus
    writes (``known``), at most ``most`` of them in the list's order: settlement -> 结算,
    culture -> 文化. A word none of whose senses the corpus writes stays unknown."""
    from reportbot.language.dictionary import chinese_for

    stems = _glossary_stems(glossary)
    phrases = {w for phrase in glossary if " " in phrase for w in phrase.split()}
    extra: list[tuple[str, tuple[str, ...]]] = []
    for word in dict.fromkeys(_english_words(question)):
        if len(word) <= 2 or word in EN_STOP or word in phrases or stem(word) in stems:
            continue
        chinese = tuple(c for c in chinese_for(word) if known(c))[:most]
        if chinese:
            extra.append((word, chinese))
    return Glossary(glossary.entries + tuple(extra), glossary.acronyms) if extra else glossary


def with_pinyin_names(glossary: Glossary, names: Iterable[str]) -> Glossary:
    """The glossary plus each Chinese name under its toneless pinyin (苏州 -> suzhou,
    汾酒 -> fenjiu): an English question can then name the places and companies a corpus
    writes in Chinese. Names sharing a sound (苏州, 宿州) are all offered."""
    from pypinyin import lazy_pinyin

    by_sound: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        if 2 <= len(name) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", name):
            by_sound.setdefault("".join(lazy_pinyin(name)), []).append(name)
    known = glossary.as_dict()
    extra = tuple((sound, tuple(chinese)) for sound, chinese in by_sound.items()
                  if sound not in known)
    return Glossary(glossary.entries + extra, glossary.acronyms)


def english_metrics(question: str, glossary: Glossary) -> list[tuple[str, ...]]:
    """The measures an English question asks about (revenue, profit, exports…), each as
    the Chinese words that may say it: one of them must be in the evidence, as the noun
    beside 多少 must be for a Chinese question."""
    measures = set(load("english")["measures"])
    low = question.lower()
    said = [(word, chinese) for word, chinese in glossary.items()
            if word in measures and re.search(rf"\b{re.escape(word)}\b", low)]
    # A word of a longer measure said (sales in retail sales) is that measure, not another.
    return [tuple(chinese) for word, chinese in said
            if not any(word != other and re.search(rf"\b{re.escape(word)}\b", other)
                       for other, _ in said)]


def english_names(question: str, glossary: Glossary) -> list[tuple[str, ...]]:
    """The Chinese senses of each capitalised word after an English question's first word
    (Focus Technology, the Palace Museum): a name's words, one sense of each of which a
    passage must write to be about it. A word the glossary cannot bridge, an acronym
    (GDP) and a time (July, Q2) ask nothing here."""
    stems = _glossary_stems(glossary)
    words = re.findall(r"[A-Za-z][A-Za-z-]*", question.replace("'s", ""))
    out: list[tuple[str, ...]] = []
    for word in words[1:]:
        if not word[0].isupper() or word.isupper() or word.lower() in EN_STOP:
            continue
        senses = stems.get(stem(word.lower()), ())
        if senses and not any(_TIME.fullmatch(s) for s in senses):
            out.append(tuple(senses))
    return list(dict.fromkeys(out))
