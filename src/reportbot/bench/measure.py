"""Benchmark measurements: questions, news documents, ingest vs raw embedder, query latency."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportbot.answering.pipeline import Pipeline
from reportbot.app.service import Reportbot
from reportbot.errors import ReportbotError
from reportbot.evaluation.cases import load_cases
from reportbot.evaluation.metrics import evidence_spans, percentile
from reportbot.ingest.loading import discover, doc_id_for, load_document
from reportbot.ingest.run import IngestReport
from reportbot.language.tokens import tokenize
from reportbot.records import DocRange, SourceDoc
from reportbot.retrieval.bm25 import LexicalIndex
from reportbot.stores.embedders import ReportbotEmbeddings

SearchFn = Callable[[str, int], list[DocRange]]
# Lines of the news file (1-based) held back for a later out-of-sample check: never indexed.
RESERVED_LINES = frozenset({363, 383, 467})

@dataclass(frozen=True)
class BenchQuestion:
    """One question to time; ``evidence`` is empty for follow-ups and unanswerable ones."""

    text: str
    history: tuple[tuple[str, str], ...] = ()
    evidence: tuple[str, ...] = ()


def load_questions(path: Path) -> tuple[str, list[BenchQuestion]]:
    """The eval questions to time and where they came from (an eval dataset, JSONL)."""
    if not path.is_file():
        raise ReportbotError(f"questions file {path} not found; expected an eval dataset "
                             f"(JSONL, one case per line, like eval/questions.jsonl): pass "
                             f"one with --questions")
    questions = []
    for case in load_cases(path):
        # A follow-up's text alone is not a search query: time it, but do not score retrieval.
        evidence = case.evidence if case.answerable and not case.history else ()
        questions.append(BenchQuestion(case.question, case.history, evidence))
    return str(path), questions


def news_documents(path: Path, limit: int | None = None) -> list[SourceDoc]:
    """One SourceDoc per non-empty line (article) of the news file, the first ``limit``
    (reserved lines left out)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportbotError(f"{path}: cannot read the news articles ({exc}); expected a UTF-8 "
                             f"file with one article per line") from exc
    docs: list[SourceDoc] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or number in RESERVED_LINES:
            continue
        if limit is not None and len(docs) >= limit:
            break
        docs.append(SourceDoc(
            doc_id=f"news/{number:04d}", path=f"{path}#L{number}", title=f"新闻 {number}",
            text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            source="CRUD-RAG news"))
    return docs


def corpus_documents(corpus_dir: Path) -> list[SourceDoc]:
    """The readable documents of a corpus directory, as the ingest loads them."""
    docs = []
    for path in discover([corpus_dir]):
        try:
            docs.append(load_document(path, doc_id_for(path, corpus_dir)))
        except ReportbotError:
            continue
    return docs


def per_second(count: int, seconds: float) -> float | None:
    """count / seconds, or None when nothing was timed."""
    return count / seconds if seconds > 0 else None


def throughput(chunks: int, seconds: float, chars: int | None = None) -> dict[str, Any]:
    """Seconds, chunks and chunks/s (and characters embedded, when known) as one object."""
    rate = per_second(chunks, seconds)
    out: dict[str, Any] = {"seconds": round(seconds, 3), "chunks": chunks,
                           "chunks_per_s": None if rate is None else round(rate, 2)}
    if chars is not None:
        out["chars_embedded"] = chars
        out["chars_per_s"] = None if seconds <= 0 else round(chars / seconds, 1)
    return out


def raw_embedding(embedder: ReportbotEmbeddings, groups: Sequence[Sequence[str]], batch: int,
                  sample: int | None = None) -> dict[str, Any]:
    """The embedder alone on the chunk texts, batched per document as the ingest batches them.

    With ``sample``, evenly spaced documents holding about that many chunks are embedded:
    the same texts and batch shapes at a fraction of the time.
    """
    total = sum(len(g) for g in groups)
    chosen = list(groups)
    if sample is not None and 0 < sample < total:
        step = total / sample
        chosen = [g for i, g in enumerate(groups) if i % max(1, round(step)) == 0]
    started = time.perf_counter()
    for texts in chosen:
        for i in range(0, len(texts), batch):
            embedder.embed_documents(list(texts[i : i + batch]))
    result = throughput(sum(len(g) for g in chosen), time.perf_counter() - started)
    result["sampled_from"] = total
    return result


class TimedEmbeddings(ReportbotEmbeddings):
    """The base embedder, adding up the seconds spent in it: the embedder's share of an
    ingest, timed in the same run (under the same load) as the ingest itself."""

    def __init__(self, base: ReportbotEmbeddings) -> None:
        self.base = base
        self.spec = base.spec
        self.dim = base.dim
        self.seconds = 0.0

    def _embed(self, texts: list[str], is_query: bool) -> list[list[float]]:
        started = time.perf_counter()
        try:
            if is_query:
                return [self.base.embed_query(t) for t in texts]
            return self.base.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started


def ingest_documents(bot: Reportbot, docs: Sequence[SourceDoc] | None,
                     embedder: ReportbotEmbeddings | None = None) -> IngestReport:
    """One locked ingest run: the corpus directory (docs None) or in-memory documents."""
    with bot.ingest_lock():
        ingestor = bot.ingestor(embedder)
        return ingestor.run() if docs is None else ingestor.add_documents(docs)


def chunk_texts(bot: Reportbot, doc_ids: set[str]) -> list[list[str]]:
    """Per document, the texts the ingest embedded (chunk text with its context)."""
    groups: dict[str, list[str]] = {}
    for c, _ in bot.catalog.chunks():
        if c.doc_id in doc_ids:
            groups.setdefault(c.doc_id, []).append(c.context_text())
    return list(groups.values())


