"""Pure question analysis: language, content and salient terms, asked unit, metric word."""

from __future__ import annotations

import functools
import re
from typing import Any

from reportbot.language.tokens import tokenize
from reportbot.language.vocabulary import (
    EN_STOP,
    GENERIC,
    LIGHT_VERBS,
    MODIFIERS,
    NOT_SALIENT_POS,
    STOP,
    SYNONYMS,
    Glossary,
)

ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]")
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]")

_ASSERTED = re.compile(r"[\d,，.]+\s*(?:万|亿)?\s*(美元|元|人|名|家|个|项|次|%|％)")

_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("多少人", "人"), ("几人", "人"), ("多少名", "人"), ("人数", "人"), ("多少位", "人"),
    ("多少家", "家"), ("几家", "家"), ("多少个", "个"), ("几个", "个"), ("多少项", "项"),
    ("百分之", "%"), ("增长率", "%"), ("增幅", "%"), ("比例", "%"), ("占比", "%"),
    ("增长了多少", "%"), ("多少钱", "元"), ("金额", "元"), ("资金", "元"), ("万元", "元"),
    ("美元", "美元"), ("how many people", "人"), ("how many trainees", "人"),
    ("how many students", "人"), ("how many employees", "人"), ("how many workers", "人"),
    ("how many companies", "家"), ("how many firms", "家"), ("how many enterprises", "家"),
    ("percent", "%"), ("growth rate", "%"), ("dollars", "美元"), ("yuan", "元"),
    ("how much money", "元"), ("how many", "个"),
)
_ASKS_QUANTITY = re.compile(r"多少|几[个家人项名位次批期]?|how many|how much|金额|数目|人数|比例|"
                            r"占比|增长率|增幅|总计|合计", re.IGNORECASE)



def is_english(question: str) -> bool:
    """True when the question is mostly Latin letters rather than Chinese characters."""
    latin = len(re.findall(r"[A-Za-z]", question))
    cjk = len(re.findall(r"[\u3400-\u9fff]", question))
    return latin > 2 * cjk


def question_terms(question: str) -> list[str]:
    """Content tokens of a question: no question words, no single Chinese characters."""
    terms: list[str] = []
    for token in tokenize(question):
        if token in STOP or (len(token) == 1 and not token.isdigit()):
            continue
        if token not in terms:
            terms.append(token)
    return terms


def wanted_unit(question: str) -> str | None:
    """The unit a quantity question asks for (人 vs 家 matters), if it says."""
    q = question.lower()
    for words, unit in _UNIT_WORDS:
        if words in q:
            return unit
    return None


_NOT_A_COUNT = re.compile(r"哪几|几月|几号|几日|几点|几时")


def asks_quantity(question: str) -> bool:
    """Does the question ask for a number? (哪几家 asks which ones; 几月 asks when.)"""
    return bool(_ASKS_QUANTITY.search(_NOT_A_COUNT.sub("", question)))



_BRACKETS = re.compile(r"[()（）]")
_FUNCTION_CHARS = set("曾已了过着成到为在于给向被把将")
_ASKING = re.compile(r"几|哪|多少|什么|是不是|是否|吗|呢|谁")

def present(term: str, window: str) -> bool:
    """Is the term, a word staff use for it, or (for a compound) each of its parts there?"""
    if "(" in window or "（" in window:  # 县(区)级 is what staff write as 县区级
        window = _BRACKETS.sub("", window)
    if term in window or any(s in window for s in SYNONYMS.get(term, ())):
        return True
    if len(term) < 3 or re.search(r"\d", term):
        return False
    parts = [p for p in tokenize(term) if len(p) >= 2 and p != term]
    covered: set[int] = set()
    for p in parts:
        if p in window or any(s in window for s in SYNONYMS.get(p, ())):
            covered.update(i for i in range(len(term)) if term.find(p) <= i < term.find(p) + len(p))
    # 曾效力 / 转化成 / 追溯到: a verb with one function character beside it
    leftover = [term[i] for i in range(len(term)) if i not in covered]
    return len(leftover) == 0 or (len(leftover) == 1 and leftover[0] in _FUNCTION_CHARS)


