"""Eval metrics (pure): scoring answers against cases, summaries, the baseline gate.

Cases are loaded in :mod:`reportbot.evaluation.cases`, the numbers an answer states are
read in :mod:`reportbot.evaluation.amounts`; the terminal/Markdown/PNG reports are in
:mod:`reportbot.evaluation.report`, CMRC 2018 metrics in :mod:`~reportbot.evaluation.cmrc_metrics`.
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportbot.evaluation.amounts import Quantity, answer_quantities
from reportbot.evaluation.cases import CASE_KEYS as CASE_KEYS  # re-exported for callers
from reportbot.evaluation.cases import Case, Expected
from reportbot.evaluation.cases import parse_case as parse_case  # re-exported for callers

GATED = ("accuracy", "numeric_accuracy", "citation_recall", "refusal_recall")
AnswerFn = Callable[[str, list[dict[str, str]]], Mapping[str, Any]]


@dataclass(frozen=True)
class CaseResult:
    """How one answer scored; ``reasons`` says why it failed (empty when correct)."""

    id: str
    type: str
    question: str
    answerable: bool
    correct: bool
    refused: bool
    answer: str
    reasons: tuple[str, ...]
    numbers_expected: int
    numbers_found: int
    numbers_asserted: int
    evidence_total: int
    evidence_covered: int
    citations_total: int
    citations_relevant: int
    citations_exact: int
    latency_ms: float | None
    intent: str | None = None
    # Stated a number, but not the one asked for (None: refused, or no number was asked).
    wrong_figure: bool | None = None
    # Who wrote the answer shown (extractive | llm) and why a generated one was rejected.
    composer: str | None = None
    llm_rejected: str | None = None
    # The numbers the answer states that the cross-check verified or derived, of all checked.
    numbers_checked: int = 0
    numbers_verified: int = 0


def number_matches(expected: Expected, found: Iterable[Quantity]) -> bool:
    """True when some found quantity has the expected unit and value within tolerance."""
    return any(unit == expected.unit and math.isclose(value, expected.value,
                                                      rel_tol=expected.tolerance, abs_tol=1e-9)
               for value, unit in found)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


# ---- scoring ---------------------------------------------------------------------------

Span3 = tuple[str, int, int]


def evidence_spans(evidence: str, docs: Mapping[str, str]) -> list[Span3]:
    """Every (doc_id, start, end) where the evidence string occurs, documents in id order."""
    spans: list[Span3] = []
    for doc_id in sorted(docs):
        start = docs[doc_id].find(evidence)
        while start >= 0 and evidence:
            spans.append((doc_id, start, start + len(evidence)))
            start = docs[doc_id].find(evidence, start + 1)
    return spans


def _ranges(citations: Sequence[Mapping[str, Any]], doc_id: str) -> list[tuple[int, int]]:
    return sorted((int(c["start"]), int(c["end"])) for c in citations
                  if c.get("doc_id") == doc_id and "start" in c and "end" in c)


def span_covered(span: Span3, citations: Sequence[Mapping[str, Any]]) -> bool:
    """True when the cited ranges of the span's document together cover it completely."""
    doc_id, start, end = span
    pos = start
    for c_start, c_end in _ranges(citations, doc_id):
        if c_start > pos:
            break
        pos = max(pos, c_end)
    return pos >= end


def _overlaps(citation: Mapping[str, Any], spans: Iterable[Span3]) -> bool:
    return any(citation.get("doc_id") == d and int(citation.get("start", 0)) < e
               and s < int(citation.get("end", 0)) for d, s, e in spans)


def _exact(citation: Mapping[str, Any], docs: Mapping[str, str]) -> bool:
    text = docs.get(str(citation.get("doc_id")))
    return text is not None and text[int(citation.get("start", 0)):
                                     int(citation.get("end", 0))] == citation.get("text")


