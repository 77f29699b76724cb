"""Fitting the evidence-scoring weights: labelled clauses in, one weight per feature out.

A clause is labelled 1 when it holds the question's gold answer (CMRC) or overlaps its gold
evidence (the eval sets). The weights are a conditional logistic regression's (softmax over
each question's clauses), rescaled so the clause-coverage weight is 1: the answer's other
thresholds (a list's margin) are stated in units of clause coverage.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportbot.answering.evidence import FEATURES, Candidate, prior_weights, score

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


def _groups(rows: Sequence[Row], cols: Sequence[int]) -> list[tuple[Any, Any]]:
    """Per question: its clauses' features (the columns used) and which are right."""
    import numpy as np

    grouped: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        grouped[(r.source, r.qid)].append(r)
    return [(np.array([[r.features[c] for c in cols] for r in g]),
             np.array([r.label for r in g], dtype=bool)) for g in grouped.values()]


def fit(rows: Sequence[Row], use: Sequence[str] = FEATURES, l2: float = 0.01
        ) -> dict[str, float]:
    """Conditional (listwise) logistic regression over the features in ``use`` (others 0),
    rescaled so clause = 1.

    Only the order of clauses within a question matters to the answer, so the model is
    the softmax over one question's clauses, fitted to put its weight on the right ones
    (the likelihood of picking a right clause, with an L2 pull towards the hand-set prior
    weights (evidence_weights.toml [prior]), so a feature the training questions rarely
    exercise keeps its weight); a constant
    of the question cancels out. Fitted with scipy's L-BFGS: scikit-learn has no
    conditional logit.
    """
    import numpy as np

    cols = [FEATURES.index(f) for f in use]
    package = prior_weights()
    prior = np.array([package.get(f, 0.0) for f in use])
    fitted = conditional_logit(_groups(rows, cols), prior, l2)
    raw = dict(zip(use, (float(v) for v in fitted), strict=True))
    scale = raw.get("clause", 1.0)
    if scale <= 0:
        raise ValueError(f"expected a positive clause weight, fitted {scale:.3f}")
    return {"bias": 0.0, **{f: round(raw.get(f, 0.0) / scale, 4) for f in FEATURES}}


def conditional_logit(groups: Sequence[tuple[Any, Any]], prior: Any, l2: float) -> Any:
    """The weights of the softmax over each group's rows that put the most weight on the
    right rows, with an L2 pull towards ``prior``; fitted with scipy's L-BFGS
    (scikit-learn has no conditional logit). ``x`` is a dense or sparse matrix; ``right``
    says which rows are right (booleans) or how right each is (weights >= 0: the likelihood
    is of the weighted sum). A group without a right row is skipped."""
    import numpy as np
    from scipy.optimize import minimize

    kept = [(x, np.asarray(right, dtype=float)) for x, right in groups if np.any(right)]

    def loss(w: Any) -> tuple[float, Any]:
        total, grad = 0.0, np.zeros_like(w)
        for x, right in kept:
            s = np.asarray(x @ w).ravel()
            e = np.exp(s - s.max())
            er = e * right
            picked = er.sum()
            total -= float(np.log(picked) - np.log(e.sum()))
            grad -= np.asarray(x.T @ er).ravel() / picked - np.asarray(x.T @ e).ravel() / e.sum()
        n = max(len(kept), 1)
        d = w - prior
        return total / n + l2 * float(d @ d), grad / n + 2 * l2 * d

    return minimize(loss, prior.copy(), jac=True, method="L-BFGS-B").x


def top1(rows: Sequence[Row], weights: Mapping[str, float], meaning_top: int | None = None
         ) -> float:
    """Share of questions whose best-scored clause is labelled 1; with ``meaning_top``, as
    the answer scores them: only that many best clauses by the other features are compared
    by meaning, the rest get the lowest of their similarities (answering.evidence)."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r.source, r.qid)].append(r)
    m = FEATURES.index("meaning")
    w_m = weights.get("meaning", 0.0)
    right = 0
    for group in groups.values():
        plain = [score(r.features, weights) - w_m * r.features[m] for r in group]
        if meaning_top is None:
            final = [p + w_m * r.features[m] for p, r in zip(plain, group, strict=True)]
        else:
            top = sorted(range(len(group)), key=lambda k: -plain[k])[:meaning_top]
            floor = min((group[k].features[m] for k in top), default=0.0)
            final = [p + w_m * (group[k].features[m] if k in top else floor)
                     for k, p in enumerate(plain)]
        right += group[max(range(len(group)), key=lambda k: final[k])].label
    return right / max(len(groups), 1)


def by_split(rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Rows grouped by ``source/split``."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[f"{r.source}/{r.split}"].append(r)
    return dict(groups)
