"""Eval metrics (pure): cases, number and citation scoring, summaries, the baseline gate.

The terminal/Markdown/PNG reports are in eval_report; CMRC 2018 metrics in cmrc_metrics.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportbot.errors import ReportbotError

TYPES = ("lookup", "derived", "entity", "date", "unanswerable", "followup", "english", "trap")
CASE_KEYS = frozenset({"id", "type", "question", "history", "numbers", "must_include",
                       "evidence", "answerable"})
DEFAULT_TOLERANCE = 0.001  # relative
GATED = ("accuracy", "numeric_accuracy", "citation_recall", "refusal_recall")
DATE_UNITS = frozenset({"年", "月", "日", "号", "季度", "年度"})

Quantity = tuple[float, str]
AnswerFn = Callable[[str, list[dict[str, str]]], Mapping[str, Any]]


@dataclass(frozen=True)
class Expected:
    """A number the answer must state, in base units (元, 美元, %, 家, 人 ...)."""

    value: float
    unit: str
    tolerance: float = DEFAULT_TOLERANCE


@dataclass(frozen=True)
class Case:
    """One eval question with what a correct, cited answer must contain."""

    id: str
    type: str
    question: str
    history: tuple[tuple[str, str], ...]
    numbers: tuple[Expected, ...]
    must_include: tuple[str, ...]
    evidence: tuple[str, ...]
    answerable: bool


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


# ---- cases -------------------------------------------------------------------------------

def _require(ok: object, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _strings(value: object, name: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and all(isinstance(s, str) and s for s in value),
             f"{name} must be a list of non-empty strings, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]


def _expected(item: object) -> Expected:
    _require(isinstance(item, dict) and {"value", "unit"} <= set(item)
             and set(item) <= {"value", "unit", "tolerance"},
             f"each number must be {{'value', 'unit', 'tolerance'?}}, got {item!r}")
    assert isinstance(item, dict)
    value, unit, tol = item["value"], item["unit"], item.get("tolerance", DEFAULT_TOLERANCE)
    _require(isinstance(value, int | float) and not isinstance(value, bool),
             f"number value must be numeric, got {value!r}")
    _require(isinstance(tol, int | float) and not isinstance(tol, bool) and tol >= 0,
             f"tolerance must be a relative tolerance >= 0, got {tol!r}")
    base = normalize_quantity(float(value), unit) if isinstance(unit, str) and unit else None
    _require(base is not None, f"unit must be a non-date unit such as 元 or 人, got {unit!r}")
    assert base is not None
    return Expected(base[0], base[1], float(tol))


def _history(value: object) -> tuple[tuple[str, str], ...]:
    _require(isinstance(value, list), f"history must be a list, got {value!r}")
    assert isinstance(value, list)
    turns = []
    for turn in value:
        _require(isinstance(turn, dict) and set(turn) == {"question", "answer"}
                 and all(isinstance(v, str) for v in turn.values()),
                 f"each history turn must be {{'question', 'answer'}} strings, got {turn!r}")
        turns.append((turn["question"], turn["answer"]))
    return tuple(turns)


def parse_case(obj: object) -> Case:
    """Validate one decoded JSON object as a Case; ValueError says what is wrong."""
    _require(isinstance(obj, dict), f"expected a JSON object, got {type(obj).__name__}")
    assert isinstance(obj, dict)
    missing, extra = sorted(CASE_KEYS - set(obj)), sorted(set(obj) - CASE_KEYS)
    _require(not missing and not extra, f"keys must be exactly {sorted(CASE_KEYS)} "
             f"(missing {missing}, unexpected {extra})")
    _require(isinstance(obj["id"], str) and obj["id"].strip(), "id must be a non-empty string")
    _require(obj["type"] in TYPES, f"type must be one of {', '.join(TYPES)}, got {obj['type']!r}")
    _require(isinstance(obj["question"], str) and obj["question"].strip(),
             "question must be a non-empty string")
    _require(isinstance(obj["answerable"], bool), "answerable must be true or false")
    _require(isinstance(obj["numbers"], list), f"numbers must be a list, got {obj['numbers']!r}")
    case = Case(obj["id"], obj["type"], obj["question"], _history(obj["history"]),
                tuple(_expected(n) for n in obj["numbers"]),
                _strings(obj["must_include"], "must_include"),
                _strings(obj["evidence"], "evidence"), obj["answerable"])
    if case.answerable:
        _require(case.numbers or case.must_include, "an answerable case needs numbers or "
                 "must_include (otherwise any non-refusal would pass)")
        _require(case.evidence, "an answerable case needs at least one evidence string")
    else:
        _require(not case.numbers, "an unanswerable case must have numbers == []")
    _require(case.type != "unanswerable" or not case.answerable,
             "type 'unanswerable' needs answerable: false")
    _require(case.type != "followup" or case.history, "a followup case needs history turns")
    return case


def load_cases(path: Path) -> list[Case]:
    """Read a JSONL eval dataset; every problem is reported with its file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportbotError(f"{path}: cannot read the eval dataset ({exc})") from exc
    cases: list[Case] = []
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = parse_case(json.loads(line))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError too
            problems.append(f"{path}:{lineno}: {exc}")
            continue
        if case.id in seen:
            problems.append(f"{path}:{lineno}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    if problems:
        raise ReportbotError("invalid eval dataset; fix these lines:\n" + "\n".join(problems))
    if not cases:
        raise ReportbotError(f"{path}: no cases (expected one JSON object per line)")
    return cases


def select_cases(cases: Sequence[Case], types: Iterable[str] = (),
                 limit: int | None = None) -> list[Case]:
    """Cases of the given types (all when none given), the first ``limit`` of them."""
    wanted = set(types)
    chosen = [c for c in cases if not wanted or c.type in wanted]
    return chosen[:limit] if limit else chosen


def check_evidence(cases: Sequence[Case], docs: Mapping[str, str]) -> list[str]:
    """One line per evidence string found in no document (the dataset is stale)."""
    return [f"{c.id}: evidence not in any document: {e!r}" for c in cases for e in c.evidence
            if not any(e in text for text in docs.values())]


# ---- numbers -----------------------------------------------------------------------------

_UNIT_SCALES = (("千万", 1e7), ("百万", 1e6), ("万亿", 1e12), ("亿", 1e8), ("万", 1e4))
_UNIT_ALIASES = {"个百分点": "%", "百分点": "%", "pp": "%", "percent": "%", "名": "人", "位": "人",
                 "份": "个", "人民币": "元", "yuan": "元", "rmb": "元", "cny": "元",
                 "¥": "元", "usd": "美元", "us$": "美元", "$": "美元", "us dollars": "美元"}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_TENS = {"十": 10, "百": 100, "千": 1000}
# 第24位 and 第五届 are ranks and ordinals, not quantities: no match right after 第 or a digit.
_ZH_QUANTITY = re.compile(
    r"(?<![第\d.,零〇一二两三四五六七八九十百千万亿])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)"
    r"\s*(?P<mult>千万|百万|亿|万)?\s*"
    r"(?P<unit>美元|人民币|元|个百分点|百分点|%|％|家|人|名|个|份|项|次|位|倍|天)")
_EN_NUMBER = re.compile(r"(?P<pre>US\$|\$|USD|RMB|CNY|¥)?\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
                        r"\s*(?P<scale>thousand|million|billion)?", re.IGNORECASE)
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_EN_UNITS = (("percent", "%"), ("yuan", "元"), ("rmb", "元"), ("dollar", "美元"), ("usd", "美元"),
             ("compan", "家"), ("enterprise", "家"), ("firm", "家"), ("people", "人"),
             ("person", "人"), ("trainee", "人"), ("student", "人"), ("employee", "人"),
             ("worker", "人"), ("job", "人"), ("certificat", "个"), ("agreement", "个"))
_MARKER = re.compile(r"\[\d+\]|【\d+】")


def cn_int(text: str) -> int:
    """Value of a Chinese numeral such as 十一, 两, 一千四百七十七万."""
    for big, scale in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            high, low = text.split(big, 1)
            return cn_int(high or "一") * scale + cn_int(low)
    total = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_TENS:
            total += (digit or 1) * _CN_TENS[ch]
            digit = 0
    return total + digit


def normalize_quantity(value: float, unit: str) -> Quantity | None:
    """Base-unit form: (1477, '万元') -> (14770000.0, '元'); dates and years give None."""
    u = unicodedata.normalize("NFKC", unit).strip()
    if u in DATE_UNITS:
        return None
    for prefix, scale in _UNIT_SCALES:
        if u.startswith(prefix) and len(u) > len(prefix):
            value, u = value * scale, u[len(prefix):]
            break
    return value, _UNIT_ALIASES.get(u.lower(), u)


def _english_unit(tail: str) -> str | None:
    if tail.lstrip().startswith("%"):
        return "%"
    for word in re.findall(r"[a-z]+", tail.lower())[:4]:
        for stem, unit in _EN_UNITS:
            if word.startswith(stem):
                return unit
    return None


def parse_local(text: str) -> list[Quantity]:
    """Quantities with a unit in Chinese or English text, in base units (dates skipped)."""
    found: list[Quantity] = []
    for m in _ZH_QUANTITY.finditer(text):
        num = m["num"]
        value = float(num.replace(",", "")) if num[0].isdigit() else float(cn_int(num))
        q = normalize_quantity(value * dict(_UNIT_SCALES).get(m["mult"] or "", 1.0), m["unit"])
        if q is not None:
            found.append(q)
    for m in _EN_NUMBER.finditer(text):
        tail = re.split(r"\d", text[m.end():m.end() + 60], maxsplit=1)[0]
        pre = (m["pre"] or "").lower()
        unit = ("美元" if "$" in pre or pre == "usd" else "元" if pre else None) \
            or _english_unit(tail)
        if unit is not None:
            scale = _EN_SCALES.get((m["scale"] or "").lower(), 1.0)
            found.append((float(m["num"].replace(",", "")) * scale, unit))
    return found


def _field(item: object, key: str) -> object:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _external_quantities(text: str) -> list[Quantity]:
    """Quantities from reportbot.language.quantities.parse_quantities when that module exists."""
    try:
        parse = importlib.import_module("reportbot.language.quantities").parse_quantities
    except (ImportError, AttributeError):
        return []
    out: list[Quantity] = []
    for item in parse(text):
        value, unit, kind = _field(item, "value"), _field(item, "unit"), _field(item, "kind")
        if kind not in (None, "quantity", "rate"):  # dates, years, ranks, document numbers
            continue
        if isinstance(value, int | float) and isinstance(unit, str) and unit:
            q = normalize_quantity(float(value), unit)
            if q is not None:
                out.append(q)
    return out


def strip_markers(text: str) -> str:
    """Answer text without citation markers such as [1] or 【2】."""
    return _MARKER.sub("", text).strip()


def answer_quantities(answer_json: Mapping[str, Any]) -> list[Quantity]:
    """The answer's numbers field plus every quantity parsed from its text, base units."""
    found: list[Quantity] = []
    for n in answer_json.get("numbers") or []:
        value, unit = n.get("value"), n.get("unit")
        if isinstance(value, int | float):
            q = normalize_quantity(float(value), unit if isinstance(unit, str) else "")
            if q is not None:
                found.append(q)
    text = strip_markers(str(answer_json.get("answer") or ""))
    found += parse_local(text) + _external_quantities(text)
    unique = {(round(v, 6), u): (v, u) for v, u in found}  # two parsers often agree
    return list(unique.values())


def number_matches(expected: Expected, found: Iterable[Quantity]) -> bool:
    """True when some found quantity has the expected unit and value within tolerance."""
    return any(unit == expected.unit and math.isclose(value, expected.value,
                                                      rel_tol=expected.tolerance, abs_tol=1e-9)
               for value, unit in found)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


# ---- scoring -----------------------------------------------------------------------------

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
        latency_ms=float(total) if isinstance(total, int | float) else wall_ms)


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


# ---- summaries and reports -----------------------------------------------------------------

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
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "failures": sum(not r.correct for r in results),
    }


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    """Headline metrics over all results, and the same metrics per case type."""
    summary = _metrics(results)
    summary["by_type"] = {t: _metrics([r for r in results if r.type == t])
                          for t in sorted({r.type for r in results})}
    return summary


HEADLINE = ("accuracy", "numeric_accuracy", "citation_recall", "citation_precision",
            "citation_exactness", "refusal_precision", "refusal_recall", "false_refusal_rate",
            "latency_p50_ms", "latency_p95_ms")
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
