"""`reportbot bench`: its measurement helpers, and one small real run through the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from reportbot.app.service import Reportbot
from reportbot.bench.measure import (
    BenchQuestion,
    TimedEmbeddings,
    load_questions,
    measure_ingest,
    news_documents,
    retrieval_quality,
)
from reportbot.bench.process import imported_modules
from reportbot.bench.run import check_targets, dig, render_table
from reportbot.errors import ReportbotError
from tests.conftest import CORPUS, REPORT_TEXT, REPORTBOT, ROOT
from tests.servers import app_env


def test_news_documents_one_per_line_with_a_limit(tmp_path: Path) -> None:
    news = tmp_path / "news.txt"
    news.write_text("第一篇。\n\n第二篇。\n第三篇。\n", encoding="utf-8")
    docs = news_documents(news, limit=2)
    assert [(d.doc_id, d.text) for d in docs] == [("news/0001", "第一篇。"),
                                                  ("news/0003", "第二篇。")]
    assert len({d.sha256 for d in news_documents(news)}) == 3


def test_a_missing_questions_file_says_what_is_expected(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(ReportbotError) as info:
        load_questions(missing)
    assert str(missing) in info.value.message and "--questions" in info.value.message


def test_eval_questions_score_only_standalone_answerable_ones() -> None:
    source, questions = load_questions(ROOT / "eval" / "questions.jsonl")
    assert source == str(ROOT / "eval" / "questions.jsonl")
    assert all(not q.evidence for q in questions if q.history)
    assert any(q.evidence for q in questions)
    assert all(e in REPORT_TEXT for q in questions for e in q.evidence)


def test_retrieval_quality_counts_passages_that_hold_the_evidence_whole() -> None:
    docs = {"r": "甲乙丙丁。新增服务外包企业188家。戊己庚辛。"}
    start = docs["r"].index("新增")
    questions = [BenchQuestion("q1", (), ("新增服务外包企业188家",)),
                 BenchQuestion("q2", (), ("戊己庚辛",)), BenchQuestion("q3")]

    def search(query: str, k: int) -> list[tuple[str, int, int]]:
        whole, part = ("r", start, start + 13), ("r", start, start + 5)
        return [whole] if query == "q1" else [part, ("r", 18, 24)]

    result = retrieval_quality(search, questions, docs, k=5)
    assert result["questions_scored"] == 2
    assert result["hit_at_1"] == 0.5 and result["hit_at_5"] == 1.0
    assert result["latency"]["n"] == 3


def test_imported_modules_reads_python_importtime_output() -> None:
    log = ("import time: self [us] | cumulative | imported package\n"
           "import time:       120 |        120 |   torch._C\n"
           "import time:        80 |        200 | gradio\n")
    assert imported_modules(log) == {"torch", "gradio"}


def test_targets_are_marked_and_limited_news_runs_are_noted() -> None:
    corpora = {"report": {"efficiency": 0.95, "answer": {"p50_ms": 60.0}},
               "news": {"ingest": {"documents": 50}, "reingest": {"seconds": 0.5}}}
    rows = {(r["corpus"], r["metric"]): r for r in check_targets(corpora)}
    assert rows[("report", "efficiency")]["status"] == "met"
    assert rows[("report", "answer.p50_ms")]["status"] == "missed"
    assert rows[("report", "cold_start.seconds")]["status"] == "not measured"
    assert rows[("news", "reingest.seconds")]["note"] == "measured on 50 of 1927 articles"
    assert dig(corpora, "news.ingest.documents") == 50 and dig(corpora, "news.x.y") is None


@pytest.mark.slow
def test_bench_command_writes_json_and_a_table(tmp_path: Path) -> None:
    news = tmp_path / "news.txt"
    news.write_text("南昌市服务外包企业在2011年继续增加，新增企业超过二百家。\n"
                    "江西省软件产业园区建设取得新进展。\n", encoding="utf-8")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [REPORTBOT, "bench", "--corpus", str(CORPUS), "--news", str(news), "--limit", "2",
         "--skip", "processes", "--skip", "quality", "--json", str(out)],
        env=app_env(tmp_path), capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    report, both = result["corpora"]["report"], result["corpora"]["news"]
    assert report["ingest"]["chunks"] > 10 and report["reingest"]["chunks"] == 0
    assert both["documents_indexed"] == 3 and both["ingest"]["documents"] == 2
    assert report["answer"]["errors"] == 0 and report["retrieval"]["hit_at_1"] > 0.5
    assert report["naive"]["retrieval"]["hit_at_1"] is not None
    assert "hit@1" in done.stdout and "report + news" in done.stdout
    assert "Traceback" not in done.stderr
    assert render_table(result) in done.stdout


def test_timed_embedder_gives_the_same_vectors_and_counts_its_seconds(
        indexed: Reportbot) -> None:
    timed = TimedEmbeddings(indexed.embedder)
    texts = ["南昌市服务外包企业", "离岸接包执行金额"]
    assert timed.embed_documents(texts) == indexed.embedder.embed_documents(texts)
    assert timed.embed_query("接包") == indexed.embedder.embed_query("接包")
    assert timed.seconds > 0 and timed.collection_name == indexed.embedder.collection_name


def test_ingest_measure_gives_the_embedders_share_of_the_ingest(fresh: Reportbot) -> None:
    out = measure_ingest(fresh, lambda: None, "南昌市新增多少家服务外包企业？", raw_sample=5)
    ingest = out["ingest"]
    assert ingest["chunks"] > 0 and 0 < ingest["embedder_s"] <= ingest["seconds"]
    # (from the unrounded seconds: the rounded ones may differ in the third decimal)
    assert out["embedder_share"] == pytest.approx(ingest["embedder_s"] / ingest["seconds"],
                                                  abs=0.01)
    rows = {(r["corpus"], r["metric"]): r for r in check_targets({"news": out})}
    assert rows[("news", "embedder_share")]["status"] in ("met", "missed")
