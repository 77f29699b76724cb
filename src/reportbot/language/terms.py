"""Terms of a question: content words, salient names, specific names and numbers, the
noun a quantity question measures, and whether a term is present in a passage."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from reportbot.language.asking import is_asking_word, pattern
from reportbot.language.tokens import tokenize
from reportbot.language.vocabulary import (
    GENERIC,
    LIGHT_VERBS,
    MODIFIERS,
    NOT_SALIENT_POS,
    STOP,
    SYNONYMS,
    gazetteer,
    load,
    words,
)

_PROPER = ("nr", "ns", "nt", "eng")
# What is asked of a measure, not the measure (价格同比下降多少: the measure is 价格).
# A rate noun (增速, 跌幅) stays: it names the measure asked, and words.toml lists the verbs
# documents write for it.
CHANGE_WORDS = frozenset((*words("facts", "change_rise"), *words("facts", "change_decline"),
                           "同比", "环比", "降", "涨", "增",
                           # 超过每立方米5元了吗: the threshold's side, not the measure
                           *(w for side in ("above", "at_least", "below")
                             for w in words("asking", f"threshold_{side}")),
                           *words("words", "change_verbs"))) - {"增速", "增幅"}
_COMPLEMENTS = str(load("words")["verb_complements"])
# 能贷多少, 可领多少: a modal verb asks what the subject may get; the measure is named before.
_MODALS = ("能", "可", "会")
_TIME_AFTER = frozenset(("后", "前", "以后", "以前", "以来", "之后", "之前"))
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]")
_BRACKETS = re.compile(r"[()（）]")
_ASIDE = re.compile(r"[（(][^（）()]{1,6}[)）]")  # a short aside: 孕(产)妇, 怀孕(生产)二孩


@functools.lru_cache(maxsize=4096)
def _spread(term: str) -> re.Pattern[str]:
    """The term's characters in order with one inserted character at most between two
    (a modifier written inside a compound), none of them punctuation; the first and last
    characters as written."""
    return re.compile("[^，,。；;：:、\\s]?".join(re.escape(c) for c in term))
_FUNCTION_CHARS = set("曾已了过着成到为在于给向被把将")


def question_terms(question: str) -> list[str]:
    """Content tokens of a question: no question words (几项, 多少), no pronouns (那天, 这次:
    they point at what the question names elsewhere), no single Chinese characters."""
    terms: list[str] = []
    pointing = _pronouns(question)
    for token in tokenize(question):
        if token in STOP or (len(token) == 1 and not token.isdigit()) \
                or is_asking_word(token) or token in pointing:
            continue
        if token not in terms:
            terms.append(token)
    return terms


@functools.lru_cache(maxsize=1024)
def _pronouns(question: str) -> frozenset[str]:
    """The words of a question jieba tags as pronouns (r: 那天, 这次, 其中, 该市)."""
    import jieba.posseg as pseg

    return frozenset(p.word for p in pseg.cut(question.lower()) if p.flag.startswith("r"))


def present(term: str, window: str) -> bool:
    """Is the term, a word staff use for it, or (for a compound) each of its parts there?"""
    if "(" in window or "（" in window:  # 县(区)级 is what staff write as 县区级, 孕(产)妇 孕妇
        window = f"{_BRACKETS.sub('', window)} {_ASIDE.sub('', window)}"
    if term in window or any(s in window for s in SYNONYMS.get(term, ())):
        return True
    if len(term) < 3 or re.search(r"\d", term):
        return False
    if _spread(term).search(window):  # 销售额 as 销售总额, 怀二孩 as 怀孕二孩
        return True
    parts = [p for p in tokenize(term) if len(p) >= 2 and p != term]
    covered: set[int] = set()
    for p in parts:
        if p in window or any(s in window for s in SYNONYMS.get(p, ())):
            covered.update(i for i in range(len(term)) if term.find(p) <= i < term.find(p) + len(p))
    # 曾效力 / 转化成 / 追溯到: a verb with one function character beside it
    leftover = [term[i] for i in range(len(term)) if i not in covered]
    return len(leftover) == 0 or (len(leftover) == 1 and leftover[0] in _FUNCTION_CHARS)


def metric_present(phrase: str, window: str) -> bool:
    """Is a measure asked (metric_phrases: 营收增长指引, 山西汾酒股价) named there: the phrase,
    or each of its content words apart (营收 … 指引)? A change word beside a measure (增长 of
    营收增长指引) is how the figure moved, which the passage may say otherwise (增幅)."""
    if present(phrase, window):
        return True
    import jieba

    content = []
    for w in jieba.lcut(phrase):
        stem = _stem(w)
        if len(w) > 1 and not is_asking_word(w) and stem not in CHANGE_WORDS \
                and w not in CHANGE_WORDS:
            content.append(stem)
    # a change asked alone (比一季度下降了多少) must be said: the clause stating it answers,
    # else the two sides are read apart and the change worked out (answering/sides.py)
    return bool(content) and all(present(w, window) for w in content)


def _stem(word: str) -> str:
    """A two-character verb without its aspect or result character (赔过 -> 赔, 降到 -> 降)."""
    return word[0] if len(word) == 2 and word[1] in _COMPLEMENTS else word


def with_synonyms(tokens: list[str]) -> list[str]:
    """Search tokens plus the tokens of the words documents use for them (GDP ->
    地区生产总值): a bulletin writes the full name where staff write the abbreviation."""
    extra = [t for token in tokens for word in SYNONYMS.get(token, ())
             for t in tokenize(word) if t not in tokens]
    return tokens + list(dict.fromkeys(extra))


def spelled_out(question: str, texts: Sequence[str]) -> str:
    """The question with each abbreviation the passages never write replaced by the longer
    word they write: a two- or three-character word whose characters come in order in
    it, the first at its start, at most four between, run on to the end of its word
    (营收 -> 营业收入, 规上 -> 规模以上, 上金所 -> 上海黄金交易所), or a standard
    abbreviation's full name (words.toml synonyms: 归母净利润).
    Written by hand: no library knows a corpus's abbreviations; the passages spell them out."""
    import jieba

    joined = "\n".join(texts)
    out = question
    for key, names in SYNONYMS.items():
        if len(key) >= 3 and _HAN.fullmatch(key) and key in out and key not in joined:
            out = out.replace(key, next((n for n in names if n in joined), key))
    asking = {i for m in pattern("asks_anything").finditer(out)
              for i in range(m.start() - 1, m.end() + 1)}  # the asking word and its neighbours
    words_ = [(w, a, b) for w, a, b in jieba.tokenize(out)
              if not asking & set(range(a, b))]  # 哪天起: no abbreviation of anything
    # 上金 + 所: a two-character word the passages never write may go on one more character
    pieces = [w + v for (w, _, e), (v, a, _) in zip(words_, words_[1:], strict=False)
              if len(w) == 2 and len(v) == 1 and e == a and w not in joined]
    pieces += [w for w, _, _ in words_ if len(w) == 2]
    for token in dict.fromkeys(pieces):
        if not _HAN.fullmatch(token) or token in joined or token not in out \
                or token in STOP or is_asking_word(token):
            continue
        gaps = "[\u4e00-\u9fff]{0,4}?".join(token)
        found = [_whole_word(joined, m.start(), m.end()) for m in re.finditer(gaps, joined)
                 if m.end() - m.start() > len(token)]
        if found:
            out = out.replace(token, max(set(found), key=lambda w: (found.count(w), -len(w))))
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _whole_word(text: str, start: int, end: int) -> str:
    """text[start:end] run on to the end of the word its last character is in (营业收 ->
    营业收入)."""
    import jieba

    piece = text[start : end + 6]
    for _, a, b in jieba.tokenize(piece):
        if a < end - start <= b:
            return piece[:b]
    return text[start:end]


