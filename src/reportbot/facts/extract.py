"""Fact extraction: every quantity and rate of a document read into a Fact.

A figure is read in its sentence: the subject named before it (else the one the sentence
continues, else the document's), the words naming it, and the period its sentence states
(else the one it continues, else the document's). Rules live in rules.py (clauses and
metric words), periods.py, names.py and enumerations.py; this module walks the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reportbot.facts import enumerations
from reportbot.facts.metrics import (
    borrowed,
    clause_head,
    enumeration_lead,
    on_topic,
    own_noun,
    parenthetical_owner,
    place_before,
    qualifier_metric,
    topic_of,
)
from reportbot.facts.names import (
    Mention,
    document_mentions,
    document_names,
    main_subject,
)
from reportbot.facts.periods import (
    TimeExpr,
    attached_time,
    carried,
    document_period,
    document_year,
    own_period,
    sentence_period,
    time_expressions,
)
from reportbot.facts.rules import (
    CHANGE,
    DECLINE,
    TIME_MARK,
    clause_end,
    clause_start,
    clean_phrase,
    following_noun,
    head_noun,
    modifier,
    noun_continues,
)
from reportbot.language.quantities import (
    COUNTER_UNITS,
    MONEY_UNITS,
    QUANTITY_KINDS,
    Quantity,
    from_to,
    parse_quantities,
)
from reportbot.language.text import split_sentences
from reportbot.language.vocabulary import alternation
from reportbot.records import Fact, SourceDoc

_PER = re.compile(r"每([^\W\d]{1,2}?)$")
_PER_HEAD = re.compile(r"^的?([^\W\d]{1,4}?)(?=[，。；、,;：:]|$)")
_MEASURE_TAIL = re.compile(r"(?:人数|数量|金额|数)$")
_RUNS_ON = re.compile(rf"^[^\W\d]{{0,8}}?(?:{alternation('facts', 'link_tail')})\d")


@dataclass
class _Scope:
    """What every number of one document is read against."""

    doc: SourceDoc
    times: list[TimeExpr]
    mentions: list[Mention]
    main_subject: str
    period: str


@dataclass
class _Sentence:
    """One sentence being read: its span, the subject and period it continues, its facts."""

    span: tuple[int, int]
    mentions: list[Mention]
    subject: str  # carried from the sentence it continues ('' when none)
    period: str  # likewise
    topic: str = ""  # the noun its first clause opens with, when that clause has no figure
    facts: list[Fact] = field(default_factory=list)
    noun_end: int = -1  # end of the counted noun after the previous number (9家服务外包企业)
    items: dict[int, tuple[str, ...]] = field(default_factory=dict)  # enumeration size -> items


def extract_facts(doc: SourceDoc) -> list[Fact]:
    """Every quantity and rate of the document as a Fact (ids 1..n, local to the document)."""
    found = parse_quantities(doc.text)
    quantities = [q for q in found if q.kind in QUANTITY_KINDS and q.unit]
    year = document_year(doc.text, doc.year)
    times = time_expressions(doc.text, found, year)
    title_times = time_expressions(doc.title, parse_quantities(doc.title), year)
    names = document_names(doc.text, doc.title, times)
    main = main_subject(document_mentions(doc.title, title_times, names.for_title()),
                        document_mentions(doc.text, times, names))
    scope = _Scope(doc, times, document_mentions(doc.text, times, names, main), main,
                   document_period(title_times, times, year))
    facts: list[Fact] = []
    sentences = split_sentences(doc.text)
    for para in _paragraphs(doc.text):
        subject, period = "", ""  # a paragraph starts a thread of its own
        for s in sentences:
            if not para[0] <= s.start < para[1]:
                continue
            sentence = _Sentence((s.start, s.end), [m for m in scope.mentions
                                                    if s.start <= m.start < s.end],
                                 subject, period)
            mine = [q for q in quantities if s.start <= q.start < s.end]
            sentence.topic = _topic(scope, sentence, mine)
            _read_sentence(scope, sentence, mine, facts)
            subject, period = _continued(scope, sentence, mine, subject, period)
    return facts


def _continued(scope: _Scope, sentence: _Sentence, mine: list[Quantity], subject: str,
               period: str) -> tuple[str, str]:
    """The subject and period the next sentence continues: the subject of this one's last
    figure and the last period it states; a sentence with neither a figure nor a time is an
    aside that ends the thread."""
    own = sentence_period(sentence.span, scope.times)
    if not mine and own is None:
        return "", ""
    if sentence.facts:
        subject = sentence.facts[-1].subject
    return subject, carried(own) if own else period


def _topic(scope: _Scope, sentence: _Sentence, mine: list[Quantity]) -> str:
    """The topic of a sentence whose first clause (after clauses of times alone, 今年前7个月，)
    states no figure (see metrics.topic_of)."""
    text = scope.doc.text
    start = sentence.span[0]
    while start < sentence.span[1]:
        end = clause_end(text, start, sentence.span[1])
        if any(start <= q.start < end for q in mine):
            return ""
        at = [m for m in sentence.mentions if start <= m.start < end]
        words = _marked(text, at[-1].end if at else start, end, scope.times)
        if words.strip(TIME_MARK + " "):
            return topic_of(words) if at or not sentence.mentions else ""
        start = end + 1
    return ""


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _read_sentence(scope: _Scope, sentence: _Sentence, mine: list[Quantity],
                   facts: list[Fact]) -> None:
    """Read the sentence's figures in order; an enumeration's figures share their reading."""
    runs = {id(run[0]): run for run in enumerations.runs(scope.doc.text, mine)}
    skip: set[int] = set()
    for q in mine:
        if id(q) in skip:
            continue
        aside = _aside(scope.doc.text, sentence, q, len(facts) + 1)
        if aside is not None:  # not in sentence.facts: what follows still reads the main one
            facts.append(aside)
            continue
        end = _change_end(scope.doc.text, sentence, q, mine)
        if end is not None and end[0] == "from":
            continue  # 由30万调整为50万元: 30万 is no longer the figure
        fact = _read(scope, sentence, q, len(facts) + 1)
        if end is not None:  # …and 50万元 is the figure of what was named before 由
            noun_end, named = sentence.noun_end, _read(scope, sentence, end[1], 0).metric
            sentence.noun_end = noun_end
            fact = replace(fact, metric=_FROM_TAIL.sub("", named) or fact.metric)
        run = runs.get(id(q))
        group = None if run is None else (_enumerated(scope, sentence, run, fact)
                                          or _dated(scope, sentence, run, fact))
        if group is not None:
            skip |= {id(r) for r in runs[id(q)]}
        for f in group or [fact]:
            sentence.facts.append(f)
            facts.append(f)


_FROM_TAIL = re.compile(r"(?:由|从)原?$")


def _change_end(text: str, sentence: _Sentence, q: Quantity, mine: list[Quantity]
                ) -> tuple[str, Quantity] | None:
    """("from", the figure it changed to) for the first end of a change written in q's
    clause (由30万调整为50万元), ("to", the first end) for its second; else None."""
    lo = clause_start(text, q.start, sentence.span[0])
    at = {m.start: m for m in mine}
    for a, b in from_to(text[lo : clause_end(text, q.end, sentence.span[1])]):
        first, second = at.get(lo + a.start), at.get(lo + b.start)
        if first is not None and second is not None and q in (first, second):
            return ("from", second) if q is first else ("to", first)
    return None


_ASIDE = re.compile(r"[（(]([\u4e00-\u9fff]{1,4})$")


def _aside(text: str, sentence: _Sentence, q: Quantity, fact_id: int) -> Fact | None:
    """成交额双边9.19万亿元（单边4.60万亿元），同比增长21.66%: a figure in brackets right after
    another of its unit, named by a word or two, is the same measure read another way (单边);
    the change after the brackets is the main figure's."""
    main = sentence.facts[-1] if sentence.facts else None
    if main is None or main.kind != "quantity" or q.kind != "quantity" or main.unit != q.unit:
        return None
    label = _ASIDE.match(text, main.end, q.start)
    if label is None or label.end() != q.start:
        return None
    return replace(main, fact_id=fact_id, metric=f"{main.metric}（{label.group(1)}）",
                   value=q.value, text=q.text, start=q.start, end=q.end)


