"""One passage, one place in the top k: the same text indexed in two documents (an article
added by staff with its title and year, and the same article again in a news feed without
them) is kept once.

Copies take top-k places from other passages, split a document's facts between two
documents (so a figure worked out of both is refused as mixing documents), and the bare
copy's facts lack the period its metadata would give. The copy kept is the one from the
document whose title says more of the question (the answer reads a passage with its
document's title and notes: 苏州 stands in 上半年苏州市经济运行情况, not in 新闻 163), then
the one the question is most about (the searcher's document ranking), else the earliest;
it takes the best score of its copies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Two passages of different documents are copies when this share of the shorter one's
# character n-grams stand in the other (a copy's chunk may start with a dateline, or end
# a sentence later, where the chunking of its document was shifted).
_SHINGLE = 5
_SAME = 0.9


def shingles(text: str, n: int = _SHINGLE) -> frozenset[str]:
    """The character n-grams of a text, whitespace left out (pure)."""
    compact = "".join(text.split())
    if len(compact) <= n:
        return frozenset({compact}) if compact else frozenset()
    return frozenset(compact[i:i + n] for i in range(len(compact) - n + 1))


def is_copy(a: frozenset[str], b: frozenset[str], share: float = _SAME) -> bool:
    """Do the shorter passage's n-grams stand in the other, at least ``share`` of them?"""
    small = min(len(a), len(b))
    return small > 0 and len(a & b) >= share * small


def copy_ranks(titles: Mapping[str, str], query_tokens: Sequence[str],
               focus: Mapping[str, int]) -> dict[str, int]:
    """Documents ranked for keeping a copy (1 = keep first): most question words of two or
    more characters in the title, then the question's document ranking ``focus`` (pure)."""
    words = {t for t in query_tokens if len(t) >= 2}
    unranked = len(focus) + 1

    def key(doc_id: str) -> tuple[int, int, str]:
        said = sum(w in titles[doc_id] for w in words)
        return -said, focus.get(doc_id, unranked), doc_id

    return {doc_id: i + 1 for i, doc_id in enumerate(sorted(titles, key=key))}


def collapse_copies(fused: Sequence[tuple[str, float]], doc_of: Mapping[str, str],
                    text_of: Mapping[str, str], doc_rank: Mapping[str, int],
                    share: float = _SAME, head: int | None = None) -> list[tuple[str, float]]:
    """The ranking with each passage that another document repeats kept once: the copy
    whose document ranks best in ``doc_rank`` (1 = the document the question is most
    about), else the earliest, at the best score of the copies; best first (pure). Only
    the first ``head`` passages are compared (all when None); the rest follow as they are."""
    if share <= 0:
        return list(fused)
    if head is not None and len(fused) > head:
        return [*collapse_copies(fused[:head], doc_of, text_of, doc_rank, share),
                *fused[head:]]
    order = {c: i for i, (c, _) in enumerate(fused)}
    score = dict(fused)
    grams = {c: shingles(text_of.get(c, "")) for c in order}
    unranked = len(doc_rank) + 1
    preferred = sorted(order, key=lambda c: (doc_rank.get(doc_of.get(c, ""), unranked),
                                             order[c]))
    kept: list[str] = []
    by_doc: dict[str, set[str]] = {}  # the n-grams of the passages kept, per document
    for chunk_id in preferred:
        original = _original(chunk_id, kept, by_doc, doc_of, grams, share)
        if original is None:
            kept.append(chunk_id)
            by_doc.setdefault(doc_of.get(chunk_id, chunk_id), set()).update(grams[chunk_id])
        else:
            score[original] = max(score[original], score[chunk_id])
    return sorted(((c, score[c]) for c in kept), key=lambda kv: (-kv[1], order[kv[0]]))


def _original(chunk_id: str, kept: Sequence[str], by_doc: Mapping[str, set[str]],
              doc_of: Mapping[str, str], grams: Mapping[str, frozenset[str]],
              share: float) -> str | None:
    """The kept passage of another document this one repeats, or None. A copy's chunk
    may be a shifted window, repeating the end of one kept chunk and the start of the
    next: it is a copy when its n-grams stand in the kept passages of one document
    together (chunks of one document never absorb each other: they overlap by design)."""
    own = doc_of.get(chunk_id, chunk_id)
    mine = grams[chunk_id]
    for doc_id, seen in by_doc.items():
        if doc_id != own and mine and len(mine & seen) >= share * len(mine):
            return max((k for k in kept if doc_of.get(k, k) == doc_id),
                       key=lambda k: len(grams[k] & mine))
    return next((k for k in kept if doc_of.get(k, k) != own
                 and is_copy(grams[k], grams[chunk_id], share)), None)