def leading_subject(question: str) -> str:
    """The name a question opens with before its time (焦点科技上半年…, 山西汾酒今年…): nouns
    only, no place (the place guard has those) and no common word; '' when it opens
    otherwise (根据…, 发布会上介绍…, 7月…)."""
    import jieba.posseg as pseg

    words_: list[str] = []
    for pair in pseg.cut(question):
        word, flag = pair.word.strip(), pair.flag
        if is_asking_word(word):
            return ""  # 杨树浦路全长多少米: it asks before any time; no dated opening
        if flag.startswith("t") or re.match(r"\d", word) or flag == "m" \
                or word.startswith(tuple(load("facts")["relative_years"])):
            break  # 上半年, 2023年, 去年同期: the time
        if not flag.startswith(("n", "j", "eng")) or flag.startswith("ns") or word in STOP \
                or word in GENERIC:
            return ""
        words_.append(word)
    else:
        return ""  # no time after it: not the opening subject of a dated question
    name = "".join(words_)
    return name if len(name) >= 3 and name not in gazetteer() else ""


def _comparisons_apart(question: str) -> str:
    """A比B多: keep 比 off the words beside it (jieba reads 市级财政比县区级 as …比县…)."""
    return pattern("comparative").sub(" 比 ", question)


def specific_terms(question: str) -> set[str]:
    """Names, numbers, ordinals and quantity modifiers: missing any of them changes the question."""
    import jieba.posseg as pseg

    out: set[str] = set()
    pairs = [(p.word.strip(), p.flag) for p in pseg.cut(_comparisons_apart(question.lower()))]
    pairs = [(word, flag) for word, flag in pairs if word]
    for i, (word, flag) in enumerate(pairs):
        # 惠及多少家 (jieba's dictionary tags 惠及 a place): the word before 多少 is asked of
        counted = i + 1 < len(pairs) and pattern("counted_after").match(pairs[i + 1][0])
        if flag.startswith(_PROPER) and not counted or re.search(r"\d", word) \
                or pattern("ordinal").match(word) or word in MODIFIERS:
            out.add(word)
    return out


