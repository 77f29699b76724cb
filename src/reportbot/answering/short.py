"""The short answer: the thing a question asks for, pulled out of the cited text.

The question restates most of the clause that answers it: the words just before and
after its asking word (什么, 谁, 哪, 多少, 几 …) recur there and the answer sits between them
(the *slot*). Typed readers narrow the slot, or search near it when words frame nothing:
a figure in the measure asked, a time, a person, an organisation, a place, a name after
又称, a reason after 由于. Unanchored, the answer is what the question's words do not cover.
By hand (no Chinese reading model ships offline); word lists in ``data/short.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import jieba
import jieba.posseg

from reportbot.language.question import Question
from reportbot.language.terms import place_named_body
from reportbot.language.text import covered_by, uncovered_runs
from reportbot.language.vocabulary import alternation, load, words

Span = tuple[int, int]

_MARKER = re.compile(r"\[\d+\]")
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
_DOTS = "·•"
_INITIALS = re.compile(r"(?:[A-Za-z]{1,3}[·•．.])+$")  # J·K·罗琳: initials before a surname
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
_WHY = ("为什么", "为何")
_NAMING = "哪个些一两几么何家位所座种条部首本支队"  # 哪个/什么 + the kind asked (哪个国家)
_REVERSED = "于自在到至"  # 出生于, 来自, 成立于: the verb the question put after its asking word
_LONGEST_ANCHOR = 12
_FIRM = 1.9  # a slot this firmly anchored holds the answer
_CITED_BONUS = 0.3  # a passage must frame the answer this much better than the cited text


class _Asked(NamedTuple):
    """The words around the asking phrase, the kind named (哪个国家), the measure (多少公里)."""
    left: str
    right: str
    phrase: str
    category: str
    measure: str


class _Anchor(NamedTuple):
    """Question words found again (``at``: end of a left one, start of a right one)."""
    at: int
    size: int
    rank: float


@dataclass(frozen=True)
class _Slot:
    """The answer after ``lo``, before ``hi``; ``narrow``: the text is the framed answer."""
    lo: int | None
    hi: int | None
    firm_hi: bool = False
    score: float = 0.0
    narrow: bool = False


@functools.cache
def _pattern(key: str) -> re.Pattern[str]:
    """A pattern of short.toml: one string, or a list joined as an alternation."""
    value = load("short")[key]
    return re.compile(value if isinstance(value, str) else alternation("short", key))


@functools.cache
def _edges() -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    """Lead and tail function words (longest first), edge punctuation, anchor characters."""
    lead, tail = (tuple(sorted(words("short", k), key=len, reverse=True))
                  for k in ("lead_function", "tail_function"))
    return lead, tail, str(load("short")["edge_punctuation"]), str(load("short")["anchor_chars"])


def short_answer(question: Question, cited: str, context: Sequence[str] = ()) -> str | None:
    """The asked-for span of the cited text (markers removed), or None; a ``context`` passage
    is read instead when the question's words frame an answer there more firmly."""
    asked = _asked(question.scoring or question.text)
    texts = [t for t in (_MARKER.sub("", x).strip() for x in (cited, *context)) if t]
    if not texts:
        return None
    slots = [_slot(t, asked) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: -slots[i].score - (i == 0) * _CITED_BONUS)
    text, slot = texts[order[0]], slots[order[0]]
    readers = _typed(question, asked)
    generic = _untyped(text, asked, slot)
    if generic and slot.score >= _FIRM:
        # The words frame the answer: a typed reader only narrows it down; only a figure, a
        # time or a reason (为什么 frames nothing) is sought elsewhere if the frame has none.
        whole = _Slot(0, len(generic), narrow=True)
        found = next((n for n in (r(generic, asked, whole, question) for r in readers) if n), "")
        if found or not {_figure, _time, _reason} & set(readers):
            return found or generic
    found = next((f for typed in readers for i in order
                  if (f := typed(texts[i], asked, slots[i], question))), "")
    return found or generic or _trim(text) or None


def _asked(question: str) -> _Asked:
    """Split the question at its first asking phrase (the whole question is left when none)."""
    q = question.strip().rstrip("？?。.！! ")
    m = _pattern("asking").search(q)
    if m is None:
        return _Asked(q, "", "", "", "")
    if m.group(0) in _WHY and not q[m.end():].strip(_edges()[2] + "呢呀啊"):
        # 称为什么 at the end asks what something is called (为 + 什么), not why.
        m = _pattern("asking").search(q, m.start() + 1) or m
    left, right, phrase = q[: m.start()], q[m.end():], m.group(0)
    first, tag = next(((p.word, p.flag) for p in jieba.posseg.cut(right)), ("", ""))
    counting = phrase == "多少" or phrase.startswith("几")
    measure = _pattern("magnitude").sub("", first) if counting and _is_kind(first, "哪") else ""
    # 哪个/哪家/什么 name a kind next (哪个国家); 哪年/哪里/哪天 are the kind themselves.
    # A verb ending the question is what is done, not a kind (由什么代替).
    verb = tag.startswith("v") and right == first
    naming = phrase[-1] in _NAMING and phrase not in _WHY and not verb
    category = first if naming and _is_kind(first, phrase) else ""
    named = category or (first if measure else "")
    return _Asked(left, right[len(named):], phrase, category, measure)


