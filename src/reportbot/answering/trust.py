"""When a fact-table answer may stand for a question: the passages holding its facts speak of
what the question names, and nothing the extractive composer found says it better."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from reportbot.answering.extractive import Extract
from reportbot.answering.guard import narrowing_held, window_supports
from reportbot.language.comparing import derivation_parts
from reportbot.language.question import Question
from reportbot.language.terms import narrowing_words
from reportbot.numbers.answer import NumericAnswer
from reportbot.records import Hit

# A share stated with its figure: 占全市出口总值的69.6%, 占比30.8%.
_STATED_SHARE = re.compile(r"(?:占|比重|比例|份额)[^，。；,;]{0,20}?\d+(?:\.\d+)?\s*[%％]")


def fact_answer_fits(frame: Question, standalone: str, hits: Sequence[Hit], extract: Extract,
                     numeric: NumericAnswer, notes: Mapping[str, str],
                     known: Callable[[str], bool], weight: Callable[[str], float]) -> bool:
    """Use the fact answer when the passages holding its facts speak of the question."""
    window = " ".join(notes.get(h.chunk.doc_id, "") + h.chunk.section + h.chunk.text
                      for h in hits
                      if any(h.chunk.doc_id == d and h.chunk.start <= s < h.chunk.end
                             for d, s, _ in numeric.spans))
    derived = numeric.kind != "direct"
    english = frame.english
    if extract.refused and (english or not derived) or \
            frame.intent == "list" and not derived:
        return False  # a list asks several items: the sentences quoted hold them
    if not derived and frame.derivation in ("multiple", "share") \
            and derivation_parts(standalone):
        return False  # 是吉林的几倍: one stated figure of a side is no answer
    if not derived and _inside(extract, hits, numeric):
        return False  # the quoted clause already holds the fact: keep the exact quote
    if numeric.kind == "share" and not extract.refused \
            and _STATED_SHARE.search(quoted_text(hits, extract)):
        return False  # a share the passage states beats one computed from other facts
    if derived:  # inputs may sit in several passages; the context in a neighbouring one
        window = " ".join(notes.get(h.chunk.doc_id, "") + h.chunk.section + h.chunk.text
                          for h in hits)
    # 白银成交量 asked: a fact of 黄金成交量 is another measure, whatever its passage says
    narrowing = () if english or derived else narrowing_words(standalone)
    return window_supports(frame.fact_query if english else standalone, window, known,
                           weight, ignore_years=derived) \
        and narrowing_held(narrowing, window)


def quoted_text(hits: Sequence[Hit], extract: Extract) -> str:
    """The text of the clauses an extract quotes."""
    return "".join(hits[i].chunk.text[sp.start - hits[i].chunk.start :
                                      sp.end - hits[i].chunk.start]
                   for i, sp in extract.spans)


def _inside(extract: Extract, hits: Sequence[Hit], numeric: NumericAnswer) -> bool:
    spans = [(hits[i].chunk.doc_id, sp.start, sp.end) for i, sp in extract.spans]
    return all(any(d == d2 and s2 <= s and e <= e2 for d2, s2, e2 in spans)
               for d, s, e in numeric.spans)
