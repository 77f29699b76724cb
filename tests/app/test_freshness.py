"""A running server answers from an ingest another process finished, on its next question.

The README promises it for every replica; a one-sentence document is the hard case (an
embedded store's reader kept its in-memory vector graph and never found the new vector).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportbot.app.service import Reportbot
from reportbot.stores.embedders import E5Embeddings
from tests.conftest import REPORTBOT, copy_corpus, make_settings
from tests.servers import ChromaServer, WebApp, app_env

SENTENCE = "赣江新区2025年建成了一座名为青云阁的数据中心，总投资为37亿元。"
QUESTION = "青云阁数据中心总投资是多少？"
FIRMS = "2010年南昌市新增多少家服务外包企业？"


def ingest(env: dict[str, str], *paths: Path) -> str:
    done = subprocess.run([REPORTBOT, "ingest", "--quiet", *map(str, paths)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(params=["embedded", "chroma-server"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    copy_corpus(tmp_path / "corpus")
    if request.param == "embedded":
        yield app_env(tmp_path)
        return
    server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma.log")
    server.start()
    try:
        yield app_env(tmp_path, REPORTBOT_CHROMA_URL=server.url)
    finally:
        server.stop()


@pytest.mark.slow
def test_server_answers_from_an_ingest_finished_in_another_process(
        env: dict[str, str], tmp_path: Path) -> None:
    from gradio_client import Client

    assert "1 added" in ingest(env)
    app = WebApp(env, tmp_path / "app.log")
    app.start()
    try:
        client = Client(app.url, verbose=False)
        before: dict[str, Any] = client.predict(FIRMS, [], api_name="/ask")
        assert "188家" in before["answer"]  # the server has searched its vectors once
        assert client.predict(QUESTION, [], api_name="/ask")["refused"]
        doc = tmp_path / "qingyun.txt"
        doc.write_text(SENTENCE, encoding="utf-8")
        assert "1 added" in ingest(env, doc)
        after: dict[str, Any] = client.predict(QUESTION, [], api_name="/ask")
    finally:
        app.stop()
    assert not after["refused"], after
    assert after["short_answer"] == "37亿元"
    assert [c["doc_id"] for c in after["citations"]] == ["qingyun.txt"]


@pytest.mark.slow
def test_dense_search_finds_vectors_written_by_another_process(tmp_path: Path,
                                                               e5: E5Embeddings) -> None:
    copy_corpus(tmp_path / "corpus")
    env = app_env(tmp_path)
    ingest(env)
    bot = Reportbot(make_settings(tmp_path), embedder=e5)
    assert bot.searcher.run(FIRMS, mode="dense")  # the vector graph is now in memory
    doc = tmp_path / "qingyun.txt"
    doc.write_text(SENTENCE, encoding="utf-8")
    ingest(env, doc)
    hits = bot.searcher.run(QUESTION, mode="dense")
    assert hits[0].chunk.doc_id == "qingyun.txt"
