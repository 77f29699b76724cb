"""Eval metrics: number and citation scoring, summaries, the baseline gate."""

from __future__ import annotations

from typing import Any

import pytest

from reportbot.evaluation.metrics import (
    compare_to_baseline,
    evidence_spans,
    percentile,
    run_cases,
    score_case,
    summarize,
)
from tests.evaluation.conftest import DOC, DOCS, RESULTS, case, unanswerable


def cite(start: int, end: int, doc_id: str = "r.txt", n: int = 1) -> dict[str, Any]:
    text = DOCS.get(doc_id, "")[start:end]
    return {"n": n, "doc_id": doc_id, "title": "T", "section": "", "start": start, "end": end,
            "text": text}


def answer(text: str, refused: bool = False, numbers: list[dict[str, Any]] | None = None,
           citations: list[dict[str, Any]] | None = None, total_ms: float = 12.0) -> dict[str, Any]:
    return {"question": "q", "answer": text, "refused": refused, "citations": citations or [],
            "numbers": numbers or [], "timings_ms": {"total": total_ms}}


def span_of(evidence: str) -> tuple[int, int]:
    start = DOC.index(evidence)
    return start, start + len(evidence)


class TestScoreAnswerable:
    def test_number_in_the_numbers_field(self) -> None:
        nums = [{"text": "188家", "value": 188.0, "unit": "家", "status": "verified",
                 "fact_ids": [1], "formula": ""}]
        result = score_case(case(), answer("见引用[1]", numbers=nums), DOCS)
        assert result.correct and result.numbers_found == 1 and result.reasons == ()

    def test_number_parsed_from_the_text(self) -> None:
        assert score_case(case(), answer("南昌市新增服务外包企业188家[1]。"), DOCS).correct

    def test_188_jia_is_not_188_ren(self) -> None:
        trap = case(numbers=[{"value": 188, "unit": "人"}])
        result = score_case(trap, answer("新增服务外包企业188家[1]。"), DOCS)
        assert not result.correct
        assert result.reasons == ("missing number 188人",)

    def test_wan_yuan_is_not_yuan(self) -> None:
        c = case(numbers=[{"value": 14770000, "unit": "元"}])
        assert not score_case(c, answer("兑现资金总计1477元。"), DOCS).correct
        assert score_case(c, answer("兑现资金总计1477万元。"), DOCS).correct

    def test_rate_is_not_the_amount(self) -> None:
        c = case(numbers=[{"value": 733000000, "unit": "美元"}])
        assert not score_case(c, answer("同比增长70.82%。"), DOCS).correct

    def test_refusal_fails_an_answerable_case(self) -> None:
        result = score_case(case(), answer("报告中未找到相关信息。", refused=True), DOCS)
        assert not result.correct and result.refused
        assert result.reasons[0] == "refused an answerable question"

    def test_every_expected_number_is_needed(self) -> None:
        c = case(numbers=[{"value": 188, "unit": "家"}, {"value": 43.51, "unit": "%"}])
        result = score_case(c, answer("新增188家。"), DOCS)
        assert not result.correct and result.numbers_found == 1 and result.numbers_expected == 2

    def test_tolerance_is_relative(self) -> None:
        c = case(type="derived", numbers=[{"value": 131.0013, "unit": "家", "tolerance": 0.01}])
        assert score_case(c, answer("约131家。"), DOCS).correct
        assert not score_case(c, answer("约140家。"), DOCS).correct
        exact = case(numbers=[{"value": 131.0013, "unit": "家"}])  # default 0.001
        assert score_case(exact, answer("约131家。"), DOCS).correct
        assert not score_case(exact, answer("约130家。"), DOCS).correct

    def test_must_include(self) -> None:
        c = case(numbers=[], must_include=["IBM先锋", "江西IT"])
        assert score_case(c, answer("ＩＢＭ先锋和江西IT人才实训基地"), DOCS).correct
        result = score_case(c, answer("IBM先锋基地"), DOCS)
        assert result.reasons == ("missing text '江西IT'",)

    def test_pipeline_error_is_a_failure(self) -> None:
        broken = {"answer": "", "refused": False, "error": "QuestionError: empty"}
        result = score_case(case(), broken, DOCS, wall_ms=3.0)
        assert not result.correct and result.reasons[0] == "error: QuestionError: empty"
        assert result.latency_ms == 3.0


