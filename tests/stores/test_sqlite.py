"""SQLite setup shared by the catalog, the fact table and the web stores."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

from reportbot.stores.sqlite import connect, migrate


def m001_things(conn: sqlite3.Connection) -> None:
    """A table, created by a script as the real migrations are."""
    conn.executescript("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")


def m002_more(conn: sqlite3.Connection) -> None:
    """A column added later."""
    conn.execute("ALTER TABLE things ADD COLUMN size INTEGER")


def _open(path: str, start: float) -> None:
    while time.time() < start:
        pass
    conn = connect(Path(path))
    migrate(conn, [m001_things, m002_more])
    conn.close()


def test_processes_opening_a_new_database_together_all_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for trial in range(5):  # replicas starting at the same moment race on the first setup
        path = str(tmp_path / f"new-{trial}.sqlite")
        start = time.time() + 0.3
        procs = [ctx.Process(target=_open, args=(path, start)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=60)
        assert [p.exitcode for p in procs] == [0, 0, 0]
        conn = connect(Path(path))
        assert [r[0] for r in conn.execute("SELECT name FROM _migrations")] == [
            "m001_things", "m002_more"]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
