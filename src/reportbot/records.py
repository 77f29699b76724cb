"""Plain frozen records passed between the stages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) of one text."""

    start: int
    end: int


# A range of a named document: (doc_id, start, end), as facts and citations locate text.
DocRange = tuple[str, int, int]


@dataclass(frozen=True)
class SourceDoc:
    """A loaded document: its text is what every character offset points into."""

    doc_id: str
    path: str
    title: str
    text: str
    sha256: str
    source: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Chunk:
    """A contiguous span of a document: ``doc.text[start:end] == text``."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    start: int
    end: int
    text: str

    def context_text(self) -> str:
        """Text given to the retrievers: title and section give the span its context."""
        head = " ".join(part for part in (self.title, self.section) if part)
        return f"{head}\n{self.text}" if head else self.text


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the rank each retriever gave it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A quoted span: 1-based marker ``n``, exact character span in the document.

    ``passage`` is the retrieved chunk that holds the span (for showing it in context);
    ``doc.text[passage_start:passage_end] == passage``.
    """

    n: int
    doc_id: str
    title: str
    section: str
    start: int
    end: int
    text: str
    passage_start: int = -1
    passage_end: int = -1
    passage: str = ""


@dataclass(frozen=True)
class Fact:
    """One quantitative statement of a document, with its exact span (see facts.py)."""

    fact_id: int
    doc_id: str
    subject: str
    metric: str
    period: str
    value: float
    unit: str
    text: str
    start: int
    end: int
    kind: str = "quantity"  # quantity | rate
    qualifies: int | None = None  # fact_id of the quantity a growth rate qualifies
    origin: str = "extracted"  # extracted | curated
    overridden_by: int | None = None


@dataclass(frozen=True)
class NumberCheck:
    """A number found in an answer and how it was checked against the fact table."""

    text: str
    value: float
    unit: str
    status: str  # verified | derived | mismatch | unverified
    fact_ids: tuple[int, ...] = ()
    formula: str = ""


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What the chain returns, built with keywords and immutable (timings included: use
    ``dataclasses.replace`` to add one); ``to_json`` is the stable ``ask --json`` shape."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    numbers: tuple[NumberCheck, ...] = ()
    closest: tuple[Citation, ...] = ()
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    intent: str = "lookup"
    # The thing asked for, pulled out of the cited text: a figure, a name, a date, 是/否 with
    # the figure, or the items of a list; None on a refusal.
    short_answer: str | tuple[str, ...] | None = None
    # Who wrote the answer: "extractive" (quoted clauses, fact answers) or "llm" (the site's
    # LLM server, verified); llm_rejected says why a generated answer was not shown.
    composer: str = "extractive"
    llm_rejected: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "timings_ms", MappingProxyType(dict(self.timings_ms)))

    def to_json(self) -> dict[str, Any]:
        """The stable JSON object read by the eval harness and other tools."""
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.answer,
            "refused": self.refused,
            "intent": self.intent,
            "short_answer": (list(self.short_answer) if isinstance(self.short_answer, tuple)
                             else self.short_answer),
            "citations": [asdict(c) for c in self.citations],
            "numbers": [
                {
                    "text": n.text,
                    "value": n.value,
                    "unit": n.unit,
                    "status": n.status,
                    "fact_ids": list(n.fact_ids),
                    "formula": n.formula,
                }
                for n in self.numbers
            ],
            "closest": [asdict(c) for c in self.closest],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "composer": self.composer,
            "llm_rejected": self.llm_rejected,
        }
