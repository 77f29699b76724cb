"""What a document's metadata and lead say beyond any one passage of it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reportbot.language.places import lead_names
from reportbot.stores.catalog import Catalog


class DocumentNotes(Mapping[str, str]):
    """What a document's metadata and lead say beyond a passage of it, by doc_id: the year
    its metadata gives and the names its lead sentence gives (the source or actor every
    later sentence is about). Read on first use, per document: thousands may be indexed."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._ids = [d.doc_id for d in catalog.documents()]
        self._notes: dict[str, str] = {}

    def __getitem__(self, doc_id: str) -> str:
        if doc_id not in self._notes:
            doc = self._catalog.document(doc_id)
            if doc is None:
                raise KeyError(doc_id)
            year = f"{doc.year}年" if doc.year else ""
            self._notes[doc_id] = year + "".join(lead_names(doc.text))
        return self._notes[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