def category_words(question: str) -> set[str]:
    """Nouns that name the kind of thing asked for (国籍是哪个国家 -> 国家): the passage states
    an instance of it, not the word itself."""
    import jieba.posseg as pseg

    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    out: set[str] = set()
    for i, (word, _) in enumerate(words):
        if pattern("category_after").search(word):
            out.update(w for w, f in words[i + 1 : i + 3] if f.startswith("n") and len(w) > 1)
        if pattern("category_before").search(word) or (word == "是" and i + 1 < len(words)
                                             and pattern("category_after").search(words[i + 1][0])):
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
        if is_asking_word(word) or not _WORD.search(word):
            continue
        digit = bool(re.search(r"\d", word)) or bool(re.match(r"第[一二三四五六七八九十]+", word))
        if flag.startswith("m") and not digit:
            continue
        if flag != "eng" and flag.startswith(NOT_SALIENT_POS) and not digit \
                and word not in MODIFIERS:
            continue
        # 非制造业 is not 制造业: a negating prefix the segmenter cut off stays on its noun.
        low = question.lower()
        if not digit and "非" + word in low:
            word = "非" + word
        if word not in out:
            out.append(word)
    return out


def metric_words(question: str) -> list[str]:
    """The noun a quantity question counts or measures (the word beside 多少 / 几).

    It must be in the evidence: 营业收入 or 利润 missing means the report does not say, even if
    every other word of the question is there.
    """
    return list(_metric_words(question))


@functools.lru_cache(maxsize=1024)
def _modal_verb(word: str) -> bool:
    """能贷, 可领: a modal before a verb, which jieba's dictionary does not hold as a word
    (能源 and 会员 it does)."""
    import jieba

    return word.startswith(_MODALS) and not jieba.get_FREQ(word)


def _metric_words(question: str) -> tuple[str, ...]:
    # Cached: evidence scoring, the passage demands and the fact check each ask it of the
    # same question (one part-of-speech pass each otherwise).
    import jieba.posseg as pseg

    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    out: list[str] = []
    for i, (word, _) in enumerate(words):
        if not re.search(r"多少|^几|百分之几", word) or pattern("not_a_count").search(word):
            continue
        after = [w for w, f in words[i + 1 : i + 3] if f.startswith(("n", "vn", "l", "j", "eng"))]
        # 调价后每立方米多少钱: a word before 后 (前, 以来) frames the time, it is not measured
        before = [w for k, (w, f) in reversed(list(enumerate(words))[max(0, i - 4) : i])
                  if f.startswith(("n", "vn", "l", "j", "v", "eng")) and w not in LIGHT_VERBS
                  and not _modal_verb(w) and words[k + 1][0] not in _TIME_AFTER]
        named = [w for w in after + before if w not in GENERIC and w not in STOP
                 and len(w) > 1 and not is_asking_word(w) and not w.startswith("是")]
        # the measure before a change word; the change word when nothing names one (各增长多少)
        pick = ([w for w in named if w not in CHANGE_WORDS] or named)[:1]
        out.extend(pick)
    return tuple(out)


