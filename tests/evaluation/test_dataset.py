"""The seed eval dataset: shape, coverage of case types, every claim checked in the report."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from typing import Any

import pytest

from reportbot.evaluation.amounts import parse_local
from reportbot.evaluation.cases import CASE_KEYS, TYPES, Expected, load_cases
from reportbot.evaluation.metrics import number_matches
from tests.conftest import REPORT_TEXT, ROOT

DATASET = ROOT / "eval" / "questions.jsonl"
BASE_UNITS = {"元", "美元", "%", "家", "人", "个", "项", "次"}


def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


ROWS = rows()
IDS = [r["id"] for r in ROWS]


class TestShape:
    def test_every_line_is_an_object_with_exactly_the_keys(self) -> None:
        for row in ROWS:
            assert isinstance(row, dict)
            assert set(row) == CASE_KEYS, row.get("id")

    def test_types_are_allowed(self) -> None:
        assert {r["type"] for r in ROWS} <= set(TYPES)

    def test_ids_are_unique(self) -> None:
        assert len(IDS) == len(set(IDS))

    def test_loader_accepts_the_file(self) -> None:
        assert [c.id for c in load_cases(DATASET)] == IDS

    def test_history_turns_have_question_and_answer(self) -> None:
        for row in ROWS:
            for turn in row["history"]:
                assert set(turn) == {"question", "answer"}, row["id"]
            assert bool(row["history"]) == (row["type"] == "followup"), row["id"]

    def test_numbers_are_in_base_units(self) -> None:
        for row in ROWS:
            for n in row["numbers"]:
                assert n["unit"] in BASE_UNITS, (row["id"], n)
                assert isinstance(n["value"], int | float) and not isinstance(n["value"], bool)


class TestCoverage:
    def test_enough_cases(self) -> None:
        assert len(ROWS) >= 80

    def test_enough_of_each_kind(self) -> None:
        counts = Counter(r["type"] for r in ROWS)
        assert counts["english"] >= 8
        assert counts["derived"] >= 10
        assert counts["followup"] >= 6
        assert counts["trap"] >= 5
        assert counts["unanswerable"] >= 12

    def test_unanswerable_cases_assert_nothing(self) -> None:
        unanswerable = [r for r in ROWS if r["type"] == "unanswerable"]
        assert len(unanswerable) >= 10
        for row in unanswerable:
            assert row["answerable"] is False and row["numbers"] == [], row["id"]
        for row in ROWS:
            if not row["answerable"]:
                assert row["numbers"] == [], row["id"]

    def test_traps_include_the_unit_confusions(self) -> None:
        trap_units = {(n["value"], n["unit"]) for r in ROWS if r["type"] == "trap"
                      for n in r["numbers"]}
        assert (188, "人") in trap_units  # 188人 trainees, not the 188家 new firms
        assert (9500, "元") in trap_units  # 9500元 per trainee, not 9500万元


class TestAgainstTheReport:
    @pytest.mark.parametrize("row", ROWS, ids=IDS)
    def test_evidence_is_an_exact_substring(self, row: dict[str, Any]) -> None:
        for evidence in row["evidence"]:
            assert evidence in REPORT_TEXT, evidence
        assert bool(row["evidence"]) == row["answerable"]

    @pytest.mark.parametrize("row", ROWS, ids=IDS)
    def test_must_include_strings_come_from_the_report(self, row: dict[str, Any]) -> None:
        for text in row["must_include"]:
            assert fold(text) in fold(REPORT_TEXT), text

    @pytest.mark.parametrize("row", ROWS, ids=IDS)
    def test_stated_numbers_appear_in_the_evidence(self, row: dict[str, Any]) -> None:
        """Numbers without a tolerance are quoted facts: the evidence must state them."""
        stated = [q for e in row["evidence"] for q in parse_local(e)]
        for n in row["numbers"]:
            if "tolerance" not in n:
                assert number_matches(Expected(n["value"], n["unit"]), stated), (row["id"], n)
