"""The answer chain (LangChain runnables): question -> retrieve -> cited extractive answer."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableLambda

from .answering import REFUSAL, REFUSAL_EN, Extract, extract_answer, is_english, search_terms
from .citations import cite, passage
from .config import Settings
from .errors import QuestionError
from .followup import rewrite
from .records import Answer, Citation, Hit
from .retrieval import Mode
from .service import Reportbot

Turn = Mapping[str, str]


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters and check length; raise QuestionError for unusable input."""
    if not isinstance(question, str):
        raise QuestionError(f"expected the question as text, got {type(question).__name__}")
    text = "".join(ch for ch in question
                   if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("问题为空：请输入一个关于报告的问题。(The question is empty.)")
    if len(text) > max_chars:
        raise QuestionError(f"问题太长：{len(text)} 个字符，上限 {max_chars}。请缩短后再问。"
                            f"(Question too long: {len(text)} characters, limit {max_chars}.)")
    return text


@dataclass
class _State:
    question: str
    standalone: str
    focus: str
    hits: list[Hit] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class Pipeline:
    """Answers questions over the indexed corpus; one instance serves many questions."""

    def __init__(self, bot: Reportbot, mode: Mode = "hybrid", min_support: float = 0.3) -> None:
        self.bot = bot
        self.settings: Settings = bot.settings
        self.mode = mode
        self.min_support = min_support
        self._chain = RunnableLambda(self._retrieve) | RunnableLambda(self._compose)

    @property
    def searcher(self) -> Any:
        """The hybrid searcher (used by the eval harness and benchmarks)."""
        return self.bot.searcher

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer one question (with earlier turns for follow-ups), every claim cited."""
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        rw = rewrite(text, history)
        state = _State(question=text, standalone=rw.question, focus=rw.focus)
        result: Answer = self._chain.invoke(state)
        result.timings_ms["total"] = (time.perf_counter() - started) * 1000
        return result

    def _retrieve(self, state: _State) -> _State:
        t = time.perf_counter()
        query = state.standalone
        if is_english(query):
            query = f"{query} {' '.join(search_terms(query))}"
        state.hits = self.bot.searcher.run(query, self.settings.top_k, self.mode)
        state.timings["retrieve"] = (time.perf_counter() - t) * 1000
        return state

    def _weight(self, focus: str) -> Any:
        lexical = self.bot.searcher.lexical
        top = lexical.max_idf + 1.0
        focus_low = focus.lower()

        def weight(term: str) -> float:
            idf = lexical.idf(term)
            w = top if idf is None else max(idf, 0.1)
            return 2 * w if focus_low and term in focus_low else w

        return weight

    def _compose(self, state: _State) -> Answer:
        t = time.perf_counter()
        lexical = self.bot.searcher.lexical
        extract = extract_answer(state.standalone, state.hits, self._weight(state.focus),
                                 known=lambda t: lexical.idf(t) is not None,
                                 min_support=self.min_support, focus=state.focus)
        english = is_english(state.question)
        if extract.refused:
            answer = self._refusal(state, english)
        else:
            answer = self._cited(state, extract, english)
        state.timings["compose"] = (time.perf_counter() - t) * 1000
        answer.timings_ms.update(state.timings)
        return answer

    def _refusal(self, state: _State, english: bool) -> Answer:
        closest = tuple(passage(i + 1, h.chunk) for i, h in enumerate(state.hits[:3]))
        text = f"{REFUSAL}。({REFUSAL_EN})" if english else f"{REFUSAL}。"
        return Answer(state.question, text, True, (), (), closest, {},
                      state.standalone)

    def _cited(self, state: _State, extract: Extract, english: bool) -> Answer:
        citations: list[Citation] = []
        parts: list[str] = []
        for hit_index, span in extract.spans:
            c = cite(len(citations) + 1, state.hits[hit_index].chunk, span)
            citations.append(c)
            parts.append(f"{c.text}[{c.n}]")
        if english:
            text = "According to the report: " + " ".join(f"“{p}”" for p in parts)
        else:
            text = "；".join(parts) + "。"
        return Answer(state.question, text, False, tuple(citations), (), (), {},
                      state.standalone)


def build_pipeline(settings: Settings, mode: Mode = "hybrid") -> Pipeline:
    """A Pipeline over the index configured by ``settings``."""
    return Pipeline(Reportbot(settings), mode)
