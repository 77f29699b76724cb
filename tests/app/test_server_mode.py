"""Chroma server mode: a real `chroma run` on loopback, stopped and started under the app."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportbot.app.service import Reportbot
from reportbot.errors import StoreError
from reportbot.stores.embedders import E5Embeddings
from tests.conftest import REPORTBOT, copy_corpus, make_settings
from tests.servers import ChromaServer, WebApp, app_env

FIRMS = "2010年南昌市新增多少家服务外包企业？"
QUESTIONS = [FIRMS, "江西IT人才实训基地补助了多少人？", "2010年南昌接包合同执行金额是多少？",
             "南昌市2010年GDP是多少？"]


@dataclass
class Stack:
    """A Chroma server, and an app directory whose index lives on that server."""

    server: ChromaServer
    root: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("server-mode")
    copy_corpus(root / "corpus")
    server = ChromaServer(root / "chroma-server", root / "chroma.log")
    server.start()
    env = app_env(root, REPORTBOT_CHROMA_URL=server.url)
    done = subprocess.run([REPORTBOT, "ingest", "--quiet"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    yield Stack(server, root, env)
    server.stop()


def ask_cli(env: dict[str, str], question: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPORTBOT, "ask", question], env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_outage_gives_a_clear_error_and_answers_resume(stack: Stack, e5: E5Embeddings) -> None:
    settings = make_settings(stack.root, chroma_url=stack.server.url)
    pipeline = Reportbot(settings, embedder=e5).pipeline()
    before = pipeline.answer(FIRMS)
    assert "188家" in before.answer and not before.refused
    assert not (stack.root / "data" / "chroma").exists()  # nothing went to the embedded store

    stack.server.stop()
    with pytest.raises(StoreError, match="Chroma server at http://127.0.0.1:.* is not answering"):
        pipeline.answer(FIRMS)
    down = ask_cli(stack.env, FIRMS)
    assert down.returncode == 1 and "Traceback" not in down.stderr
    lines = [line for line in down.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Chroma server" in lines[0] and "chroma run" in lines[0]

    stack.server.start()  # same port, same directory
    after = pipeline.answer(FIRMS)  # the same Pipeline object: no app restart
    assert after.answer == before.answer and after.citations == before.citations
    up = ask_cli(stack.env, FIRMS)
    assert up.returncode == 0 and "188家" in up.stdout


@pytest.mark.slow
def test_two_app_processes_against_one_server_answer_identically(stack: Stack) -> None:
    from gradio_client import Client

    apps = [WebApp(stack.env, stack.root / f"app{i}.log") for i in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda app: app.start(), apps))
        answers = [[Client(app.url, verbose=False).predict(q, api_name="/chat")
                    for q in QUESTIONS] for app in apps]
    finally:
        for app in apps:
            app.stop()
    assert answers[0] == answers[1]
    assert "188家" in answers[0][0] and "188人" in answers[0][1]
    assert "报告中未找到相关信息" in answers[0][3]
