"""Similarity by meaning between a question and passage text, with the index's embedder;
question and clause vectors are kept (bounded) so a repeated text is embedded once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import numpy as np

from reportbot.stores.embedders import ReportbotEmbeddings

V = TypeVar("V")


class _Bounded(Generic[V]):
    """A least-recently-used map of text -> vector."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)


def _unit(vector: Sequence[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


class Similarity:
    """Cosine similarity of texts with a question (the query and passage prefixes of E5)."""

    def __init__(self, embedder: ReportbotEmbeddings, capacity: int = 20000) -> None:
        self.embedder = embedder
        self._queries: _Bounded[list[float]] = _Bounded(256)
        self._texts: _Bounded[np.ndarray] = _Bounded(max(capacity, 1))

    def query_vector(self, question: str) -> list[float]:
        """The question's vector as the embedder gives it (embedded once while cached)."""
        vector = self._queries.get(question)
        if vector is None:
            vector = self.embedder.embed_query(question)
            self._queries.put(question, vector)
        return vector

    def text_vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Unit vectors of passage texts, embedding only those not seen recently."""
        found = {t: v for t in dict.fromkeys(texts) if (v := self._texts.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        for text, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
            found[text] = _unit(vector)
            self._texts.put(text, found[text])
        return [found[t] for t in texts]

    def to(self, question: str) -> Callable[[Sequence[str]], list[float]]:
        """texts -> cosine of each with the question (the question embedded on first use)."""

        def cosines(texts: Sequence[str]) -> list[float]:
            if not texts:
                return []
            q = _unit(self.query_vector(question))
            return [float(v @ q) for v in self.text_vectors(texts)]

        return cosines
