"""Consistency of the rebuildable stores: catalog chunks, their vectors, the fact table."""

from __future__ import annotations

from dataclasses import dataclass

from reportbot.app.service import Reportbot


@dataclass(frozen=True)
class Health:
    """What the catalog, the vector index and the fact table hold, and where they disagree."""

    documents: int
    chunks: int
    vectors: int
    missing: list[str]  # live chunks without a vector
    stray: list[str]  # vectors no live chunk owns
    facts_behind: list[str]  # live documents whose facts are missing or from another version
    facts_orphans: list[str]  # documents in the fact table the catalog no longer lists
    lexical: list[str]  # why the saved lexical index cannot serve the catalog

    def problems(self) -> list[str]:
        """One line per disagreement, each saying what it costs; empty when consistent."""
        out = []
        if not self.documents:
            out.append("nothing is indexed: questions cannot be answered")
        if self.missing:
            out.append(f"{len(self.missing)} of {self.chunks} chunks have no vector (e.g. "
                       f"{self.missing[0]}): answers come from keyword search only")
        if self.stray:
            out.append(f"{len(self.stray)} vectors belong to no live chunk (left by a killed "
                       f"ingest; ignored by answers)")
        if self.facts_behind:
            out.append(f"the fact table is behind for {len(self.facts_behind)} document(s) "
                       f"({', '.join(self.facts_behind[:3])}): numbers go unverified")
        if self.facts_orphans:
            out.append(f"the fact table still holds {len(self.facts_orphans)} removed "
                       f"document(s) ({', '.join(self.facts_orphans[:3])})")
        out.extend(self.lexical)
        return out


def check_health(bot: Reportbot) -> Health:
    """Compare the catalog's live chunks with the vectors (ids), the fact table and the saved
    lexical indexes (chunks and whole documents)."""
    docs = bot.catalog.documents()
    live = bot.catalog.chunk_ids()
    vectors = bot.index.ids()
    behind = [d.doc_id for d in docs if bot.facts.indexed_hash(d.doc_id) != d.sha256]
    orphans = bot.facts.document_ids() - {d.doc_id for d in docs}
    return Health(len(docs), len(live), len(vectors), sorted(live - vectors),
                  sorted(vectors - live), behind, sorted(orphans),
                  bot.lexical.check() + bot.documents.check())
