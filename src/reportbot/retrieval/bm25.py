"""BM25 over jieba tokens (the lexical half of hybrid retrieval), on bm25s sparse matrices."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

import numpy as np

from reportbot.errors import StoreError

# rank_bm25's BM25Okapi, whose scores and idf the question-analysis thresholds were tuned on.
K1, B, EPSILON = 1.5, 0.75, 0.25
IDS_FILE = "ids.json"
# bm25s's own file names: `bm25s.BM25.load(directory)` reads a saved index too.
MATRIX_FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")
VOCAB_FILE, PARAMS_FILE = "vocab.index.json", "params.index.json"
IDF_FILE = "okapi_idf.npy"


def okapi_idf(df: Sequence[int], documents: int) -> np.ndarray:
    """Okapi idf log(N - df + 0.5) - log(df + 0.5); a negative one (a token in more than half
    the chunks) becomes EPSILON times the mean idf. Computed as rank_bm25's BM25Okapi does,
    term by term in first-seen order, so the floor is bit for bit its value (question
    analysis compares idf values with each other and with thresholds)."""
    idf = [math.log(documents - f + 0.5) - math.log(f + 0.5) for f in df]
    if not idf:
        return np.zeros(0)
    total = 0.0
    for value in idf:
        total += value
    floor = EPSILON * (total / len(idf))
    return np.array([floor if value < 0 else value for value in idf])


class TermStats:
    """Token idf over some chunks of an index (LexicalIndex.within): the weights and the
    vocabulary an answer reads its passages' documents with."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray,
                 columns: np.ndarray | None = None) -> None:
        # columns[i]: the place in ``idf`` of the index's token column i (-1: none of
        # the chunks has it); None when ``idf`` holds every column of the index.
        self._vocab = vocab
        self._idf = idf
        self._columns = columns

    def idf(self, term: str) -> float | None:
        """BM25 inverse document frequency of a token, None when none of the chunks has it."""
        column = self._vocab.get(term)
        if column is not None and self._columns is not None:
            column = int(self._columns[column])
        return None if column is None or column < 0 else float(self._idf[column])