_PROPER = ("nr", "ns", "nt", "eng")
# A noun right after 哪个/什么 or right before 是什么/是哪 names the kind of answer (国籍是哪个
# 国家, 什么职业): the passage states an instance of it, not the word itself.
_CATEGORY_AFTER = re.compile(r"^(哪|什么|何)")
_CATEGORY_BEFORE = re.compile(r"^(是什么|是哪|是谁|为何|是何|有哪些|有什么|包括哪些)")


_COMPARATIVE = re.compile(r"(?<![同环相对无类])比(?![例重率较上])")


def _comparisons_apart(question: str) -> str:
    """A比B多: keep 比 off the words beside it (jieba reads 市级财政比县区级 as …比县…)."""
    return _COMPARATIVE.sub(" 比 ", question)


def specific_terms(question: str) -> set[str]:
    """Names, numbers, ordinals and quantity modifiers: missing any of them changes the question."""
    import jieba.posseg as pseg

    out: set[str] = set()
    for pair in pseg.cut(_comparisons_apart(question.lower())):
        word = pair.word.strip()
        if pair.flag.startswith(_PROPER) or re.search(r"\d", word) or ORDINAL.match(word) \
                or word in MODIFIERS:
            out.add(word)
    return out


def category_words(question: str) -> set[str]:
    """Nouns that name the kind of thing asked for (see _CATEGORY_AFTER)."""
    import jieba.posseg as pseg

    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    out: set[str] = set()
    for i, (word, _) in enumerate(words):
        if _CATEGORY_AFTER.search(word):
            out.update(w for w, f in words[i + 1 : i + 3] if f.startswith("n") and len(w) > 1)
        if _CATEGORY_BEFORE.search(word) or (word == "是" and i + 1 < len(words)
                                             and _CATEGORY_AFTER.search(words[i + 1][0])):
            out.update(w for w, f in words[max(0, i - 1) : i] if f.startswith("n"))
    return out - MODIFIERS


def salient_terms(question: str) -> list[str]:
    """Words that name what is asked about (nouns, names, numbers, times), not question words."""
    import jieba.posseg as pseg

    categories = category_words(question)
    out: list[str] = []
    for pair in pseg.cut(_comparisons_apart(question.lower())):
        word, flag = pair.word.strip(), pair.flag
        if len(word) < 2 and not word.isdigit() or word in STOP or word in GENERIC:
            continue
        if word in categories:
            continue
        if _ASKING.search(word) or not _WORD.search(word):
            continue
        digit = bool(re.search(r"\d", word)) or bool(re.match(r"第[一二三四五六七八九十]+", word))
        if flag.startswith("m") and not digit:
            continue
        if flag != "eng" and flag.startswith(NOT_SALIENT_POS) and not digit \
                and word not in MODIFIERS:
            continue
        if word not in out:
            out.append(word)
    return out



@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _stem(word: str) -> str:
    """The Snowball (Porter2) stem of an English word, with -ise/-ize spellings merged."""
    stem = str(_stemmer().stemWord(word))
    return stem.replace("iz", "is") if stem.endswith(("is", "iz")) else stem


@functools.cache
def _glossary_stems(glossary: Glossary) -> dict[str, tuple[str, ...]]:
    stems: dict[str, tuple[str, ...]] = {}
    for word, chinese in glossary.items():
        if " " not in word:
            key = _stem(word)
            stems[key] = tuple(dict.fromkeys((*stems.get(key, ()), *chinese)))
    return stems


def _english_words(question: str) -> list[str]:
    return re.findall(r"[a-z][a-z-]*", question.lower().replace("'s", ""))


def search_terms(question: str, glossary: Glossary) -> list[str]:
    """Content terms, with English words bridged to the report's Chinese words (by stem:
    subsidise, subsidised and subsidized all reach 补助)."""
    if not is_english(question):
        return question_terms(question)
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
        terms.extend(t for t in stems.get(_stem(original.lower()), ()) if t not in terms)
    terms.extend(t for t in re.findall(r"\d+(?:\.\d+)?", question) if t not in terms)
    return terms


