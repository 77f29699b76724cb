"""The catalog (SQLite): which documents and chunks are live; its commit is the atomic switch.

Vectors are written to Chroma first and the catalog second, so a run killed at any point
leaves the previous catalog, and the chunks it names, answering; stray vectors are
ignored at query time and swept on the next ingest.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reportbot.records import Chunk, SourceDoc
from reportbot.stores.sqlite import connect, migrate


def m001_documents_and_chunks(conn: sqlite3.Connection) -> None:
    """Documents (with their full text, for citations) and their chunks."""
    conn.executescript(
        """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL,
            source TEXT NOT NULL, year INTEGER, sha256 TEXT NOT NULL, text TEXT NOT NULL,
            indexed_at TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE chunks (
            chunk_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            ord INTEGER NOT NULL, section TEXT NOT NULL, start INTEGER NOT NULL,
            "end" INTEGER NOT NULL, text TEXT NOT NULL, tokens TEXT NOT NULL);
        CREATE INDEX chunks_doc ON chunks(doc_id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('generation', '0');
        """
    )


def m002_document_entities(conn: sqlite3.Connection) -> None:
    """What each document is about: named things with counts, and the years it names.

    Filled by the ingest; documents indexed before this migration are caught up by the next
    ingest run (it feeds every derived store the version it missed), without re-embedding.
    """
    conn.executescript(
        """
        CREATE TABLE doc_entities (
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            kind TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY (doc_id, kind, name));
        CREATE INDEX doc_entities_name ON doc_entities(name);
        CREATE TABLE doc_profiles (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL, recipe TEXT NOT NULL, years TEXT NOT NULL);
        """
    )


def m003_instance(conn: sqlite3.Connection) -> None:
    """A random name for this catalog: indexes derived from it are stamped with the name and
    the generation, so a catalog made anew never takes an old one's saved index for its own."""
    conn.execute("INSERT INTO meta VALUES ('instance', lower(hex(randomblob(8))))")


MIGRATIONS = [m001_documents_and_chunks, m002_document_entities, m003_instance]
EntityCounts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class DocProfile:
    """What a live document is about: its title, source, year, named things and years."""

    doc_id: str
    title: str
    source: str
    year: int | None
    entities: EntityCounts
    years: dict[int, int]

    def names(self) -> dict[str, int]:
        """Every named thing with its count, whatever its kind."""
        out: dict[str, int] = {}
        for names in self.entities.values():
            for name, count in names.items():
                out[name] = out.get(name, 0) + count
        return out


@dataclass(frozen=True)
class DocInfo:
    """One live document as the catalog lists it."""

    doc_id: str
    path: str
    title: str
    sha256: str
    chunks: int
    year: int | None = None


class Catalog:
    """Live documents and chunks; every change is one transaction that bumps a generation."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path)
        migrate(self._conn, MIGRATIONS)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def generation(self) -> int:
        """Counter bumped by every committed change; readers rebuild caches when it moves."""
        row = self._conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0])

    def stamp(self) -> str:
        """This catalog's name and generation ('<instance>:<generation>'): what derived
        indexes record to tell whether they were built from the current chunks."""
        rows = dict(self._conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('instance', 'generation')").fetchall())
        return f"{rows['instance']}:{rows['generation']}"

    def lexical_rows(self) -> tuple[str, list[str], list[list[str]]]:
        """The stamp, ids and lexical tokens of every live chunk in document order, all of
        one state (read again if a commit came between the reads)."""
        while True:
            stamp = self.stamp()
            rows = self._conn.execute(
                "SELECT chunk_id, tokens FROM chunks ORDER BY doc_id, ord").fetchall()
            if self.stamp() == stamp:
                return (stamp, [r[0] for r in rows],
                        [r[1].split(" ") if r[1] else [] for r in rows])

    def documents(self) -> list[DocInfo]:
        """Live documents with their chunk counts, by doc_id."""
        rows = self._conn.execute(
            "SELECT d.doc_id, d.path, d.title, d.sha256, d.year, COUNT(c.chunk_id) AS n "
            "FROM documents d "
            "LEFT JOIN chunks c ON c.doc_id = d.doc_id GROUP BY d.doc_id ORDER BY d.doc_id"
        )
        return [DocInfo(r["doc_id"], r["path"], r["title"], r["sha256"], r["n"], r["year"])
                for r in rows]

    def document(self, doc_id: str) -> SourceDoc | None:
        """The stored document (text included), or None."""
        r = self._conn.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if r is None:
            return None
        return SourceDoc(r["doc_id"], r["path"], r["title"], r["text"], r["sha256"],
                         r["source"], r["year"])

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        """Ids of live chunks, of one document or of all."""
        if doc_id is None:
            rows = self._conn.execute("SELECT chunk_id FROM chunks")
        else:
            rows = self._conn.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))
        return {r[0] for r in rows}

    def chunks(self) -> list[tuple[Chunk, list[str]]]:
        """Every live chunk with its lexical tokens, in document order."""
        rows = self._conn.execute(
            "SELECT c.*, d.title FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            "ORDER BY c.doc_id, c.ord"
        )
        return [(self._chunk(r), r["tokens"].split(" ") if r["tokens"] else []) for r in rows]

    def get_chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        """Live chunks by id; ids that are not live are left out."""
        ids = list(chunk_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(
            f"SELECT c.*, d.title FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            f"WHERE c.chunk_id IN ({marks})", ids
        )
        return {r["chunk_id"]: self._chunk(r) for r in rows}

    @staticmethod
    def _chunk(r: sqlite3.Row) -> Chunk:
        return Chunk(r["chunk_id"], r["doc_id"], r["title"], r["section"], r["start"], r["end"],
                     r["text"])

    def replace_document(self, doc: SourceDoc, chunks: list[Chunk],
                         tokens: list[list[str]]) -> None:
        """Make this version of the document live, atomically replacing any older one."""
        with self._conn:
            self._conn.execute("DELETE FROM documents WHERE doc_id=?", (doc.doc_id,))
            self._conn.execute(
                "INSERT INTO documents (doc_id, path, title, source, year, sha256, text) "
                "VALUES (?,?,?,?,?,?,?)",
                (doc.doc_id, doc.path, doc.title, doc.source, doc.year, doc.sha256, doc.text),
            )
            self._conn.executemany(
                'INSERT INTO chunks (chunk_id, doc_id, ord, section, start, "end", text, tokens) '
                "VALUES (?,?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, i, c.section, c.start, c.end, c.text, " ".join(t))
                 for i, (c, t) in enumerate(zip(chunks, tokens, strict=True))],
            )
            self._bump()

    def remove_document(self, doc_id: str) -> None:
        """Drop a document and its chunks in one transaction."""
        with self._conn:
            self._conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self._bump()

    def entity_hash(self, doc_id: str, recipe: str) -> str | None:
        """The sha256 of the version whose entities are stored by this recipe, or None."""
        row = self._conn.execute("SELECT sha256, recipe FROM doc_profiles WHERE doc_id=?",
                                 (doc_id,)).fetchone()
        return None if row is None or row["recipe"] != recipe else str(row["sha256"])

    def set_entities(self, doc_id: str, sha256: str, recipe: str,
                     entities: Mapping[str, Mapping[str, int]], years: Mapping[int, int]
                     ) -> bool:
        """Store a document's named things and years; False (nothing stored) when that
        version of the document is no longer live."""
        with self._conn:
            live = self._conn.execute("SELECT 1 FROM documents WHERE doc_id=? AND sha256=?",
                                      (doc_id, sha256)).fetchone()
            if live is None:
                return False
            self._conn.execute("DELETE FROM doc_entities WHERE doc_id=?", (doc_id,))
            self._conn.execute("DELETE FROM doc_profiles WHERE doc_id=?", (doc_id,))
            self._conn.executemany(
                "INSERT INTO doc_entities (doc_id, kind, name, count) VALUES (?,?,?,?)",
                [(doc_id, kind, name, count) for kind, names in entities.items()
                 for name, count in names.items()])
            self._conn.execute(
                "INSERT INTO doc_profiles (doc_id, sha256, recipe, years) VALUES (?,?,?,?)",
                (doc_id, sha256, recipe, json.dumps({str(y): n for y, n in years.items()})))
            self._bump()
        return True

    def entities(self, doc_id: str) -> EntityCounts:
        """A document's named things by kind (place, organisation, person, product), each
        name with its count, most frequent first; empty when none are stored."""
        rows = self._conn.execute(
            "SELECT kind, name, count FROM doc_entities WHERE doc_id=? "
            "ORDER BY kind, count DESC, name", (doc_id,))
        out: EntityCounts = {}
        for r in rows:
            out.setdefault(r["kind"], {})[r["name"]] = int(r["count"])
        return out

    def documents_naming(self, name: str) -> dict[str, int]:
        """doc_id -> how often each live document names this thing (any kind)."""
        rows = self._conn.execute(
            "SELECT doc_id, SUM(count) AS n FROM doc_entities WHERE name=? GROUP BY doc_id "
            "ORDER BY n DESC, doc_id", (name,))
        return {r["doc_id"]: int(r["n"]) for r in rows}

    def profiles(self) -> dict[str, DocProfile]:
        """Every live document's profile (documents without stored entities have empty
        ones), by doc_id."""
        out: dict[str, DocProfile] = {}
        entities: dict[str, EntityCounts] = {}
        for r in self._conn.execute("SELECT doc_id, kind, name, count FROM doc_entities"):
            entities.setdefault(r["doc_id"], {}).setdefault(r["kind"], {})[r["name"]] = \
                int(r["count"])
        rows = self._conn.execute(
            "SELECT d.doc_id, d.title, d.source, d.year, p.years FROM documents d "
            "LEFT JOIN doc_profiles p ON p.doc_id = d.doc_id ORDER BY d.doc_id")
        for r in rows:
            years = {int(y): int(n) for y, n in json.loads(r["years"] or "{}").items()}
            out[r["doc_id"]] = DocProfile(r["doc_id"], r["title"], r["source"], r["year"],
                                          entities.get(r["doc_id"], {}), years)
        return out

    def _bump(self) -> None:
        self._conn.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'"
        )
