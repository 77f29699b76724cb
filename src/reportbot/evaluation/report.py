"""Eval reports: the terminal table, the Markdown report and its PNG chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reportbot.evaluation.metrics import HEADLINE, CaseResult

_COLUMNS = (("cases", "cases"), ("accuracy", "acc"), ("numeric_accuracy", "numeric"),
            ("citation_recall", "cit.rec"), ("citation_precision", "cit.prec"),
            ("refusal_recall", "ref.rec"), ("false_refusal_rate", "false.ref"),
            ("wrong_figure", "wrong.fig"))


def cell(value: object) -> str:
    """A metric as a table shows it: '-' for not measured, rates to 3 places."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1 else f"{value:.1f}"
    return str(value)


def _rows(summary: Mapping[str, Any]) -> list[list[str]]:
    """The 'all' row, one per case type, then one per intent (named intent:NAME) if any."""
    rows = [["all", *(cell(summary.get(k)) for k, _ in _COLUMNS)]]
    for group, prefix in (("by_type", ""), ("by_intent", "intent:")):
        for name, m in summary.get(group, {}).items():
            rows.append([prefix + name, *(cell(m.get(k)) for k, _ in _COLUMNS)])
    return rows


def render_table(summary: Mapping[str, Any]) -> str:
    """Plain-text headline metrics and the per-type (and per-intent) breakdown."""
    lines = [f"{k:<20} {cell(summary.get(k))}" for k in HEADLINE]
    header = ["type", *(label for _, label in _COLUMNS)]
    rows = [header, *_rows(summary)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines.append("")
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)


def render_markdown(summary: Mapping[str, Any], failures: Sequence[CaseResult]) -> str:
    """Markdown report: headline table, per-type table, chart, and every failing case."""
    out = ["# reportbot eval", "", "| metric | value |", "|---|---|"]
    out += [f"| {k} | {cell(summary.get(k))} |" for k in HEADLINE]
    out += ["", "## By type", "", "| type | " + " | ".join(lb for _, lb in _COLUMNS) + " |",
            "|---" * (len(_COLUMNS) + 1) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in _rows(summary)]
    out += ["", "![metrics](chart.png)", "", f"## Failing cases ({len(failures)})", ""]
    for r in failures:
        out += [f"### {r.id} ({r.type})", "", f"- question: {r.question}",
                f"- why: {'; '.join(r.reasons)}", f"- refused: {r.refused}", "",
                "> " + (r.answer.replace("\n", "\n> ") or "(empty answer)"), ""]
    return "\n".join(out)


def plot_png(summary: Mapping[str, Any], path: Path) -> None:
    """Bar charts of the headline rates and of accuracy per type, written as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rates = [k for k in HEADLINE if not k.endswith("_ms")]
    types = list(summary.get("by_type", {}))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    left.bar(rates, [summary.get(k) or 0.0 for k in rates], color="#4c72b0")
    left.set_ylim(0, 1)
    left.set_title("headline metrics")
    right.bar(types, [summary["by_type"][t].get("accuracy") or 0.0 for t in types],
              color="#55a868")
    right.set_ylim(0, 1)
    right.set_title("accuracy by case type")
    for axis in (left, right):
        plt.setp(axis.get_xticklabels(), rotation=40, ha="right")
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
