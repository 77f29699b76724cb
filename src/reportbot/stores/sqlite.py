"""SQLite connections and named, append-only migrations (shared by catalog and facts)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from reportbot.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]
T = TypeVar("T")
# What another process opening the same new database at the same moment causes; it passes.
_RACES = ("locked", "already exists", "duplicate column", "UNIQUE constraint")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating) a SQLite file in WAL mode, so readers never block the writer."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        # Switching to WAL does not wait for a busy database by itself.
        _retry(lambda: conn.execute("PRAGMA journal_mode=WAL"))
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path} ({exc}); check the data directory "
                         f"(REPORTBOT_DATA_DIR) is writable") from exc
    conn.row_factory = sqlite3.Row
    return conn


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Apply, in order and each in its own transaction, the migrations not yet applied.

    Several processes may open a new database at once (app replicas starting together):
    one of them applies each migration and the others wait until it is recorded.
    """
    def registry() -> None:
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, "
                         "applied_at TEXT DEFAULT CURRENT_TIMESTAMP)")

    _retry(registry)
    for migration in migrations:
        _retry(partial(_apply, conn, migration))


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    name = migration.__name__
    if conn.execute("SELECT 1 FROM _migrations WHERE name=?", (name,)).fetchone():
        return
    with conn:
        migration(conn)
        conn.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))


def _retry(fn: Callable[[], T], seconds: float = 30.0) -> T:
    """Run fn again while another process is setting up the same database."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return fn()
        except (sqlite3.OperationalError, sqlite3.IntegrityError) as exc:
            if not any(r in str(exc) for r in _RACES) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
