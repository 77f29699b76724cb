"""The regression gate: the seed eval must not fall below eval/baseline.json."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPORTBOT, ROOT, copy_corpus


def run_eval(tmp_path: Path, *args: str) -> dict[str, float]:
    """`reportbot eval ARGS --json OUT` over a private copy of the corpus; its summary."""
    copy_corpus(tmp_path / "corpus")
    # The gate judges answers; the 10 s answer budget is for staff, and a machine busy with
    # other tests can push a question past it (latency is measured by the benches).
    env = {**os.environ, "REPORTBOT_CORPUS_DIR": str(tmp_path / "corpus"),
           "REPORTBOT_DATA_DIR": str(tmp_path / "data"), "REPORTBOT_ANSWER_BUDGET_S": "120"}
    out = tmp_path / "eval.json"
    run = subprocess.run([REPORTBOT, "eval", *args, "--json", str(out)],
                         env=env, capture_output=True, text=True, timeout=1800)
    print(run.stdout[-3000:])
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    summary: dict[str, float] = json.loads(out.read_text("utf-8"))["summary"]
    return summary


@pytest.mark.slow
def test_seed_eval_meets_the_committed_baseline(tmp_path: Path) -> None:
    summary = run_eval(tmp_path, "--dataset", str(ROOT / "eval" / "questions.jsonl"),
                       "--baseline", str(ROOT / "eval" / "baseline.json"),
                       "--report", str(tmp_path / "report"))
    baseline = json.loads((ROOT / "eval" / "baseline.json").read_text("utf-8"))
    for key in ("accuracy", "numeric_accuracy", "citation_recall", "refusal_recall"):
        assert summary[key] >= baseline[key]
    assert (tmp_path / "report" / "report.md").exists()
    assert (tmp_path / "report" / "chart.png").exists()


@pytest.mark.slow
def test_multidoc_dev_split_meets_its_committed_baseline(tmp_path: Path) -> None:
    summary = run_eval(tmp_path, "--dataset", str(ROOT / "eval" / "multidoc.jsonl"),
                       "--add-corpus", str(ROOT / "eval" / "corpora" / "multidoc"),
                       "--split", "dev")
    gate = json.loads((ROOT / "eval" / "multidoc-baseline.json").read_text("utf-8"))
    for key, floor in gate["floors"].items():
        assert summary[key] >= floor, (key, summary[key], floor)
    for key, ceiling in gate["ceilings"].items():
        assert summary[key] <= ceiling, (key, summary[key], ceiling)
