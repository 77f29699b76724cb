"""Dense + lexical retrieval fused (by their scores, or by weighted reciprocal rank); the
LangChain retriever."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from reportbot.config import Settings
from reportbot.ingest.chunking import chunk_doc_id
from reportbot.language.entities import asked_places
from reportbot.language.terms import with_synonyms
from reportbot.language.tokens import tokenize
from reportbot.records import Chunk, Hit
from reportbot.retrieval.bm25 import LexicalIndex, TermStats
from reportbot.retrieval.diversity import diversify
from reportbot.retrieval.documents import (
    DocumentIndex,
    aggregate,
    demote_unnamed,
    document_boost,
    document_store,
)
from reportbot.retrieval.duplicates import collapse_copies, copy_ranks
from reportbot.retrieval.fusion import score_fusion, weighted_rrf
from reportbot.retrieval.lexical_store import LexicalStore, lexical_path
from reportbot.retrieval.similarity import Similarity
from reportbot.stores.catalog import Catalog
from reportbot.stores.chroma import VectorIndex
from reportbot.stores.embedders import ReportbotEmbeddings

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
# How far down the question's document ranking an answer's statistics are widened.
_POOL_DOCUMENTS = 200


class HybridSearcher:
    """Searches the live chunks; when the catalog generation moves (an ingest finished a
    document, here or in another process) it reopens the vectors and takes the lexical index
    of the new state (saved by the ingest, or rebuilt when the ingest has not saved it yet)."""

    def __init__(self, settings: Settings, embedder: ReportbotEmbeddings, index: VectorIndex,
                 catalog: Catalog, lexical: LexicalStore | None = None,
                 documents: LexicalStore | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.catalog = catalog
        self.lexical_store = lexical or LexicalStore(lexical_path(catalog), catalog)
        self.document_store = documents or document_store(catalog)
        self._lock = threading.Lock()
        self._stamp = ""
        self._lexical = LexicalIndex([], {})
        self._documents: tuple[int, DocumentIndex] | None = None
        self._rows: tuple[LexicalIndex, np.ndarray, dict[str, tuple[int, int]]] | None = None
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

    @property
    def documents(self) -> DocumentIndex:
        """The document-level view of the live documents (rebuilt when the catalog changes)."""
        generation = self.catalog.generation()
        built = self._documents
        if built is not None and built[0] == generation:
            return built[1]
        s = self.settings
        with self._lock:
            # The saved whole-document BM25 serves the question; chunk rows are read only
            # for the signals that need them (each document's chunks, its mean vector).
            rows = (self.catalog.chunks() if s.doc_chunks_weight > 0
                    or s.doc_meaning_weight > 0 else [])
            vectors = (self.index.vectors([c.chunk_id for c, _ in rows])
                       if s.doc_meaning_weight > 0 else None)
            _, lexical = self.document_store.current()
            index = DocumentIndex(self.catalog.profiles(), rows, vectors, lexical)
            self._documents = (generation, index)
        return index

    def run(self, query: str, top_k: int | None = None, mode: Mode = "hybrid",
            diverse: bool = False) -> list[Hit]:
        """The top_k live chunks for the query, best first; ``diverse`` (list and comparison
        questions) trades a passage near one already taken for the next different one."""
        self._refresh()
        s = self.settings
        k = top_k or s.top_k
        n = max(s.candidates, k)
        tokens = with_synonyms(tokenize(query))
        vector = self.similarity.query_vector(query) if mode in ("hybrid", "dense") else None
        # Over-fetch: vectors of a run that was killed half-way may still sit in Chroma.
        dense = [] if vector is None else self.index.query(vector, 2 * n)
        lexical = self._lexical.search(tokens, n) if mode in ("hybrid", "bm25") else []
        weights = {"hybrid": (s.dense_weight, s.lexical_weight),
                   "dense": (1.0, 0.0), "bm25": (0.0, 1.0)}[mode]
        focus = self._focus(tokens, vector, dense, lexical, weights)
        live = self.catalog.get_chunks({c for c, _ in dense} | {c for c, _ in lexical})
        d_live = [(c, -distance) for c, distance in dense if c in live][:n]
        l_live = [(c, score) for c, score in lexical if c in live]
        d_ids, l_ids = [c for c, _ in d_live], [c for c, _ in l_live]
        if s.fusion == "scores":
            fused = score_fusion([d_live, l_live], (s.score_dense_weight, s.score_lexical_weight)
                                 if mode == "hybrid" else weights)
        else:
            fused = weighted_rrf([d_ids, l_ids], weights, s.rrf_k)
        doc_of = {c: live[c].doc_id for c, _ in fused}
        fused = document_boost(fused, doc_of, focus, s.doc_weight, s.doc_rank_k)
        places = asked_places(query) if s.subject_penalty > 0 else frozenset()
        if places and len(self.documents) > 1:
            fused = demote_unnamed(fused, doc_of, self.documents.naming(places),
                                   s.subject_penalty)
        # Copies are looked for where they could take a place in the top k.
        head = fused[: 4 * k]
        fused = collapse_copies(fused, doc_of, {c: live[c].text for c, _ in head},
                                copy_ranks({live[c].doc_id: live[c].title for c, _ in head},
                                           tokens, focus), s.copy_share, 4 * k)
        if diverse:
            fused = diversify(fused, {c: set(tokenize(live[c].text)) for c, _ in fused}, k,
                              s.diversity)
        d_rank = {c: i + 1 for i, c in enumerate(d_ids)}
        l_rank = {c: i + 1 for i, c in enumerate(l_ids)}
        return [Hit(live[cid], score, d_rank.get(cid), l_rank.get(cid))
                for cid, score in fused[:k]]

    def statistics(self, hits: Sequence[Hit], query: str) -> TermStats:
        """The term statistics an answer reads these passages with: those of their
        documents, then of the next documents the query's words rank, until they hold
        ``answer_pool_chunks`` chunks (the whole index's when it is 0 or all are taken)."""
        lexical = self.lexical
        row_doc, sizes = self._rows_of(lexical)
        want = self.settings.answer_pool_chunks
        if want <= 0:
            return lexical.within(np.ones(len(row_doc), dtype=bool))
        pool = {h.chunk.doc_id for h in hits}
        held = sum(sizes.get(d, (0, 0))[1] for d in pool)
        if held < want:
            ranked = self.documents.by_words(with_synonyms(tokenize(query)), _POOL_DOCUMENTS)
            for doc_id in (d for d in ranked if d not in pool):
                pool.add(doc_id)
                held += sizes.get(doc_id, (0, 0))[1]
                if held >= want:
                    break
        return lexical.within(np.isin(row_doc, [sizes[d][0] for d in pool if d in sizes]))

    def _rows_of(self, lexical: LexicalIndex) -> tuple[np.ndarray, dict[str, tuple[int, int]]]:
        """The document number of each row of the lexical index, and each document's
        number and chunk count (worked out once per index)."""
        known = self._rows
        if known is not None and known[0] is lexical:
            return known[1], known[2]
        numbers: dict[str, int] = {}
        row_doc = np.fromiter((numbers.setdefault(chunk_doc_id(c), len(numbers))
                               for c in lexical.ids), dtype=np.int64, count=len(lexical))
        counts = np.bincount(row_doc, minlength=len(numbers))
        sizes = {d: (n, int(counts[n])) for d, n in numbers.items()}
        self._rows = (lexical, row_doc, sizes)
        return row_doc, sizes

    def _focus(self, tokens: list[str], vector: list[float] | None,
               dense: list[tuple[str, float]], lexical: list[tuple[str, float]],
               weights: tuple[float, float]) -> dict[str, int]:
        """The documents the question is most about, each with its 1-based rank: whole-document
        words and meaning, and each document's best chunks together."""
        s = self.settings
        if s.doc_weight <= 0 or s.doc_focus < 1:
            return {}
        docs = self.documents
        if len(docs) < 2:
            return {}
        n = max(s.candidates, s.doc_focus)
        signals: list[tuple[list[str], float]] = []
        if s.doc_words_weight > 0:
            signals.append((docs.by_words(tokens, n), s.doc_words_weight))
        if s.doc_chunks_weight > 0:
            fused = weighted_rrf([[c for c, _ in dense], [c for c, _ in lexical]], weights,
                                 s.rrf_k)
            signals.append(([d for d, _ in aggregate(fused, docs.doc_of, s.doc_best_chunks)],
                            s.doc_chunks_weight))
        if s.doc_meaning_weight > 0:
            signals.append((docs.by_meaning(vector, n), s.doc_meaning_weight))
        ranked = weighted_rrf([r for r, _ in signals], [w for _, w in signals], s.rrf_k)
        top = [d for d, score in ranked if score > 0][: s.doc_focus]
        return {d: i + 1 for i, d in enumerate(top)}


class ReportbotRetriever(BaseRetriever):
    """LangChain face of HybridSearcher: Documents carry the exact span as metadata."""

    searcher: Any
    top_k: int | None = None
    mode: Mode = "hybrid"

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun,
                                diverse: bool = False) -> list[Document]:
        hits = self.searcher.run(query, self.top_k, self.mode, diverse)
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