# English question shapes -> the Chinese asking words the fact matcher understands.
_EN_ASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bwhat (?:share|proportion|fraction|percentage of)\b"), "占比多少"),
    (re.compile(r"\bby what percentage\b|\bgrowth rate\b|\bhow fast\b|\bgrow(?:th)? by\b"),
     "增长了多少"),
    (re.compile(r"\bhow many (?:new )?(?:people|persons|trainees|students|jobs|workers|"
                r"employees|staff)\b"), "多少人"),
    (re.compile(r"\bhow many (?:[a-z-]+ ){0,4}?(?:companies|firms|enterprises|"
                r"institutions|organisations|organizations)\b"), "多少家"),
    (re.compile(r"\bhow many\b"), "多少个"),
    (re.compile(r"\bhow much\b|\bwhat (?:was|is|were) the (?:[a-z-]+ ){0,4}?"
                r"(?:value|amount|standard|sum|funding|subsidy)\b"), "多少钱"),
)
_EN_ASSERTED = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(%|percent\b|yuan\b|dollars\b|(?:new )?(?:[a-z-]+ ){0,2}?"
    r"(?:people|persons|trainees|jobs|workers)\b|(?:new )?(?:[a-z-]+ ){0,2}?"
    r"(?:companies|firms|enterprises)\b)", re.IGNORECASE)


def english_asserted(question: str) -> str | None:
    """The figure an English yes/no question puts forward, in Chinese (27,136 companies ->
    27136家), or None."""
    if not _YES_NO.search(question.strip()):
        return None
    m = _EN_ASSERTED.search(question)
    if m is None:
        return None
    number, said = m.group(1).replace(",", ""), m.group(2).lower()
    unit = ("%" if said in ("%", "percent") else "元" if said == "yuan" else
            "美元" if said == "dollars" else "家" if re.search(r"compan|firm|enterpris", said)
            else "人")
    return number + unit


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
        ask = next((zh for pattern, zh in _EN_ASKS if pattern.search(low)), "")
    if not ask:
        return ""
    if ask == "多少%":
        ask = "增长了多少"
    words = [t for t in search_terms(question, glossary) if not re.fullmatch(r"[\d.]+", t)]
    years = [f"{y}年" for y in re.findall(r"\b(?:19|20)\d\d\b", question)]
    per = "每人 " if re.search(r"\bper (?:person|trainee|student|head|capita)\b", low) else ""
    return " ".join([*years, *words, per + ask])


_YES_NO = re.compile(r"是不是|是否|对不对|对吗|(吗|吧)[？?]?$|^(is|was|did|does|are|were)\b",
                     re.IGNORECASE)



def metric_words(question: str) -> list[str]:
    """The noun a quantity question counts or measures (the word beside 多少 / 几).

    It must be in the evidence: 营业收入 or 利润 missing means the report does not say, even if
    every other word of the question is there.
    """
    import jieba.posseg as pseg

    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    out: list[str] = []
    for i, (word, _) in enumerate(words):
        if not re.search(r"多少|^几|百分之几", word) or _NOT_A_COUNT.search(word):
            continue
        after = [w for w, f in words[i + 1 : i + 3] if f.startswith(("n", "vn", "l", "j", "eng"))]
        before = [w for w, f in reversed(words[max(0, i - 4) : i])
                  if f.startswith(("n", "vn", "l", "j", "v", "eng")) and w not in LIGHT_VERBS]
        pick = [w for w in after + before if w not in GENERIC and w not in STOP
                and len(w) > 1 and not _ASKING.search(w) and not w.startswith("是")][:1]
        out.extend(pick)
    return out





def unknown_english_share(question: str, glossary: Glossary) -> float:
    """Share of an English question's content words that the glossary cannot bridge."""
    words = [w for w in _english_words(question) if len(w) > 2 and w not in EN_STOP]
    if not words:
        return 0.0
    stems = _glossary_stems(glossary)
    phrases = {w for phrase in glossary if " " in phrase for w in phrase.split()}
    unknown = [w for w in words if w not in phrases and _stem(w) not in stems]
    return len(unknown) / len(words)


def question_for_scoring(question: str) -> str:
    """A yes/no question's asserted numbers are what is being checked, not what to look for."""
    if _YES_NO.search(question.strip()):
        # "是1477元吗" asks how much it really is: look for the quantity, not for 1477.
        return _ASSERTED.sub(lambda m: f"多少{m.group(1)}", question)
    return question


def asserted_quantity(question: str) -> str | None:
    """The number a yes/no question puts forward to be checked (是不是27136家 -> 27136家)."""
    if not _YES_NO.search(question.strip()):
        return None
    match = _ASSERTED.search(question)
    return match.group(0) if match else None


