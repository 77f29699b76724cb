"""The web audit log (every Q&A with its citations) and staff feedback, in SQLite.

Thumbs-down items export as draft eval cases (the eval JSONL format) for a reviewer to
complete; the audit log exports as CSV or JSONL.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportbot.errors import StoreError
from reportbot.records import Answer
from reportbot.stores.sqlite import connect, migrate

MAX_COMMENT = 2000
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP):
# such cells get a leading apostrophe, which Excel and LibreOffice show as plain text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# Excel and LibreOffice hold at most 32,767 characters (UTF-16 units) in a cell and split or
# drop the rest; longer fields are cut below that with a visible marker (the JSONL export
# keeps them whole).
SPREADSHEET_CELL_MAX = 32_767
AUDIT_COLUMNS = ("qa_id", "asked_at", "username", "channel", "question", "standalone_question",
                 "answer", "refused", "citations", "numbers", "history", "thumbs_up",
                 "thumbs_down", "comments")


def m001_qa_and_feedback(conn: sqlite3.Connection) -> None:
    """Every answered question (the audit log) and the ratings given to answers."""
    conn.executescript(
        """
        CREATE TABLE qa (
            qa_id INTEGER PRIMARY KEY AUTOINCREMENT, asked_at TEXT NOT NULL,
            username TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL,
            question TEXT NOT NULL, standalone_question TEXT NOT NULL,
            history TEXT NOT NULL, answer TEXT NOT NULL, refused INTEGER NOT NULL,
            citations TEXT NOT NULL, numbers TEXT NOT NULL, closest TEXT NOT NULL);
        CREATE TABLE feedback (
            feedback_id INTEGER PRIMARY KEY AUTOINCREMENT,
            qa_id INTEGER NOT NULL REFERENCES qa(qa_id) ON DELETE CASCADE,
            username TEXT NOT NULL DEFAULT '',
            rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
            comment TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL, UNIQUE (qa_id, username));
        CREATE INDEX feedback_rating ON feedback(rating);
        """
    )


MIGRATIONS = [m001_qa_and_feedback]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class FeedbackStore:
    """Audit log and feedback; one short transaction per write, safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path)
        # One connection serves the web app's worker threads: one statement group at a time.
        self._lock = threading.RLock()
        migrate(self._conn, MIGRATIONS)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def record(self, answer: Answer, history: Sequence[Mapping[str, str]] = (),
               username: str = "", channel: str = "web") -> int:
        """Log one answered question with its citations; returns its qa_id."""
        data = answer.to_json()
        turns = [{"question": t["question"], "answer": t.get("answer", "")} for t in history]
        with self._lock, self._conn:
            cur = self._conn.execute(
                "INSERT INTO qa (asked_at, username, channel, question, standalone_question, "
                "history, answer, refused, citations, numbers, closest) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (_now(), username or "", channel, answer.question,
                 data["standalone_question"], _json(turns), answer.answer, int(answer.refused),
                 _json([asdict(c) for c in answer.citations]), _json(data["numbers"]),
                 _json([asdict(c) for c in answer.closest])))
        return int(cur.lastrowid or 0)

    def rate(self, qa_id: int, liked: bool, username: str = "") -> int:
        """Thumbs up or down on an answer (a user's later rating replaces the earlier one)."""
        now = _now()
        with self._lock, self._conn:
            if self._conn.execute("SELECT 1 FROM qa WHERE qa_id=?", (qa_id,)).fetchone() is None:
                raise StoreError(f"no answer with id {qa_id} in the audit log; ask again and "
                                 f"rate the new answer")
            self._conn.execute(
                "INSERT INTO feedback (qa_id, username, rating, created_at, updated_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT (qa_id, username) DO UPDATE SET "
                "rating=excluded.rating, updated_at=excluded.updated_at",
                (qa_id, username or "", 1 if liked else -1, now, now))
            row = self._conn.execute(
                "SELECT feedback_id FROM feedback WHERE qa_id=? AND username=?",
                (qa_id, username or "")).fetchone()
        return int(row[0])

    def unrate(self, qa_id: int, username: str = "") -> None:
        """Withdraw a user's rating of an answer."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM feedback WHERE qa_id=? AND username=?",
                               (qa_id, username or ""))

    def comment(self, feedback_id: int, text: str) -> None:
        """Attach (or replace) the optional comment of a rating."""
        text = text.strip()
        if len(text) > MAX_COMMENT:
            raise StoreError(f"comment too long: {len(text)} characters, limit {MAX_COMMENT}")
        with self._lock, self._conn:
            cur = self._conn.execute(
                "UPDATE feedback SET comment=?, updated_at=? WHERE feedback_id=?",
                (text, _now(), feedback_id))
        if cur.rowcount == 0:
            raise StoreError(f"no feedback with id {feedback_id}; rate the answer first")

    def feedback(self, rating: int | None = None) -> list[dict[str, Any]]:
        """Ratings with their question, answer, citations and time (oldest first)."""
        sql = ("SELECT f.feedback_id, f.rating, f.comment, f.username AS rated_by, "
               "f.created_at, f.updated_at, q.* FROM feedback f JOIN qa q ON q.qa_id = f.qa_id")
        args: tuple[int, ...] = ()
        if rating is not None:
            sql += " WHERE f.rating = ?"
            args = (rating,)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY f.feedback_id", args).fetchall()
        return [_decoded(r) for r in rows]

    def audit(self) -> Iterator[dict[str, Any]]:
        """Every logged Q&A with its citations and a summary of its feedback, oldest first."""
        # A separate cursor, read lazily: exports stream without holding the lock.
        conn = connect(self.path)
        try:
            rows = conn.execute(
                "SELECT q.*, COALESCE(SUM(f.rating = 1), 0) AS thumbs_up, "
                "COALESCE(SUM(f.rating = -1), 0) AS thumbs_down, "
                "COALESCE(GROUP_CONCAT(NULLIF(f.comment, ''), ' | '), '') AS comments "
                "FROM qa q LEFT JOIN feedback f ON f.qa_id = q.qa_id "
                "GROUP BY q.qa_id ORDER BY q.qa_id")
            for r in rows:
                yield _decoded(r)
        finally:
            conn.close()


def _decoded(row: sqlite3.Row) -> dict[str, Any]:
    """A row as a plain dict, JSON columns decoded and refused as a bool."""
    out = dict(row)
    for key in ("history", "citations", "numbers", "closest"):
        if key in out:
            out[key] = json.loads(out[key])
    if "refused" in out:
        out["refused"] = bool(out["refused"])
    return out


def draft_case(row: Mapping[str, Any]) -> dict[str, Any]:
    """A thumbs-down item as a draft eval case: exactly the eval keys, expectations left empty.

    The reviewer fills numbers/must_include/evidence (or sets answerable to false); the
    answer given is not copied into the expectations, since it was rated wrong.
    """
    history = [{"question": t["question"], "answer": t["answer"]} for t in row["history"]]
    return {
        "id": f"feedback-{int(row['feedback_id']):04d}",
        "type": "followup" if history else "lookup",
        "question": row["question"],
        "history": history,
        "numbers": [],
        "must_include": [],
        "evidence": [],
        "answerable": True,
    }


def review_note(row: Mapping[str, Any]) -> str:
    """Markdown for the reviewer: what was asked, answered and said about one draft."""
    case = draft_case(row)
    lines = [f"## {case['id']}", "", f"- 问题: {row['question']}"]
    if row["standalone_question"] != row["question"]:
        lines.append(f"- 理解为: {row['standalone_question']}")
    lines += [f"- 回答: {row['answer']}", f"- 拒答: {'是' if row['refused'] else '否'}",
              f"- 评论: {row['comment'] or '—'}",
              f"- 用户 / 时间: {row['rated_by'] or '—'} / {row['updated_at']}"]
    for c in row["citations"]:
        lines.append(f"- [{c['n']}] {c['doc_id']} {c['start']}-{c['end']}: {c['text']}")
    return "\n".join(lines) + "\n"


def export_drafts(store: FeedbackStore, out: Path) -> int:
    """Write thumbs-down items as draft eval cases (JSONL) plus ``<out>.review.md``."""
    rows = store.feedback(rating=-1)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(_json(draft_case(row)) + "\n")
    notes = "\n".join(review_note(r) for r in rows)
    out.with_name(out.name + ".review.md").write_text(
        "# 待审核的评测草稿（来自点踩反馈）\n\n" + notes, encoding="utf-8")
    return len(rows)


def audit_csv_row(row: Mapping[str, Any]) -> list[str]:
    """One audit row flattened for a spreadsheet (citations and numbers as readable text)."""
    cites = "; ".join(f"[{c['n']}] {c['doc_id']} {c['start']}-{c['end']} 「{c['text']}」"
                      for c in row["citations"])
    numbers = "; ".join(
        f"{n['text']} {n['status']}" + (f" #{','.join(map(str, n['fact_ids']))}"
                                        if n["fact_ids"] else "") for n in row["numbers"])
    values = {**row, "citations": cites, "numbers": numbers,
              "refused": "yes" if row["refused"] else "no", "history": _json(row["history"])}
    return [spreadsheet_cell(str(values[k])) for k in AUDIT_COLUMNS]


def spreadsheet_cell(text: str, limit: int = SPREADSHEET_CELL_MAX) -> str:
    """The text as a spreadsheet shows it verbatim: formula leads quoted, length capped."""
    if text.startswith(FORMULA_LEADS):
        text = "'" + text
    units = text.encode("utf-16-le")
    if len(units) // 2 <= limit:
        return text
    marker = f"…[truncated: {len(text)} characters, full text in the JSONL export]"
    keep = (limit - len(marker)) * 2
    # errors="ignore" drops half of a surrogate pair cut at the boundary.
    return units[:keep].decode("utf-16-le", errors="ignore") + marker


def export_audit(store: FeedbackStore, out: Path, fmt: str) -> int:
    """Write the whole audit log as ``csv`` (UTF-8 with BOM) or ``jsonl``; returns the count."""
    if fmt not in ("csv", "jsonl"):
        raise StoreError(f"unknown audit format {fmt!r}: expected csv or jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
        writer = csv.writer(fh) if fmt == "csv" else None
        if writer is not None:
            writer.writerow(AUDIT_COLUMNS)
        for row in store.audit():
            if writer is not None:
                writer.writerow(audit_csv_row(row))
            else:
                fh.write(_json(row) + "\n")
            count += 1
    return count
