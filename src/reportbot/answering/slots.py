"""Where a question's answer sits in a text: the *slot*.

The question restates most of the clause that answers it: the words just before and after
its asking word (什么, 谁, 哪, 多少, 几 …) recur there, and the answer sits between them. The
slot's score says how firmly the question's words frame it; evidence scoring reads that as
a feature of each clause (:func:`frame_score`), the short answer reads the slot itself.
By hand (no Chinese reading model ships offline); word lists in ``data/short.toml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

import jieba
import jieba.posseg

from reportbot.language.vocabulary import alternation, load, words

CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
WHY = ("为什么", "为何")
NAMING = "哪个些一两几么何家位所座种条部首本支队"  # 哪个/什么 + the kind asked (哪个国家)
_REVERSED = "于自在到至"  # 出生于, 来自, 成立于: the verb the question put after its asking word
_LONGEST_ANCHOR = 12


class Asked(NamedTuple):
    """The words around the asking phrase, the kind named (哪个国家), the measure (多少公里)."""
    left: str
    right: str
    phrase: str
    category: str
    measure: str


class Anchor(NamedTuple):
    """Question words found again (``at``: end of a left one, start of a right one)."""
    at: int
    size: int
    rank: float


@dataclass(frozen=True)
class Slot:
    """The answer after ``lo``, before ``hi``; ``narrow``: the text is the framed answer."""
    lo: int | None
    hi: int | None
    firm_hi: bool = False
    score: float = 0.0
    narrow: bool = False


@functools.cache
def pattern(key: str) -> re.Pattern[str]:
    """A pattern of short.toml: one string, or a list joined as an alternation."""
    value = load("short")[key]
    return re.compile(value if isinstance(value, str) else alternation("short", key))


@functools.cache
def edges() -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    """Lead and tail function words (longest first), edge punctuation, anchor characters."""
    lead, tail = (tuple(sorted(words("short", k), key=len, reverse=True))
                  for k in ("lead_function", "tail_function"))
    return lead, tail, str(load("short")["edge_punctuation"]), str(load("short")["anchor_chars"])




def asked_of(question: str) -> Asked:
    """Split the question at its first asking phrase (the whole question is left when none)."""
    q = question.strip().rstrip("？?。.！! ")
    m = pattern("asking").search(q)
    if m is None:
        return Asked(q, "", "", "", "")
    if m.group(0) in WHY and not q[m.end():].strip(edges()[2] + "呢呀啊"):
        # 称为什么 at the end asks what something is called (为 + 什么), not why.
        m = pattern("asking").search(q, m.start() + 1) or m
    left, right, phrase = q[: m.start()], q[m.end():], m.group(0)
    first, tag = next(((p.word, p.flag) for p in jieba.posseg.cut(right)), ("", ""))
    counting = phrase == "多少" or phrase.startswith("几")
    measure = pattern("magnitude").sub("", first) if counting and is_kind(first, "哪") else ""
    # 哪个/哪家/什么 name a kind next (哪个国家); 哪年/哪里/哪天 are the kind themselves.
    # A verb ending the question is what is done, not a kind (由什么代替).
    verb = tag.startswith("v") and right == first
    naming = phrase[-1] in NAMING and phrase not in WHY and not verb
    category = first if naming and is_kind(first, phrase) else ""
    named = category or (first if measure else "")
    return Asked(left, right[len(named):], phrase, category, measure)


@functools.lru_cache(maxsize=256)
def asks_of(question: str) -> dict[str, bool]:
    """Which kinds of thing the question's wording asks for (short.toml [asks]: alias,
    reason, place, person); read by the short answer's readers and its span ranker."""
    return {str(k): re.search(str(p), question) is not None
            for k, p in load("short")["asks"].items()}


def is_kind(word: str, phrase: str) -> bool:
    """A word naming a kind of answer (国家; one character too: 哪个省, 什么奖), no particle."""
    if not word or not all("\u4e00" <= ch <= "\u9fff" for ch in word) or word in edges()[0]:
        return False
    return len(word) >= 2 or (phrase[-1] in NAMING and word not in edges()[1])


