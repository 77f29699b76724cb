"""The web chat over real HTTP: a served app answers through its /chat API."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import copy_corpus
from .test_cli import REPORTBOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("web")
    copy_corpus(root / "corpus")
    port = free_port()
    env = {**os.environ, "REPORTBOT_CORPUS_DIR": str(root / "corpus"),
           "REPORTBOT_DATA_DIR": str(root / "data")}
    log = (root / "serve.log").open("w")
    proc = subprocess.Popen([REPORTBOT, "serve", "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 240
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(Path(log.name).read_text()) from None
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.slow
def test_chat_api_answers_both_examples_with_citations(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    firms = client.predict("2010年南昌市新增多少家服务外包企业？", api_name="/chat")
    assert "188家" in firms and "[1]" in firms and "字符 0–" in firms
    people = client.predict("江西IT人才实训基地补助了多少人？", api_name="/chat")
    assert "188人" in people and "188家" not in people and "(二)" in people


@pytest.mark.slow
def test_chat_api_gives_clean_messages_for_bad_input(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    assert "问题为空" in client.predict("   ", api_name="/chat")
    assert "报告中未找到相关信息" in client.predict("南昌市2010年GDP是多少？", api_name="/chat")
