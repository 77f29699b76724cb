"""The entity list of every document (places, organisations, people, products with counts,
and the years it names), built at ingest from its text and its fact table rows and kept in
the catalog: what document-aware retrieval and the subject guard read."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportbot.language.entities import entities, merge, years
from reportbot.records import SourceDoc
from reportbot.stores.catalog import Catalog, EntityCounts

# Bumped when the way entities are read changes: the next ingest reads every document again.
RECIPE = "entities-1"


def document_entities(doc: SourceDoc, fact_subjects: Sequence[str] = ()) -> EntityCounts:
    """The named things of a document: its title, its text and the subjects of its facts."""
    parts = [entities(doc.title), entities(doc.text)]
    if fact_subjects:
        parts.append(entities("，".join(fact_subjects)))
    return {kind: dict(names) for kind, names in merge(parts).items() if names}


class EntityIndexer:
    """Keeps each document's entity list in the catalog in step with the document (a
    DocumentListener of the ingest; ``fact_subjects`` gives a document's fact subjects)."""

    def __init__(self, catalog: Catalog,
                 fact_subjects: Callable[[str], Sequence[str]] = lambda _: ()) -> None:
        self.catalog = catalog
        self.fact_subjects = fact_subjects

    def indexed_hash(self, doc_id: str) -> str | None:
        """The sha256 of the version whose entities are stored, or None."""
        return self.catalog.entity_hash(doc_id, RECIPE)

    def replace_document(self, doc: SourceDoc) -> None:
        """Read and store the entities of this version of the document."""
        found = document_entities(doc, self.fact_subjects(doc.doc_id))
        self.catalog.set_entities(doc.doc_id, doc.sha256, RECIPE, found,
                                  years(f"{doc.title}\n{doc.text}"))

    def remove_document(self, doc_id: str) -> None:
        """Nothing to do: the catalog drops a document's entities with the document."""
