"""The catalog (SQLite): which documents and chunks are live; its commit is the atomic switch.

Vectors are written to Chroma first and the catalog second, so a run killed at any point
leaves the previous catalog, and the chunks it names, answering; stray vectors are
ignored at query time and swept on the next ingest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
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


def m002_instance(conn: sqlite3.Connection) -> None:
    """A random name for this catalog: indexes derived from it are stamped with the name and
    the generation, so a catalog made anew never takes an old one's saved index for its own."""
    conn.execute("INSERT INTO meta VALUES ('instance', lower(hex(randomblob(8))))")


MIGRATIONS = [m001_documents_and_chunks, m002_instance]


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

    def _bump(self) -> None:
        self._conn.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'"
        )