def _subject(scope: _Scope, sentence: _Sentence, q_start: int) -> str:
    """Nearest subject opening a clause before the number, else the one continued."""
    before = [m.name for m in sentence.mentions if m.start < q_start]
    return before[-1] if before else sentence.subject or scope.main_subject


def _read(scope: _Scope, sentence: _Sentence, q: Quantity, fact_id: int) -> Fact:
    """One number in its sentence -> a Fact: subject, metric and period from the clause."""
    text = scope.doc.text
    seg_start = _segment_start(text, sentence, q)
    period = (own_period(q.start, q.end, sentence.span, scope.times,
                         clause_end(text, q.end, sentence.span[1]))
              or sentence.period or scope.period)
    base = Fact(fact_id, scope.doc.doc_id, _subject(scope, sentence, q.start), "", period,
                q.value, q.unit, q.text, q.start, q.end, kind=q.kind)
    segment = _marked(text, seg_start, q.start, scope.times)
    owner = parenthetical_owner(text, q.start, q.end, scope.times, base)
    lead = enumeration_lead(text, q.start, sentence.span[0])
    if owner is not None and lead is not None and place_before(text, q.start - 1):
        # 上海（…）、北京（…）: each figure is its place's, of what the list's lead names
        # (跑赢了全国平均增速5.5%，分别为上海（9.7%）: the measure of the lead's own figure)
        stated = [f for f in sentence.facts if f.kind == q.kind and lead[0] <= f.start < lead[1]]
        framed = re.sub(r"^[在的]+|中$", "", clause_head(_marked(text, *lead, scope.times)))
        return replace(owner, metric=stated[-1].metric if stated else framed)
    if owner is not None:
        return replace(owner, metric=clause_head(_head_words(scope, sentence, q)))
    compared = attached_time(text, q.start, scope.times)
    same = [f for f in sentence.facts if f.kind == q.kind]
    if compared is not None and same and not own_noun(clean_phrase(segment)):
        # 同比增速为1%，相比1-6月份9%的水平: the same measure, for the time compared with.
        return replace(base, metric=same[-1].metric, period=compared.period)
    if same and enumerations.joined(text[same[-1].end:q.start]):
        return replace(base, metric=same[-1].metric)  # 跨越3000亿元、4000亿元: one measure
    if q.kind == "rate":
        return _rate(base, segment, sentence, _unnamed(scope, sentence, q))
    per = _PER.search(segment)
    if per and per.group(1) in COUNTER_UNITS:
        return _per_unit(base, COUNTER_UNITS[per.group(1)], text, sentence)
    if q.unit not in MONEY_UNITS:
        noun = following_noun(text, q.end, clause_end(text, q.end, sentence.span[1]))
        if noun:
            if not _runs_into_figure(text, q.end + len(noun), sentence):
                sentence.noun_end = q.end + len(noun)
            return replace(base, metric=modifier(segment) + noun)
    phrase = clean_phrase(segment)
    if not own_noun(phrase):
        phrase = _unnamed(scope, sentence, q) or phrase
    return replace(base, metric=head_noun(on_topic(sentence.topic, phrase), q.unit))


