"""The service object: every ingest saves the BM25 index that other processes load."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from reportbot.app.service import Reportbot
from reportbot.stores.embedders import E5Embeddings
from tests.conftest import copy_corpus, make_settings


def test_ingest_saves_the_lexical_index_that_a_new_process_loads(
        tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture) -> None:
    copy_corpus(tmp_path / "corpus")
    bot = Reportbot(make_settings(tmp_path), embedder=e5)
    bot.ingestor().run()
    assert bot.lexical.check() == []
    caplog.set_level(logging.WARNING)
    other = Reportbot(make_settings(tmp_path), embedder=e5)
    hits = other.searcher.run("离岸接包执行金额", 3, "bm25")
    assert "离岸接包执行金额2.91亿美元" in hits[0].chunk.text
    assert not [r for r in caplog.records if "lexical" in r.getMessage()]
    (tmp_path / "corpus" / "extra.txt").write_text("青云阁数据中心总投资为37亿元。", "utf-8")
    bot.ingestor().run()
    assert bot.lexical.check() == []
    assert other.searcher.run("青云阁", 1, "bm25")[0].chunk.doc_id == "extra.txt"
    assert not [r for r in caplog.records if "lexical" in r.getMessage()]
