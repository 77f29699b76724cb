"""Document-level retrieval: which live documents a question is about, so a document's
passages are found among thousands of unrelated ones.

Each document is one lexical unit (its title, the names it mentions with their counts, the
years it names, and its whole text) and one vector (the mean of its chunk vectors). A
question's subjects and years are ordinary tokens of that unit (a name the question shares
with a document's entity list, a year it shares), so they steer the document ranking as a
boost, never as a hard filter. The chunks' own ranking adds a third signal: a document's
best few chunks together (score aggregation).

A place the question names is also a test every passage must pass: a document whose entity
list does not name it is about somewhere else (a province's report for a city's question,
another city's half-year figures), so its chunks lose a share of their fused score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

import numpy as np

from reportbot.language.tokens import tokenize
from reportbot.records import Chunk
from reportbot.retrieval.bm25 import LexicalIndex
from reportbot.retrieval.lexical_store import LexicalStore
from reportbot.stores.catalog import Catalog, DocProfile

# A name counted this many times weighs no more (a report naming its city 34 times is no
# more about it than one naming it 5 times).
_NAME_CAP = 5


def profile_tokens(profile: DocProfile, text_tokens: Sequence[str]) -> list[str]:
    """The lexical unit of one document: title, entity names, years, then its text."""
    names = [name for name, count in profile.names().items()
             for _ in range(min(count, _NAME_CAP))]
    years = [f"{year}" for year, count in profile.years.items()
             for _ in range(min(count, _NAME_CAP))]
    return [*tokenize(profile.title), *names, *years, *text_tokens]


def aggregate(fused: Sequence[tuple[str, float]], doc_of: Mapping[str, str],
              best: int) -> list[tuple[str, float]]:
    """Documents by the sum of their ``best`` top chunk scores, best first (pure)."""
    per_doc: dict[str, list[float]] = {}
    for chunk_id, score in fused:
        doc_id = doc_of.get(chunk_id)
        if doc_id is not None and len(per_doc.setdefault(doc_id, [])) < best:
            per_doc[doc_id].append(score)
    totals = [(doc_id, sum(scores)) for doc_id, scores in per_doc.items()]
    return sorted(totals, key=lambda kv: -kv[1])


def merge_ranked(first: Sequence[tuple[str, float]], second: Sequence[tuple[str, float]],
                 lower: bool) -> list[tuple[str, float]]:
    """Two (id, score) lists of one scale as one, best first (``lower``: a distance)."""
    best: dict[str, float] = {}
    for item, score in [*first, *second]:
        if item not in best or (score < best[item] if lower else score > best[item]):
            best[item] = score
    return sorted(best.items(), key=lambda kv: kv[1] if lower else -kv[1])


def demote_unnamed(fused: Sequence[tuple[str, float]], doc_of: Mapping[str, str],
                   naming: Set[str], penalty: float) -> list[tuple[str, float]]:
    """Each chunk whose document is not among ``naming`` (the documents that name a place
    the question names) loses the share ``penalty`` of its fused score (scores >= 0, so
    the scale of the fusion does not matter; pure; best first, ties keep their order)."""
    if penalty <= 0:
        return list(fused)
    order = {c: i for i, (c, _) in enumerate(fused)}
    demoted = [(c, score * (1.0 - penalty) if doc_of.get(c) not in naming else score)
               for c, score in fused]
    return sorted(demoted, key=lambda kv: (-kv[1], order[kv[0]]))


def document_boost(fused: Sequence[tuple[str, float]], doc_of: Mapping[str, str],
                   doc_rank: Mapping[str, int], weight: float,
                   k: int) -> list[tuple[str, float]]:
    """Each chunk's fused score plus ``weight / (k + rank)`` of its document's rank among
    the documents the question is about (pure; best first, ties keep their order)."""
    boosted = [(c, score + (weight / (k + doc_rank[doc_of[c]]) if doc_of.get(c) in doc_rank
                            else 0.0)) for c, score in fused]
    order = {c: i for i, (c, _) in enumerate(fused)}
    return sorted(boosted, key=lambda kv: (-kv[1], order[kv[0]]))


def document_units(profiles: Mapping[str, DocProfile],
                   chunks: Sequence[tuple[Chunk, Sequence[str]]]) -> list[list[str]]:
    """The lexical unit of every profiled document, in the profiles' order (pure)."""
    text: dict[str, list[str]] = {doc_id: [] for doc_id in profiles}
    for chunk, tokens in chunks:
        if chunk.doc_id in text:
            text[chunk.doc_id].extend(tokens)
    return [profile_tokens(profiles[d], text[d]) for d in profiles]