def _segment_start(text: str, sentence: _Sentence, q: Quantity) -> int:
    """Where the words naming the number start: its clause, after the counted noun or figure
    before it and after the subject named in it."""
    start = clause_start(text, q.start, sentence.span[0])
    earlier = [f.end for f in sentence.facts if start <= f.start and f.end <= q.start]
    start = max([start, sentence.noun_end, *earlier])
    at = [m for m in sentence.mentions if start <= m.start < q.start]
    return at[-1].end if at else start


def _unnamed(scope: _Scope, sentence: _Sentence, q: Quantity) -> str:
    """What names a figure whose own words name nothing: the noun after it (8.2%的GDP增速),
    else the head of its clause (规模以上工业增加值增速由一季度的-2.7%)."""
    text = scope.doc.text
    if text.startswith("的", q.end):
        noun = following_noun(text, q.end + 1, clause_end(text, q.end, sentence.span[1]))
        if len(noun) >= 2:
            return noun
    return clause_head(_head_words(scope, sentence, q))


def _head_words(scope: _Scope, sentence: _Sentence, q: Quantity) -> str:
    """The clause before the number, from after its subject, periods marked."""
    start = clause_start(scope.doc.text, q.start, sentence.span[0])
    at = [m for m in sentence.mentions if start <= m.start < q.start]
    return _marked(scope.doc.text, at[0].end if at else start, q.start, scope.times)


def _runs_into_figure(text: str, pos: int, sentence: _Sentence) -> bool:
    """全国50个重点城市新建商品住宅成交面积为816万平方米: a counted noun that runs on into the
    words naming the next figure of its clause is part of them, not their end."""
    rest = text[pos : clause_end(text, pos, sentence.span[1])]
    return noun_continues(text, pos) and bool(_RUNS_ON.match(rest))


def _marked(text: str, start: int, end: int, times: list[TimeExpr]) -> str:
    """text[start:end] with each period reduced to one marker character; a compared time
    (比一季度) stays written, since it names the base of a change."""
    out, pos = [], start
    for t in times:
        if start <= t.start and t.end <= end and not t.compared:
            out.append(text[pos : t.start] + TIME_MARK)
            pos = t.end
    out.append(text[pos:end])
    return "".join(out)


