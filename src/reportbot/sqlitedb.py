"""SQLite connections and named, append-only migrations (shared by catalog and facts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import StoreError

Migration = Callable[[sqlite3.Connection], None]


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating) a SQLite file in WAL mode, so readers never block the writer."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path} ({exc}); check the data directory "
                         f"(REPORTBOT_DATA_DIR) is writable") from exc
    conn.row_factory = sqlite3.Row
    return conn


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Apply, in order and each in its own transaction, the migrations not yet applied."""
    with conn:
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, "
                     "applied_at TEXT DEFAULT CURRENT_TIMESTAMP)")
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    for migration in migrations:
        name = migration.__name__
        if name in done:
            continue
        with conn:
            migration(conn)
            conn.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
