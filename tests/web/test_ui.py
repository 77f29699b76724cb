"""The web chat: example questions from the corpus; over real HTTP, its /chat API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest

from reportbot.web.ui import _chat_tab
from tests.conftest import CORPUS, copy_corpus
from tests.servers import WebApp, app_env


def shown_examples(corpus_dir: Path) -> list[list[list[str]]]:
    """The sample lists of every examples table the chat tab shows for a corpus."""
    ctx: Any = SimpleNamespace(settings=SimpleNamespace(corpus_dir=corpus_dir))
    with gr.Blocks() as app:
        _chat_tab(ctx)
    return [c["props"]["samples"] for c in app.get_config_file()["components"]
            if c.get("type") == "dataset"]


def test_chat_offers_the_example_questions_of_the_corpus_glossary() -> None:
    [samples] = shown_examples(CORPUS)
    assert samples[1] == ["江西IT人才实训基地补助了多少人？"] and len(samples) == 5


def test_a_corpus_without_examples_shows_no_examples_table(tmp_path: Path) -> None:
    assert shown_examples(tmp_path) == []


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
