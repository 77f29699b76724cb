"""CMRC 2018 short-answer metrics: EM, F1, one row per question, the summary."""

from __future__ import annotations

import pytest

from reportbot.evaluation.cmrc_metrics import (
    cmrc_em,
    cmrc_f1,
    cmrc_row,
    cmrc_tokens,
    short_text,
    summarize_cmrc,
)


class TestCmrcMetrics:
    def test_em_ignores_case_and_punctuation(self) -> None:
        assert cmrc_em("北京。", ["北京"]) == 1.0
        assert cmrc_em("“iPhone”", ["IPHONE"]) == 1.0
        assert cmrc_em(" 《红楼梦》 ", ["上海", "红楼梦"]) == 1.0
        assert cmrc_em("北京市", ["北京"]) == 0.0
        assert cmrc_em("北京", []) == 0.0

    def test_tokens(self) -> None:
        assert cmrc_tokens("2010年iPhone 4发布，售价$499") == [
            "2010", "年", "iphone", "4", "发", "布", "售", "价", "499"]

    def test_f1_hand_computed(self) -> None:
        assert cmrc_f1("北京市", ["北京"]) == pytest.approx(0.8)  # p=2/3, r=1
        assert cmrc_f1("南京长江大桥", ["长江大桥"]) == pytest.approx(0.8)  # p=4/6, r=1
        assert cmrc_f1("2010年", ["2010"]) == pytest.approx(2 / 3)  # p=1/2, r=1
        assert cmrc_f1("北A京", ["北京"]) == pytest.approx(0.4)  # substring, not subsequence
        assert cmrc_f1("上海", ["北京"]) == 0.0
        assert cmrc_f1("", ["北京"]) == 0.0

    def test_f1_takes_the_best_reference(self) -> None:
        assert cmrc_f1("长江大桥", ["南京", "南京长江大桥"]) == pytest.approx(0.8)
        assert cmrc_f1("iPhone 4", ["iphone4"]) == 0.0  # ASCII runs are whole tokens

    def test_short_text(self) -> None:
        assert short_text({"short_answer": ["燕京", "北平"], "refused": False}) == "燕京、北平"
        assert short_text({"short_answer": "北京", "refused": False}) == "北京"
        assert short_text({"short_answer": None, "refused": False}) == ""
        assert short_text({"short_answer": "北京", "refused": True}) == ""

    def test_row_scores_the_short_answer_and_keeps_the_clause(self) -> None:
        ans = {"answer": "中国的首都是北京[1]", "short_answer": "北京", "refused": False,
               "citations": [{"n": 2, "text": "别处"}, {"n": 1, "text": "首都是北京。"}]}
        flags = {"hit@1": True, "hit@5": True, "answer_in_top1": False, "answer_in_top3": True}
        row = cmrc_row(["北京"], flags, ans)
        assert row["em"] == 1.0 and row["f1"] == 1.0
        assert row["em_clause"] == 0.0 and row["f1_clause"] == pytest.approx(0.4)  # p=2/8, r=1
        assert row["answer_in_top_cited"] == 1.0 and row["answer_in_cited"] == 1.0
        assert row["hit@1"] == 1.0 and row["answer_in_top1"] == 0.0
        refused = cmrc_row(["北京"], flags, {"answer": "北京", "short_answer": "北京",
                                             "refused": True, "citations": []})
        assert refused["em"] == 0.0 and refused["refused"] == 1.0
        summary = summarize_cmrc([row, refused])
        assert summary["questions"] == 2 and summary["em"] == 0.5