class TestScoreUnanswerable:
    def test_refusal_without_numbers_is_correct(self) -> None:
        result = score_case(unanswerable(), answer("报告中未找到相关信息。", refused=True), DOCS)
        assert result.correct

    def test_years_in_a_refusal_are_not_asserted_numbers(self) -> None:
        text = "报告未给出2011年的目标。"
        assert score_case(unanswerable(), answer(text, refused=True), DOCS).correct

    def test_a_number_in_the_refusal_text_fails(self) -> None:
        result = score_case(unanswerable(), answer("未找到，约有300家。", refused=True), DOCS)
        assert not result.correct
        assert result.reasons == ("asserted numbers on an unanswerable question: 300家",)

    def test_a_number_in_the_numbers_field_fails(self) -> None:
        nums = [{"text": "1亿元", "value": 1e8, "unit": "元", "status": "unverified",
                 "fact_ids": [], "formula": ""}]
        result = score_case(unanswerable(), answer("未找到。", refused=True, numbers=nums), DOCS)
        assert not result.correct

    def test_answering_fails(self) -> None:
        result = score_case(unanswerable(), answer("新增服务外包企业188家[1]。"), DOCS)
        assert result.reasons[0] == "answered an unanswerable question"


class TestWrongFigure:
    """A stated figure in place of the one asked for: another subject's, period's, or none."""

    def test_the_right_figure_with_context_is_not_wrong(self) -> None:
        result = score_case(case(), answer("新增服务外包企业188家,同比增长43.51%。"), DOCS)
        assert result.wrong_figure is False

    def test_another_figure_instead_is_wrong(self) -> None:
        result = score_case(case(), answer("兑现资金总计1477万元。"), DOCS)
        assert result.wrong_figure is True and not result.correct

    def test_no_figure_at_all_is_a_miss_not_a_wrong_figure(self) -> None:
        assert score_case(case(), answer("报告提到了服务外包企业。"), DOCS).wrong_figure is False

    def test_any_figure_on_an_unanswerable_question_is_wrong(self) -> None:
        assert score_case(unanswerable(), answer("约有300家。"), DOCS).wrong_figure is True
        assert score_case(unanswerable(), answer("报告没有说。"), DOCS).wrong_figure is False

    def test_refusals_and_text_questions_are_not_counted(self) -> None:
        refused = answer("未找到，约有300家。", refused=True)
        assert score_case(unanswerable(), refused, DOCS).wrong_figure is None
        text_case = case(numbers=[], must_include=["江西IT"])
        assert score_case(text_case, answer("拨付178.6万元"), DOCS).wrong_figure is None

    def test_share_in_the_summary(self) -> None:
        results = [score_case(case(id="a"), answer("兑现资金总计1477万元。"), DOCS),
                   score_case(case(id="b"), answer("新增188家。"), DOCS),
                   score_case(unanswerable(), answer("未找到。", refused=True), DOCS)]
        assert summarize(results)["wrong_figure"] == pytest.approx(1 / 2)


class TestCitations:
    def test_evidence_spans_find_every_occurrence(self) -> None:
        first, second = DOC.index("188"), DOC.rindex("188")
        assert evidence_spans("188", DOCS) == [("r.txt", first, first + 3),
                                               ("r.txt", second, second + 3)]

    def test_covering_citation(self) -> None:
        start, end = span_of("新增服务外包企业188家")
        result = score_case(case(), answer("188家[1]", citations=[cite(0, end + 3)]), DOCS)
        assert (result.evidence_covered, result.evidence_total) == (1, 1)
        assert (result.citations_relevant, result.citations_total) == (1, 1)
        assert result.citations_exact == 1

    def test_partial_citation_does_not_cover(self) -> None:
        start, end = span_of("新增服务外包企业188家")
        result = score_case(case(), answer("188家", citations=[cite(start, end - 1)]), DOCS)
        assert result.evidence_covered == 0 and result.citations_relevant == 1

    def test_adjacent_citations_cover_together(self) -> None:
        start, end = span_of("新增服务外包企业188家")
        cited = [cite(start, start + 5, n=1), cite(start + 5, end, n=2)]
        assert score_case(case(), answer("188家", citations=cited), DOCS).evidence_covered == 1

    def test_other_document_and_unrelated_citations(self) -> None:
        start, end = span_of("新增服务外包企业188家")
        other, unrelated = cite(start, end, doc_id="other.txt"), cite(*span_of("拨付178.6万元"))
        result = score_case(case(), answer("188家", citations=[other, unrelated]), DOCS)
        assert result.evidence_covered == 0
        assert (result.citations_relevant, result.citations_total) == (0, 2)
        assert result.citations_exact == 1  # other.txt is not a known document

    def test_citation_text_must_match_the_span(self) -> None:
        bad = {**cite(0, 10), "text": "别的文字"}
        assert score_case(case(), answer("188家", citations=[bad]), DOCS).citations_exact == 0