def _is_kind(word: str, phrase: str) -> bool:
    """A word naming a kind of answer (国家; one character too: 哪个省, 什么奖), no particle."""
    if not word or not all("\u4e00" <= ch <= "\u9fff" for ch in word) or word in _edges()[0]:
        return False
    return len(word) >= 2 or (phrase[-1] in _NAMING and word not in _edges()[1])


def _slot(text: str, asked: _Asked) -> _Slot:
    """The strongest reading of where the answer sits: an anchor pair in order (shortest gap,
    one clause), one anchor, or the right words followed by 于 (在哪里出生 -> 出生于X)."""
    kind = asked.category if asked.category not in asked.left else ""
    # The kind asked, named and followed by 是/为 (唱片公司是青空唱片), opens the answer.
    named = re.finditer(rf"{re.escape(kind)}[是为称：:]", text) if kind else iter(())
    los = _anchors(text, asked.left, tail=True)
    los += [_Anchor(m.end(), len(m.group(0)), float(len(kind))) for m in named]
    his = _anchors(text, asked.right, tail=False)
    slots = [_Slot(None, None), *_inverted(text, asked)]
    slots += [_Slot(a.at, None, score=a.rank - (a.size == 1) - a.at / 1e4) for a in los]
    slots += [_Slot(None, a.at, score=a.rank - (a.size == 1) - 0.1) for a in his]
    for hi in his:
        after = hi.at + hi.size
        if text[after: after + 1] and text[after] in _REVERSED:
            slots.append(_Slot(after + 1, None, score=hi.rank + 1.5))
        for lo in (lo for lo in los if lo.at <= hi.at):
            score = lo.rank + hi.rank - (hi.at - lo.at) / 1e3
            score -= 1.0 if _CLAUSE_END.search(text, lo.at, hi.at) else 0.0  # a loose frame
            slots.append(_Slot(after, None, score=score) if lo.at == hi.at else
                         _Slot(lo.at, hi.at, hi.rank >= lo.rank, score))
    return max(slots, key=lambda s: s.score)


