"""Durable state (accounts, feedback and audit log) moved out of the index directory, once.

Earlier versions kept it beside the rebuildable index, where `make clean` deleted it. Each
file is copied to a hidden temporary name beside its new place, flushed to disk and renamed
into place, and only then removed from the old place: a crash at any point leaves a complete
file at one place or the other (or both), never a half-written one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from reportbot.errors import StoreError

log = logging.getLogger(__name__)
_SQLITE_SIDES = ("-wal", "-shm")


def leftovers(moves: Sequence[tuple[Path, Path]]) -> list[Path]:
    """Old copies still present although the new file exists (a move interrupted at its end)."""
    return [old for old, new in moves if old.exists() and new.exists()]


def migrate_durable(moves: Sequence[tuple[Path, Path]]) -> list[str]:
    """Move each old file whose new place is still empty; one line per file moved."""
    todo = [(old, new) for old, new in moves if old.exists() and not new.exists()]
    if not todo:
        return []
    done: list[str] = []
    with _locked(todo[0][1].parent):
        for old, new in todo:
            if old.exists() and not new.exists():  # another process may have moved it
                _move(old, new)
                done.append(f"moved {old} to {new} (durable state lives apart from the index)")
    return done


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One migrating process at a time; the others wait, then find nothing left to do."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory / ".migrate.lock", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create the state directory {directory} ({exc}); make it "
                         f"writable or set REPORTBOT_STATE_DIR") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _move(old: Path, new: Path) -> None:
    new.parent.mkdir(parents=True, exist_ok=True)
    tmp = new.with_name(f".{new.name}.part")
    try:
        if old.suffix == ".sqlite":
            _copy_sqlite(old, tmp)
        else:
            shutil.copyfile(old, tmp)
            os.chmod(tmp, old.stat().st_mode & 0o777)
        fsync_path(tmp)
        tmp.replace(new)
        fsync_path(new.parent)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot move {old} to {new} ({exc}); nothing was lost: {old} is "
                         f"unchanged. Make {new.parent} writable (or set REPORTBOT_STATE_DIR)"
                         ) from exc
    for side in ("", *_SQLITE_SIDES) if old.suffix == ".sqlite" else ("",):
        Path(f"{old}{side}").unlink(missing_ok=True)
    log.info("moved %s to %s", old, new)


def _copy_sqlite(old: Path, tmp: Path) -> None:
    """A consistent copy, including what still sits in the write-ahead log."""
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(old), timeout=30)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)  # all pages in one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to rename
        finally:
            dst.close()
    finally:
        src.close()


def fsync_path(path: Path) -> None:
    """Flush a file's contents, or a directory's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
