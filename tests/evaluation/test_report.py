"""Eval reports: the terminal table, the Markdown report and its PNG chart."""

from __future__ import annotations

from pathlib import Path

from reportbot.evaluation.metrics import summarize
from reportbot.evaluation.report import plot_png, render_markdown, render_table
from tests.evaluation.conftest import RESULTS


class TestReports:
    def test_table_lists_metrics_and_types(self) -> None:
        table = render_table(summarize(RESULTS))
        assert "accuracy             0.400" in table
        assert "unanswerable" in table and "latency_p95_ms" in table

    def test_markdown_lists_every_failure_with_its_answer(self) -> None:
        failures = [r for r in RESULTS if not r.correct]
        md = render_markdown(summarize(RESULTS), failures)
        assert "## Failing cases (3)" in md
        assert all(f"### {r.id} ({r.type})" in md for r in failures)
        assert "![metrics](chart.png)" in md and "| accuracy | 0.400 |" in md

    def test_plot_png(self, tmp_path: Path) -> None:
        path = tmp_path / "chart.png"
        plot_png(summarize(RESULTS), path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
