"""Follow-up history limits: only the newest turns that fit are kept."""

from __future__ import annotations

from reportbot.language.followup import in_context, recent_turns, refers_back


def turns(*sizes: int) -> list[dict[str, str]]:
    return [{"question": f"{i}" + "问" * (size - 1), "answer": ""} for i, size in enumerate(sizes)]


def test_older_turns_are_dropped_first_beyond_the_turn_limit() -> None:
    kept = recent_turns(turns(5, 5, 5, 5), max_turns=2, max_chars=1000)
    assert [t["question"][0] for t in kept] == ["2", "3"]


def test_turns_beyond_the_character_limit_are_dropped_oldest_first() -> None:
    kept = recent_turns(turns(40, 30, 20), max_turns=10, max_chars=60)
    assert [t["question"][0] for t in kept] == ["1", "2"]


def test_a_newest_turn_alone_above_the_limit_leaves_no_history() -> None:
    assert recent_turns(turns(5, 100_000), max_turns=10, max_chars=8000) == []


def test_answers_count_and_a_missing_answer_is_empty() -> None:
    history = [{"question": "问", "answer": "答" * 10}, {"question": "再问", "answer": None}]
    kept = recent_turns(history, max_turns=10, max_chars=5)  # type: ignore[list-item]
    assert kept == [{"question": "再问", "answer": ""}]


def test_a_follow_up_naming_its_own_subject_keeps_the_last_questions_time_and_place() -> None:
    previous = "6月上海辖内银行业金融机构本外币总负债余额是多少？"
    got = in_context(previous, "大型商业银行的负债余额是多少")
    assert got == "6月上海大型商业银行的负债余额是多少"
    assert refers_back("它占接包合同执行总额的比例是多少")
    assert not refers_back("大型商业银行的负债余额")