def warm_up(bot: Reportbot, sample: str) -> float:
    """Load what every process loads once (embedder, jieba dictionary, BM25 builder, stores);
    seconds.

    ``sample`` is any text of the kind asked (a benchmark question). The raw embedder is
    timed warm, so the ingest is too: one-time loads are reported apart from the per-chunk
    work.
    """
    started = time.perf_counter()
    bot.embedder.embed_documents([sample])
    LexicalIndex.build(["warm-up"], [tokenize(sample)])  # imports bm25s (and scipy)
    bot.index.count()
    bot.catalog.generation()
    bot.facts.all()
    return time.perf_counter() - started


def measure_ingest(bot: Reportbot, docs: Callable[[], Sequence[SourceDoc] | None],
                   warm_text: str, raw_sample: int | None = None) -> dict[str, Any]:
    """Ingest, the raw embedder on the same chunk texts, and a re-ingest of the same input.

    ``warm_text`` (a question) warms the one-time loads first; see :func:`warm_up`.
    """
    load_s = warm_up(bot, warm_text)
    timed = TimedEmbeddings(bot.embedder)
    started = time.perf_counter()
    report = ingest_documents(bot, docs(), timed)
    seconds = time.perf_counter() - started
    if report.failed:
        raise ReportbotError("benchmark ingest failed: " + "; ".join(report.failed[:3]))
    ingested = set(report.added) | set(report.updated)
    groups = chunk_texts(bot, ingested)
    raw = raw_embedding(bot.embedder, groups, bot.settings.embed_batch, raw_sample)
    ingest = throughput(report.chunks, seconds, sum(len(t) for g in groups for t in g))
    ingest["documents"] = len(ingested)
    ingest["one_time_loads_s"] = round(load_s, 3)
    ingest["embedder_s"] = round(timed.seconds, 3)
    # The raw embedder is timed after the ingest: a change of load between the two moves
    # ``efficiency``; the embedder's share of the ingest's own seconds cannot drift so.
    out: dict[str, Any] = {"ingest": ingest, "raw_embedder": raw, "efficiency": None,
                           "efficiency_with_loads": None,
                           "embedder_share": round(timed.seconds / seconds, 3)
                           if seconds > 0 else None}
    if ingest["chunks_per_s"] and raw["chunks_per_s"]:
        out["efficiency"] = round(ingest["chunks_per_s"] / raw["chunks_per_s"], 3)
        cold = report.chunks / (seconds + load_s) / raw["chunks_per_s"]
        out["efficiency_with_loads"] = round(cold, 3)
    started = time.perf_counter()
    again = ingest_documents(bot, docs())
    out["reingest"] = {"seconds": round(time.perf_counter() - started, 3),
                       "chunks": again.chunks, "unchanged": len(again.skipped)}
    return out


def latency_summary(values_ms: Sequence[float]) -> dict[str, Any]:
    """p50, p95, mean and count of latencies in milliseconds."""
    def rounded(v: float | None) -> float | None:
        return None if v is None else round(v, 1)

    mean = sum(values_ms) / len(values_ms) if values_ms else None
    return {"p50_ms": rounded(percentile(values_ms, 50)),
            "p95_ms": rounded(percentile(values_ms, 95)), "mean_ms": rounded(mean),
            "n": len(values_ms)}


def _covers(hit: DocRange, spans: Sequence[DocRange]) -> bool:
    return any(hit[0] == d and hit[1] <= s and e <= hit[2] for d, s, e in spans)


def retrieval_quality(search: SearchFn, questions: Sequence[BenchQuestion],
                      docs: Mapping[str, str], k: int = 5) -> dict[str, Any]:
    """Latency of ``search`` and hit@1 / hit@k: a passage holding an evidence string whole."""
    latencies: list[float] = []
    hits1 = hitsk = scored = 0
    for q in questions:
        started = time.perf_counter()
        found = search(q.text, k)
        latencies.append((time.perf_counter() - started) * 1000)
        spans = [s for e in q.evidence for s in evidence_spans(e, docs)]
        if not spans:
            continue
        scored += 1
        hits1 += bool(found) and _covers(found[0], spans)
        hitsk += any(_covers(f, spans) for f in found[:k])
    return {"latency": latency_summary(latencies), "questions_scored": scored,
            "hit_at_1": round(hits1 / scored, 3) if scored else None,
            f"hit_at_{k}": round(hitsk / scored, 3) if scored else None}


def pipeline_search(pipeline: Pipeline) -> SearchFn:
    """The pipeline's retrieval as (doc_id, start, end) spans, best first: the passages its
    answer is composed from (an English question searched with its glossary words, as the
    answer searches it), at most k of them."""
    def search(query: str, k: int) -> list[DocRange]:
        return [(h.chunk.doc_id, h.chunk.start, h.chunk.end)
                for h in pipeline.retrieve(query)[:k]]

    return search


def answer_latency(pipeline: Pipeline, questions: Sequence[BenchQuestion],
                   warmup: int = 3) -> dict[str, Any]:
    """Warm latency of whole answers (retrieve, compose, check); errors are counted."""
    for q in questions[:warmup]:
        _answer(pipeline, q)
    latencies: list[float] = []
    errors = refused = 0
    for q in questions:
        started = time.perf_counter()
        outcome = _answer(pipeline, q)
        latencies.append((time.perf_counter() - started) * 1000)
        errors += outcome is None
        refused += outcome is True
    return {**latency_summary(latencies), "errors": errors, "refused": refused}


def _answer(pipeline: Pipeline, q: BenchQuestion) -> bool | None:
    """Whether the answer was a refusal, or None when the question raised an error."""
    turns = [{"question": a, "answer": b} for a, b in q.history]
    try:
        return pipeline.answer(q.text, turns).refused
    except ReportbotError:
        return None
