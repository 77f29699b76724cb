"""Lost vectors and a lost fact table: `reportbot doctor` names them, `ingest` repairs them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import chromadb
import pytest

from tests.conftest import REPORT_NAME, REPORTBOT, copy_corpus
from tests.servers import ChromaServer, app_env

QUESTION = "2010年南昌市新增多少家服务外包企业？"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPORTBOT, *args], env=env, capture_output=True, text=True,
                          timeout=300)


@dataclass
class Setup:
    """An indexed app directory, and how to make its vector store lose everything."""

    root: Path
    env: dict[str, str]
    server: ChromaServer | None

    def lose_vectors(self) -> None:
        if self.server is None:
            shutil.rmtree(self.root / "data" / "chroma")
            return
        client = chromadb.HttpClient(host="127.0.0.1", port=self.server.port)
        for collection in client.list_collections():
            ids = collection.get(include=[])["ids"]
            collection.delete(ids=ids)


@pytest.fixture(params=["embedded", "chroma-server"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Setup]:
    copy_corpus(tmp_path / "corpus")
    server = None
    extra = {}
    if request.param == "chroma-server":
        server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma.log")
        server.start()
        extra["REPORTBOT_CHROMA_URL"] = server.url
    env = app_env(tmp_path, **extra)
    try:
        assert run(env, "ingest", "--quiet").returncode == 0
        yield Setup(tmp_path, env, server)
    finally:
        if server is not None:
            server.stop()


@pytest.mark.slow
def test_lost_vectors_are_reported_and_re_embedded(setup: Setup) -> None:
    ok = run(setup.env, "doctor")
    assert ok.returncode == 0 and ok.stdout.strip().endswith("consistent"), ok.stdout

    setup.lose_vectors()
    sick = run(setup.env, "doctor")
    assert sick.returncode == 1
    chunks = int(sick.stdout.split(" documents, ")[1].split(" chunks")[0])
    assert f": 0 vectors, {chunks} chunks without one" in sick.stdout
    assert f"problem: {chunks} of {chunks} chunks have no vector" in sick.stderr
    assert "run `reportbot ingest` to repair" in sick.stderr

    repaired = run(setup.env, "ingest", "--quiet")
    assert repaired.returncode == 0
    assert repaired.stdout.splitlines() == [
        f"0 added, 0 updated, 1 unchanged, 0 removed, 0 failed; 0 chunks embedded in "
        f"{repaired.stdout.split(' embedded in ')[1].split(' s;')[0]} s; {chunks} missing "
        f"vectors of unchanged chunks re-embedded"]
    assert run(setup.env, "doctor").returncode == 0
    dense = run(setup.env, "ask", "--retriever", "dense", QUESTION)
    assert dense.returncode == 0 and "188家" in dense.stdout


@pytest.mark.slow
def test_a_lost_fact_table_is_reported_and_rebuilt(tmp_path: Path) -> None:
    copy_corpus(tmp_path / "corpus")
    env = app_env(tmp_path)
    assert run(env, "ingest", "--quiet").returncode == 0
    for name in ("facts.sqlite", "facts.sqlite-wal", "facts.sqlite-shm"):
        (tmp_path / "data" / name).unlink(missing_ok=True)
    sick = run(env, "doctor")
    assert sick.returncode == 1
    assert "0 of 1 documents in step" in sick.stdout
    assert f"the fact table is behind for 1 document(s) ({REPORT_NAME})" in sick.stderr
    assert run(env, "ingest", "--quiet").returncode == 0
    healthy = run(env, "doctor")
    assert healthy.returncode == 0 and "1 of 1 documents in step" in healthy.stdout


@pytest.mark.slow
def test_a_damaged_lexical_index_is_named_survived_and_repaired(tmp_path: Path) -> None:
    copy_corpus(tmp_path / "corpus")
    env = app_env(tmp_path)
    assert run(env, "ingest", "--quiet").returncode == 0
    quiet = run(env, "ask", "--retriever", "bm25", QUESTION)
    assert quiet.returncode == 0 and "188家" in quiet.stdout
    assert "lexical index" not in quiet.stderr  # loaded as saved, not rebuilt
    (tmp_path / "data" / "lexical" / "CURRENT").unlink()
    sick = run(env, "doctor")
    assert sick.returncode == 1 and "lexical  " in sick.stdout
    assert "problem: the lexical index in" in sick.stderr and "is missing" in sick.stderr
    (tmp_path / "data" / "lexical" / "CURRENT").write_text("index-gone\n", encoding="utf-8")
    survived = run(env, "ask", "--retriever", "bm25", QUESTION)
    assert survived.returncode == 0 and "188家" in survived.stdout
    assert "is unreadable" in survived.stderr
    assert "rebuilding it from the catalog" in survived.stderr
    assert run(env, "doctor").returncode == 0  # the rebuild was saved
    (tmp_path / "data" / "lexical" / "CURRENT").unlink()
    assert run(env, "ingest", "--quiet").returncode == 0
    healthy = run(env, "doctor")
    assert healthy.returncode == 0 and "in step" in healthy.stdout
