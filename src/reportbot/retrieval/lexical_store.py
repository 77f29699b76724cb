"""The lexical index saved beside the catalog, stamped with the catalog state it was built from.

Ingest saves it once at the end of a run; every process loads it memory-mapped instead of
rebuilding BM25 at start. A saved index that is missing, unreadable or built from another
catalog state is rebuilt from the catalog (with a warning), never trusted and never fatal.

Each save is a new directory, written and fsynced under a temporary name, renamed, and then
made current by atomically replacing the small CURRENT file that names it; a run killed at
any point leaves the previous index current.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportbot.errors import StoreError
from reportbot.retrieval.bm25 import LexicalIndex
from reportbot.stores.catalog import Catalog
from reportbot.stores.state import fsync_path

log = logging.getLogger(__name__)
FORMAT = 1
POINTER = "CURRENT"
STAMP = "stamp.json"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600  # a temporary directory older than this was left by a killed writer


def lexical_path(catalog: Catalog) -> Path:
    """Where a catalog's saved lexical index lives: beside the catalog file."""
    return catalog.path.with_name("lexical")


@dataclass(frozen=True)
class SavedState:
    """What the saved index is, compared with the catalog: a reason it cannot serve, or None."""

    directory: Path | None
    problem: str | None


Rows = Callable[[], tuple[str, list[str], list[list[str]]]]


class LexicalStore:
    """The saved lexical index of one catalog (a directory beside it): by default over the
    live chunks; ``rows`` and ``live`` make it one over other units of the same catalog
    (whole documents: retrieval/documents.py), saved and checked the same way."""

    def __init__(self, directory: Path, catalog: Catalog, rows: Rows | None = None,
                 live: Callable[[], set[str]] | None = None) -> None:
        self.directory = directory
        self.catalog = catalog
        self._rows = rows or catalog.lexical_rows
        self._live = live or catalog.chunk_ids

    def current(self) -> tuple[str, LexicalIndex]:
        """The index of the catalog's current state (its stamp with it): the saved one, else
        one rebuilt from the catalog and saved."""
        stamp = self.catalog.stamp()
        state = self.inspect(stamp)
        if state.directory is not None and state.problem is None:
            try:
                return stamp, LexicalIndex.load(state.directory)
            except StoreError as exc:
                state = SavedState(state.directory, exc.message)
        log.warning("%s; rebuilding it from the catalog", state.problem)
        return self.rebuild()

    def update(self) -> bool:
        """Bring the saved index in step with the catalog (end of an ingest); True if rebuilt."""
        if not self.check():
            return False
        self.rebuild()
        return True

    def rebuild(self) -> tuple[str, LexicalIndex]:
        """Build the index from the catalog and save it (a failed save is only logged)."""
        stamp, ids, tokens = self._rows()
        index = LexicalIndex.build(ids, tokens)
        try:
            self._save(index, stamp)
        except OSError as exc:
            log.warning("could not save the lexical index in %s (%s); it is rebuilt at "
                        "every start until a save succeeds", self.directory, exc)
        return stamp, index

    def inspect(self, stamp: str) -> SavedState:
        """Where the current saved index is and why it cannot serve this catalog stamp."""
        where = f"the lexical index in {self.directory}"
        try:
            name = (self.directory / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return SavedState(None, f"{where} is missing")
        except OSError as exc:
            return SavedState(None, f"{where} is unreadable ({exc})")
        directory = self.directory / name
        try:
            saved = json.loads((directory / STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return SavedState(directory, f"{where} is unreadable ({exc})")
        if not isinstance(saved, dict) or saved.get("format") != FORMAT:
            return SavedState(directory, f"{where} has an unknown format")
        if saved.get("catalog") != stamp:
            return SavedState(directory, f"{where} is stale (built from catalog state "
                                         f"{saved.get('catalog')}, the catalog is at {stamp})")
        return SavedState(directory, None)

    def check(self) -> list[str]:
        """Why the saved index cannot serve the catalog (stale, unreadable, not the live
        chunks); empty when it can."""
        state = self.inspect(self.catalog.stamp())
        if state.problem is not None or state.directory is None:
            return [f"{state.problem}: every process rebuilds it at start"]
        try:
            index = LexicalIndex.load(state.directory)
        except StoreError as exc:
            return [f"{exc.message}: every process rebuilds it at start"]
        if set(index.ids) != self._live():
            return [f"the lexical index in {state.directory} does not list the live units "
                    f"although its stamp says it does: keyword search misses or finds "
                    f"other chunks"]
        return []

    def _save(self, index: LexicalIndex, stamp: str) -> None:
        """Write a new directory and switch CURRENT to it; nothing half-written is current."""
        self.directory.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex[:12]
        tmp = self.directory / f"{TEMP_PREFIX}{token}"
        index.save(tmp)
        (tmp / STAMP).write_text(json.dumps({"format": FORMAT, "catalog": stamp,
                                             "chunks": len(index)}), encoding="utf-8")
        for path in tmp.iterdir():
            fsync_path(path)
        fsync_path(tmp)
        final = self.directory / f"index-{token}"
        tmp.rename(final)
        pointer = self.directory / f"{TEMP_PREFIX}{POINTER}-{token}"
        pointer.write_text(final.name + "\n", encoding="utf-8")
        fsync_path(pointer)
        previous = self.inspect(stamp).directory
        pointer.replace(self.directory / POINTER)
        fsync_path(self.directory)
        self._sweep(keep={final.name, previous.name if previous else ""})

    def _sweep(self, keep: set[str]) -> None:
        """Delete older indexes (the one just replaced stays, for readers opening it now)."""
        for path in self.directory.iterdir():
            if path.name in keep or path.name == POINTER:
                continue
            if path.name.startswith(TEMP_PREFIX):
                try:
                    if time.time() - path.stat().st_mtime < STALE_TEMP_SECONDS:
                        continue  # another process may be writing it
                except OSError:
                    continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

