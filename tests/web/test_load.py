"""Load: 20 concurrent chat sessions, and questions answered while a large ingest runs."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reportbot.app.service import Reportbot
from reportbot.evaluation.metrics import percentile
from reportbot.stores.embedders import E5Embeddings
from tests.conftest import REPORTBOT, copy_corpus, make_settings, news_articles
from tests.servers import WebApp, app_env

QUESTIONS = [
    "2010年南昌市新增多少家服务外包企业？",
    "江西IT人才实训基地补助了多少人？",
    "2010年南昌接包合同执行金额是多少？",
    "离岸接包执行金额同比增长了多少？",
    "南昌市2010年GDP是多少？",
]
SESSIONS = 20


def served(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[WebApp]:
    root = tmp_path_factory.mktemp(name)
    copy_corpus(root / "corpus")
    app = WebApp(app_env(root), root / "serve.log")
    app.start()
    yield app
    app.stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    yield from served(tmp_path_factory, "load")


def session(url: str, order: list[str]) -> list[tuple[str, str, float]]:
    """One gradio_client session asking its questions in turn: (question, answer, seconds)."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    results = []
    for q in order:
        started = time.perf_counter()
        answer = client.predict(q, api_name="/chat")
        results.append((q, answer, time.perf_counter() - started))
    return results


@pytest.mark.slow
def test_twenty_concurrent_sessions_get_the_sequential_answers(app: WebApp) -> None:
    expected = {q: a for q, a, _ in session(app.url, QUESTIONS)}
    orders = [QUESTIONS[i % 5:] + QUESTIONS[: i % 5] for i in range(SESSIONS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(SESSIONS) as pool:
        runs = list(pool.map(lambda order: session(app.url, order), orders))
    wall = time.perf_counter() - started
    latencies = [s * 1000 for run in runs for _, _, s in run]
    assert len(latencies) == SESSIONS * len(QUESTIONS)
    mismatched = [(q, a) for run in runs for q, a, _ in run if a != expected[q]]
    assert not mismatched
    print(f"\n{len(latencies)} answers from {SESSIONS} concurrent sessions in {wall:.1f} s: "
          f"p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms")


@pytest.fixture()
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    yield from served(tmp_path_factory, "busy")


EXPECTED = {QUESTIONS[0]: "188家", QUESTIONS[1]: "188人", QUESTIONS[2]: "7.33亿美元"}


def snapshot(bot: Reportbot) -> tuple[dict[str, int], int]:
    """Live documents with their chunk counts, and how many live chunks lack a vector."""
    docs = {d.doc_id: d.chunks for d in bot.catalog.documents()}
    return docs, len(bot.catalog.chunk_ids() - bot.index.ids())


@pytest.mark.slow
def test_answers_come_from_the_previous_index_while_an_ingest_runs(
        busy: WebApp, e5: E5Embeddings) -> None:
    from gradio_client import Client

    settings = make_settings(Path(busy.env["REPORTBOT_CORPUS_DIR"]).parent)
    client = Client(busy.url, verbose=False)
    for i, article in enumerate(news_articles(12)):
        (settings.corpus_dir / f"news-{i:02d}.txt").write_text(article, encoding="utf-8")
    ingest = subprocess.Popen([REPORTBOT, "ingest", "--quiet"], env={
        **busy.env, "REPORTBOT_EMBED_BATCH": "4"}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    bot = Reportbot(settings, embedder=e5)
    reader = bot.pipeline()  # a second reader, in this process
    web_answers: list[tuple[str, str]] = []
    snapshots: list[tuple[dict[str, int], int]] = []
    citations = []
    stop = threading.Event()

    def ask_web() -> None:
        while not stop.is_set():
            for q in EXPECTED:
                web_answers.append((q, client.predict(q, api_name="/chat")))

    web = threading.Thread(target=ask_web)
    web.start()
    try:
        while ingest.poll() is None:
            citations.extend(reader.answer(QUESTIONS[0]).citations)
            snapshots.append(snapshot(bot))
            time.sleep(0.2)
    finally:
        stop.set()
        web.join(timeout=120)
    out, err = ingest.communicate()
    assert ingest.returncode == 0, err
    assert "12 added" in out and "0 failed" in out
    final, missing = snapshot(bot)
    assert len(final) == 13 and missing == 0
    # Mid-ingest, every live document is whole (its final chunk count, every vector there).
    assert any(len(docs) < len(final) for docs, _ in snapshots), "ingest finished too soon"
    assert all(docs[d] == final[d] for docs, _ in snapshots for d in docs)
    assert all(n == 0 for _, n in snapshots)
    assert [len(d) for d, _ in snapshots] == sorted(len(d) for d, _ in snapshots)
    assert len(web_answers) >= 3
    assert all(EXPECTED[q] in a for q, a in web_answers), "an answer failed mid-ingest"
    for c in citations:
        doc = bot.catalog.document(c.doc_id)
        assert doc is not None and doc.text[c.start : c.end] == c.text
