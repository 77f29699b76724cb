"""Eval cases: validation of one case, loading a JSONL dataset, selection, stale evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reportbot.errors import ReportbotError
from reportbot.evaluation.cases import check_evidence, load_cases, parse_case, select_cases
from tests.evaluation.conftest import DOCS, case, raw, unanswerable


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

    def test_optional_multidoc_keys(self) -> None:
        c = case(split="dev", doc="a.txt", intent="compare", variant="traditional")
        assert (c.split, c.doc, c.intent, c.variant) == ("dev", "a.txt", "compare",
                                                         "traditional")
        assert (case().split, case().intent) == (None, None)

    @pytest.mark.parametrize("over, message", [
        ({"split": "train"}, "split must be one of dev, test"),
        ({"intent": "guess"}, "intent must be one of"),
        ({"variant": "french"}, "variant must be one of traditional, english"),
        ({"doc": ""}, "doc must be a document file name or null"),
        ({"intent": "out_of_scope"}, "intent 'out_of_scope' needs answerable: false"),
    ])
    def test_invalid_optional_keys(self, over: dict[str, Any], message: str) -> None:
        with pytest.raises(ValueError, match=message):
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

    def test_select_by_split(self) -> None:
        cases = [case(id="a", split="dev"), case(id="b", split="test"), case(id="c")]
        assert [c.id for c in select_cases(cases, split="dev")] == ["a"]
        assert [c.id for c in select_cases(cases, split="test")] == ["b"]
        assert [c.id for c in select_cases(cases)] == ["a", "b", "c"]

    def test_check_evidence_names_stale_strings(self) -> None:
        assert check_evidence([case()], DOCS) == []
        assert check_evidence([case(evidence=["不存在的句子"])], DOCS) == [
            "c1: evidence not in any document: '不存在的句子'"]
