"""Wires Settings to the stages: embedder, Chroma index, catalog, searcher, ingestor."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from reportbot.answering.pipeline import Pipeline
from reportbot.config import Settings
from reportbot.errors import StoreError
from reportbot.facts.store import FactStore
from reportbot.ingest.entities import EntityIndexer
from reportbot.ingest.loading import ReadLimits
from reportbot.ingest.run import Ingestor
from reportbot.retrieval.documents import document_store
from reportbot.retrieval.hybrid import HybridSearcher, Mode
from reportbot.retrieval.lexical_store import LexicalStore, lexical_path
from reportbot.stores.catalog import Catalog
from reportbot.stores.chroma import VectorIndex
from reportbot.stores.embedders import ReportbotEmbeddings, make_embedder


class Reportbot:
    """The parts of one reportbot instance, built lazily from one Settings object."""

    def __init__(self, settings: Settings, embedder: ReportbotEmbeddings | None = None,
                 collection: str | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._collection = collection

    @cached_property
    def embedder(self) -> ReportbotEmbeddings:
        """The configured embedding backend (loaded on first use)."""
        return self._embedder or make_embedder(self.settings.embedder)

    @cached_property
    def index(self) -> VectorIndex:
        """The Chroma collection (embedded store, or server when chroma_url is set)."""
        if self.settings.chroma_url:
            return VectorIndex(self.embedder, url=self.settings.chroma_url,
                               collection=self._collection)
        return VectorIndex(self.embedder, path=self.settings.chroma_path,
                           collection=self._collection)

    @cached_property
    def catalog(self) -> Catalog:
        """Live documents and chunks."""
        return Catalog(self.settings.catalog_path)

    @cached_property
    def searcher(self) -> HybridSearcher:
        """Hybrid retrieval over the live chunks."""
        return HybridSearcher(self.settings, self.embedder, self.index, self.catalog,
                              self.lexical, self.documents)

    @cached_property
    def lexical(self) -> LexicalStore:
        """The saved lexical (BM25) index, beside the catalog; every ingest updates it."""
        return LexicalStore(lexical_path(self.catalog), self.catalog)

    @cached_property
    def documents(self) -> LexicalStore:
        """The saved whole-document BM25, beside the catalog; every ingest updates it."""
        return document_store(self.catalog)

    @cached_property
    def facts(self) -> FactStore:
        """The fact table, kept in step with the catalog by every ingest."""
        return FactStore(self.settings.facts_path, self.settings.corpus_dir / "facts.csv")

    def pipeline(self, mode: Mode = "hybrid") -> Pipeline:
        """The answer pipeline over this instance's searcher and fact table."""
        return Pipeline(self.searcher, self.facts, self.settings, mode)

    def ingestor(self, embedder: ReportbotEmbeddings | None = None) -> Ingestor:
        """An ingest run over the configured corpus (the fact table follows it); ``embedder``
        embeds its passages instead of the instance's (a benchmark's timing wrapper)."""
        return Ingestor(self.settings.corpus_dir, embedder or self.embedder, self.index,
                        self.catalog,
                        self.settings.chunk_max_chars, self.settings.embed_batch,
                        listeners=[self.facts, EntityIndexer(self.catalog, self.facts.subjects_of)],
                        limits=ReadLimits.of(self.settings),
                        on_finish=[self.lexical.update, self.documents.update])

    @contextmanager
    def ingest_lock(self) -> Iterator[None]:
        """One ingest at a time per data directory (readers are never blocked)."""
        path = Path(self.settings.data_dir) / "ingest.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(f"another ingest is running on {self.settings.data_dir}; "
                                 f"wait for it to finish") from exc
            yield
        finally:
            os.close(fd)
