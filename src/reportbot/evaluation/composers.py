"""The extractive and the generative composer side by side on the same cases (pure): answer
accuracy, citation precision, numbers verified, how often the LLM's answer was shown,
rejections by reason, latency. What a site needs to decide whether to trust its server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from reportbot.answering.generative import reason_code
from reportbot.evaluation.metrics import CaseResult, summarize
from reportbot.evaluation.report import cell

COMPOSERS = ("extractive", "llm")
_ROWS = (("accuracy", "answer accuracy"), ("citation_precision", "citation precision"),
         ("numbers_verified", "numbers verified"), ("llm_shown", "LLM answers shown"),
         ("latency_p50_ms", "latency p50 (ms)"), ("latency_p95_ms", "latency p95 (ms)"))


def composer_metrics(results: Sequence[CaseResult]) -> dict[str, Any]:
    """One composer's column: the headline metrics and its rejections by reason."""
    summary = summarize(results)
    checked = sum(r.numbers_checked for r in results)
    rejections = Counter(reason_code(r.llm_rejected) for r in results if r.llm_rejected)
    return {"cases": len(results), "accuracy": summary["accuracy"],
            "citation_precision": summary["citation_precision"],
            "numbers_verified": sum(r.numbers_verified for r in results) / checked
            if checked else None,
            "llm_shown": sum(r.composer == "llm" for r in results) / len(results)
            if results else None,
            "latency_p50_ms": summary["latency_p50_ms"],
            "latency_p95_ms": summary["latency_p95_ms"],
            "rejections": dict(sorted(rejections.items(), key=lambda kv: (-kv[1], kv[0])))}


def side_by_side(extractive: Sequence[CaseResult], llm: Sequence[CaseResult]
                 ) -> dict[str, dict[str, Any]]:
    """Both composers' columns over the same cases."""
    return {"extractive": composer_metrics(extractive), "llm": composer_metrics(llm)}


def _lines(table: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    rows = [(label, cell(table["extractive"].get(key)), cell(table["llm"].get(key)))
            for key, label in _ROWS]
    reasons = sorted({*table["extractive"]["rejections"], *table["llm"]["rejections"]})
    rows += [(f"rejected: {r}", str(table["extractive"]["rejections"].get(r, 0)),
              str(table["llm"]["rejections"].get(r, 0))) for r in reasons]
    return rows


def render_side_by_side(table: Mapping[str, Mapping[str, Any]]) -> str:
    """The comparison as a plain-text table."""
    rows = [("composer", *COMPOSERS), *_lines(table)]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b:>10}  {c:>10}" for a, b, c in rows)


def markdown_side_by_side(table: Mapping[str, Mapping[str, Any]]) -> str:
    """The comparison as a Markdown section (the 评测 tab shows it)."""
    out = ["## Composers side by side (抽取式 vs 大模型)", "",
           f"Same {table['llm']['cases']} cases. An LLM answer is shown only when every "
           "citation, sentence and number passes the checks; otherwise the extractive answer "
           "is shown and the reason counted.", "",
           "| metric | extractive | llm |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in _lines(table)]
    out += ["", "The tables below score the answers shown with the LLM server configured."]
    return "\n".join(out)
