"""BM25 over jieba tokens."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import jieba
from rank_bm25 import BM25Okapi

jieba.setLogLevel(logging.WARNING)
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens, lower-cased, punctuation and spaces dropped."""
    return [t for t in jieba.lcut_for_search(text.lower()) if _WORDLIKE.search(t)]


class LexicalIndex:
    """BM25Okapi over pre-tokenised chunks, searched by chunk id."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        if len(ids) != len(tokens):
            raise ValueError(f"expected one token list per id, got {len(ids)} ids and "
                             f"{len(tokens)} token lists")
        self._ids = list(ids)
        self._bm25 = BM25Okapi([list(t) or ["\0"] for t in tokens]) if ids else None

    def __len__(self) -> int:
        return len(self._ids)

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
        scores = self._bm25.get_scores(list(query_tokens))
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:n]
        return [(self._ids[i], float(scores[i])) for i in order if scores[i] > 0]
