"""Diversity in the top k: maximal marginal relevance over the fused ranking, so a list or
comparison question gets several different passages rather than near-copies of one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set


def overlap(a: Set[str], b: Set[str]) -> float:
    """Jaccard similarity of two token sets (0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def diversify(ranked: Sequence[tuple[str, float]], tokens: Mapping[str, Set[str]], k: int,
              trade: float) -> list[tuple[str, float]]:
    """The first k items re-picked by MMR: relevance (the fused score, scaled to the best
    one) minus ``trade`` times the largest token overlap with an item already picked; the
    rest follow in their order. ``trade`` 0 keeps the ranking (pure)."""
    if trade <= 0 or len(ranked) <= 1:
        return list(ranked)
    top = ranked[0][1] or 1.0
    pool = list(ranked)
    picked: list[tuple[str, float]] = []
    while pool and len(picked) < k:
        def gain(item: tuple[str, float]) -> float:
            near = max((overlap(tokens[item[0]], tokens[p]) for p, _ in picked), default=0.0)
            return item[1] / top - trade * near

        best = max(pool, key=gain)  # max keeps the earliest on ties
        picked.append(best)
        pool.remove(best)
    return picked + pool
