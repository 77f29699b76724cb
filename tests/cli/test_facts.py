"""`reportbot facts list / export / check`: clean output, clean errors, help on every command."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reportbot.cli.facts import facts
from reportbot.errors import LoadError
from reportbot.facts.store import FactStore
from reportbot.ingest.loading import load_document
from tests.conftest import REPORT, REPORT_NAME, REPORTBOT, copy_corpus


def run(tmp_path: Path, *args: str) -> Result:
    env = {"REPORTBOT_DATA_DIR": str(tmp_path / "data"),
           "REPORTBOT_CORPUS_DIR": str(tmp_path / "corpus")}
    return CliRunner().invoke(facts, list(args), env=env)


@pytest.fixture()
def filled(tmp_path: Path) -> Path:
    store = FactStore(tmp_path / "data" / "facts.sqlite")
    store.replace_document(load_document(REPORT, REPORT_NAME))
    store.close()
    return tmp_path


def test_list_filters_by_metric(filled: Path) -> None:
    result = run(filled, "list", "--metric", "补助人数")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert "江西IT人才实训基地 | 补助人数 | 2009年度 | 188人" in lines[1]


def test_list_json_lines(filled: Path) -> None:
    result = run(filled, "list", "--json", "--metric", "离岸接包执行金额")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["text"], r["display"], r["kind"]) for r in rows] == [
        ("2.91亿美元", "2.91亿美元", "quantity"), ("150.18%", "150.18%", "rate")]
    assert rows[1]["qualifies"] == rows[0]["fact_id"]


def test_export_writes_every_fact(filled: Path) -> None:
    out = filled / "review.csv"
    result = run(filled, "export", "--csv", str(out))
    assert result.exit_code == 0 and "33 facts written" in result.output
    with out.open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == 33


@pytest.mark.parametrize("args", [["list"], ["export", "--csv", "x.csv"], ["check"]])
def test_empty_store_says_to_ingest(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, *args)
    assert result.exit_code == 1
    assert "run `reportbot ingest`" in result.output and "Traceback" not in result.output


def test_a_broken_curated_file_is_a_clean_error(filled: Path) -> None:
    (filled / "corpus").mkdir()
    (filled / "corpus" / "facts.csv").write_text("subject\nx\n", encoding="utf-8")
    store = FactStore(filled / "data" / "facts.sqlite", filled / "corpus" / "facts.csv")
    doc = load_document(REPORT, REPORT_NAME)
    with pytest.raises(LoadError, match="missing column"):
        store.replace_document(doc)
    store.close()


@pytest.mark.parametrize("name", sorted(facts.commands))
def test_every_command_has_help(name: str) -> None:
    command = facts.commands[name]
    assert command.help and command.help.strip()


def test_the_global_data_and_corpus_options_reach_the_facts_commands(tmp_path: Path) -> None:
    corpus, data, elsewhere = copy_corpus(tmp_path / "corpus"), tmp_path / "data", tmp_path / "cwd"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
    dirs = ["--data-dir", str(data), "--corpus-dir", str(corpus)]

    def reportbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([REPORTBOT, *dirs, *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=600, check=False)

    assert reportbot("ingest", "--quiet").returncode == 0
    listed = reportbot("facts", "list", "--metric", "补助人数")
    assert listed.returncode == 0, listed.stderr
    assert "江西IT人才实训基地 | 补助人数 | 2009年度 | 188人" in listed.stdout
    assert reportbot("facts", "check").returncode == 0
    assert not (elsewhere / ".reportbot").exists()
