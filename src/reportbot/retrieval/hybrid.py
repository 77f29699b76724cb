"""Dense + lexical retrieval fused by weighted reciprocal rank; the LangChain retriever."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from reportbot.config import Settings
from reportbot.language.tokens import tokenize
from reportbot.records import Chunk, Hit
from reportbot.retrieval.bm25 import LexicalIndex
from reportbot.retrieval.lexical_store import LexicalStore, lexical_path
from reportbot.retrieval.similarity import Similarity
from reportbot.stores.catalog import Catalog
from reportbot.stores.chroma import VectorIndex
from reportbot.stores.embedders import ReportbotEmbeddings

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")


def weighted_rrf(rankings: Sequence[Sequence[str]], weights: Sequence[float],
                 k: int = 60) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum_i w_i / (k + rank_i), ranks 1-based; best first."""
    if len(rankings) != len(weights):
        raise ValueError(f"expected one weight per ranking, got {len(weights)} weights for "
                         f"{len(rankings)} rankings")
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            first_seen.setdefault(item, len(first_seen))
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))


class HybridSearcher:
    """Searches the live chunks; when the catalog generation moves (an ingest finished a
    document, here or in another process) it reopens the vectors and takes the lexical index
    of the new state (saved by the ingest, or rebuilt when the ingest has not saved it yet)."""

    def __init__(self, settings: Settings, embedder: ReportbotEmbeddings, index: VectorIndex,
                 catalog: Catalog, lexical: LexicalStore | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.catalog = catalog
        self.lexical_store = lexical or LexicalStore(lexical_path(catalog), catalog)
        self._lock = threading.Lock()
        self._stamp = ""
        self._lexical = LexicalIndex([], {})
        self.similarity = Similarity(embedder, settings.clause_vector_cache)
        # The vectors were opened no earlier than this generation.
        self._vectors_generation = catalog.generation()

    def _refresh(self) -> None:
        stamp = self.catalog.stamp()
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            generation = self.catalog.generation()
            if generation != self._vectors_generation:
                self.index.refresh()
                self._vectors_generation = generation
            self._stamp, self._lexical = self.lexical_store.current()

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 view of the live chunks (taken anew when the catalog changes)."""
        self._refresh()
        return self._lexical

    def run(self, query: str, top_k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """The top_k live chunks for the query, best first."""
        self._refresh()
        k = top_k or self.settings.top_k
        n = max(self.settings.candidates, k)
        dense: list[str] = []
        lexical: list[str] = []
        if mode in ("hybrid", "dense"):
            # Over-fetch: vectors of a run that was killed half-way may still sit in Chroma.
            vector = self.similarity.query_vector(query)
            dense = [cid for cid, _ in self.index.query(vector, 2 * n)]
        if mode in ("hybrid", "bm25"):
            lexical = [cid for cid, _ in self._lexical.search(tokenize(query), n)]
        live = self.catalog.get_chunks(set(dense) | set(lexical))
        dense = [c for c in dense if c in live][:n]
        lexical = [c for c in lexical if c in live]
        weights = {"hybrid": (self.settings.dense_weight, self.settings.lexical_weight),
                   "dense": (1.0, 0.0), "bm25": (0.0, 1.0)}[mode]
        fused = weighted_rrf([dense, lexical], weights, self.settings.rrf_k)
        d_rank = {c: i + 1 for i, c in enumerate(dense)}
        l_rank = {c: i + 1 for i, c in enumerate(lexical)}
        return [Hit(live[cid], score, d_rank.get(cid), l_rank.get(cid))
                for cid, score in fused[:k] if score > 0]


class ReportbotRetriever(BaseRetriever):
    """LangChain face of HybridSearcher: Documents carry the exact span as metadata."""

    searcher: Any
    top_k: int | None = None
    mode: Mode = "hybrid"

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.searcher.run(query, self.top_k, self.mode)
        return [hit_to_document(h) for h in hits]


def hit_to_document(hit: Hit) -> Document:
    """A Hit as a LangChain Document (text plus doc_id, section, start, end, score)."""
    c = hit.chunk
    return Document(page_content=c.text, id=c.chunk_id, metadata={
        "chunk_id": c.chunk_id, "doc_id": c.doc_id, "title": c.title, "section": c.section,
        "start": c.start, "end": c.end, "score": hit.score,
        "dense_rank": hit.dense_rank, "lexical_rank": hit.lexical_rank})


def document_to_hit(document: Document) -> Hit:
    """The Hit a ReportbotRetriever Document came from (inverse of hit_to_document)."""
    m = document.metadata
    chunk = Chunk(m["chunk_id"], m["doc_id"], m["title"], m["section"], m["start"], m["end"],
                  document.page_content)
    return Hit(chunk, m["score"], m["dense_rank"], m["lexical_rank"])
