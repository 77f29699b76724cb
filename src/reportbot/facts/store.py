"""The fact table: one row per quantitative statement, extracted at ingest, kept in SQLite."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from pathlib import Path

from reportbot.errors import LoadError
from reportbot.facts.curated import apply_curated, parse_curated
from reportbot.facts.extract import extract_facts
from reportbot.language.quantities import format_value
from reportbot.records import Fact, SourceDoc
from reportbot.stores.sqlite import connect, migrate

__all__ = ["EXTRACTOR_VERSION", "FactStore", "extract_facts", "winners"]

# Bumped when extraction rules change, so stores re-extract documents they already hold.
EXTRACTOR_VERSION = "15"


def winners(facts: list[Fact]) -> list[Fact]:
    """Facts not overridden by a curated row."""
    return [f for f in facts if f.overridden_by is None]


def m001_facts(conn: sqlite3.Connection) -> None:
    """Documents taken in (hash, rules version, text for checks) and their facts."""
    conn.executescript(
        """
        CREATE TABLE fact_docs (
            doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, recipe TEXT NOT NULL,
            text TEXT NOT NULL, indexed_at TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE facts (
            fact_id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL REFERENCES fact_docs(doc_id) ON DELETE CASCADE,
            subject TEXT NOT NULL, metric TEXT NOT NULL, period TEXT NOT NULL,
            value REAL NOT NULL, unit TEXT NOT NULL, text TEXT NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, kind TEXT NOT NULL,
            qualifies INTEGER, origin TEXT NOT NULL, overridden_by INTEGER);
        CREATE INDEX facts_doc ON facts(doc_id);
        CREATE INDEX facts_metric ON facts(metric);
        """
    )


MIGRATIONS = [m001_facts]
EXPORT_COLUMNS = ("fact_id", "doc_id", "subject", "metric", "period", "value", "unit", "display",
                  "kind", "qualifies", "origin", "overridden_by", "text", "start", "end")


class FactStore:
    """The fact table in SQLite; a DocumentListener of the ingest, one transaction a document.

    Fact ids are never reused (AUTOINCREMENT), so an id cited in an old answer never comes
    to name a different fact.
    """

    def __init__(self, path: Path, curated_csv: Path | None = None) -> None:
        self.path = path
        self.curated_csv = curated_csv
        self._conn = connect(path)
        migrate(self._conn, MIGRATIONS)
        self._cached: tuple[tuple[int, int], list[Fact]] | None = None

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _curated_text(self) -> str:
        if self.curated_csv is None or not self.curated_csv.is_file():
            return ""
        try:
            return self.curated_csv.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LoadError(f"{self.curated_csv}: cannot read curated facts ({exc}); save it "
                            f"as UTF-8 CSV") from exc

    def _recipe(self) -> str:
        """Rules version + curated file digest: a change to either re-extracts documents."""
        digest = hashlib.sha256(self._curated_text().encode()).hexdigest()[:16]
        return f"{EXTRACTOR_VERSION}:{digest}"

    def indexed_hash(self, doc_id: str) -> str | None:
        """The sha256 of the version taken in, or None if missing or read by other rules."""
        row = self._conn.execute("SELECT sha256, recipe FROM fact_docs WHERE doc_id=?",
                                 (doc_id,)).fetchone()
        if row is None or row["recipe"] != self._recipe():
            return None
        return str(row["sha256"])

    def replace_document(self, doc: SourceDoc) -> None:
        """Extract the document's facts, add curated rows, and swap them in atomically."""
        text = self._curated_text()
        rows = parse_curated(text, str(self.curated_csv)) if text else []
        facts = apply_curated(extract_facts(doc), rows, doc)
        with self._conn:
            self._conn.execute("DELETE FROM fact_docs WHERE doc_id=?", (doc.doc_id,))
            self._conn.execute(
                "INSERT INTO fact_docs (doc_id, sha256, recipe, text) VALUES (?,?,?,?)",
                (doc.doc_id, doc.sha256, self._recipe(), doc.text))
            ids: dict[int, int] = {}
            for f in facts:
                cur = self._conn.execute(
                    'INSERT INTO facts (doc_id, subject, metric, period, value, unit, text, '
                    'start, "end", kind, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
                    (doc.doc_id, f.subject, f.metric, f.period, f.value, f.unit, f.text,
                     f.start, f.end, f.kind, f.origin))
                ids[f.fact_id] = int(cur.lastrowid or 0)
            for f in facts:
                if f.qualifies is not None or f.overridden_by is not None:
                    self._conn.execute(
                        "UPDATE facts SET qualifies=?, overridden_by=? WHERE fact_id=?",
                        (ids.get(f.qualifies or -1), ids.get(f.overridden_by or -1),
                         ids[f.fact_id]))

    def document_ids(self) -> set[str]:
        """Documents the fact table has taken in (any version)."""
        return {str(r[0]) for r in self._conn.execute("SELECT doc_id FROM fact_docs")}

    def remove_document(self, doc_id: str) -> None:
        """Forget the document and its facts."""
        with self._conn:
            self._conn.execute("DELETE FROM fact_docs WHERE doc_id=?", (doc_id,))

    def all(self) -> list[Fact]:
        """Every fact (overridden ones included), in document order.

        Read once and kept until the table changes (every answer asks for all facts; with
        thousands of documents reading them costs more than answering). SQLite's
        data_version moves when another connection (an ingest process) commits;
        total_changes when this one writes.
        """
        key = (int(self._conn.execute("PRAGMA data_version").fetchone()[0]),
               self._conn.total_changes)
        cached = self._cached
        if cached is None or cached[0] != key:
            rows = self._conn.execute('SELECT * FROM facts ORDER BY doc_id, start, fact_id')
            cached = (key, [_fact(r) for r in rows])
            self._cached = cached
        return list(cached[1])

    def subjects(self) -> list[str]:
        """The distinct subjects of the facts (the names the corpus knows)."""
        rows = self._conn.execute("SELECT DISTINCT subject FROM facts WHERE subject != '' "
                                  "ORDER BY subject")
        return [str(r[0]) for r in rows]

    def subjects_of(self, doc_id: str) -> list[str]:
        """The distinct subjects of one document's facts."""
        rows = self._conn.execute("SELECT DISTINCT subject FROM facts WHERE doc_id=? AND "
                                  "subject != '' ORDER BY subject", (doc_id,))
        return [str(r[0]) for r in rows]

    def lookup(self, subject: str | None = None, metric: str | None = None,
               period: str | None = None, unit: str | None = None,
               include_overridden: bool = False) -> list[Fact]:
        """Facts whose subject, metric and period contain the words given and unit is exact."""
        where, args = [], []
        for column, value in (("subject", subject), ("metric", metric), ("period", period)):
            if value:
                where.append(f"instr({column}, ?) > 0")
                args.append(value)
        if unit:
            where.append("unit = ?")
            args.append(unit)
        if not include_overridden:
            where.append("overridden_by IS NULL")
        sql = "SELECT * FROM facts" + (" WHERE " + " AND ".join(where) if where else "")
        return [_fact(r) for r in self._conn.execute(sql + " ORDER BY doc_id, start", args)]

    def texts(self) -> dict[str, str]:
        """Document texts as they were read, for checks that look at the words between facts."""
        rows = self._conn.execute("SELECT doc_id, text FROM fact_docs")
        return {r["doc_id"]: r["text"] for r in rows}

    def export_csv(self, path: Path) -> int:
        """Write every fact to a UTF-8 CSV (BOM, for spreadsheets); returns the row count."""
        facts = self.all()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(EXPORT_COLUMNS)
            for f in facts:
                writer.writerow([f.fact_id, f.doc_id, f.subject, f.metric, f.period,
                                 f"{f.value:g}", f.unit, format_value(f.value, f.unit), f.kind,
                                 f.qualifies or "", f.origin, f.overridden_by or "", f.text,
                                 f.start, f.end])
        return len(facts)


def _fact(r: sqlite3.Row) -> Fact:
    return Fact(r["fact_id"], r["doc_id"], r["subject"], r["metric"], r["period"], r["value"],
                r["unit"], r["text"], r["start"], r["end"], r["kind"], r["qualifies"],
                r["origin"], r["overridden_by"])
