"""Fusing the dense and the lexical ranking into one (pure functions).

Reciprocal-rank fusion keeps only ranks, so the first of each list counts the same however
far it stands above the rest. Among thousands of unrelated chunks that loses the evidence
that matters: the dense similarities of a question's nearest chunks fall off gradually
(the embedder finds many passages "about growth figures"), while BM25 often puts one chunk
with a rare term (接包, 离岸) far above all others. Score fusion keeps that: each
retriever's scores are put on a common scale (standard deviations above that list's
weakest candidate) and summed with weights, so a chunk that stands far out of its list
outweighs one that leads another list by a little.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def weighted_rrf(rankings: Sequence[Sequence[str]], weights: Sequence[float],
                 k: int = 60) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum_i w_i / (k + rank_i), ranks 1-based; best first."""
    if len(rankings) != len(weights):
        raise ValueError(f"expected one weight per ranking, got {len(weights)} weights for "
                         f"{len(rankings)} rankings")
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            first_seen.setdefault(item, len(first_seen))
    return sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))


def spread(scored: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Each item's score as standard deviations above the list's weakest one (higher
    scores are better; a list whose scores are all equal gives each item 1)."""
    if not scored:
        return {}
    values = np.asarray([s for _, s in scored], dtype=np.float64)
    sd = float(values.std())
    if sd <= 0:
        return {item: 1.0 for item, _ in scored}
    low = float(values.min())
    return {item: (s - low) / sd for item, s in scored}


def score_fusion(lists: Sequence[Sequence[tuple[str, float]]],
                 weights: Sequence[float]) -> list[tuple[str, float]]:
    """Fuse scored lists (higher is better in each): sum_i w_i * spread_i(id), an id
    missing from a list counting as that list's weakest (0); best first, ties in
    first-seen order."""
    if len(lists) != len(weights):
        raise ValueError(f"expected one weight per list, got {len(weights)} weights for "
                         f"{len(lists)} lists")
    scores: dict[str, float] = {}
    for scored, weight in zip(lists, weights, strict=True):
        for item, value in spread(scored).items():
            scores[item] = scores.get(item, 0.0) + weight * value
    order = {item: i for i, item in enumerate(dict.fromkeys(
        item for scored in lists for item, _ in scored))}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
