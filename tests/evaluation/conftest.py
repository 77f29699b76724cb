"""Shared cases and results for the eval tests: one small document, valid raw cases."""

from __future__ import annotations

from typing import Any

from reportbot.evaluation.cases import Case, parse_case
from reportbot.evaluation.metrics import CaseResult

DOC = ("南昌市新增服务外包企业188家,同比增长43.51%。"
       "江西IT人才实训基地补助188人,拨付178.6万元。兑现资金总计1477万元。")
DOCS = {"r.txt": DOC}


def raw(**over: Any) -> dict[str, Any]:
    """A valid answerable case as decoded JSON, with fields overridden."""
    row: dict[str, Any] = {"id": "c1", "type": "lookup", "question": "新增多少家企业？",
                           "history": [], "numbers": [{"value": 188, "unit": "家"}],
                           "must_include": [], "evidence": ["新增服务外包企业188家"],
                           "answerable": True}
    row.update(over)
    return row


def case(**over: Any) -> Case:
    return parse_case(raw(**over))


def unanswerable() -> Case:
    return case(id="u1", type="unanswerable", numbers=[], evidence=[], answerable=False)


def result(id: str, type: str = "lookup", answerable: bool = True, correct: bool = True,
           refused: bool = False, latency: float | None = 10.0, found: int = 1,
           covered: int = 1, relevant: int = 1, cited: int = 1) -> CaseResult:
    return CaseResult(id, type, "q", answerable, correct, refused, "a", () if correct else ("x",),
                      1 if answerable else 0, found if answerable else 0, 0,
                      1 if answerable else 0, covered if answerable else 0, cited, relevant,
                      cited, latency)


RESULTS = [
    result("a"),
    result("b", correct=False, found=0, covered=0, relevant=0, cited=2, latency=30.0),
    result("c", answerable=True, correct=False, refused=True, found=0, covered=0, cited=0,
           relevant=0, latency=None),
    result("u1", "unanswerable", answerable=False, refused=True, cited=0, relevant=0),
    result("u2", "unanswerable", answerable=False, correct=False, cited=1, relevant=0),
]
