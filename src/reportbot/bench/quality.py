"""Answer and retrieval quality at scale: the seed eval, the multi-document eval and CMRC
dev, each with the news articles indexed beside it as distractors.

Every extra index embeds the news articles again unless their vectors are reused: passage
vectors computed once in a run are handed to later indexes (same embedder, same chunk
text), so the distractors cost one embedding per run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportbot.answering.pipeline import Pipeline
from reportbot.app.service import Reportbot
from reportbot.config import Settings
from reportbot.evaluation.cases import read_cases, select_cases
from reportbot.evaluation.cmrc import load_cmrc, retrieval_scores
from reportbot.evaluation.corpora import combine_corpora
from reportbot.evaluation.metrics import run_cases, summarize
from reportbot.records import SourceDoc
from reportbot.stores.embedders import ReportbotEmbeddings

Log = Callable[[str], None]
# The headline of an eval summary the bench keeps (the full summary is `reportbot eval`'s).
SEED_KEYS = ("cases", "accuracy", "numeric_accuracy", "citation_recall", "refusal_recall",
             "false_refusal_rate", "wrong_figure", "failures")


class ReusedVectors(ReportbotEmbeddings):
    """The base embedder, except that passages embedded earlier in this run are not
    embedded again (queries always are)."""

    def __init__(self, base: ReportbotEmbeddings) -> None:
        self.base = base
        self.spec = base.spec
        self.dim = base.dim
        self.known: dict[str, list[float]] = {}
        self.reused = 0

    def _embed(self, texts: list[str], is_query: bool) -> list[list[float]]:
        if is_query:
            return [self.base.embed_query(t) for t in texts]
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.base.embed_documents(missing), strict=True))
        self.reused += len(texts) - len(missing)
        return [self.known[t] for t in texts]

    def remember(self, bot: Reportbot) -> int:
        """Take in every passage vector of an index; how many."""
        rows = [c for c, _ in bot.catalog.chunks()]
        vectors = bot.index.vectors([c.chunk_id for c in rows])
        for chunk in rows:
            if chunk.chunk_id in vectors:
                self.known[chunk.context_text()] = vectors[chunk.chunk_id]
        return len(vectors)


def seed_quality(pipeline: Pipeline, dataset: Path, split: str | None = None) -> dict[str, Any]:
    """The eval cases of a dataset answered by this pipeline: headline figures, refusals
    and which cases were answered correctly."""
    loaded, invalid = read_cases(dataset)
    cases = select_cases(loaded, (), None, split)
    catalog = pipeline.searcher.catalog
    docs = {d.doc_id: d.text for info in catalog.documents()
            if (d := catalog.document(info.doc_id)) is not None}

    def answer(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        return pipeline.answer(question, history).to_json()  # type: ignore[no-any-return]

    results = run_cases(cases, answer, docs)
    summary = summarize(results)
    out = {key: summary.get(key) for key in SEED_KEYS}
    out["refused"] = sum(r.refused for r in results)
    out["invalid_cases"] = len(invalid)
    out["correct"] = sorted(r.id for r in results if r.correct)
    return out


def _ingest(bot: Reportbot, docs: Sequence[SourceDoc] | None) -> str:
    with bot.ingest_lock():
        report = bot.ingestor().run() if docs is None else bot.ingestor().add_documents(docs)
    return report.summary()


def multidoc_quality(settings: Settings, vectors: ReusedVectors, news: Sequence[SourceDoc],
                     dataset: Path, extra: Path, root: Path, log: Log) -> dict[str, Any]:
    """The multi-document eval (dev split) over the report and its own documents, then with
    the news articles beside them."""
    local = settings.model_copy(update={
        "corpus_dir": root / "corpus", "data_dir": root / "data", "chroma_url": None})
    combine_corpora(settings.corpus_dir, [extra], local.corpus_dir)
    bot = Reportbot(local, embedder=vectors)
    log(f"  multi-document eval: {_ingest(bot, None)}")
    own = seed_quality(bot.pipeline(), dataset, "dev")
    log(f"  multi-document eval + news: {_ingest(bot, news)}")
    with_news = seed_quality(bot.pipeline(), dataset, "dev")
    bot.catalog.close()
    delta = (None if own["accuracy"] is None or with_news["accuracy"] is None
             else round(with_news["accuracy"] - own["accuracy"], 3))
    return {"split": "dev", "own_documents": own, "with_news": with_news,
            "accuracy_change": delta}


def cmrc_quality(settings: Settings, vectors: ReusedVectors, news: Sequence[SourceDoc],
                 path: Path, root: Path, paragraphs: int | None, log: Log) -> dict[str, Any]:
    """CMRC dev retrieval with the news articles as distractors: paragraph hit@1 / hit@5 and
    an answer inside the top-1 / top-3 chunks (the first ``paragraphs`` paragraphs and
    their questions, or all)."""
    loaded = load_cmrc(path)
    docs = loaded.docs[:paragraphs] if paragraphs else loaded.docs
    kept = {d.doc_id for d in docs}
    questions = [q for q in loaded.questions if q.doc_id in kept]
    local = settings.model_copy(update={
        "corpus_dir": root / "corpus", "data_dir": root / "data", "chroma_url": None})
    local.corpus_dir.mkdir(parents=True, exist_ok=True)
    bot = Reportbot(local, embedder=vectors)
    log(f"  CMRC paragraphs: {_ingest(bot, docs)}; + news: {_ingest(bot, news)}")
    totals = {"hit@1": 0, "hit@5": 0, "answer_in_top1": 0, "answer_in_top3": 0}
    started = time.perf_counter()
    for q in questions:
        for key, ok in retrieval_scores(q, bot.searcher.run(q.question, 5)).items():
            totals[key] += ok
    seconds = time.perf_counter() - started
    bot.catalog.close()
    n = len(questions)
    return {"paragraphs": len(docs), "questions": n, "distractors": len(news),
            **{k.replace("@", "_at_"): round(v / n, 4) if n else None
               for k, v in totals.items()},
            "retrieval_mean_ms": round(seconds * 1000 / n, 1) if n else None}