def _inverted(text: str, asked: _Asked) -> list[_Slot]:
    """Y是谁 answered as X是Y (X成为Y): the answer ends where 是 + the question's words begin."""
    said = asked.left[:-1]
    if asked.right or asked.left[-1:] != "是" or asked.phrase not in ("谁", "什么"):
        return []
    longest = min(len(said), _LONGEST_ANCHOR)
    for k in range(longest, max(5, longest * 3 // 4 - 1), -1):  # most of them, not the subject
        at = [i - len(c) for i in _starts(text, said[:k]) for c in ("是", "成为")
              if text[i - len(c): i] == c]
        if at:
            return [_Slot(None, i, score=float(k)) for i in at]
    return []


def _anchors(text: str, words_: str, *, tail: bool) -> list[_Anchor]:
    """Where the words next to the asking phrase recur: their longest run; else a function
    character touching the phrase (由谁) and the word (or part: 兴趣爱好) nearest it."""
    words_, found = words_.strip(_edges()[2]), []
    for k in range(min(len(words_), _LONGEST_ANCHOR), 1, -1):
        piece = words_[-k:] if tail else words_[:k]
        found = [_Anchor(i + k if tail else i, k, float(k)) for i in _starts(text, piece)]
        if found:
            return found
    edge = words_[-1:] if tail else words_[:1]
    if edge and edge in _edges()[3]:
        found = [_Anchor(i + 1 if tail else i, 1, 1.5) for i in _starts(text, edge)]
    parts = {t for t in jieba.lcut_for_search(words_) if len(t) > 1}
    near = sorted(parts, key=(lambda t: -words_.rfind(t) - len(t)) if tail else words_.find)
    for part in near:
        # A word at most a particle away from the asking phrase says more than the subject.
        gap = len(words_) - words_.rfind(part) - len(part) if tail else words_.find(part)
        k, rank = len(part), 1.0 + 0.5 * (gap <= 1)
        if hits := [_Anchor(i + k if tail else i, k, rank) for i in _starts(text, part)]:
            return found + hits
    return found


def _starts(text: str, piece: str) -> list[int]:
    """Every start of ``piece`` in ``text``."""
    return [m.start() for m in re.finditer(re.escape(piece), text)] if piece else []


def _nearest(text: str, spans: Sequence[Span], slot: _Slot, question: str) -> str:
    """The candidate nearest the slot (inside it first) that the question does not name."""
    def distance(span: Span) -> tuple[int, int]:
        start, end = span
        out = max(0, slot.lo - start) if slot.lo is not None else 0
        out += max(0, end - slot.hi) if slot.hi is not None else 0
        edge = abs(start - slot.lo) if slot.lo is not None else \
            abs(slot.hi - end) if slot.hi is not None else start
        return out, edge
    fresh = [s for s in spans if s[1] > s[0] and text[s[0]: s[1]] not in question]
    best = min(fresh, key=distance, default=(0, 0))
    return text[best[0]: best[1]]


def _typed(question: Question, asked: _Asked) -> list[Callable[..., str]]:
    """The typed readers that apply, most specific first (a reason question: that alone)."""
    kind, table = question.answer_kind, load("short")["asks"]
    asks = {k: re.search(str(p), question.text) is not None for k, p in table.items()}
    if asks["reason"] or asked.phrase in _WHY:
        return [_reason]
    return [reader for wanted, reader in (
        (kind == "alias" or asks["alias"], functools.partial(_after, "alias_marker")),
        (kind in ("year", "when", "day"), _time),
        (bool(asked.measure) or (question.quantity and not question.yes_no), _figure),
        (kind == "person" or asks["person"], _person),
        (kind in ("organisation", "company"), _organisation),
        (asks["place"], _place), (asks["place"], _place_name)) if wanted]


def _figure(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """A number or range in the measure asked (多少公里 -> 364.6公里; 多少人 -> …人), else any
    number with the measure word written after it (2至23公尺)."""
    number = rf"{_pattern('number').pattern}(?:\s*[-－—–~～至到]\s*{_pattern('number').pattern})?"
    unit = asked.measure or (question.unit if question.unit not in (None, "money") else "")
    measure = "[美欧日港]?元" if question.unit == "money" or unit == "元" else re.escape(unit)
    spans = [m.span() for m in re.finditer(rf"{number}\s*(?:{measure})", text)] if unit else []
    if not spans and not asked.measure:
        for m in re.finditer(rf"{number}\s*[%‰]?", text):
            after = next(iter(jieba.lcut(text[m.end(): m.end() + 6])), "")
            if m.group(0).endswith(("%", "‰")) or not _WORDLIKE.search(m.group(0)):
                spans.append(m.span())
            elif _is_kind(after, "哪"):
                spans.append((m.start(), m.end() + len(after)))
    return _nearest(text, spans, slot, asked.left + asked.right)


def _time(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """A time expression (9月26-27日, 2010年3月, 上世纪80年代, 明朝); a year when one is asked."""
    year, year_asked = _pattern("year"), question.answer_kind == "year"
    spans = [m.span() for m in _pattern("date").finditer(text)
             if not year_asked or year.search(m.group(0))]
    found = _nearest(text, spans, slot, asked.left + asked.right)
    kept = year.match(found) if year_asked else None
    return kept.group(0) if kept else found


def _tagged(text: str, tags: Sequence[str]) -> list[Span]:
    """Runs of jieba words carrying these tags (a name read on after ·)."""
    spans: list[Span] = []
    at = 0
    for pair in jieba.posseg.cut(text):
        start, at = at, at + len(pair.word)
        if pair.flag not in tags or (spans and spans[-1][1] > start):
            continue
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], at)
        else:
            more, back = _pattern("name_goes_on").match(text, at), _INITIALS.search(text[:start])
            spans.append((back.start() if back else start, more.end() if more else at))
    return spans


def _person(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """A person's name (jieba nr) nearest the slot, else an organisation."""
    covered, spans = covered_by(text, question.text), []
    for start, end in _tagged(text, words("short", "person_tags")):
        # A name read on after · stops where the question's words begin (伊万诺夫获胜, 谁获胜).
        dot = max(text.rfind(d, start, end) for d in _DOTS)
        spans.append((start, next((i for i in range(dot + 2, end) if covered[i] and dot > 0), end)))
    return (_nearest(text, spans, slot, question.text)
            or _organisation(text, asked, slot, question)
            or _nearest(text, _tagged(text, ("j",)), slot, question.text))  # 欧盟: jieba j


def _organisation(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """An organisation nearest the slot: jieba nt/nz, a body named after its place, or a run
    of nouns ending in 公司/大学 … (the whole run: 腾讯公司, not 腾讯)."""
    spans = _tagged(text, words("short", "organisation_tags"))
    suffix, at, run = _pattern("organisation_suffix"), 0, None
    for pair in jieba.posseg.cut(text):
        start, at = at, at + len(pair.word)
        # A body's name runs over nouns and abbreviations (上海易居房地产研究院: ns nr j n).
        run = (start if run is None else run) if pair.flag[:1] in ("n", "j") else None
        if run is not None and suffix.search(pair.word + "$"):
            spans.append((run, at))
        elif pair.flag == "ns" and place_named_body(pair.word):
            spans.append((start, at))
    whole = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
    return _nearest(text, whole, slot, question.text)


def _reason(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """The clause after 由于/因为/因, or the one before 因此/所以/致使."""
    found = _after("reason_before", text, asked, slot, question)
    spans = [(max((p.end() for p in _CLAUSE_END.finditer(text, 0, max(m.start() - 1, 0))),
                  default=0), m.start()) for m in _pattern("reason_after").finditer(text)]
    return found or _trim(_nearest(text, spans, slot, question.text))


def _place(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """The place after 位于/出生于 … (framed: the text), cut at a 的 that follows a place name
    (帕萨迪纳的多元化金融企业 -> 帕萨迪纳; 现今的北美洲与东亚 stays whole)."""
    found = _after("place_before", text, asked, slot, question) or (text if slot.narrow else "")
    head = found.partition("的")[0]
    named = any(p.flag in words("short", "place_tags") for p in jieba.posseg.cut(head))
    return head if head and named else found


def _place_name(text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """A run of place names (jieba ns) nearest the slot, when no 位于/在 … says where."""
    spans = [] if slot.narrow else _tagged(text, words("short", "place_tags"))
    return _nearest(text, spans, slot, question.text)


def _after(key: str, text: str, asked: _Asked, slot: _Slot, question: Question) -> str:
    """The span nearest the slot after a word of a list (又称, 由于, 位于 …), up to the
    clause's end."""
    spans: list[Span] = []
    for m in _pattern(key).finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        spans.append((m.end(), end.start() if end else len(text)))
    return _trim(_nearest(text, spans, slot, question.text))


def _untyped(text: str, asked: _Asked, slot: _Slot) -> str:
    """Between the anchors (the clause next to the firmer one); from the left one to the
    clause's end (a quotation whole); else the run the question does not cover."""
    lo, hi, span = slot.lo, slot.hi, ""
    if lo is not None and hi is not None:
        pieces = [p for p in _CLAUSE_END.split(text[lo:hi]) if _trim(p)]
        span = _trim(pieces[-1] if slot.firm_hi else pieces[0]) if pieces else ""
    elif lo is not None:
        stop = _CLAUSE_END.search(text, lo)
        end = stop.start() if stop else len(text)
        quote = _pattern("quoted").match(text, lo)
        span = _trim(quote.group(0) if quote and quote.end() > end else text[lo:end])
    if not span:
        runs = uncovered_runs(text, covered_by(text, asked.left + asked.right))
        before = [r for r in runs if hi is not None and r[1] <= hi]
        best = before[-1] if before else max(runs, key=lambda r: r[1] - r[0], default=(0, 0))
        span = _trim(text[best[0]: best[1]])
    return _with_category(span, asked) if span else ""


def _with_category(span: str, asked: _Asked) -> str:
    """No leading one-character word of the question (字介眉 for 的字是什么); a 哪 question's
    name after the last 的 (十六国时期的扶余国); a name after its kind alone (组合西城男孩);
    a name ending in its kind ends there (山东省中部, 腾讯公司于)."""
    said = {w for w in jieba.lcut(asked.left + asked.right) if len(w) == 1}
    while len(span) > 1 and span[0] in said and "\u4e00" <= span[0] <= "\u9fff":
        span = _trim(span[1:])
    cat = asked.category
    if not cat:
        return span
    named = _trim(span.rsplit("的", 1)[-1])
    span = named if asked.phrase.startswith("哪") and cat in named and named != cat else span
    at = len(span)
    for token in reversed(jieba.lcut(span)):
        if token.endswith(cat):
            rest = span[at:]
            # The kind ends the name unless a name follows it: not the question's own words
            # (平安时代人物 for 什么时代的人), a particle or punctuation.
            if token != cat or rest[:1] in asked.right + "，,。；;" or rest.startswith(_edges()[0]):
                return span[:at]
            return _trim(rest) or span
        at -= len(token)
    return span


def _trim(span: str) -> str:
    """Function words, punctuation, half brackets off both edges (是在1903年 -> 1903年)."""
    lead, tail, punct, _ = _edges()
    prev = None
    while span and span != prev:
        prev = span
        for half in ("half_closed", "half_open", "aside"):
            span = _pattern(half).sub("", span)
        span = span.strip(punct)
        lead_word = next((w for w in lead if span.startswith(w) and len(span) > len(w)), "")
        span = span[len(lead_word):]
        tail_word = next((w for w in tail if span.endswith(w) and len(span) > len(w)), "")
        span = span[: len(span) - len(tail_word)]
    return span
