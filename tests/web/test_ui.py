"""The web chat over real HTTP: a served app answers through its /chat API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import copy_corpus
from tests.servers import WebApp, app_env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("web")
    copy_corpus(root / "corpus")
    app = WebApp(app_env(root), root / "serve.log")
    app.start()
    yield app.url
    app.stop()


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
