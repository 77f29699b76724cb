"""Bounded work per request: history trimmed, rewritten question within the limit, time budget."""

from __future__ import annotations

import time

import pytest

from reportbot.answering.limits import clean_question
from reportbot.answering.pipeline import Pipeline
from reportbot.app.service import Reportbot
from reportbot.errors import QuestionError

PREVIOUS = "2010年南昌接包合同执行金额是多少？"
FOLLOW_UP = "那其中离岸的部分呢？"


def capped(indexed: Reportbot, **limits: object) -> Pipeline:
    return Reportbot(indexed.settings.model_copy(update=limits),
                     embedder=indexed.embedder).pipeline()


def test_a_100k_character_history_is_dropped_before_any_work(indexed: Reportbot) -> None:
    pipeline = indexed.pipeline()
    long_turn = {"question": "南昌市服务外包企业数量和离岸执行金额是多少，" * 4500, "answer": ""}
    started = time.perf_counter()
    answer = pipeline.answer(FOLLOW_UP, [long_turn])
    seconds = time.perf_counter() - started
    print(f"\nfollow-up after a {len(long_turn['question']):,}-character turn: {seconds:.2f} s")
    assert seconds < 10 and answer.standalone_question == FOLLOW_UP


def test_the_newest_turn_still_drives_a_follow_up_after_many_old_ones(
        indexed: Reportbot) -> None:
    old = [{"question": f"第{i}个问题是什么？" * 20, "answer": "答" * 300} for i in range(200)]
    history = [*old, {"question": PREVIOUS, "answer": "7.33亿美元"}]
    pipeline = indexed.pipeline()
    assert len(pipeline.recent(history)) <= pipeline.settings.max_history_turns
    answer = pipeline.answer(FOLLOW_UP, history)
    assert "2.91亿美元" in answer.answer and PREVIOUS.rstrip("？") in answer.standalone_question


def test_a_rewritten_question_longer_than_the_limit_is_asked_alone(indexed: Reportbot) -> None:
    pipeline = capped(indexed, max_question_chars=len(PREVIOUS) + 2)
    answer = pipeline.answer(FOLLOW_UP, [{"question": PREVIOUS, "answer": ""}])
    assert answer.standalone_question == FOLLOW_UP
    wide = capped(indexed, max_question_chars=100)
    joined = wide.answer(FOLLOW_UP, [{"question": PREVIOUS, "answer": ""}])
    assert len(joined.standalone_question) > len(PREVIOUS)


def test_an_answer_over_the_time_budget_is_refused_with_a_clear_line(
        indexed: Reportbot) -> None:
    pipeline = capped(indexed, answer_budget_s=1e-6)
    with pytest.raises(QuestionError, match="回答超时") as err:
        pipeline.answer("2010年南昌市新增多少家服务外包企业？")
    assert "1e-06 s time budget" in err.value.message and "\n" not in err.value.message


def test_the_default_budget_leaves_ordinary_answers_alone(indexed: Reportbot) -> None:
    answer = indexed.pipeline().answer("2010年南昌市新增多少家服务外包企业？")
    assert "188家" in answer.answer


def test_a_ten_million_character_question_is_refused_unread() -> None:
    started = time.perf_counter()
    with pytest.raises(QuestionError, match="问题太长：10000000 个字符，上限 200"):
        clean_question("南" * 10_000_000, 200)
    assert time.perf_counter() - started < 1.5  # cleaning it first took 4 s
