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


@pytest.fixture()
def small(tmp_path: Path) -> dict[str, str]:
    """A one-sentence corpus (fast to embed) and an inbox of files to ingest from outside."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "inbox").mkdir()
    (tmp_path / "corpus" / "base.txt").write_text("南昌市2010年新增服务外包企业188家。", "utf-8")
    return {**os.environ, "REPORTBOT_CORPUS_DIR": str(tmp_path / "corpus"),
            "REPORTBOT_DATA_DIR": str(tmp_path / "data")}


def _doc_ids(env: dict[str, str]) -> dict[str, str]:
    from reportbot.stores.catalog import Catalog

    catalog = Catalog(Path(env["REPORTBOT_DATA_DIR"]) / "catalog.sqlite")
    docs = {d.doc_id: catalog.document(d.doc_id) for d in catalog.documents()}
    catalog.close()
    return {doc_id: doc.title for doc_id, doc in docs.items() if doc is not None}


def test_ingest_file_exits_non_zero_when_a_file_failed(small: dict[str, str]) -> None:
    inbox = Path(small["REPORTBOT_CORPUS_DIR"]).parent / "inbox"
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "good.txt").write_text("南昌市出台服务外包新政策。", "utf-8")
    mixed = run(small, "ingest", "--quiet", str(inbox / "good.txt"), str(inbox / "empty.txt"))
    assert mixed.returncode == 1, mixed.stdout
    assert "1 added" in mixed.stdout and "1 failed" in mixed.stdout
    assert "failed: " in mixed.stderr and "empty file" in mixed.stderr
    missing = run(small, "ingest", "--quiet", str(inbox / "nope.txt"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    clean = run(small, "ingest", "--quiet", str(inbox / "good.txt"))
    assert clean.returncode == 0 and "0 failed" in clean.stdout, clean.stderr


def test_ingest_file_brings_its_metadata_sidecar(small: dict[str, str]) -> None:
    corpus = Path(small["REPORTBOT_CORPUS_DIR"])
    inbox = corpus.parent / "inbox"
    (inbox / "policy.txt").write_text("南昌市出台服务外包扶持政策十条。", "utf-8")
    meta = json.dumps({"title": "南昌服务外包政策汇编", "year": 2011}, ensure_ascii=False)
    (inbox / "policy.txt.meta.json").write_text(meta, "utf-8")
    out = run(small, "ingest", "--quiet", str(inbox / "policy.txt"))
    assert out.returncode == 0, out.stderr
    assert (corpus / "policy.txt.meta.json").read_text("utf-8") == meta
    assert _doc_ids(small)["policy.txt"] == "南昌服务外包政策汇编"
    full = run(small, "ingest", "--quiet")  # the corpus alone gives the same document
    assert "0 updated, 1 unchanged" in full.stdout and full.returncode == 0, full.stderr
    # A different sidecar already in the corpus is never overwritten.
    (inbox / "policy.txt.meta.json").write_text('{"title": "另一个标题"}', "utf-8")
    clash = run(small, "ingest", "--quiet", str(inbox / "policy.txt"))
    assert clash.returncode == 1 and "different file named policy.txt.meta.json" in clash.stderr
    assert (corpus / "policy.txt.meta.json").read_text("utf-8") == meta
    # A refused document takes the sidecar it brought back out of the corpus.
    (inbox / "broken.txt").write_text("南昌市服务外包通知。", "utf-8")
    (inbox / "broken.txt.meta.json").write_text("{not json", "utf-8")
    broken = run(small, "ingest", "--quiet", str(inbox / "broken.txt"))
    assert broken.returncode == 1 and "metadata is not valid JSON" in broken.stderr
    assert not (corpus / "broken.txt").exists()
    assert not (corpus / "broken.txt.meta.json").exists()


HOSTILE_NAMES = ["evil\nname.txt", "tab\there.txt", "esc\x1b[31mred.txt", "rtl\u202etxt.md",
                 "bell\x07.txt", "sep\u2028line.txt", "zero\u200bwidth.txt"]


def test_control_characters_in_file_names_never_reach_document_ids(
        small: dict[str, str]) -> None:
    corpus = Path(small["REPORTBOT_CORPUS_DIR"])
    inbox = corpus.parent / "inbox"
    paths = []
    for i, name in enumerate(HOSTILE_NAMES):
        (inbox / name).write_text(f"第{i}号通知：南昌市服务外包企业名单。", "utf-8")
        paths.append(str(inbox / name))
    out = run(small, "ingest", "--quiet", *paths)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()  # one line each: no name forged an extra line
    assert len(lines) == len(HOSTILE_NAMES), lines
    assert all(line.startswith("failed: ") and "control or invisible character" in line
               for line in lines)
    assert "\x1b" not in out.stderr and "\u202e" not in out.stderr
    assert "evil\\nname.txt" in out.stderr and "esc\\x1b[31mred.txt" in out.stderr
    assert sorted(p.name for p in corpus.iterdir()) == ["base.txt"]
    # Put straight into the corpus, such a file is refused by a full ingest as well.
    (corpus / "inside\nname.txt").write_text("南昌市服务外包企业名录。", "utf-8")
    full = run(small, "ingest", "--quiet")
    assert full.returncode == 1 and "inside\\nname.txt" in full.stderr
    assert list(_doc_ids(small)) == ["base.txt"]


def test_ask_json_says_which_composer_answered_and_why_one_was_rejected(
        env: dict[str, str]) -> None:
    from tests.llm_server import by_question, citing, scripted_llm

    run(env, "ingest", "--quiet")
    right = citing("江西IT人才实训基地补助了188人[{n}]。", "基地补助188人")
    router = by_question({"江西IT": right},
                         otherwise=citing("IBM先锋服务外包人才实训基地补助了369人[{n}]。",
                                          "补助396人"))
    with scripted_llm({"router": router}) as llm:
        served = {**env, "REPORTBOT_LLM_BASE_URL": llm.base_url, "REPORTBOT_LLM_MODEL": "router"}
        accepted = run(served, "ask", "江西IT人才实训基地补助了多少人？", "--json")
        rejected = run(served, "ask", "IBM先锋服务外包人才实训基地补助了多少人？", "--json")
        shown = run(served, "ask", "IBM先锋服务外包人才实训基地补助了多少人？")
    assert accepted.returncode == 0, accepted.stderr
    data = json.loads(accepted.stdout)
    assert (data["composer"], data["llm_rejected"]) == ("llm", None)
    assert data["answer"] == "江西IT人才实训基地补助了188人[1]。"
    data = json.loads(rejected.stdout)
    assert data["composer"] == "extractive" and "396人" in data["answer"]
    assert data["llm_rejected"].startswith("number mismatch: 369人 ≠ 396人")
    assert "LLM answer not shown: number mismatch" in shown.stdout
    assert "Traceback" not in shown.stderr
    plain = json.loads(run(env, "ask", "江西IT人才实训基地补助了多少人？", "--json").stdout)
    assert (plain["composer"], plain["llm_rejected"]) == ("extractive", None)