class LexicalIndex:
    """Okapi BM25 over pre-tokenised chunks, searched by chunk id.

    bm25s builds the chunk-by-token score matrix (CSC: per token, the chunks holding it and
    their scores); it is saved in bm25s's file layout and read back memory-mapped. Reading
    and searching it is plain numpy: importing bm25s costs 0.4 s (it loads scipy), which a
    process answering from a saved index does not need to pay.
    """

    def __init__(self, ids: Sequence[str], vocab: dict[str, int],
                 matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                 idf: np.ndarray | None = None) -> None:
        data, indices, indptr = matrix or (np.zeros(0), np.zeros(0, np.int32), np.zeros(1, int))
        idf = np.zeros(0) if idf is None else idf
        if not len(indptr) == len(idf) + 1 == len(vocab) + 1 or not (
                len(data) == len(indices) == int(indptr[-1])):
            raise ValueError(f"expected one column and one idf per token ({len(vocab)}) and as "
                             f"many scores as chunk numbers, got {len(indptr) - 1} columns, "
                             f"{len(idf)} idf, {len(data)} scores and {len(indices)} chunk "
                             f"numbers")
        self._ids = list(ids)
        self._vocab = vocab
        self._data, self._indices, self._indptr = data, indices, indptr
        self._idf = idf

    @classmethod
    def build(cls, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> LexicalIndex:
        """Index one token list per chunk id (an empty list counts as one unknown token)."""
        if len(ids) != len(tokens):
            raise ValueError(f"expected one token list per id, got {len(ids)} ids and "
                             f"{len(tokens)} token lists")
        if not ids:
            return cls([], {})
        import bm25s

        docs = [list(t) or ["\0"] for t in tokens]
        # Columns in first-seen order (rank_bm25's), so okapi_idf sums in its order.
        vocab = {t: i for i, t in enumerate(dict.fromkeys(chain.from_iterable(docs)))}
        # bm25s's Okapi idf is clamped at 0, unlike rank_bm25's; its tf part ("atire") is
        # Okapi's. Its Lucene idf is always positive, so each column's share can be swapped
        # for the Okapi idf, giving rank_bm25's scores (to the last bit or two).
        model = bm25s.BM25(k1=K1, b=B, method="atire", idf_method="lucene", dtype="float64")
        model.index(([[vocab[t] for t in d] for d in docs], vocab), create_empty_token=False,
                    show_progress=False)
        indptr = model.scores["indptr"]
        df = np.diff(indptr)
        idf = okapi_idf(df.tolist(), len(ids))
        lucene = np.log(1 + (len(ids) - df + 0.5) / (df + 0.5))
        data = model.scores["data"] * np.repeat(idf / lucene, df)
        return cls(ids, vocab, (data, model.scores["indices"], indptr), idf)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """An index saved by `save`, its matrix memory-mapped; StoreError when unusable."""
        try:
            ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
            params = json.loads((directory / PARAMS_FILE).read_text(encoding="utf-8"))
            if (params["k1"], params["b"], params["num_docs"]) != (K1, B, len(ids)):
                raise ValueError(f"its parameters {params} are not k1={K1}, b={B}, "
                                 f"num_docs={len(ids)}")
            vocab = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
            matrix = tuple(np.load(directory / name, mmap_mode="r") for name in MATRIX_FILES)
            if len(matrix[1]) and int(np.max(matrix[1])) >= len(ids):
                raise ValueError("it names chunk numbers beyond its ids")
            idf = np.load(directory / IDF_FILE)
            return cls(ids, vocab, matrix, idf)  # type: ignore[arg-type]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the lexical index in {directory} is unreadable ({exc})") from exc

    def save(self, directory: Path) -> None:
        """Write the matrix, vocabulary and parameters (bm25s's layout) and the chunk ids."""
        directory.mkdir(parents=True, exist_ok=True)
        arrays = (self._data, self._indices, self._indptr, self._idf)
        for name, array in zip((*MATRIX_FILES, IDF_FILE), arrays, strict=True):
            np.save(directory / name, array, allow_pickle=False)
        texts = {VOCAB_FILE: self._vocab, IDS_FILE: self._ids, PARAMS_FILE: {
            "k1": K1, "b": B, "delta": 0.5, "method": "atire", "idf_method": "lucene",
            "dtype": "float64", "int_dtype": str(self._indices.dtype),
            "num_docs": len(self._ids)}}
        for name, value in texts.items():
            (directory / name).write_text(json.dumps(value, ensure_ascii=False),
                                          encoding="utf-8")

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """The indexed chunk ids, in corpus order."""
        return list(self._ids)

    @functools.cached_property
    def pieces(self) -> frozenset[str]:
        """Every two-character piece of the indexed tokens, and every one-character token
        (how the corpus spells things)."""
        return frozenset(t[k : k + 2] for t in self._vocab for k in range(max(len(t) - 1, 1)))

    def idf(self, term: str) -> float | None:
        """BM25 inverse document frequency of a token, None when no chunk has it."""
        column = self._vocab.get(term)
        return None if column is None else float(self._idf[column])

    @property
    def max_idf(self) -> float:
        """The largest idf in the index (the weight of the rarest known token)."""
        return float(self._idf.max()) if len(self._idf) else 1.0

    def within(self, rows: np.ndarray) -> TermStats:
        """The idf of every token counted over some chunks alone (``rows``: one bool per
        chunk, in ``ids`` order), as this index counts them over all (its very values
        when every row is taken)."""
        if len(rows) != len(self._ids):
            raise ValueError(f"expected one bool per indexed chunk ({len(self._ids)}), "
                             f"got {len(rows)}")
        if rows.all():
            return TermStats(self._vocab, self._idf)
        held = np.concatenate(([0], np.cumsum(rows[np.asarray(self._indices)])))
        indptr = np.asarray(self._indptr)
        df = held[indptr[1:]] - held[indptr[:-1]]
        present = np.flatnonzero(df > 0)
        columns = np.full(len(df), -1, dtype=np.int64)
        columns[present] = np.arange(len(present))
        return TermStats(self._vocab, okapi_idf(df[present].tolist(), int(rows.sum())),
                         columns)

    def search(self, query_tokens: Sequence[str], n: int) -> list[tuple[str, float]]:
        """Top-n chunk ids with positive BM25 score, best first (ties keep corpus order)."""
        scores = np.zeros(len(self._ids))
        # A repeated query token counts each time, as in rank_bm25.
        for token in query_tokens:
            column = self._vocab.get(token)
            if column is not None:
                start, end = self._indptr[column], self._indptr[column + 1]
                scores[self._indices[start:end]] += self._data[start:end]
        found = np.flatnonzero(scores > 0)
        order = found[np.argsort(-scores[found], kind="stable")][:n]
        return [(self._ids[i], float(scores[i])) for i in order]
