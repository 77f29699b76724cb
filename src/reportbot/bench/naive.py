"""The naive LangChain baseline: character splitter, Chroma.from_documents, dense search only."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportbot.bench.measure import throughput
from reportbot.records import DocRange, SourceDoc
from reportbot.stores.embedders import ReportbotEmbeddings

_CHROMA_SLICE = 5000


class NaiveBaseline:
    """What a LangChain tutorial builds, on the same embedder: the yardstick for reportbot."""

    def __init__(self, embedder: ReportbotEmbeddings, path: Path, chunk_size: int) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        if chunk_size < 10:
            raise ValueError(f"expected a chunk size of at least 10 characters, got {chunk_size}")
        self.embedder = embedder
        self.path = path
        self.splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_size // 10, add_start_index=True)
        self._store: Any = None

    def ingest(self, docs: Sequence[SourceDoc]) -> dict[str, Any]:
        """Split and embed the documents into the store; seconds, chunks and chunks/s."""
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        started = time.perf_counter()
        pieces = self.splitter.split_documents(
            [Document(page_content=d.text, metadata={"doc_id": d.doc_id}) for d in docs])
        # Chroma refuses more than ~5,461 records per call (the full news corpus is 10,159
        # pieces): even the naive pipeline must add them in slices.
        for at in range(0, len(pieces), _CHROMA_SLICE):
            part = pieces[at : at + _CHROMA_SLICE]
            if self._store is None:
                self._store = Chroma.from_documents(part, embedding=self.embedder,
                                                    persist_directory=str(self.path))
            else:
                self._store.add_documents(part)
        return throughput(len(pieces), time.perf_counter() - started,
                          sum(len(p.page_content) for p in pieces))

    def search(self, query: str, k: int) -> list[DocRange]:
        """Dense nearest passages as (doc_id, start, end), best first."""
        if self._store is None:
            return []
        found = self._store.similarity_search(query, k=k)
        return [(d.metadata["doc_id"], int(d.metadata["start_index"]),
                 int(d.metadata["start_index"]) + len(d.page_content)) for d in found]
