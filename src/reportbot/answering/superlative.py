"""哪个…最高 answered from a sentence that lists several items, each with its figure: the
item whose figure in the measure asked is the highest (or the lowest), the sentence cited.

Bulletins and results write such lists as parallel statements (第一产业增加值…增长1.3%；第二产业
…增长3.9%；第三产业…增长5.7%), so the fact table may hold them without their items; this
reads the sentence itself. Written by hand: no library reads a Chinese enumeration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from reportbot.answering.citations import cite
from reportbot.facts.rules import DECLINE
from reportbot.language.quantities import QUANTITY_KINDS, Quantity, parse_quantities
from reportbot.language.terms import CHANGE_WORDS
from reportbot.language.vocabulary import alternation, load
from reportbot.records import Answer, Chunk, Hit, Span

_OPPOSITE = {str(a): str(b) for a, b in load("asking")["compare_opposites"]}
_LOW = "".join(_OPPOSITE.values())
_EXTREME = re.compile(f"最([{''.join(_OPPOSITE)}{_LOW}])")
_WHICH = re.compile(r"哪|什么")
_RATE = re.compile(alternation("asking", "superlative_rate"))
_ITEM_END = re.compile(r"[；;。]")
_SCAN = 6  # passages read, best first
_FULL_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


class _Item(NamedTuple):
    label: str
    figure: Quantity
    span: Span  # of the statement, in the chunk's text


def superlative(question: str, hits: Sequence[Hit]) -> Answer | None:
    """The highest (最高/最快/最多/最大) or lowest item of the best listing sentence, or None
    when the question asks no such thing or no passage lists three items with figures."""
    m = _EXTREME.search(question)
    if m is None or _WHICH.search(question) is None:
        return None
    rate = _RATE.search(question) is not None
    best: tuple[float, list[tuple[_Item, Chunk, Span]]] | None = None
    for i, (start, text, chunks) in enumerate(_regions(hits[:_SCAN])):
        for s in _FULL_SENTENCE.finditer(text):  # split_sentences cuts at ；
            found = _items(text, Span(s.start(), s.end()), question, rate)
            spans = [Span(start + it.span.start, start + it.span.end) for it in found]
            held = [(it, c, sp) for it, sp in zip(found, spans, strict=True)
                    if (c := _holder(chunks, sp))]
            if len(held) < 3 or len(held) < len(found):
                continue
            fit = _fit(question, found, s.group(0)) - 0.01 * i
            if best is None or fit > best[0]:
                best = (fit, held)
    if best is None:
        return None
    items = best[1]
    low = m.group(1) in _LOW
    top = (min if low else max)((it for it, _, _ in items), key=lambda it: it.figure.value)
    citations = tuple(cite(n, chunk, span)
                      for n, (_, chunk, span) in enumerate(items, start=1))
    body = "；".join(f"{c.text}[{c.n}]" for c in citations)
    lead = f"{top.label}最{m.group(1)}（{top.figure.text}），在所列{len(items)}项中"
    return Answer(question=question, answer=f"{lead}：{body}。", refused=False,
                  citations=citations, standalone_question=question, short_answer=top.label)


def _regions(hits: Sequence[Hit]) -> list[tuple[int, str, list[Chunk]]]:
    """The retrieved text of each document, its overlapping or touching chunks joined (a
    list may run over a chunk's end): (absolute start, text, its chunks), best document
    first."""
    by_doc: dict[str, list[Chunk]] = {}
    for hit in hits:
        chunks = by_doc.setdefault(hit.chunk.doc_id, [])
        if hit.chunk not in chunks:
            chunks.append(hit.chunk)
    out: list[tuple[int, str, list[Chunk]]] = []
    for chunks in by_doc.values():
        chunks.sort(key=lambda c: c.start)
        start, text, held = chunks[0].start, chunks[0].text, [chunks[0]]
        for c in chunks[1:]:
            end = start + len(text)
            if c.start <= end:
                text += c.text[end - c.start:]
                held.append(c)
            else:
                out.append((start, text, held))
                start, text, held = c.start, c.text, [c]
        out.append((start, text, held))
    return out


def _holder(chunks: Sequence[Chunk], span: Span) -> Chunk | None:
    """A chunk holding the whole (absolute) span, if any."""
    return next((c for c in chunks if c.start <= span.start and span.end <= c.end), None)


def _items(text: str, sentence: Span, question: str, rate: bool) -> list[_Item]:
    """The statements of a sentence split at ；, each with its leading label and its figure
    (a rate when growth is asked, else an amount); one without either ends the list."""
    items: list[_Item] = []
    at = sentence.start
    for part in _ITEM_END.split(text[sentence.start : sentence.end]):
        span = Span(at, at + len(part))
        at += len(part) + 1
        label = _label(part, question)
        figure = _figure(part, rate)
        if label and figure is not None:
            items.append(_Item(label, figure, span))
    labels = {it.label for it in items}
    return items if len(labels) == len(items) else []


def _label(part: str, question: str) -> str:
    """The words a statement opens with, up to the first word the question also says (增加值,
    营收), a change word (增长) or the first figure: the item it is about (第三产业, 百色)."""
    import jieba

    # a listing's lead-in is no item: 其中, 按业务划分, 分行业看
    part = re.sub(r"^[，,、\s]*(?:其中|按[^，,]{1,6}划分|分[^，,]{1,6}看)?[，,]?", "", part)
    out = ""
    for word in jieba.lcut(part):
        if (len(word) > 1 and word in question) or word in CHANGE_WORDS \
                or re.match(r"[\d，,为是：:（(]", word):
            break
        out += word
    return out if 2 <= len(out) <= 12 else ""


def _figure(part: str, rate: bool) -> Quantity | None:
    """The statement's figure of the kind asked; a decline counts as negative."""
    found = [q for q in parse_quantities(part) if q.kind in QUANTITY_KINDS
             and (q.kind == "rate") == rate]
    if len(found) != 1:
        return None
    q = found[0]
    if rate and DECLINE.search(part[max(0, q.start - 6) : q.start]):
        return replace(q, value=-q.value)
    return q


def _fit(question: str, items: Sequence[_Item], text: str) -> float:
    """How many items the sentence lists, and how many of the question's words it says
    (基础销售额: the list of that measure, not another one beside it)."""
    import jieba

    words = {w for w in jieba.lcut(question) if len(w) > 1 and not _WHICH.search(w)}
    said = sum(w in text for w in words) / len(words) if words else 0.0
    return len(items) + 2 * said
