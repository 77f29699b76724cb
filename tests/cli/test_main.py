"""The CLI through its installed entry point (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPORTBOT, copy_corpus


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli")
    copy_corpus(root / "corpus")
    return {**os.environ, "REPORTBOT_CORPUS_DIR": str(root / "corpus"),
            "REPORTBOT_DATA_DIR": str(root / "data")}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPORTBOT, *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_ingest_prints_a_summary_then_skips(env: dict[str, str]) -> None:
    first = run(env, "ingest")
    assert first.returncode == 0, first.stderr
    assert "1 added" in first.stdout and "chunks" in first.stdout
    second = run(env, "ingest", "--quiet")
    assert "1 unchanged" in second.stdout and "0 chunks" in second.stdout


def test_ask_json(env: dict[str, str]) -> None:
    run(env, "ingest", "--quiet")
    out = run(env, "ask", "2010年南昌市新增多少家服务外包企业？", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["refused"] is False and "188家" in data["answer"]
    assert data["citations"][0]["n"] == 1
    assert isinstance(data["numbers"], list) and "total" in data["timings_ms"]


def test_ask_with_history_file(env: dict[str, str], tmp_path: Path) -> None:
    history = tmp_path / "h.json"
    history.write_text(json.dumps([{"question": "IBM先锋服务外包人才实训基地补助了多少人？",
                                    "answer": "396人"}], ensure_ascii=False), "utf-8")
    out = run(env, "ask", "江西IT人才实训基地呢？", "--history", str(history))
    assert out.returncode == 0, out.stderr
    assert "188人" in out.stdout and "理解为" in out.stdout


def test_errors_are_one_clean_line(env: dict[str, str], tmp_path: Path) -> None:
    empty = run(env, "ask", "   ")
    assert empty.returncode != 0 and "问题为空" in empty.stderr
    assert "Traceback" not in empty.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    out = run(env, "ask", "x", "--history", str(bad))
    assert out.returncode != 0 and "bad.json" in out.stderr and "Traceback" not in out.stderr
    wrong = run(env, "--embedder", "nope", "ask", "南昌")
    assert wrong.returncode != 0 and "e5-small" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_every_command_has_help(env: dict[str, str]) -> None:
    from reportbot.cli.main import main

    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"
        assert run(env, name, "--help").returncode == 0
