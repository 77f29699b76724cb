"""Frozen records: an Answer cannot be changed after it is built."""

from __future__ import annotations

import dataclasses

import pytest

from reportbot.records import Answer


def test_an_answer_is_built_with_keywords_and_stays_unchanged() -> None:
    with pytest.raises(TypeError):
        Answer("q", "a", False)  # type: ignore[misc]
    answer = Answer(question="q", answer="a", refused=False, timings_ms={"retrieve": 1.0})
    with pytest.raises(TypeError):
        answer.timings_ms["total"] = 2.0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.answer = "b"  # type: ignore[misc]
    later = dataclasses.replace(answer, timings_ms={**answer.timings_ms, "total": 2.0})
    assert dict(later.timings_ms) == {"retrieve": 1.0, "total": 2.0}
    assert dict(answer.timings_ms) == {"retrieve": 1.0}
