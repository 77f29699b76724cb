"""Chroma: open (embedded or server), add, delete, query. The only chromadb importer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings
from chromadb.config import Settings as ChromaSettings

from reportbot.errors import StoreError
from reportbot.records import Chunk
from reportbot.stores.embedders import ReportbotEmbeddings


class _ChromaAdapter(EmbeddingFunction[Documents]):
    """Hands our embedder to Chroma explicitly, so Chroma never loads its default model."""

    def __init__(self, embedder: ReportbotEmbeddings) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return self._embedder.embed_documents(list(input))  # type: ignore[return-value]

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        return [self._embedder.embed_query(t) for t in input]  # type: ignore[misc]

    @staticmethod
    def name() -> str:
        return "reportbot"

    def get_config(self) -> dict[str, Any]:
        return {"spec": self._embedder.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _ChromaAdapter:
        from reportbot.stores.embedders import make_embedder

        return _ChromaAdapter(make_embedder(str(config["spec"])))

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


def _server_error(url: str, exc: Exception) -> StoreError:
    return StoreError(f"the Chroma server at {url} is not answering ({type(exc).__name__}); "
                      f"start it (`chroma run --path DIR --host 127.0.0.1 --port 8000`) or "
                      f"unset REPORTBOT_CHROMA_URL to use the embedded store")


class VectorIndex:
    """One Chroma collection per embedder, cosine space, vectors keyed by chunk id."""

    def __init__(self, embedder: ReportbotEmbeddings, path: Path | None = None,
                 url: str | None = None, collection: str | None = None) -> None:
        if (path is None) == (url is None):
            raise StoreError("VectorIndex needs exactly one of a local path or a server URL")
        self.embedder = embedder
        self.where = url or str(path)
        self._path = path
        self._url = url
        self._name = collection or embedder.collection_name
        # One call at a time (each takes milliseconds): refresh never closes a client under a
        # running call.
        self._lock = threading.Lock()
        self._client, self._collection = self._open()

    def _open(self) -> tuple[Any, Any]:
        """A client and this index's collection (created when missing)."""
        settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if self._url is not None:
                parsed = urlparse(self._url)
                client: Any = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                    ssl=parsed.scheme == "https", settings=settings)
            else:
                assert self._path is not None
                self._path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(self._path), settings=settings)
            return client, client.get_or_create_collection(
                name=self._name, embedding_function=_ChromaAdapter(self.embedder),
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            if self._url is not None:
                raise _server_error(self._url, exc) from exc
            raise StoreError(f"cannot open the Chroma store at {self._path} ({exc}); delete the "
                             f"directory and run `reportbot ingest` to rebuild it") from exc

    def refresh(self) -> None:
        """See vectors another process wrote since this index was opened.

        An embedded store keeps each collection's vector graph in memory as it was when first
        queried; vectors another process (an ingest) adds later are counted but not found
        until the store is opened again. Closing releases the store (its threads and files)
        once no other client in this process holds it (one that does keeps it, stale, shared
        with the reopened client: a server process has one index). A Chroma server serves
        every writer and reader itself: nothing to do.
        """
        if self._url is not None:
            return
        with self._lock:  # no call is running on the client being closed
            self._client.close()
            self._client, self._collection = self._open()

    def add(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Upsert chunk vectors (with their document and span as metadata)."""
        if not chunks:
            return
        # No chunk text: it lives in the catalog, nothing reads it here, and Chroma's
        # full-text index of it tripled the cost of a write (2-4 ms of every chunk ingested).
        self._call(lambda: self._collection.upsert(
            ids=[c.chunk_id for c in chunks],
            embeddings=[list(v) for v in vectors],
            metadatas=[{"doc_id": c.doc_id, "section": c.section, "start": c.start,
                        "end": c.end} for c in chunks],
        ))

    def delete(self, ids: Sequence[str]) -> None:
        """Remove vectors by chunk id (missing ids are ignored)."""
        for i in range(0, len(ids), 500):
            batch = list(ids[i : i + 500])
            self._call(lambda b=batch: self._collection.delete(ids=b))  # type: ignore[misc]

    def ids(self) -> set[str]:
        """Every chunk id that has a vector."""
        result = self._call(lambda: self._collection.get(include=[]))
        return set(result["ids"])

    def count(self) -> int:
        """Number of vectors."""
        return int(self._call(lambda: self._collection.count()))

    def query(self, vector: Sequence[float], n: int,
              doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine distance, best first (only of ``doc_ids`` if given)."""
        total = self.count()
        if total == 0 or (doc_ids is not None and not doc_ids):
            return []
        where = None if doc_ids is None else {"doc_id": {"$in": list(doc_ids)}}
        result = self._call(lambda: self._collection.query(
            query_embeddings=[list(vector)], n_results=min(n, total), where=where,
            include=["distances"]))
        return list(zip(result["ids"][0], result["distances"][0], strict=True))

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunk ids (ids without one are left out)."""
        out: dict[str, list[float]] = {}
        for i in range(0, len(ids), 2000):
            batch = list(ids[i : i + 2000])
            got = self._call(lambda b=batch: self._collection.get(  # type: ignore[misc]
                ids=b, include=["embeddings"]))
            out.update({cid: list(v) for cid, v in zip(got["ids"], got["embeddings"],
                                                       strict=True)})
        return out

    def _call(self, fn: Any) -> Any:
        try:
            with self._lock:
                return fn()
        except StoreError:
            raise
        except Exception as exc:
            if self.where.startswith("http"):
                raise _server_error(self.where, exc) from exc
            raise StoreError(f"Chroma store at {self.where} failed ({type(exc).__name__}: "
                             f"{exc})") from exc