def document_rows(catalog: Catalog) -> tuple[str, list[str], list[list[str]]]:
    """The stamp, ids and lexical units of every live document, all of one catalog state."""
    while True:
        stamp = catalog.stamp()
        profiles = catalog.profiles()
        units = document_units(profiles, catalog.chunks())
        if catalog.stamp() == stamp:
            return stamp, list(profiles), units


def document_store(catalog: Catalog) -> LexicalStore:
    """The whole-document BM25 saved beside the catalog, updated by every ingest as the
    chunks' is, so a process does not rebuild it (nor import bm25s) at its first question."""
    return LexicalStore(catalog.path.with_name("documents"), catalog,
                        rows=lambda: document_rows(catalog),
                        live=lambda: {d.doc_id for d in catalog.documents()})


class DocumentIndex:
    """Whole-document BM25 and mean chunk vectors of the live documents (built once per
    catalog generation by the searcher; the BM25 is the saved one when it is given)."""

    def __init__(self, profiles: Mapping[str, DocProfile],
                 chunks: Sequence[tuple[Chunk, Sequence[str]]],
                 vectors: Mapping[str, Sequence[float]] | None = None,
                 lexical: LexicalIndex | None = None) -> None:
        members: dict[str, list[str]] = {doc_id: [] for doc_id in profiles}
        for chunk, _ in chunks:
            if chunk.doc_id in members:
                members[chunk.doc_id].append(chunk.chunk_id)
        self.doc_ids = list(profiles)
        self._places = {d: set(p.entities.get("place", {})) for d, p in profiles.items()}
        self.doc_of = {c: d for d, ids in members.items() for c in ids}
        self.lexical = lexical if lexical is not None else LexicalIndex.build(
            self.doc_ids, document_units(profiles, chunks))
        self._means = self._mean_vectors(members, vectors or {})

    def _mean_vectors(self, members: Mapping[str, Sequence[str]],
                      vectors: Mapping[str, Sequence[float]]) -> np.ndarray | None:
        if not vectors:
            return None
        dim = len(next(iter(vectors.values())))
        means = np.zeros((len(self.doc_ids), dim), dtype=np.float32)
        for i, doc_id in enumerate(self.doc_ids):
            got = [vectors[c] for c in members[doc_id] if c in vectors]
            if got:
                mean = np.mean(np.asarray(got, dtype=np.float32), axis=0)
                means[i] = mean / (np.linalg.norm(mean) or 1.0)
        return means

    def __len__(self) -> int:
        return len(self.doc_ids)

    def naming(self, places: Set[str]) -> set[str]:
        """The documents whose entity list names at least one of these places."""
        return {d for d, named in self._places.items() if named & places}

    def by_words(self, query_tokens: Sequence[str], n: int) -> list[str]:
        """Documents by BM25 of the question over their whole lexical unit, best first."""
        return [doc_id for doc_id, _ in self.lexical.search(query_tokens, n)]

    def by_meaning(self, vector: Sequence[float] | None, n: int) -> list[str]:
        """Documents by cosine of the question with their mean chunk vector, best first."""
        if self._means is None or vector is None or not self.doc_ids:
            return []
        q = np.asarray(vector, dtype=np.float32)
        scores = self._means @ (q / (np.linalg.norm(q) or 1.0))
        order = np.argsort(-scores, kind="stable")[:n]
        return [self.doc_ids[i] for i in order]
