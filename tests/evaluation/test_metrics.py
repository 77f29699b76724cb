"""Eval metrics: case validation, number and citation scoring, summaries, reports, CMRC."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reportbot.errors import ReportbotError
from reportbot.evaluation.cmrc_metrics import (
    cmrc_em,
    cmrc_f1,
    cmrc_row,
    cmrc_tokens,
    summarize_cmrc,
)
from reportbot.evaluation.metrics import (
    Case,
    CaseResult,
    check_evidence,
    cn_int,
    compare_to_baseline,
    evidence_spans,
    load_cases,
    normalize_quantity,
    parse_case,
    parse_local,
    percentile,
    run_cases,
    score_case,
    select_cases,
    strip_markers,
    summarize,
)
from reportbot.evaluation.report import (
    plot_png,
    render_markdown,
    render_table,
)

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


class TestParseCase:
    def test_valid_case(self) -> None:
        c = case()
        assert c.numbers[0].value == 188 and c.numbers[0].unit == "家"
        assert c.numbers[0].tolerance == 0.001

    def test_units_are_normalized_to_base_units(self) -> None:
        c = case(numbers=[{"value": 1477, "unit": "万元"}, {"value": 7.33, "unit": "亿美元"}])
        assert [(n.value, n.unit) for n in c.numbers] == [(14770000, "元"),
                                                          (pytest.approx(733000000), "美元")]

    @pytest.mark.parametrize("over, message", [
        ({"extra": 1}, "unexpected ['extra']"),
        ({"type": "quiz"}, "type must be one of"),
        ({"question": " "}, "question must be"),
        ({"answerable": "yes"}, "answerable must be"),
        ({"numbers": [{"value": "188", "unit": "家"}]}, "must be numeric"),
        ({"numbers": [{"value": 2010, "unit": "年"}]}, "non-date unit"),
        ({"numbers": [{"value": 1, "unit": "家", "tolerance": -1}]}, "tolerance"),
        ({"evidence": []}, "needs at least one evidence"),
        ({"numbers": [], "must_include": []}, "needs numbers or must_include"),
        ({"answerable": False}, "must have numbers == []"),
        ({"type": "unanswerable", "numbers": [], "must_include": ["x"]},
         "needs answerable: false"),
        ({"type": "followup"}, "needs history"),
        ({"history": [{"question": "q"}]}, "history turn"),
    ])
    def test_invalid_cases_say_what_is_wrong(self, over: dict[str, Any], message: str) -> None:
        with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
            parse_case(raw(**over))

    def test_missing_key_is_named(self) -> None:
        row = raw()
        del row["evidence"]
        with pytest.raises(ValueError, match=r"missing \['evidence'\]"):
            parse_case(row)


class TestLoadCases:
    def test_reads_cases_and_skips_blank_lines(self, tmp_path: Path) -> None:
        path = tmp_path / "q.jsonl"
        lines = [json.dumps(raw(id="a")), "", json.dumps(raw(id="b"))]
        path.write_text("\n".join(lines), encoding="utf-8")
        assert [c.id for c in load_cases(path)] == ["a", "b"]

    def test_errors_name_the_line(self, tmp_path: Path) -> None:
        path = tmp_path / "q.jsonl"
        lines = [json.dumps(raw(id="a")), "{not json", json.dumps(raw(id="a")),
                 json.dumps(raw(id="c", type="nope"))]
        path.write_text("\n".join(lines), encoding="utf-8")
        with pytest.raises(ReportbotError) as info:
            load_cases(path)
        message = info.value.message
        assert f"{path}:2:" in message
        assert f"{path}:3: duplicate id 'a'" in message
        assert f"{path}:4: type must be one of" in message
        assert f"{path}:1:" not in message

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ReportbotError, match="cannot read"):
            load_cases(tmp_path / "none.jsonl")

    def test_empty_file(self, tmp_path: Path) -> None:
        (tmp_path / "q.jsonl").write_text("\n", encoding="utf-8")
        with pytest.raises(ReportbotError, match="no cases"):
            load_cases(tmp_path / "q.jsonl")

    def test_select_by_type_and_limit(self) -> None:
        cases = [case(id="a"), unanswerable(), case(id="b")]
        assert [c.id for c in select_cases(cases, ["lookup"])] == ["a", "b"]
        assert [c.id for c in select_cases(cases, [], 2)] == ["a", "u1"]

    def test_check_evidence_names_stale_strings(self) -> None:
        assert check_evidence([case()], DOCS) == []
        assert check_evidence([case(evidence=["不存在的句子"])], DOCS) == [
            "c1: evidence not in any document: '不存在的句子'"]


class TestQuantities:
    @pytest.mark.parametrize("text, expected", [
        ("新增服务外包企业188家", [(188, "家")]),
        ("接包合同执行金额7.33亿美元", [(733000000, "美元")]),
        ("兑现资金总计1477万元", [(14770000, "元")]),
        ("1,477万元", [(14770000, "元")]),
        ("调研组一行两人", [(2, "人")]),
        ("签订五个合作协议", [(5, "个")]),
        ("高出79.36个百分点", [(79.36, "%")]),
        ("US$733 million", [(733000000, "美元")]),
        ("188 new service outsourcing companies", [(188, "家")]),
        ("14.77 million yuan", [(14770000, "元")]),
        ("2010年6月，9月26-27日", []),
        ("排名第24位，第五届，三、四期", []),
    ])
    def test_parse_local(self, text: str, expected: list[tuple[float, str]]) -> None:
        found = parse_local(text)
        assert sorted(set(found)) == [(pytest.approx(v), u) for v, u in expected]

    def test_chinese_numerals(self) -> None:
        assert [cn_int(s) for s in ("十一", "两", "二十", "一千四百七十七万", "一亿两千万")] == [
            11, 2, 20, 14770000, 120000000]

    def test_normalize_quantity(self) -> None:
        assert normalize_quantity(1477, "万元") == (14770000, "元")
        assert normalize_quantity(5, "份") == (5, "个")
        assert normalize_quantity(43.51, "％") == (43.51, "%")
        assert normalize_quantity(2010, "年") is None

    def test_strip_markers(self) -> None:
        assert strip_markers("新增188家[1]；增长43.51%【2】。") == "新增188家；增长43.51%。"


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


class TestReports:
    def test_table_lists_metrics_and_types(self) -> None:
        table = render_table(summarize(RESULTS))
        assert "accuracy             0.400" in table
        assert "unanswerable" in table and "latency_p95_ms" in table

    def test_markdown_lists_every_failure_with_its_answer(self) -> None:
        failures = [r for r in RESULTS if not r.correct]
        md = render_markdown(summarize(RESULTS), failures)
        assert "## Failing cases (3)" in md
        assert all(f"### {r.id} ({r.type})" in md for r in failures)
        assert "![metrics](chart.png)" in md and "| accuracy | 0.400 |" in md

    def test_plot_png(self, tmp_path: Path) -> None:
        path = tmp_path / "chart.png"
        plot_png(summarize(RESULTS), path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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

    def test_row_and_summary(self) -> None:
        ans = {"answer": "北京[1]", "refused": False,
               "citations": [{"n": 2, "text": "别处"}, {"n": 1, "text": "首都是北京。"}]}
        flags = {"hit@1": True, "hit@5": True, "answer_in_top1": False, "answer_in_top3": True}
        row = cmrc_row(["北京"], flags, ans)
        assert row["em"] == 1.0 and row["f1"] == 1.0
        assert row["answer_in_top_cited"] == 1.0 and row["answer_in_cited"] == 1.0
        assert row["hit@1"] == 1.0 and row["answer_in_top1"] == 0.0
        refused = cmrc_row(["北京"], flags, {"answer": "北京", "refused": True, "citations": []})
        assert refused["em"] == 0.0 and refused["refused"] == 1.0
        summary = summarize_cmrc([row, refused])
        assert summary["questions"] == 2 and summary["em"] == 0.5
