"""Curated facts: staff rows in ``corpus/facts.csv`` that add to or override extracted facts.

The file is UTF-8 CSV (a BOM is fine, so Excel can save it) with a header row:

``doc_id``   required; the document id as ``reportbot facts list`` shows it (path in corpus).
``subject``  e.g. 南昌市.
``metric``   e.g. 新增服务外包企业.
``period``   e.g. 2010年1-12月.
``value``    required; a number in ``unit`` (188), or a quantity as written (1477万元).
``unit``     base unit: 元, 美元, 人, 家, 个, %, 元/人 ...; may be left empty when ``value``
             is written with its unit.
``kind``     quantity (default) or rate.
``text``     optional; the words of the document the fact is read from (188家). Used to find
             the span when ``start``/``end`` are empty.
``start``, ``end``  optional character span in the document (copy them from
             ``reportbot facts export``).
``note``     optional, free text, ignored.

A row whose span is the span of an extracted fact (or, without a span, whose subject,
metric and period are those of an extracted fact) overrides it: both rows are kept and the
extracted one gets ``overridden_by`` set to the curated row's id. Other rows are added.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from reportbot.errors import LoadError
from reportbot.language.quantities import parse_one
from reportbot.records import Fact, SourceDoc

COLUMNS = ("doc_id", "subject", "metric", "period", "value", "unit", "kind", "text", "start",
           "end", "note")
REQUIRED = ("doc_id", "value")


@dataclass(frozen=True)
class CuratedRow:
    """One validated row of facts.csv (``line`` is its line number, for messages)."""

    line: int
    doc_id: str
    subject: str
    metric: str
    period: str
    value: float
    unit: str
    kind: str
    text: str
    start: int | None
    end: int | None


def parse_curated(data: str, name: str = "facts.csv") -> list[CuratedRow]:
    """Rows of a facts.csv text, or LoadError naming the line and what to fix."""
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LoadError(f"{name}: missing column(s) {', '.join(missing)}; expected a header "
                        f"with {', '.join(COLUMNS)}")
    return [_row(raw, reader.line_num, name) for raw in reader
            if any((v or "").strip() for v in raw.values())]


def _row(raw: dict[str, str | None], line: int, name: str) -> CuratedRow:
    cell = {k: (v or "").strip() for k, v in raw.items() if k}
    where = f"{name} line {line}"
    if not cell.get("doc_id"):
        raise LoadError(f"{where}: doc_id is empty; give the document id the fact belongs to")
    value, unit = _value(cell.get("value", ""), cell.get("unit", ""), where)
    kind = cell.get("kind") or "quantity"
    if kind not in ("quantity", "rate"):
        raise LoadError(f"{where}: kind must be quantity or rate, got {kind!r}")
    start, end = _int(cell.get("start", ""), where), _int(cell.get("end", ""), where)
    if (start is None) != (end is None) or (start is not None and end is not None
                                            and not 0 <= start <= end):
        raise LoadError(f"{where}: give both start and end (0 <= start <= end) or neither")
    return CuratedRow(line, cell["doc_id"], cell.get("subject", ""), cell.get("metric", ""),
                      cell.get("period", ""), value, unit, kind, cell.get("text", ""), start,
                      end)


def _value(raw: str, unit: str, where: str) -> tuple[float, str]:
    try:
        return float(raw.replace(",", "")), unit
    except ValueError:
        pass
    q = parse_one(raw)
    if q is None or q.text != raw:
        raise LoadError(f"{where}: value {raw!r} is not a number or a quantity such as 1477万元")
    return q.value, unit or q.unit


def _int(raw: str, where: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise LoadError(f"{where}: start/end must be character offsets, got {raw!r}")
    return int(raw)


def apply_curated(facts: list[Fact], rows: list[CuratedRow], doc: SourceDoc) -> list[Fact]:
    """Extracted facts plus this document's curated rows, overrides marked (ids continue)."""
    out = list(facts)
    next_id = max((f.fact_id for f in facts), default=0) + 1
    for row in (r for r in rows if r.doc_id == doc.doc_id):
        start, end = _span(row, doc, facts)
        fact = Fact(next_id, doc.doc_id, row.subject, row.metric, row.period, row.value,
                    row.unit, doc.text[start:end] if end > start else row.text, start, end,
                    kind=row.kind, origin="curated")
        for i, old in enumerate(out):
            if old.origin == "extracted" and _same(old, fact):
                out[i] = replace(old, overridden_by=next_id)
        out.append(fact)
        next_id += 1
    return out


def _span(row: CuratedRow, doc: SourceDoc, facts: list[Fact]) -> tuple[int, int]:
    """The row's span: as given, else where its text is (preferring an extracted fact's)."""
    where = f"facts.csv line {row.line}"
    if row.start is not None and row.end is not None:
        if row.end > len(doc.text):
            raise LoadError(f"{where}: span {row.start}-{row.end} is past the end of "
                            f"{doc.doc_id} ({len(doc.text)} characters)")
        return row.start, row.end
    if not row.text:
        return 0, 0
    hits = [i for i in range(len(doc.text)) if doc.text.startswith(row.text, i)]
    if not hits:
        raise LoadError(f"{where}: text {row.text!r} is not in {doc.doc_id}; copy it exactly "
                        f"or give start and end")
    spans = {(f.start, f.end) for f in facts}
    best = next((i for i in hits if (i, i + len(row.text)) in spans), hits[0])
    return best, best + len(row.text)


def _same(old: Fact, new: Fact) -> bool:
    """Does the curated row speak of the same statement as the extracted fact?"""
    if new.end > new.start:
        return (old.start, old.end) == (new.start, new.end)
    return (old.subject, old.metric, old.period) == (new.subject, new.metric, new.period)