def slot_in(text: str, asked: Asked) -> Slot:
    """The strongest reading of where the answer sits: an anchor pair in order (shortest gap,
    one clause), one anchor, or the right words followed by 于 (在哪里出生 -> 出生于X)."""
    kind = asked.category if asked.category not in asked.left else ""
    # The kind asked, named and followed by 是/为 (唱片公司是青空唱片), opens the answer.
    named = re.finditer(rf"{re.escape(kind)}[是为称：:]", text) if kind else iter(())
    los = _anchors(text, asked.left, tail=True)
    los += [Anchor(m.end(), len(m.group(0)), float(len(kind))) for m in named]
    his = _anchors(text, asked.right, tail=False)
    slots = [Slot(None, None), *_inverted(text, asked)]
    slots += [Slot(a.at, None, score=a.rank - (a.size == 1) - a.at / 1e4) for a in los]
    slots += [Slot(None, a.at, score=a.rank - (a.size == 1) - 0.1) for a in his]
    for hi in his:
        after = hi.at + hi.size
        if text[after: after + 1] and text[after] in _REVERSED:
            slots.append(Slot(after + 1, None, score=hi.rank + 1.5))
        for lo in (lo for lo in los if lo.at <= hi.at):
            score = lo.rank + hi.rank - (hi.at - lo.at) / 1e3
            score -= 1.0 if CLAUSE_END.search(text, lo.at, hi.at) else 0.0  # a loose frame
            slots.append(Slot(after, None, score=score) if lo.at == hi.at else
                         Slot(lo.at, hi.at, hi.rank >= lo.rank, score))
    return max(slots, key=lambda s: s.score)


def _inverted(text: str, asked: Asked) -> list[Slot]:
    """Y是谁 answered as X是Y (X成为Y): the answer ends where 是 + the question's words begin."""
    said = asked.left[:-1]
    if asked.right or asked.left[-1:] != "是" or asked.phrase not in ("谁", "什么"):
        return []
    longest = min(len(said), _LONGEST_ANCHOR)
    for k in range(longest, max(5, longest * 3 // 4 - 1), -1):  # most of them, not the subject
        at = [i - len(c) for i in starts(text, said[:k]) for c in ("是", "成为")
              if text[i - len(c): i] == c]
        if at:
            return [Slot(None, i, score=float(k)) for i in at]
    return []


def _anchors(text: str, words_: str, *, tail: bool) -> list[Anchor]:
    """Where the words next to the asking phrase recur: their longest run; else a function
    character touching the phrase (由谁) and the word (or part: 兴趣爱好) nearest it."""
    words_, found = words_.strip(edges()[2]), []
    for k in range(min(len(words_), _LONGEST_ANCHOR), 1, -1):
        piece = words_[-k:] if tail else words_[:k]
        found = [Anchor(i + k if tail else i, k, float(k)) for i in starts(text, piece)]
        if found:
            return found
    edge = words_[-1:] if tail else words_[:1]
    if edge and edge in edges()[3]:
        found = [Anchor(i + 1 if tail else i, 1, 1.5) for i in starts(text, edge)]
    parts = _parts(words_)
    # Sorted first: words tied on place keep one order whatever the set's hash order.
    near = sorted(sorted(parts), key=(lambda t: -words_.rfind(t) - len(t)) if tail
                  else words_.find)
    for part in near:
        # A word at most a particle away from the asking phrase says more than the subject.
        gap = len(words_) - words_.rfind(part) - len(part) if tail else words_.find(part)
        k, rank = len(part), 1.0 + 0.5 * (gap <= 1)
        if hits := [Anchor(i + k if tail else i, k, rank) for i in starts(text, part)]:
            return found + hits
    return found


@functools.lru_cache(maxsize=256)
def _parts(words_: str) -> frozenset[str]:
    """The words of a question's side of its asking phrase (the same for every clause read
    against it: evidence scoring reads each clause's frame)."""
    return frozenset(t for t in jieba.lcut_for_search(words_) if len(t) > 1)


def starts(text: str, piece: str) -> list[int]:
    """Every start of ``piece`` in ``text``."""
    return [m.start() for m in re.finditer(re.escape(piece), text)] if piece else []


@functools.lru_cache(maxsize=256)
def _asked_cached(question: str) -> Asked:
    return asked_of(question)


def frame_score(question: str, text: str) -> float:
    """How firmly the words around the question's asking phrase recur in the text (0: none,
    or the question asks nothing): the anchors' lengths, less for a loose frame."""
    asked = _asked_cached(question)
    return max(0.0, slot_in(text, asked).score) if asked.phrase else 0.0