# Pure, and read of the same question by each extract, side and fact check: remembered.
@functools.lru_cache(maxsize=1024)
def narrowing_words(question: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each measure word asked (成交量) with the words written before it that single it out
    (白银 before 累计成交量; 柏林, 超级 before 工厂每周产量; 惠小微 before 贷款余额): jieba tags
    some of these as names (白银/nr), so unlike ``metric_phrases`` a name-tagged word counts.
    Places, bodies, times and the nation are left to their own guards."""
    import jieba.posseg as pseg

    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    national = set(load("facts")["names"]["national"])
    out: list[tuple[str, tuple[str, ...]]] = []
    for head in _metric_words(question):
        at = next((i for i, (w, _) in enumerate(words) if w == head), None)
        if at is None:
            continue
        found: list[str] = []
        k = at
        while k > 1 and len(found) < 4:  # the question's first word is its subject
            word, flag = words[k - 1]
            k -= 1
            if word.startswith("每") or word == "的":  # 每周产量: a rate's frame, not a kind
                continue
            if flag.startswith(("ns", "nt", "t", "m", "p", "x", "u", "c", "d", "a")) \
                    or flag.startswith("r") and not word.startswith("各") \
                    or word in STOP or word in GENERIC or word in national \
                    or word in LIGHT_VERBS or is_asking_word(word) \
                    or pattern("time_phrase").fullmatch(word) or word in ("年度", "季度", "月份"):
                break
            # the words that single one measure out: what jieba reads as a name (白银, 惠小微,
            # 柏林) or a distinguishing attribute (b: 超级), and 各项; plain nouns before a
            # measure (信贷, 职工家庭) are too often paraphrased to be demanded word for word
            if len(word) >= 2 and (flag.startswith(("nr", "nz", "b")) or word.startswith("各")) \
                    and not word.startswith(("和", "与", "及", "或")):  # 和科: a join cut in
                found.append(word)
        if found:
            out.append((head, tuple(found)))
    return tuple(out)


def metric_phrases(question: str) -> list[str]:
    """Each metric word with the words written right before it that narrow it (二手房成交面积,
    进出口总值): the evidence must name the thing measured, not only its head noun."""
    import jieba.posseg as pseg

    heads = _metric_words(question)
    words = [(p.word, p.flag) for p in pseg.cut(question.lower()) if p.word.strip()]
    # 哪些服务行业增加值增长…: the kind asked for is named by its instances (住宿和餐饮业…).
    categories = category_words(question)
    out: list[str] = []
    for head in heads:
        at = next((i for i, (w, _) in enumerate(words) if w == head), None)
        if at is None:
            out.append(head)
            continue
        start = at
        while start > 0 and at - start < 2:
            word, flag = words[start - 1]
            if len(word) < 2 or word in STOP or word in GENERIC or is_asking_word(word) \
                    or not flag.startswith(("n", "vn", "v", "j", "eng")) \
                    or flag.startswith(("ns", "nt", "nr", "t")) or word in LIGHT_VERBS \
                    or word in categories:
                break
            start -= 1
        out.append("".join(w for w, _ in words[start : at + 1]))
    return out


_PLACE_FLAGS = ("ns", "nt")


def named_places(question: str) -> list[str]:
    """Places and organisations the question names: asking about one the documents never
    mention is asking about another subject, not a paraphrase. jieba's ns/nt tags alone
    are noisy (it tags some verbs ns), so a tagged word counts when it is an
    administrative division (the gazetteer) or ends like a body (…银行, …集团, …股份)."""
    import jieba.posseg as pseg

    places = gazetteer()
    bodies = tuple(load("words")["body_suffixes"])
    out: list[str] = []
    for pair in pseg.cut(_comparisons_apart(question.lower())):
        word = pair.word.strip()
        if pair.flag in _PLACE_FLAGS and len(word) >= 2 and word not in out \
                and (word in places or word.endswith(bodies)):
            out.append(word)
    return out

