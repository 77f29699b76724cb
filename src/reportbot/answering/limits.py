"""Bounds on one request, applied before any work: the question's length and a time budget."""

from __future__ import annotations

import re
import time
import unicodedata

from reportbot.errors import QuestionError


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters and check length; raise QuestionError for unusable input."""
    if not isinstance(question, str):
        raise QuestionError(f"expected the question as text, got {type(question).__name__}")
    if len(question) > 10 * max_chars + 1000:  # no padding explains that much: refuse unread
        _too_long(len(question), max_chars)
    text = "".join(ch for ch in question
                   if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("问题为空：请输入一个关于报告的问题。(The question is empty.)")
    if len(text) > max_chars:
        _too_long(len(text), max_chars)
    return text


def _too_long(size: int, max_chars: int) -> None:
    raise QuestionError(f"问题太长：{size} 个字符，上限 {max_chars}。请缩短后再问。"
                        f"(Question too long: {size} characters, limit {max_chars}.)")


class Deadline:
    """The time budget of one answer, checked between stages (no stage is interrupted:
    each is bounded by the input limits, so a request ends within budget + one stage)."""

    def __init__(self, budget_s: float, started: float | None = None) -> None:
        self.budget_s = budget_s
        self.started = time.perf_counter() if started is None else started

    def elapsed(self) -> float:
        """Seconds since the request started."""
        return time.perf_counter() - self.started

    def check(self, stage: str) -> None:
        """Raise QuestionError when the budget is spent before ``stage`` begins."""
        spent = self.elapsed()
        if spent > self.budget_s:
            raise QuestionError(
                f"回答超时：已用 {spent:.1f} 秒，超过每次回答 {self.budget_s:g} 秒的上限，"
                f"已在「{stage}」之前停止。请稍后再试或把问题问得更短。"
                f"(Answer refused: over the {self.budget_s:g} s time budget before {stage}.)")
