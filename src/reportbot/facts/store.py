"""The fact table: one row per quantitative statement, extracted at ingest, kept in SQLite."""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportbot.errors import LoadError
from reportbot.facts.curated import apply_curated, parse_curated
from reportbot.facts.rules import (
    CHANGE,
    DECLINE,
    TIME_MARK,
    TimeExpr,
    clause_end,
    clause_start,
    clean_phrase,
    entity_at,
    following_noun,
    head_noun,
    period_for,
    skip_lead,
    subject_mentions,
    time_expressions,
)
from reportbot.language.quantities import (
    COUNTER_UNITS,
    MONEY_UNITS,
    QUANTITY_KINDS,
    Quantity,
    format_value,
    parse_quantities,
)
from reportbot.language.text import split_sentences
from reportbot.records import Fact, SourceDoc
from reportbot.stores.sqlite import connect, migrate

# Bumped when extraction rules change, so stores re-extract documents they already hold.
EXTRACTOR_VERSION = "1"
_PER = re.compile(r"每([^\W\d]{1,2}?)$")
_PER_HEAD = re.compile(r"^的?([^\W\d]{1,4}?)(?=[，。；、,;：:]|$)")
_MEASURE_TAIL = re.compile(r"(?:人数|数量|金额|数)$")


@dataclass
class _Scope:
    """What every number of one document is read against."""

    doc: SourceDoc
    times: list[TimeExpr]
    main_subject: str
    default_period: str


@dataclass
class _Sentence:
    """One sentence being read: its span, paragraph, subjects and the facts so far."""

    span: tuple[int, int]
    paragraph: tuple[int, int]
    mentions: list[tuple[int, str]]
    topic: str
    facts: list[Fact] = field(default_factory=list)
    noun_end: int = -1  # end of the counted noun after the previous number (9家服务外包企业)


def extract_facts(doc: SourceDoc) -> list[Fact]:
    """Every quantity and rate of the document as a Fact (ids 1..n, local to the document)."""
    quantities = [q for q in parse_quantities(doc.text) if q.kind in QUANTITY_KINDS and q.unit]
    times = time_expressions(doc.text, parse_quantities(doc.text), doc.year)
    scope = _Scope(doc, times, _main_subject(doc, times),
                   f"{doc.year}年" if doc.year else (times[0].period if times else ""))
    facts: list[Fact] = []
    for para in _paragraphs(doc.text):
        spans = [(s.start, s.end) for s in split_sentences(doc.text)
                 if para[0] <= s.start < para[1]]
        topic = ""
        for i, span in enumerate(spans):
            mentions = subject_mentions(doc.text, span[0], span[1], times)
            if i == 0 and mentions:
                topic = mentions[0][1]  # a paragraph's first sentence sets its topic
            sentence = _Sentence(span, para, mentions, topic)
            for q in quantities:
                if span[0] <= q.start < span[1]:
                    fact = _read(scope, sentence, q, len(facts) + 1)
                    sentence.facts.append(fact)
                    facts.append(fact)
    return facts


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _main_subject(doc: SourceDoc, times: list[TimeExpr]) -> str:
    """The subject a report is about: the name in its title, else its most frequent subject."""
    title_times = time_expressions(doc.title, parse_quantities(doc.title), doc.year)
    name = entity_at(doc.title, skip_lead(doc.title, 0, len(doc.title), title_times),
                     len(doc.title))
    if name:
        return name
    counts = Counter(n for _, n in subject_mentions(doc.text, 0, len(doc.text), times))
    return counts.most_common(1)[0][0] if counts else ""


def _read(scope: _Scope, sentence: _Sentence, q: Quantity, fact_id: int) -> Fact:
    """One number in its sentence -> a Fact: subject, metric and period from the clause."""
    text = scope.doc.text
    c_start = clause_start(text, q.start, sentence.span[0])
    seg_start = max(c_start, sentence.noun_end)
    subject = _subject(sentence, q.start) or scope.main_subject
    at = [(p, n) for p, n in sentence.mentions if seg_start <= p < q.start]
    if at:
        seg_start = at[-1][0] + len(at[-1][1])
    period = period_for(q.start, q.end, sentence.span, sentence.paragraph, scope.times,
                        scope.default_period)
    base = Fact(fact_id, scope.doc.doc_id, subject, "", period, q.value, q.unit, q.text,
                q.start, q.end, kind=q.kind)
    segment = _marked(text, seg_start, q.start, scope.times)
    if q.kind == "rate":
        return _rate(base, segment, sentence)
    per = _PER.search(segment)
    if per and per.group(1) in COUNTER_UNITS:
        return _per_unit(base, COUNTER_UNITS[per.group(1)], text, sentence)
    if q.unit not in MONEY_UNITS:
        noun = following_noun(text, q.end, clause_end(text, q.end, sentence.span[1]))
        if noun:
            sentence.noun_end = q.end + len(noun)
            return replace(base, metric=noun)
    return replace(base, metric=head_noun(clean_phrase(segment), q.unit))


def _subject(sentence: _Sentence, q_start: int) -> str:
    """Nearest subject opening a clause before the number, else the paragraph's topic."""
    before = [n for p, n in sentence.mentions if p < q_start]
    if before:
        return before[-1]
    return sentence.topic or ""


def _marked(text: str, start: int, end: int, times: list[TimeExpr]) -> str:
    """text[start:end] with each time expression reduced to one marker character."""
    out, pos = [], start
    for t in times:
        if start <= t.start and t.end <= end:
            out.append(text[pos : t.start] + TIME_MARK)
            pos = t.end
    out.append(text[pos:end])
    return "".join(out)


def _rate(base: Fact, segment: str, sentence: _Sentence) -> Fact:
    """A growth rate qualifies the quantity before it (同比增长43.51% of 188家)."""
    phrase = clean_phrase(segment)
    qualified = [f for f in sentence.facts if f.kind == "quantity"]
    if CHANGE.search(phrase) and qualified:
        target = qualified[-1]
        value = -abs(base.value) if DECLINE.search(phrase) else base.value
        return replace(base, subject=target.subject, period=target.period,
                       metric=target.metric + phrase, value=value, qualifies=target.fact_id)
    return replace(base, metric=phrase or "比率")


def _per_unit(base: Fact, counter: str, text: str, sentence: _Sentence) -> Fact:
    """按每人9500元的标准: a rate per counted unit, named after the count it multiplies."""
    head = _PER_HEAD.match(text, base.end)
    counts = [f for f in sentence.facts if f.unit == counter]
    stem = _MEASURE_TAIL.sub("", counts[-1].metric) if counts else ""
    metric = stem + (head.group(1) if head else "标准")
    return replace(base, metric=metric, unit=f"{base.unit}/{counter}")


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
