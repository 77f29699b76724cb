"""Follow-up history limits: only the newest turns that fit are kept."""

from __future__ import annotations

from reportbot.language.followup import in_context, recent_turns, refers_back, rewrite


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


def test_a_measure_named_with_呢_replaces_the_one_asked_before() -> None:
    def turn(question: str) -> list[dict[str, str]]:
        return [{"question": question, "answer": ""}]

    got = rewrite("净利润呢？", turn("特斯拉第二季度营收多少？"))
    assert (got.question, got.focus) == ("特斯拉第二季度净利润多少？", "")
    got = rewrite("那它的规上工业增加值呢？", turn("辽宁上半年GDP是多少？"))
    assert got.question == "辽宁上半年规上工业增加值是多少？"
    # a place named with 呢 asks the same measure of another subject
    assert "GDP" in rewrite("北京呢？", turn("上海上半年GDP是多少？")).question
    assert rewrite("其他政策呢？", turn("上半年留抵退税多少？")).question == "上半年其他政策多少？"
    # 其中…呢 asks a part of the measure asked before, not another measure
    part = rewrite("那其中离岸的部分呢？", turn("2010年南昌接包合同执行金额是多少？"))
    assert "执行金额" in part.question and part.focus == "离岸的部分"
