"""CMRC 2018 short-answer metrics (EM, F1 as defined in ../shared/benchmarks/README.md)
and the per-retriever summary table."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from reportbot.evaluation.amounts import strip_markers

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _is_punct(ch: str) -> bool:
    return (ch in string.punctuation or unicodedata.category(ch).startswith("P")
            or unicodedata.normalize("NFKC", ch) in string.punctuation)


def cmrc_normalize(text: str) -> str:
    """Lower-cased, punctuation (Chinese and ASCII) removed, outer whitespace stripped."""
    return "".join(ch for ch in text.lower() if not _is_punct(ch)).strip()


def cmrc_tokens(text: str) -> list[str]:
    """CJK characters one by one; runs of other letters/digits (ASCII words) as one token."""
    tokens: list[str] = []
    run = ""
    for ch in text.lower():
        if _is_punct(ch) or ch.isspace() or _CJK.match(ch):
            if run:
                tokens.append(run)
                run = ""
            if _CJK.match(ch):
                tokens.append(ch)
        else:
            run += ch
    return tokens + [run] if run else tokens


def _lcs_len(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common contiguous run of tokens."""
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def cmrc_em(pred: str, refs: Sequence[str]) -> float:
    """1.0 when the prediction equals some reference after normalization, else 0.0."""
    p = cmrc_normalize(pred)
    return 1.0 if any(p == cmrc_normalize(r) for r in refs) else 0.0


def cmrc_f1(pred: str, refs: Sequence[str]) -> float:
    """Max over references of the F1 of the longest common token substring."""
    p = cmrc_tokens(pred)
    best = 0.0
    for ref in refs:
        r = cmrc_tokens(ref)
        common = _lcs_len(r, p)
        if common:
            precision, recall = common / len(p), common / len(r)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def short_text(answer_json: Mapping[str, Any]) -> str:
    """The short answer as one string: list items joined with 、, None (a refusal) empty."""
    short = answer_json.get("short_answer")
    if short is None or answer_json.get("refused"):
        return ""
    return "、".join(str(s) for s in short) if isinstance(short, list | tuple) else str(short)


def cmrc_row(answers: Sequence[str], retrieval: Mapping[str, bool],
             answer_json: Mapping[str, Any]) -> dict[str, float]:
    """One CMRC question: retrieval flags, answer inside the cited passages, EM and F1 of
    the short answer (``em``, ``f1``) and of the whole answer text (``em_clause``,
    ``f1_clause``: the figure reported before short answers existed)."""
    refused = bool(answer_json.get("refused"))
    cited = sorted((c for c in answer_json.get("citations") or []), key=lambda c: c.get("n", 0))
    # The cited passage is the retrieved chunk that holds the quoted span.
    texts = [str(c.get("passage") or c.get("text", "")) for c in cited]
    clause = "" if refused else strip_markers(str(answer_json.get("answer") or ""))
    short = short_text(answer_json)
    row = {k: float(v) for k, v in retrieval.items()}
    row["answer_in_top_cited"] = float(any(a in t for a in answers for t in texts[:1]))
    row["answer_in_cited"] = float(any(a in t for a in answers for t in texts))
    row["em"] = cmrc_em(short, answers)
    row["f1"] = cmrc_f1(short, answers)
    row["em_clause"] = cmrc_em(clause, answers)
    row["f1_clause"] = cmrc_f1(clause, answers)
    row["refused"] = float(refused)
    return row


def summarize_cmrc(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Mean of every per-question score, plus the number of questions."""
    keys = sorted({k for r in rows for k in r})
    out = {k: sum(r.get(k, 0.0) for r in rows) / len(rows) for k in keys} if rows else {}
    return {"questions": float(len(rows)), **out}


def render_cmrc_table(by_mode: Mapping[str, Mapping[str, float]]) -> str:
    """Plain-text table: one row per retriever, one column per CMRC score."""
    keys = sorted({k for m in by_mode.values() for k in m if k != "questions"})
    rows = [["retriever", "questions", *keys]]
    rows += [[mode, f"{m.get('questions', 0):.0f}", *(f"{m.get(k, 0.0):.3f}" for k in keys)]
             for mode, m in by_mode.items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)
