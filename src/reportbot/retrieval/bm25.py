"""BM25 over jieba tokens (the lexical half of hybrid retrieval), on bm25s sparse matrices."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reportbot.errors import StoreError

# rank_bm25's BM25Okapi, whose scores and idf the question-analysis thresholds were tuned on.
K1, B, EPSILON = 1.5, 0.75, 0.25
IDS_FILE = "ids.json"


def okapi_idf(df: np.ndarray, documents: int) -> np.ndarray:
    """Okapi idf log((N - df + 0.5) / (df + 0.5)); a negative one (a token in more than half
    the chunks) becomes EPSILON times the mean idf, as rank_bm25's BM25Okapi does."""
    idf = np.log(documents - df + 0.5) - np.log(df + 0.5)
    if not len(idf):
        return idf
    return np.where(idf < 0, EPSILON * idf.mean(), idf)


class LexicalIndex:
    """Okapi BM25 over pre-tokenised chunks, searched by chunk id.

    The chunk-by-token score matrix is bm25s's (CSC, saved as .npy files that load
    memory-mapped); the vocabulary maps tokens to its columns.
    """

    def __init__(self, ids: Sequence[str], model: Any | None) -> None:
        self._ids = list(ids)
        self._model = model
        self._vocab: dict[str, int] = model.vocab_dict if model is not None else {}
        df = np.diff(np.asarray(model.scores["indptr"])) if model is not None else np.zeros(0)
        self._idf = okapi_idf(df, len(self._ids))

    @classmethod
    def build(cls, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> LexicalIndex:
        """Index one token list per chunk id (an empty list counts as one unknown token)."""
        if len(ids) != len(tokens):
            raise ValueError(f"expected one token list per id, got {len(ids)} ids and "
                             f"{len(tokens)} token lists")
        if not ids:
            return cls([], None)
        import bm25s

        # bm25s's Okapi idf is clamped at 0, unlike rank_bm25's; its tf part ("atire") is
        # Okapi's. Its Lucene idf is always positive, so each column's share can be swapped
        # for the Okapi idf below, giving rank_bm25's scores.
        model = bm25s.BM25(k1=K1, b=B, method="atire", idf_method="lucene", dtype="float64")
        model.index([list(t) or ["\0"] for t in tokens], create_empty_token=False,
                    show_progress=False)
        indptr = model.scores["indptr"]
        df = np.diff(indptr).astype(float)
        lucene = np.log(1 + (len(ids) - df + 0.5) / (df + 0.5))
        model.scores["data"] = model.scores["data"] * np.repeat(
            okapi_idf(df, len(ids)) / lucene, np.diff(indptr))
        return cls(ids, model)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """An index saved by `save`, its matrix memory-mapped; StoreError when unusable."""
        import bm25s

        try:
            ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
            if not ids:
                return cls([], None)
            model = bm25s.BM25.load(directory, mmap=True, show_progress=False)
            s = model.scores
            if not (s["num_docs"] == len(ids) and len(s["indptr"]) == len(model.vocab_dict) + 1
                    and len(s["data"]) == len(s["indices"]) == int(s["indptr"][-1])
                    and (not len(s["indices"]) or int(np.max(s["indices"])) < len(ids))):
                raise ValueError("its arrays do not fit together")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the lexical index in {directory} is unreadable ({exc})") from exc
        return cls(ids, model)

    def save(self, directory: Path) -> None:
        """Write the matrix, vocabulary and chunk ids into a directory (made if missing)."""
        directory.mkdir(parents=True, exist_ok=True)
        if self._model is not None:
            self._model.save(directory, show_progress=False)
        (directory / IDS_FILE).write_text(json.dumps(self._ids, ensure_ascii=False),
                                          encoding="utf-8")

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """The indexed chunk ids, in corpus order."""
        return list(self._ids)

    @functools.cached_property
    def characters(self) -> frozenset[str]:
        """Every character of the indexed tokens (how the corpus spells things)."""
        return frozenset("".join(self._vocab))

    def idf(self, term: str) -> float | None:
        """BM25 inverse document frequency of a token, None when no chunk has it."""
        column = self._vocab.get(term)
        return None if column is None else float(self._idf[column])

    @property
    def max_idf(self) -> float:
        """The largest idf in the index (the weight of the rarest known token)."""
        return float(self._idf.max()) if len(self._idf) else 1.0

    def search(self, query_tokens: Sequence[str], n: int) -> list[tuple[str, float]]:
        """Top-n chunk ids with positive BM25 score, best first (ties keep corpus order)."""
        if self._model is None:
            return []
        # A repeated query token counts each time, as in rank_bm25.
        columns = self._model.get_tokens_ids(list(query_tokens))
        if not columns:
            return []
        scores = self._model.get_scores_from_ids(columns)
        found = np.flatnonzero(scores > 0)
        order = found[np.argsort(-scores[found], kind="stable")][:n]
        return [(self._ids[i], float(scores[i])) for i in order]
