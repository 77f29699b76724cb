"""Fitting the evidence weights: labels, pairwise logistic regression, the committed file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from reportbot.answering.evidence import FEATURES, fitted_weights
from reportbot.evaluation.fitting import Row, fit, holds_gold, read_rows, top1, write_rows
from tests.conftest import ROOT


def test_a_clause_holds_an_answer_or_overlaps_the_evidence() -> None:
    assert holds_gold("封号景王，", ["景王"], answers=True)
    assert not holds_gold("嘉靖四十四年病死。", ["景王"], answers=True)
    assert holds_gold("新增服务外包企业188家，", ["新增服务外包企业188家,同比增长43.51%"],
                      answers=False)
    assert not holds_gold("同比，", ["新增服务外包企业188家,同比增长43.51%"], answers=False)


def _synthetic(n: int, seed: int) -> list[Row]:
    """Questions whose right clause has the highest 'sentence' feature; the rest is noise."""
    rng = random.Random(seed)
    rows = []
    for q in range(n):
        for k in range(6):
            f = [rng.random() for _ in FEATURES]
            f[FEATURES.index("clause")] = rng.random() * 0.5 + (0.3 if k == 0 else 0.0)
            f[FEATURES.index("sentence")] = 1.0 if k == 0 else rng.random() * 0.8
            rows.append(Row("syn", str(q), "train", int(k == 0), tuple(f)))
    return rows


def test_the_fit_learns_which_feature_tells_the_right_clause(tmp_path: Path) -> None:
    rows = _synthetic(200, 1)
    path = tmp_path / "rows.csv.gz"
    write_rows(path, rows)
    assert [r.label for r in read_rows(path)] == [r.label for r in rows]
    weights = fit(read_rows(path))
    assert weights["clause"] == 1.0
    assert weights["sentence"] > max(abs(weights[f]) for f in FEATURES
                                     if f not in ("sentence", "clause"))
    assert top1(_synthetic(100, 2), weights) > 0.95
    assert top1(_synthetic(100, 2), {"bias": 0.0, "meaning": 1.0}) < 0.5


@pytest.mark.slow
def test_the_recorded_fit_is_what_the_committed_rows_give() -> None:
    record = json.loads((ROOT / "eval" / "evidence-fit.json").read_text(encoding="utf-8"))
    rows = read_rows(ROOT / "eval" / "evidence-rows.csv.gz")
    train = [r for r in rows if r.split == "train"]
    l2 = record["l2"]
    assert fit(train, l2=l2) == pytest.approx(record["weights"]["fitted"], abs=2e-3)
    without = [f for f in FEATURES if f != "meaning"]
    assert fit(train, without, l2=l2) == pytest.approx(
        record["weights"]["fitted, no meaning"], abs=2e-3)
    assert set(fitted_weights()) == {"bias", *FEATURES}
    assert fitted_weights() == pytest.approx(record["weights"]["fitted"], abs=1e-4)
