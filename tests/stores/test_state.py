"""Durable state moves out of the index directory once, whole, through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from reportbot.config import load_settings
from reportbot.errors import ConfigError
from reportbot.stores.feedback import FeedbackStore
from reportbot.stores.users import Users
from tests.conftest import REPORTBOT
from tests.stores.test_feedback import ANSWER, HISTORY, REFUSAL


def run(env: dict[str, str], *args: str, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPORTBOT, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any REPORTBOT_* setting, plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
    return {**env, **extra}


def old_layout(data: Path) -> int:
    """Accounts and feedback where earlier versions kept them: inside the data directory.

    The feedback database is left with rows that exist only in its write-ahead log, as a
    server killed without a checkpoint leaves it. Returns the number of questions logged.
    """
    Users(data / "users.json").add("alice", "correct horse 1", admin=True)
    live = data / "live"
    store = FeedbackStore(live / "feedback.sqlite")
    store._conn.execute("PRAGMA wal_autocheckpoint=0")
    store.rate(store.record(ANSWER, HISTORY), liked=False)
    store.record(REFUSAL, [])
    for side in ("", "-wal"):
        shutil.copyfile(f"{live}/feedback.sqlite{side}", f"{data}/feedback.sqlite{side}")
    store.close()
    shutil.rmtree(live)
    assert (data / "feedback.sqlite-wal").stat().st_size > 0
    return 2


def logged(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM qa").fetchone()[0])


def test_durable_state_lives_beside_the_data_directory_and_apart_from_it(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    assert settings.users_path == tmp_path / "data-state" / "users.json"
    assert settings.feedback_path == tmp_path / "data-state" / "feedback.sqlite"
    assert load_settings().state_path == Path(".reportbot-state")
    assert load_settings(state_dir=tmp_path / "s").users_path == tmp_path / "s" / "users.json"
    with pytest.raises(ConfigError, match="must not contain each other"):
        load_settings(data_dir=tmp_path / "data", state_dir=tmp_path / "data" / "state")


def test_old_accounts_and_feedback_move_once_to_the_state_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    questions = old_layout(data)
    env = clean_env(REPORTBOT_DATA_DIR=str(data))

    first = run(env, "users", "list")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == ["alice\tadmin"]
    state = tmp_path / "data-state"
    assert f"moved {data / 'users.json'} to {state / 'users.json'}" in first.stderr
    assert sorted(p.name for p in data.iterdir()) == []  # nothing left behind, no -wal
    assert logged(state / "feedback.sqlite") == questions  # the log's rows came along
    assert json.loads((state / "users.json").read_text())["users"]["alice"]["admin"] is True

    again = run(env, "audit", "export", "--out", str(tmp_path / "qa.jsonl"))
    assert again.returncode == 0 and "moved" not in again.stderr
    assert f"{questions} question(s)" in again.stdout


def test_a_move_that_fails_leaves_the_old_file_whole(tmp_path: Path) -> None:
    data = tmp_path / "data"
    questions = old_layout(data)
    state = tmp_path / "data-state"
    (state / ".feedback.sqlite.part").mkdir(parents=True)  # the copy cannot be written
    env = clean_env(REPORTBOT_DATA_DIR=str(data))

    failed = run(env, "audit", "export", "--out", str(tmp_path / "qa.jsonl"))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert f"cannot move {data / 'feedback.sqlite'}" in failed.stderr
    assert "nothing was lost" in failed.stderr
    assert not (state / "feedback.sqlite").exists()
    assert logged(data / "feedback.sqlite") == questions

    (state / ".feedback.sqlite.part").rmdir()
    fixed = run(env, "audit", "export", "--out", str(tmp_path / "qa.jsonl"))
    assert fixed.returncode == 0 and f"{questions} question(s)" in fixed.stdout
    assert not (data / "feedback.sqlite").exists()


@pytest.mark.slow
def test_make_clean_keeps_accounts_and_feedback(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    shutil.copyfile(root / "Makefile", tmp_path / "Makefile")
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    env = clean_env()
    added = run(env, "users", "add", "alice", "--password", "correct horse 1", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert run(env, "ingest", "--quiet", cwd=tmp_path).returncode == 0
    feedback = tmp_path / load_settings().feedback_path  # the default, relative to tmp_path
    store = FeedbackStore(feedback)
    store.record(ANSWER, HISTORY)
    store.close()

    done = subprocess.run(["make", "clean"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / ".reportbot").exists()  # the index is gone: rebuildable
    listed = run(env, "users", "list", cwd=tmp_path)
    assert listed.stdout.splitlines() == ["alice\tstaff"]
    assert logged(feedback) == 1
    rebuilt = run(env, "ingest", "--quiet", cwd=tmp_path)
    assert rebuilt.returncode == 0 and "1 added" in rebuilt.stdout
