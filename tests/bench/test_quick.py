"""`reportbot bench --quick` writes the keys of the full bench, on tiny inputs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPORTBOT, ROOT
from tests.servers import app_env

# The keys every corpus object of a full bench run holds (quick runs mark parts skipped).
CORPUS_KEYS = {"ingest", "raw_embedder", "efficiency", "efficiency_with_loads", "embedder_share",
               "reingest",
               "documents_indexed", "answer", "retrieval", "seed_eval", "cold_start",
               "serve", "naive", "reportbot_over_naive"}
NEWS_KEYS = CORPUS_KEYS | {"multidoc", "cmrc", "vectors_reused"}
SEED_KEYS = {"cases", "accuracy", "refused", "correct", "false_refusal_rate", "failures"}


def _tiny_inputs(tmp: Path) -> list[str]:
    """Two articles, two seed questions, two multi-document cases (with their document),
    one CMRC paragraph with one question."""
    news = tmp / "news.txt"
    news.write_text("南昌市服务外包企业在2011年继续增加，新增企业超过二百家。\n"
                    "苏州市上半年外贸进出口总额同比下降。\n", encoding="utf-8")
    questions = tmp / "questions.jsonl"
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    multidoc, corpus = tmp / "multidoc.jsonl", tmp / "multidoc"
    corpus.mkdir()
    name = "line0163-suzhou-h1-economy.txt"
    source = ROOT / "eval" / "corpora" / "multidoc"
    for part in (name, name + ".meta.json"):
        (corpus / part).write_bytes((source / part).read_bytes())
    cases = [line for line in (ROOT / "eval" / "multidoc.jsonl").read_text(
        encoding="utf-8").splitlines() if f'"doc": "{name}"' in line and '"dev"' in line]
    multidoc.write_text("\n".join(cases[:2]) + "\n", encoding="utf-8")
    cmrc = tmp / "cmrc.json"
    cmrc.write_text(json.dumps({"data": [{"title": "长江", "paragraphs": [{
        "id": "P1", "context": "长江是中国第一长河，全长约6300公里，流经十一个省级行政区。",
        "qas": [{"id": "Q1", "question": "长江全长多少公里？",
                 "answers": [{"text": "约6300公里"}]}]}]}]}, ensure_ascii=False),
        encoding="utf-8")
    return ["--news", str(news), "--questions", str(questions), "--multidoc", str(multidoc),
            "--multidoc-corpus", str(corpus), "--cmrc", str(cmrc)]


@pytest.mark.slow
def test_quick_bench_writes_the_full_benchs_keys(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [REPORTBOT, "bench", "--quick", "--corpus", str(CORPUS), *_tiny_inputs(tmp_path),
         "--json", str(out)],
        env=app_env(tmp_path), capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    report, both = result["corpora"]["report"], result["corpora"]["news"]
    assert set(report) == CORPUS_KEYS and set(both) == NEWS_KEYS
    assert result["limit"] == 150 and both["ingest"]["documents"] == 2
    assert report["naive"] == {"skipped": "left out (--skip naive, or --quick)"}
    assert SEED_KEYS <= set(report["seed_eval"]) and report["seed_eval"]["cases"] == 2
    multidoc = both["multidoc"]
    assert multidoc["own_documents"]["cases"] == 2 and multidoc["with_news"]["cases"] == 2
    assert both["cmrc"]["questions"] == 1 and both["cmrc"]["hit_at_1"] == 1.0
    assert both["cmrc"]["distractors"] == 2
    assert both["vectors_reused"] >= 2  # the articles' vectors were not embedded again
    metrics = {(r["corpus"], r["metric"]) for r in result["targets"]}
    assert {("news", "cmrc.hit_at_1"), ("news", "seed_eval.refused")} <= metrics