def _rate(base: Fact, segment: str, sentence: _Sentence, head: str) -> Fact:
    """A change with no noun of its own is the change of the figure before it: a growth rate
    of its quantity (同比增长43.51% of 188家, linked by ``qualifies``), a change in points of
    its rate (比上月上升0.3个百分点: named after it, but not linked, since ``qualifies``
    links a rate to the quantity it is said with)."""
    phrase = clean_phrase(segment)
    kinds = ("rate",) if base.unit == "pp" else ("quantity",)
    targets = [f for f in sentence.facts if f.kind in kinds]
    if CHANGE.search(phrase) and not own_noun(phrase) and targets:
        target = targets[-1]
        value = -abs(base.value) if DECLINE.search(phrase) else base.value
        return replace(base, subject=target.subject, period=target.period,
                       metric=qualifier_metric(target, phrase), value=value,
                       qualifies=target.fact_id if target.kind == "quantity" else None)
    share = borrowed(phrase, sentence.topic, [f for f in sentence.facts
                                             if f.kind == "quantity"])
    if share is not None:
        return replace(base, metric=share)
    if CHANGE.search(phrase) and DECLINE.search(phrase):  # 基础设施投资下降4.9%
        base = replace(base, value=-abs(base.value))
    metric = phrase if own_noun(phrase) else head or phrase or "比率"
    return replace(base, metric=on_topic(sentence.topic, metric))


def _per_unit(base: Fact, counter: str, text: str, sentence: _Sentence) -> Fact:
    """按每人9500元的标准: a rate per counted unit, named after the count it multiplies."""
    head = _PER_HEAD.match(text, base.end)
    counts = [f for f in sentence.facts if f.unit == counter]
    stem = _MEASURE_TAIL.sub("", counts[-1].metric) if counts else ""
    metric = stem + (head.group(1) if head else "标准")
    return replace(base, metric=metric, unit=f"{base.unit}/{counter}")


def _dated(scope: _Scope, sentence: _Sentence, run: list[Quantity],
           first: Fact) -> list[Fact] | None:
    """分别于2014年、2019年跨越3000亿元、4000亿元: one measure, each figure in its own year."""
    text = scope.doc.text
    start = _segment_start(text, sentence, run[0])
    times = [t for t in scope.times if start <= t.start and t.end <= run[0].start
             and not t.compared][-len(run):]
    if len(times) != len(run) or not all(enumerations.joined(text[a.end:b.start])
                                         for a, b in zip(times, times[1:], strict=False)):
        return None
    words = clean_phrase(text[times[-1].end : run[0].start].replace("分别", ""))
    metric = head_noun(words, run[0].unit) if own_noun(words) else first.metric
    return [replace(first, fact_id=first.fact_id + i, value=q.value, unit=q.unit,
                    text=q.text, start=q.start, end=q.end, kind=q.kind, period=t.period,
                    metric=metric)
            for i, (q, t) in enumerate(zip(run, times, strict=True))]


def _enumerated(scope: _Scope, sentence: _Sentence, run: list[Quantity],
                first: Fact) -> list[Fact] | None:
    """The figures of an enumeration, each named by its item (A、B分别增长a%和b%), or None
    when the words before them do not list as many items as figures."""
    text = scope.doc.text
    phrase = _marked(text, _segment_start(text, sentence, run[0]), run[0].start, scope.times)
    found = enumerations.items(phrase, len(run))
    names = found.names if found and found.names else sentence.items.get(len(run), ())
    if found is None or len(names) != len(run):
        return None
    sentence.items[len(run)] = names
    predicate = clean_phrase(found.predicate)
    earlier = {f.metric: f for f in sentence.facts if f.kind == "quantity"}
    out = []
    for i, (q, name) in enumerate(zip(run, names, strict=True)):
        fact = replace(first, fact_id=first.fact_id + i, value=q.value, unit=q.unit,
                       text=q.text, start=q.start, end=q.end, kind=q.kind,
                       metric=head_noun(name + predicate, q.unit), qualifies=None)
        if q.kind == "rate" and DECLINE.search(predicate):
            fact = replace(fact, value=-abs(q.value))
        target = earlier.get(name)
        if q.kind == "rate" and target is not None and CHANGE.search(predicate):
            fact = replace(fact, qualifies=target.fact_id)
        out.append(fact)
    return out
