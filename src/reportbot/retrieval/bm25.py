"""BM25 over jieba tokens (the lexical half of hybrid retrieval)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi


class LexicalIndex:
    """BM25Okapi over pre-tokenised chunks, searched by chunk id."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        if len(ids) != len(tokens):
            raise ValueError(f"expected one token list per id, got {len(ids)} ids and "
                             f"{len(tokens)} token lists")
        self._ids = list(ids)
        self._bm25 = BM25Okapi([list(t) or ["\0"] for t in tokens]) if ids else None
        # rank_bm25 scores every chunk for every query token in a Python loop (O(chunks) per
        # token: ~50 ms a question at 11k chunks). Its idf and parameters are kept; only the
        # chunks that hold a token are scored, from postings built once (same scores).
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._norm = np.zeros(0)
        if self._bm25 is not None:
            bm = self._bm25
            self._norm = bm.k1 * (1 - bm.b + bm.b * np.array(bm.doc_len, dtype=float) / bm.avgdl)
            lists: dict[str, tuple[list[int], list[int]]] = {}
            for i, freqs in enumerate(bm.doc_freqs):
                for term, tf in freqs.items():
                    at, counts = lists.setdefault(term, ([], []))
                    at.append(i)
                    counts.append(tf)
            self._postings = {t: (np.array(a), np.array(c, dtype=float))
                              for t, (a, c) in lists.items()}

    def __len__(self) -> int:
        return len(self._ids)

    @functools.cached_property
    def characters(self) -> frozenset[str]:
        """Every character of the indexed tokens (how the corpus spells things)."""
        return frozenset("".join(self._postings))

    def idf(self, term: str) -> float | None:
        """BM25 inverse document frequency of a token, None when no chunk has it."""
        if self._bm25 is None:
            return None
        value = self._bm25.idf.get(term)
        return None if value is None else float(value)

    @property
    def max_idf(self) -> float:
        """The largest idf in the index (the weight of the rarest known token)."""
        if self._bm25 is None or not self._bm25.idf:
            return 1.0
        return float(max(self._bm25.idf.values()))

    def search(self, query_tokens: Sequence[str], n: int) -> list[tuple[str, float]]:
        """Top-n chunk ids with positive BM25 score, best first (ties keep corpus order)."""
        if self._bm25 is None or not query_tokens:
            return []
        bm = self._bm25
        scores = np.zeros(len(self._ids))
        for token in query_tokens:
            if token in self._postings:
                at, tf = self._postings[token]
                scores[at] += (bm.idf.get(token) or 0) * (tf * (bm.k1 + 1) /
                                                          (tf + self._norm[at]))
        found = np.flatnonzero(scores > 0)
        order = found[np.argsort(-scores[found], kind="stable")][:n]
        return [(self._ids[i], float(scores[i])) for i in order]

    def scores(self, query_tokens: Sequence[str]) -> list[float]:
        """rank_bm25's own score of every chunk (the reference the postings must match)."""
        return [] if self._bm25 is None else [float(x) for x in
                                             self._bm25.get_scores(list(query_tokens))]