def _show(value: float) -> str:
    """A value as people write it: 3762000, 39.6999 (no exponent notation)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _content_reasons(case: Case, text: str, refused: bool,
                     found: Sequence[Quantity]) -> tuple[list[str], int]:
    """Why an answer is wrong for its case, and how many expected numbers it stated."""
    if not case.answerable:
        reasons = [] if refused else ["answered an unanswerable question"]
        if found:
            shown = ", ".join(f"{_show(v)}{u}" for v, u in found)
            reasons.append(f"asserted numbers on an unanswerable question: {shown}")
        return reasons, 0
    reasons = ["refused an answerable question"] if refused else []
    matched = 0
    for e in case.numbers:
        if number_matches(e, found):
            matched += 1
        else:
            reasons.append(f"missing number {_show(e.value)}{e.unit}")
    reasons += [f"missing text {s!r}" for s in case.must_include if _fold(s) not in _fold(text)]
    return reasons, matched


def wrong_figure(case: Case, refused: bool, found: Sequence[Quantity]) -> bool | None:
    """Did a non-refused answer state a figure in place of the expected one?

    True when the case is unanswerable and the answer states any number, or when it expects
    numbers and the answer misses one of them while stating a number that is none of them
    (a figure of another subject or period). Numbers stated beside every expected one are
    context, not a wrong figure. None when refused or when the case asks for no number.
    """
    if refused or (case.answerable and not case.numbers):
        return None
    if not case.answerable:
        return bool(found)
    missed = any(not number_matches(e, found) for e in case.numbers)
    stray = any(not any(number_matches(e, [q]) for e in case.numbers) for q in found)
    return missed and stray


def score_case(case: Case, answer_json: Mapping[str, Any], docs: Mapping[str, str],
               wall_ms: float | None = None) -> CaseResult:
    """Score one answer (``Answer.to_json()`` shape) against its case and the documents."""
    text = str(answer_json.get("answer") or "")
    refused = bool(answer_json.get("refused"))
    found = answer_quantities(answer_json)
    reasons, matched = _content_reasons(case, text, refused, found)
    if answer_json.get("error"):
        reasons.insert(0, f"error: {answer_json['error']}")
    citations = [c for c in answer_json.get("citations") or [] if isinstance(c, Mapping)]
    spans = [evidence_spans(e, docs) for e in case.evidence]
    all_spans = [s for group in spans for s in group]
    timings = answer_json.get("timings_ms") or {}
    total = timings.get("total") if isinstance(timings, Mapping) else None
    return CaseResult(
        id=case.id, type=case.type, question=case.question, answerable=case.answerable,
        correct=not reasons, refused=refused, answer=text, reasons=tuple(reasons),
        numbers_expected=len(case.numbers), numbers_found=matched, numbers_asserted=len(found),
        evidence_total=len(spans),
        evidence_covered=sum(any(span_covered(s, citations) for s in g) for g in spans),
        citations_total=len(citations),
        citations_relevant=sum(_overlaps(c, all_spans) for c in citations),
        citations_exact=sum(_exact(c, docs) for c in citations),
        latency_ms=float(total) if isinstance(total, int | float) else wall_ms,
        intent=case.intent, wrong_figure=wrong_figure(case, refused, found),
        **_composed(answer_json))


def _composed(answer_json: Mapping[str, Any]) -> dict[str, Any]:
    """Composer, rejection and the cross-check's verdicts of an answer, for the comparison."""
    checks = [n for n in answer_json.get("numbers") or [] if isinstance(n, Mapping)]
    composer, rejected = answer_json.get("composer"), answer_json.get("llm_rejected")
    return {"composer": str(composer) if composer else None,
            "llm_rejected": str(rejected) if rejected else None,
            "numbers_checked": len(checks),
            "numbers_verified": sum(n.get("status") in ("verified", "derived") for n in checks)}


def run_cases(cases: Sequence[Case], answer_fn: AnswerFn, docs: Mapping[str, str],
              progress: Callable[[int], None] | None = None) -> list[CaseResult]:
    """Ask every case through ``answer_fn`` in order and score it; an exception fails a case."""
    results: list[CaseResult] = []
    for case in cases:
        history = [{"question": q, "answer": a} for q, a in case.history]
        started = time.perf_counter()
        try:
            answer: Mapping[str, Any] = answer_fn(case.question, history)
        except Exception as exc:  # one broken case must not hide the scores of the others
            answer = {"answer": "", "refused": False, "error": f"{type(exc).__name__}: {exc}"}
        results.append(score_case(case, answer, docs, (time.perf_counter() - started) * 1000))
        if progress is not None:
            progress(1)
    return results


# ---- summaries and the gate ----------------------------------------------------------------

def _ratio(num: float, den: float) -> float | None:
    """num/den, or None when nothing was measured (shown as '-', never as a fake 0 or 1)."""
    return num / den if den else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile of the values (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _metrics(results: Sequence[CaseResult]) -> dict[str, Any]:
    ans = [r for r in results if r.answerable]
    unans = [r for r in results if not r.answerable]
    refused = [r for r in results if r.refused]
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    return {
        "cases": len(results),
        "accuracy": _ratio(sum(r.correct for r in results), len(results)),
        "numeric_accuracy": _ratio(sum(r.numbers_found for r in ans),
                                   sum(r.numbers_expected for r in ans)),
        "citation_recall": _ratio(sum(r.evidence_covered for r in ans),
                                  sum(r.evidence_total for r in ans)),
        "citation_precision": _ratio(sum(r.citations_relevant for r in ans),
                                     sum(r.citations_total for r in ans)),
        "citation_exactness": _ratio(sum(r.citations_exact for r in results),
                                     sum(r.citations_total for r in results)),
        "refusal_precision": _ratio(sum(not r.answerable for r in refused), len(refused)),
        "refusal_recall": _ratio(sum(r.refused for r in unans), len(unans)),
        "false_refusal_rate": _ratio(sum(r.refused for r in ans), len(ans)),
        "wrong_figure": _ratio(sum(r.wrong_figure is True for r in results),
                               sum(r.wrong_figure is not None for r in results)),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "failures": sum(not r.correct for r in results),
    }


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    """Headline metrics over all results, and the same metrics per case type and, when the
    cases carry one, per intent."""
    summary = _metrics(results)
    summary["by_type"] = {t: _metrics([r for r in results if r.type == t])
                          for t in sorted({r.type for r in results})}
    intents = sorted({r.intent for r in results if r.intent})
    if intents:
        summary["by_intent"] = {i: _metrics([r for r in results if r.intent == i])
                                for i in intents}
    return summary


HEADLINE = ("accuracy", "numeric_accuracy", "citation_recall", "citation_precision",
            "citation_exactness", "refusal_precision", "refusal_recall", "false_refusal_rate",
            "wrong_figure", "latency_p50_ms", "latency_p95_ms")


def compare_to_baseline(summary: Mapping[str, Any], baseline: Mapping[str, Any],
                        slack: float = 1e-9) -> list[str]:
    """One line per gated metric below the baseline (a saved summary or full eval JSON)."""
    base = baseline.get("summary", baseline)
    regressions: list[str] = []
    for name in GATED:
        want = base.get(name)
        if want is None:
            continue
        got = summary.get(name)
        if got is None:
            regressions.append(f"{name}: not measured in this run (baseline {want:.3f})")
        elif got < want - slack:
            regressions.append(f"{name}: {got:.3f} is below the baseline {want:.3f}")
    return regressions
