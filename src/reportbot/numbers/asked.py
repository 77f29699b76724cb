"""What a quantity question asks, read from its words: unit, subject, years, metric words;
and the facts of the retrieved passages ranked against it (used by numeric answers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportbot.language.quantities import TIME_KINDS, base_unit, parse_quantities
from reportbot.language.tokens import tokenize
from reportbot.numbers.crosscheck import (
    bigrams,
    common_part,
    is_money,
    mentioned_subjects,
)
from reportbot.records import Fact

Passage = tuple[str, int, int, str]


_ASKS = re.compile(r"多少|几[个家人项次名位批所届种]?|多大|多高|多长|占比|比例|比重|百分之几|"
                   r"百分比|合计|一共|总共|共计|总计|总额|差额|相差|之差|增长前|增长率|增幅|增速|"
                   r"how many|how much|what share|what percent", re.I)


# A counter said right after 多少/几 names the unit outright (按增幅倒推…多少家 asks 家).
_COUNTED = (
    ("家", re.compile(r"(?:多少|几)家")),
    ("人", re.compile(r"(?:多少|几)(?:个)?[人名位]")),
    ("项", re.compile(r"(?:多少|几)项")),
    ("次", re.compile(r"(?:多少|几)次")),
    ("%", re.compile(r"(?:多少|几)个百分点")),
)


_UNIT_WORDS = (
    ("%", re.compile(r"百分之|百分比|比例|比重|占比|增长率|增幅|增速|增长了?多少|几成|%")),
    ("家", re.compile(r"家数")),  # 新增从业人数的增长率 asks %, 人数是多少 asks 人
    ("人", re.compile(r"人数")),
    ("个", re.compile(r"(?:多少|几)个")),
    ("money", re.compile(r"多少(?:万|亿)?(?:美)?元|多少钱")),
)


# Otherwise the later of a person word and a money word is the head noun: 多少学员补贴 asks
# money, 资金支持了多少学员 asks people.
_HEAD_WORDS = (
    ("人", re.compile(r"(?:多少|几)[^，。？?]{0,10}?(?:人员|学员|员工|职工|人才)|"
                     r"(?:人员|学员|员工|职工|人才)[^，。？?]{0,6}?(?:多少|几)")),
    ("money", re.compile(r"金额|资金|经费|补贴|拨款|万元|亿元|美元")),
)


ASK_NOISE = re.compile(r"(?:多少|几)[个家人项次名位批所届种]?|请问|是|吗|呢|的|了|有|为|共|一共|"
                        r"合计|总共|共计|总计|分别|大约|大概|左右|约|哪些|什么|平均|人均|户均|每[人家个项次]|"
                        r"钱|百分之|百分比|"
                        r"[？?，,。！!]")


_PER_WORDS = re.compile(r"每|人均|户均|平均")


_SENTENCE_MARKS = "。！？；!?;\n"


MIN_SCORE = 0.3


_MIN_EVIDENCE = 0.2


@dataclass(frozen=True)
class Question:
    text: str
    content: frozenset[str]
    unit: str | None
    years: tuple[int, ...]
    named: tuple[str, ...]
    per: bool  # asks a per-unit figure (每人, 人均): 元/人 facts may answer it
    head: str  # the last word of what is asked about (Chinese puts the head noun last)
    ordered: bool = True  # word order carries meaning (A占B: A is the part)


def asks_quantity(question: str) -> bool:
    """Does the question ask for a number (多少, 几, 占比, 合计, how many…)?"""
    return _ASKS.search(question) is not None


# 按增幅倒推 / 根据增速推算: the rate is the means, not what is asked.
_BY_RATE = re.compile(r"(?:按|根据|依据|按照|用)(?:同比)?(?:增速|增幅|增长率|增长幅度)")


def asked_unit(question: str) -> str | None:
    """The unit the question wants: 人, 家, 个, 项, 次, % or 'money'; None if not said."""
    question = _BY_RATE.sub(" ", question)
    for unit, pattern in (*_COUNTED, *_UNIT_WORDS):
        if pattern.search(question):
            return unit
    heads = [(m.end(), unit) for unit, pattern in _HEAD_WORDS
             for m in pattern.finditer(question)]
    return max(heads)[1] if heads else None


def in_passages(passages: Sequence[Passage], facts: list[Fact]) -> dict[int, tuple[int, str]]:
    """fact_id -> (rank of the first passage holding it, its sentence in that passage)."""
    found: dict[int, tuple[int, str]] = {}
    for rank, (doc_id, start, end, text) in enumerate(passages):
        for f in facts:
            if f.fact_id not in found and f.doc_id == doc_id and start <= f.start < f.end <= end:
                a, b = f.start - start, f.end - start
                left = max(text.rfind(m, 0, a) for m in _SENTENCE_MARKS) + 1
                rights = [i for m in _SENTENCE_MARKS if (i := text.find(m, b)) >= 0]
                found[f.fact_id] = (rank, text[left : min(rights, default=len(text))])
    return found


def analyse(question: str, facts: list[Fact], live: list[Fact]) -> Question:
    # Spaces out: a question put together from words still names 江西 IT … as 江西IT….
    named = tuple(s for s in mentioned_subjects(question.replace(" ", ""), live)
                  if any(f.subject == s for f in facts))
    years = tuple(int(q.value) for q in parse_quantities(question)
                  if q.kind in TIME_KINDS and "年" in q.text)
    words = question
    for q in parse_quantities(question):
        words = words.replace(q.text, " ")
    for s in named:
        words = words.replace(common_part(s, question), " ")
    words = ASK_NOISE.sub(" ", words)
    runs = re.findall(r"[A-Za-z\u4e00-\u9fff]+", words)
    words_of_last = [w for w in tokenize(runs[-1]) if len(w) > 1] if runs else []
    head = words_of_last[-1] if words_of_last else ""
    return Question(question, frozenset(bigrams(words)), asked_unit(question), years, named,
                     _PER_WORDS.search(question) is not None, head)


def year_of(period: str) -> int | None:
    m = re.match(r"(\d{4})", period)
    return int(m.group(1)) if m else None


def rank(q: Question, content: frozenset[str], facts: list[Fact],
          pool: dict[int, tuple[int, str]], use_period: bool = True) -> list[tuple[float, Fact]]:
    """Facts of the named subjects, best first: metric overlap (recall-weighted), sentence,
    period and passage rank."""
    scored = []
    for f in facts:
        if q.named and f.subject not in q.named:
            continue
        metric = bigrams(f.metric)
        hit = len(metric & content)
        p, r = (hit / len(metric), hit / len(content)) if hit else (0.0, 0.0)
        f2 = 5 * p * r / (4 * p + r) if hit else 0.0
        rank, sentence = pool.get(f.fact_id, (len(pool), f.metric))
        in_sentence = len(content & bigrams(sentence)) / len(content) if content else 0.0
        evidence = f2 + 0.5 * in_sentence
        if evidence < _MIN_EVIDENCE:
            continue  # nothing the question says points at this fact; period and rank can't
        score = evidence + 0.1 / (1 + rank)
        year = year_of(f.period)
        if use_period and q.years and year is not None:
            score += 0.3 if year in q.years else -0.5
        scored.append((score, f))
    return sorted(scored, key=lambda s: (-s[0], s[1].fact_id))


def fits_unit(q: Question, f: Fact) -> bool:
    """Is the fact of the kind and unit the question asks for?"""
    if "/" in f.unit and not q.per:
        return False
    if q.unit is None:
        return f.kind == "quantity"
    if q.unit == "%":
        return f.kind == "rate"
    if q.unit == "money":
        return f.kind == "quantity" and is_money(f.unit)
    return f.kind == "quantity" and base_unit(f.unit) == q.unit


def rate_of(f: Fact, live: list[Fact]) -> Fact | None:
    return next((r for r in live if r.kind == "rate" and r.qualifies == f.fact_id), None)

