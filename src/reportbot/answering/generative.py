"""The optional generative composer: a grounded prompt to the site's own LLM server, and the
reply verified (answering/grounding.py) before it may replace the extractive answer.

The prompt numbers the retrieved passages 1..k inside ``<passage>`` tags, marked as data;
the model must cite ``[n]`` after every sentence or say the fixed refusal phrase. An
accepted reply becomes an :class:`Answer` whose markers are renumbered to exact citations:
for each cited passage, the span of the sentences that back what was said.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from reportbot.answering.citations import cite
from reportbot.answering.extractive import REFUSAL
from reportbot.answering.grounding import MARKER, Checked, normalise, supporting_span, verify
from reportbot.answering.verdict import short_of
from reportbot.config import Settings
from reportbot.errors import EndpointError
from reportbot.language.question import Question
from reportbot.language.vocabulary import load
from reportbot.records import Answer, Chunk, Fact, Hit
from reportbot.stores.llm import ChatEndpoint

_TAG = re.compile(r"<\s*/?\s*passages?\b", re.I)


def reason_code(reason: str) -> str:
    """The kind of a rejection (``number mismatch``, ``endpoint http 500``…): what precedes
    its colon."""
    return reason.split(":", 1)[0].strip()


def endpoint_failure(reason: str | None) -> bool:
    """Did the server fail (rather than its reply fail a check)?"""
    return bool(reason) and reason_code(reason or "").startswith("endpoint")


def reason_label(reason: str) -> str:
    """The reason in words people read (generative.toml [reasons]), the detail after it."""
    code, _, detail = reason.partition(":")
    labels: dict[str, str] = load("generative")["reasons"]
    key = max((k for k in labels if code.strip().startswith(k)), key=len, default="")
    label = labels.get(key, code.strip())
    shown = detail.strip() or code.strip()
    return f"{label}（{shown}）" if shown != label else label


def passage_block(chunks: Sequence[Chunk]) -> str:
    """The passages as numbered data; a tag written inside a document cannot close one."""
    def quoted(text: str) -> str:
        return _TAG.sub(lambda m: m.group(0).replace("<", "＜"), text).replace('"', "＂")

    return "\n".join(f'<passage id="{n}" title="{quoted(c.title)}" '
                     f'section="{quoted(c.section)}">\n{quoted(c.text)}\n</passage>'
                     for n, c in enumerate(chunks, start=1))


def grounded_messages(question: str, chunks: Sequence[Chunk], english: bool
                      ) -> list[BaseMessage]:
    """The system rules and the user message (passages, then the question)."""
    prompt = load("generative")["prompt"]["en" if english else "zh"]
    user = prompt["user"].format(passages=passage_block(chunks), question=question)
    return [SystemMessage(prompt["system"]), HumanMessage(user)]


@dataclass(frozen=True)
class Asked:
    """What the generative stage works from: the question, the passages retrieved for it,
    the fact table, and the checked extractive answer (its fallback)."""

    question: str
    standalone: str
    frame: Question
    hits: Sequence[Hit]
    facts: list[Fact]
    english: bool
    extractive: Answer


class GenerativeComposer:
    """Asks the configured server and judges its reply; one instance serves many questions."""

    def __init__(self, settings: Settings, endpoint: ChatEndpoint | None = None) -> None:
        self.settings = settings
        self.endpoint = endpoint or ChatEndpoint(settings)

    def run(self, asked: Asked) -> Answer:
        """The generated answer if it passes every check, else the extractive one with why."""
        started = time.perf_counter()
        try:
            reply = self.reply(asked.standalone, asked.hits, asked.english)
        except EndpointError as exc:
            return _fallback(asked, exc.reason, started)
        return self.decide(asked, reply, started)

    def run_stream(self, asked: Asked) -> Iterator[str | Answer]:
        """The draft as it streams in (growing, unverified text), then the final Answer."""
        started = time.perf_counter()
        text = ""
        try:
            for piece in self.stream(asked.standalone, asked.hits, asked.english):
                text += piece
                yield text
        except EndpointError as exc:
            yield _fallback(asked, exc.reason, started)
            return
        yield self.decide(asked, text, started)

    def decide(self, asked: Asked, reply: str, started: float) -> Answer:
        """Judge a whole reply: the accepted Answer (composer "llm") or the fallback."""
        checked = self.judge(reply, asked.hits, asked.facts, asked.english)
        if checked.reason is None and checked.refused and not asked.extractive.refused:
            checked = replace(checked, reason="refused: the LLM found no answer in passages "
                                              "the extractive composer answered from")
        if checked.reason is not None:
            return _fallback(asked, checked.reason, started)
        answer = replace(asked.extractive, composer="llm") if checked.refused else replace(
            self.answer(checked, asked.question, asked.hits),
            standalone_question=asked.standalone, intent=asked.frame.intent)
        if not answer.refused:
            answer = replace(answer, short_answer=short_of(asked.frame, answer))
        return replace(answer, timings_ms=_timed(asked.extractive, started))

    def reply(self, question: str, hits: Sequence[Hit], english: bool) -> str:
        """The whole reply (EndpointError when the server fails)."""
        return self.endpoint.reply(grounded_messages(question, _chunks(hits), english))

    def stream(self, question: str, hits: Sequence[Hit], english: bool) -> Iterator[str]:
        """The reply's pieces as they arrive (EndpointError when the server fails)."""
        return self.endpoint.stream(grounded_messages(question, _chunks(hits), english))

    def judge(self, reply: str, hits: Sequence[Hit], facts: list[Fact],
              english: bool) -> Checked:
        """Every check of the reply against the passages it was given."""
        return verify(normalise(reply), _chunks(hits), facts, REFUSAL,
                      self.settings.llm_min_support, english)

    @staticmethod
    def answer(checked: Checked, question: str, hits: Sequence[Hit]) -> Answer:
        """An accepted reply as an Answer: markers renumbered 1..k in order of first use,
        each citing the span of its passage that backs the sentences citing it."""
        order: list[int] = []
        for s in checked.sentences:
            order += [n for n in s.cited if n not in order]
        renumber = {old: new for new, old in enumerate(order, start=1)}
        citations = tuple(
            cite(renumber[old], hits[old - 1].chunk,
                 supporting_span(hits[old - 1].chunk,
                                 [s.claim for s in checked.sentences if old in s.cited]))
            for old in order)
        text = ""
        for s in checked.sentences:  # English sentences keep a space between them
            part = MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", s.text)
            text += (" " if text and text[-1].isascii() and part[:1].isascii() else "") + part
        return Answer(question=question, answer=text, refused=False, citations=citations,
                      numbers=checked.numbers, composer="llm")


def _chunks(hits: Sequence[Hit]) -> list[Chunk]:
    return [h.chunk for h in hits]


def _timed(extractive: Answer, started: float) -> dict[str, float]:
    return {**extractive.timings_ms, "generate": (time.perf_counter() - started) * 1000}


def _fallback(asked: Asked, reason: str, started: float) -> Answer:
    """The checked extractive answer, saying why the generated one is not shown."""
    return replace(asked.extractive, llm_rejected=reason,
                   timings_ms=_timed(asked.extractive, started))