class TestSummary:
    def test_headline_metrics(self) -> None:
        s = summarize(RESULTS)
        assert s["cases"] == 5 and s["failures"] == 3
        assert s["accuracy"] == pytest.approx(2 / 5)
        assert s["numeric_accuracy"] == pytest.approx(1 / 3)
        assert s["citation_recall"] == pytest.approx(1 / 3)
        assert s["citation_precision"] == pytest.approx(1 / 3)  # answerable cases only
        assert s["refusal_precision"] == pytest.approx(1 / 2)
        assert s["refusal_recall"] == pytest.approx(1 / 2)
        assert s["false_refusal_rate"] == pytest.approx(1 / 3)
        assert s["latency_p50_ms"] == pytest.approx(10.0)

    def test_per_type_and_undefined_metrics(self) -> None:
        by_type = summarize(RESULTS)["by_type"]
        assert list(by_type) == ["lookup", "unanswerable"]
        assert by_type["lookup"]["refusal_recall"] is None
        assert by_type["unanswerable"]["numeric_accuracy"] is None
        assert by_type["unanswerable"]["accuracy"] == pytest.approx(1 / 2)

    def test_per_intent_rows_only_when_cases_carry_one(self) -> None:
        assert "by_intent" not in summarize(RESULTS)
        results = [score_case(case(id="a", intent="lookup"), answer("新增188家。"), DOCS),
                   score_case(case(id="b", intent="compare"), answer("没有。"), DOCS),
                   score_case(case(id="c", intent="lookup"), answer("没有。"), DOCS)]
        by_intent = summarize(results)["by_intent"]
        assert list(by_intent) == ["compare", "lookup"]
        assert by_intent["lookup"]["cases"] == 2
        assert by_intent["lookup"]["accuracy"] == pytest.approx(1 / 2)

    def test_percentile(self) -> None:
        assert percentile([], 50) is None
        assert percentile([3.0, 1.0, 2.0], 50) == 2.0
        assert percentile([10.0, 20.0], 95) == pytest.approx(19.5)

    def test_run_cases_times_and_survives_errors(self) -> None:
        seen: list[tuple[str, list[dict[str, str]]]] = []
        ticks: list[int] = []

        def fake(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
            seen.append((question, history))
            if question == "boom":
                raise RuntimeError("chain broke")
            return {"answer": "新增服务外包企业188家", "refused": False, "citations": [],
                    "numbers": [], "timings_ms": {}}

        follow = case(id="f", type="followup", question="boom",
                      history=[{"question": "前一问", "answer": "前一答"}])
        out = run_cases([case(), follow], fake, DOCS, progress=ticks.append)
        assert [r.correct for r in out] == [True, False]
        assert out[1].reasons[0] == "error: RuntimeError: chain broke"
        assert seen[1][1] == [{"question": "前一问", "answer": "前一答"}]
        assert ticks == [1, 1]
        assert all(r.latency_ms is not None and r.latency_ms >= 0 for r in out)


class TestBaseline:
    BASE = {"accuracy": 0.9, "numeric_accuracy": 0.9, "citation_recall": 0.9,
            "refusal_recall": 0.9, "citation_precision": 0.99}

    def test_no_regression_at_or_above_baseline(self) -> None:
        summary = dict(self.BASE, citation_precision=0.1)  # not gated
        assert compare_to_baseline(summary, self.BASE) == []
        assert compare_to_baseline(summary, {"summary": self.BASE}) == []

    def test_drops_are_reported(self) -> None:
        summary = dict(self.BASE, accuracy=0.85, refusal_recall=None)
        assert compare_to_baseline(summary, self.BASE) == [
            "accuracy: 0.850 is below the baseline 0.900",
            "refusal_recall: not measured in this run (baseline 0.900)",
        ]
