"""Incremental, crash-safe ingest against real Chroma and SQLite."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportbot.app.service import Reportbot
from reportbot.app.workflow import run_ingest
from tests.conftest import REPORT_NAME, copy_corpus, make_settings, news_articles


def test_add_skip_update_remove(fresh: Reportbot) -> None:
    corpus = fresh.settings.corpus_dir
    first = fresh.ingestor().run()
    assert first.added == [REPORT_NAME] and first.chunks > 10
    assert fresh.index.count() == first.chunks

    again = fresh.ingestor().run()
    assert again.skipped == [REPORT_NAME] and again.chunks == 0

    (corpus / "notice.md").write_text("# 通知\n南昌市2011年计划新增服务外包企业200家。", "utf-8")
    added = fresh.ingestor().run()
    assert added.added == ["notice.md"] and added.skipped == [REPORT_NAME]

    (corpus / "notice.md").write_text("# 通知\n南昌市2011年计划新增服务外包企业300家。", "utf-8")
    updated = fresh.ingestor().run()
    assert updated.updated == ["notice.md"]
    hits = fresh.searcher.run("2011年计划新增服务外包企业", top_k=1)
    assert "300家" in hits[0].chunk.text

    (corpus / "notice.md").unlink()
    removed = fresh.ingestor().run()
    assert removed.removed == ["notice.md"]
    assert fresh.index.count() == len(fresh.catalog.chunk_ids())
    assert all(h.chunk.doc_id == REPORT_NAME for h in fresh.searcher.run("2011年计划", top_k=5))


def test_a_bad_file_is_reported_and_the_rest_indexed(fresh: Reportbot) -> None:
    corpus = fresh.settings.corpus_dir
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "copy.txt").write_bytes((corpus / REPORT_NAME).read_bytes())
    report = fresh.ingestor().run()
    assert report.added == [REPORT_NAME]
    assert any("empty.txt: empty file" in r for r in report.failed)
    assert any("copy.txt" in r and "same content" in r for r in report.failed)


def test_files_from_outside_are_copied_into_the_corpus(fresh: Reportbot, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "新 政策.txt").write_text("南昌市出台新政策。", encoding="utf-8")
    report = run_ingest(fresh.settings, [outside / "新 政策.txt"], bot=fresh)
    assert report.added == ["新 政策.txt"]
    assert (fresh.settings.corpus_dir / "新 政策.txt").exists()


@pytest.mark.slow
def test_kill_9_mid_ingest_keeps_the_old_index_and_the_next_run_completes(tmp_path: Path) -> None:
    copy_corpus(tmp_path / "corpus")
    settings = make_settings(tmp_path)
    env = {**os.environ, "REPORTBOT_CORPUS_DIR": str(settings.corpus_dir),
           "REPORTBOT_DATA_DIR": str(settings.data_dir), "PYTHONUNBUFFERED": "1",
           "REPORTBOT_EMBED_BATCH": "4"}
    cmd = [sys.executable, "-m", "reportbot.cli.main", "ingest"]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    # New documents and a changed report: the kill lands while they are being embedded.
    for i, article in enumerate(news_articles(6)):
        (settings.corpus_dir / f"news-{i:02d}.txt").write_text(article, encoding="utf-8")
    report = settings.corpus_dir / REPORT_NAME
    report.write_text(report.read_text("utf-8") + "\n附注:本文为修订版。", encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True)
    assert proc.stderr is not None
    seen = ""
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        seen += proc.stderr.read(16)
        progress = re.findall(r"(\d+)/(\d+) \[", seen)
        if progress and 0 < int(progress[-1][1]) <= 3 * int(progress[-1][0]):
            break  # a third of the chunks embedded: kill mid-run
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    from reportbot.app.workflow import open_pipeline

    answer = open_pipeline(settings).answer("江西IT人才实训基地补助了多少人？")
    assert "188人" in answer.answer and not answer.refused
    bot = answer_bot = Reportbot(settings)
    for c in answer.citations:
        doc = answer_bot.catalog.document(c.doc_id)
        assert doc is not None and doc.text[c.start : c.end] == c.text
    assert len(bot.catalog.documents()) < 7

    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    assert "0 failed" in done.stdout
    bot = Reportbot(settings)
    assert len(bot.catalog.documents()) == 7
    assert bot.index.count() == len(bot.catalog.chunk_ids())
    assert "修订版" in (bot.catalog.document(REPORT_NAME) or report).text  # type: ignore[union-attr]


def test_small_documents_share_chroma_writes_and_go_live_after_their_vectors(
        fresh: Reportbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportbot.ingest.run import Ingestor
    from reportbot.records import Chunk, SourceDoc

    docs = [SourceDoc(f"n{i}", f"n{i}", f"通知{i}", f"南昌市第{i}号通知。", f"{i:064d}")
            for i in range(6)]
    writes: list[tuple[int, int]] = []  # (vectors written, documents live at that moment)
    add = fresh.index.add

    def counting_add(chunks: list[Chunk], vectors: list[list[float]]) -> None:
        writes.append((len(chunks), len(fresh.catalog.documents())))
        add(chunks, vectors)

    monkeypatch.setattr(fresh.index, "add", counting_add)
    ingestor = Ingestor(fresh.settings.corpus_dir, fresh.embedder, fresh.index, fresh.catalog,
                        batch=4)
    report = ingestor.add_documents(docs)
    assert report.added == [d.doc_id for d in docs]
    assert writes == [(4, 0), (2, 4)]
    assert fresh.index.count() == len(fresh.catalog.chunk_ids()) == 6


def test_chunks_that_lost_their_vector_are_embedded_again(fresh: Reportbot) -> None:
    (fresh.settings.corpus_dir / "notice.md").write_text(
        "# 通知\n南昌市2011年计划新增服务外包企业200家。", "utf-8")
    first = fresh.ingestor().run()
    live = fresh.catalog.chunk_ids()
    lost = sorted(live)[::3]  # a store that lost some vectors (or all: same path)
    fresh.index.delete(lost)
    totals: list[int] = []
    steps: list[int] = []
    again = fresh.ingestor().run(progress=steps.append, on_total=totals.append)
    assert again.skipped == sorted(first.added) and again.chunks == 0
    assert again.restored == len(lost) == totals[0] == sum(steps)
    assert f"{len(lost)} missing vectors of unchanged chunks re-embedded" in again.summary()
    assert fresh.index.ids() == live
    assert fresh.ingestor().run().restored == 0
