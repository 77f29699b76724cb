"""Fitting the evidence-scoring weights: labelled clauses in, one weight per feature out.

A clause is labelled 1 when it holds the question's gold answer (CMRC) or overlaps its gold
evidence (the eval sets). The weights are a pairwise logistic regression's (scikit-learn),
rescaled so the clause-coverage weight is 1: the answer's other thresholds (a list's
margin) are stated in units of clause coverage.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportbot.answering.evidence import FEATURES, Candidate, score

_PUNCT = "，,。；;：:、 \n"


@dataclass(frozen=True)
class Row:
    """One candidate clause of one question: where it comes from, its label, its features."""

    source: str
    qid: str
    split: str
    label: int
    features: tuple[float, ...]


def holds_gold(text: str, golds: Sequence[str], *, answers: bool) -> bool:
    """Does a clause hold a gold answer (answers=True) or overlap a gold evidence string?"""
    if answers:
        return any(g and g in text for g in golds)
    core = text.strip(_PUNCT)
    return any(g and (g in text or (len(core) >= 6 and core in g)) for g in golds)


def rows_for(source: str, qid: str, split: str, golds: Sequence[str],
             found: Sequence[Candidate], *, answers: bool) -> list[Row]:
    """The labelled rows of one question (none when no clause holds the gold)."""
    labels = [int(holds_gold(c.text, golds, answers=answers)) for c in found]
    if not any(labels):
        return []  # the passages miss the answer: nothing to learn about ranking clauses
    return [Row(source, qid, split, y, c.features) for c, y in zip(found, labels, strict=True)]


def write_rows(path: Path, rows: Iterable[Row]) -> None:
    """Rows as gzipped CSV (source, qid, split, label, one column per feature)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "qid", "split", "label", *FEATURES])
        for r in rows:
            out.writerow([r.source, r.qid, r.split, r.label, *(f"{x:.5f}" for x in r.features)])
    tmp.replace(path)


def read_rows(path: Path) -> list[Row]:
    """Rows written by write_rows."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [Row(r["source"], r["qid"], r["split"], int(r["label"]),
                    tuple(float(r[f]) for f in FEATURES)) for r in reader]


def _pairs(rows: Sequence[Row], cols: Sequence[int], per_question: int
           ) -> tuple[list[list[float]], list[int]]:
    """Feature differences of (right clause, wrong clause) pairs of one question, both ways.

    Only the order of clauses within a question matters to the answer, so the model is
    fitted on pairs (a linear RankNet): a constant of the question cancels out.
    """
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r.source, r.qid)].append(r)
    x: list[list[float]] = []
    y: list[int] = []
    for group in groups.values():
        right = [r for r in group if r.label]
        wrong = [r for r in group if not r.label]
        pairs = [(a, b) for a in right for b in wrong][:per_question]
        for a, b in pairs:
            diff = [a.features[c] - b.features[c] for c in cols]
            x += [diff, [-d for d in diff]]
            y += [1, 0]
    return x, y


def fit(rows: Sequence[Row], use: Sequence[str] = FEATURES,
        per_question: int = 200) -> dict[str, float]:
    """Pairwise logistic-regression weights over the features in ``use`` (others 0),
    rescaled so clause = 1."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    cols = [FEATURES.index(f) for f in use]
    x, y = _pairs(rows, cols, per_question)
    model = LogisticRegression(C=1.0, max_iter=2000, fit_intercept=False)
    model.fit(np.array(x), np.array(y))
    raw = dict(zip(use, (float(w) for w in model.coef_[0]), strict=True))
    scale = raw.get("clause", 1.0)
    if scale <= 0:
        raise ValueError(f"expected a positive clause weight, fitted {scale:.3f}")
    return {"bias": 0.0, **{f: round(raw.get(f, 0.0) / scale, 4) for f in FEATURES}}


def top1(rows: Sequence[Row], weights: Mapping[str, float]) -> float:
    """Share of questions whose best-scored clause is labelled 1."""
    best: dict[tuple[str, str], tuple[float, int]] = {}
    for r in rows:
        key = (r.source, r.qid)
        s = score(r.features, weights)
        if key not in best or s > best[key][0]:
            best[key] = (s, r.label)
    return sum(label for _, label in best.values()) / max(len(best), 1)


def by_split(rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Rows grouped by ``source/split``."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[f"{r.source}/{r.split}"].append(r)
    return dict(groups)
