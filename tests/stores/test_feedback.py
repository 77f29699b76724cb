"""The audit log and feedback store (real SQLite in tmp_path), its exports and CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportbot.cli.main import main
from reportbot.errors import StoreError
from reportbot.evaluation.metrics import CASE_KEYS, parse_case
from reportbot.records import Answer, Citation, NumberCheck
from reportbot.stores.feedback import (
    AUDIT_COLUMNS,
    FeedbackStore,
    draft_case,
    export_audit,
    export_drafts,
)

CITE = Citation(1, "report.txt", "2010年总结", "(二)", 564, 580, "江西IT人才实训基地补助188人",
                459, 603, "……江西IT人才实训基地补助188人……")
ANSWER = Answer(question="江西IT人才实训基地呢？", answer="江西IT人才实训基地补助188人[1]。",
                refused=False, citations=(CITE,),
                numbers=(NumberCheck("188人", 188, "人", "verified", (21,)),),
                timings_ms={"total": 3.0}, standalone_question="江西IT人才实训基地补助了多少人？")
HISTORY = [{"question": "IBM先锋服务外包人才实训基地补助了多少人？",
            "answer": "其中IBM先锋服务外包人才实训基地补助396人[1]。"}]
REFUSAL = Answer(question="南昌市2010年GDP是多少？", answer="报告中未找到相关信息。", refused=True,
                 closest=(CITE,))


@pytest.fixture()
def store(tmp_path: Path) -> FeedbackStore:
    s = FeedbackStore(tmp_path / "feedback.sqlite")
    yield s  # type: ignore[misc]
    s.close()


class TestStore:
    def test_record_keeps_question_answer_citations_and_time(self, store: FeedbackStore) -> None:
        qa_id = store.record(ANSWER, HISTORY, "alice", "web")
        (row,) = list(store.audit())
        assert row["qa_id"] == qa_id and row["username"] == "alice" and row["channel"] == "web"
        assert row["standalone_question"] == "江西IT人才实训基地补助了多少人？"
        assert row["citations"][0]["text"] == "江西IT人才实训基地补助188人"
        assert row["numbers"][0]["status"] == "verified" and row["history"] == HISTORY
        assert row["asked_at"].endswith("+00:00") and row["refused"] is False

    def test_rating_then_comment_then_change_of_mind(self, store: FeedbackStore) -> None:
        qa_id = store.record(ANSWER)
        fid = store.rate(qa_id, liked=False, username="bob")
        store.comment(fid, "  应该给出两个基地的合计  ")
        assert store.rate(qa_id, liked=True, username="bob") == fid  # one rating per user
        (row,) = store.feedback()
        assert row["rating"] == 1 and row["comment"] == "应该给出两个基地的合计"
        assert row["question"] == ANSWER.question and row["citations"][0]["n"] == 1
        store.unrate(qa_id, "bob")
        assert store.feedback() == []

    def test_errors_are_clean_messages(self, store: FeedbackStore) -> None:
        with pytest.raises(StoreError, match="no answer with id 99"):
            store.rate(99, liked=True)
        with pytest.raises(StoreError, match="rate the answer first"):
            store.comment(12345, "x")
        fid = store.rate(store.record(ANSWER), liked=False)
        with pytest.raises(StoreError, match="comment too long"):
            store.comment(fid, "长" * 5000)

    def test_audit_summarises_feedback(self, store: FeedbackStore) -> None:
        qa_id = store.record(ANSWER)
        store.comment(store.rate(qa_id, False, "a"), "错")
        store.rate(qa_id, True, "b")
        store.record(REFUSAL)
        rows = list(store.audit())
        assert (rows[0]["thumbs_up"], rows[0]["thumbs_down"], rows[0]["comments"]) == (1, 1, "错")
        assert rows[1]["refused"] is True and rows[1]["closest"][0]["n"] == 1


class TestExports:
    def test_drafts_have_exactly_the_eval_keys_and_complete_into_valid_cases(
            self, store: FeedbackStore, tmp_path: Path) -> None:
        store.rate(store.record(ANSWER, HISTORY), liked=False)
        store.rate(store.record(REFUSAL), liked=True)  # thumbs-up: not exported
        out = tmp_path / "drafts.jsonl"
        assert export_drafts(store, out) == 1
        (line,) = out.read_text(encoding="utf-8").splitlines()
        case = json.loads(line)
        assert set(case) == CASE_KEYS
        assert case["type"] == "followup" and case["history"] == HISTORY
        assert case["question"] == "江西IT人才实训基地呢？" and case["id"] == "feedback-0001"
        with pytest.raises(ValueError):  # the reviewer must fill in the expectations
            parse_case(case)
        case.update(numbers=[{"value": 188, "unit": "人"}],
                    evidence=["江西IT人才实训基地补助188人"])
        assert parse_case(case).answerable
        notes = (tmp_path / "drafts.jsonl.review.md").read_text(encoding="utf-8")
        assert "feedback-0001" in notes and "理解为: 江西IT人才实训基地补助了多少人？" in notes

    def test_draft_without_history_is_a_lookup(self, store: FeedbackStore) -> None:
        store.rate(store.record(REFUSAL), liked=False)
        (row,) = store.feedback(rating=-1)
        assert draft_case(row)["type"] == "lookup" and draft_case(row)["history"] == []

    def test_audit_csv_and_jsonl(self, store: FeedbackStore, tmp_path: Path) -> None:
        store.record(ANSWER, HISTORY, "alice")
        store.record(REFUSAL)
        assert export_audit(store, tmp_path / "a.csv", "csv") == 2
        with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == AUDIT_COLUMNS and len(rows) == 3
        record = dict(zip(AUDIT_COLUMNS, rows[1], strict=True))
        assert "[1] report.txt 564-580 「江西IT人才实训基地补助188人」" in record["citations"]
        assert record["numbers"] == "188人 verified #21" and record["refused"] == "no"
        assert export_audit(store, tmp_path / "a.jsonl", "jsonl") == 2
        lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
        assert lines[0]["citations"][0]["start"] == 564 and lines[1]["refused"] is True
        with pytest.raises(StoreError, match="expected csv or jsonl"):
            export_audit(store, tmp_path / "a.xml", "xml")


class TestCli:
    def test_feedback_and_audit_export_commands(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        store = FeedbackStore(data / "feedback.sqlite")
        store.rate(store.record(ANSWER, HISTORY), liked=False)
        store.close()
        runner = CliRunner()
        env = {"REPORTBOT_DATA_DIR": str(data)}
        out = tmp_path / "drafts.jsonl"
        result = runner.invoke(main, ["feedback", "export", "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
        assert "1 draft case(s)" in result.output and out.exists()
        for name in ("audit.csv", "audit.jsonl"):
            result = runner.invoke(main, ["audit", "export", "--out", str(tmp_path / name)],
                                   env=env)
            assert result.exit_code == 0 and "1 question(s)" in result.output
        result = runner.invoke(main, ["audit", "export", "--out", str(tmp_path / "a.txt")],
                               env=env)
        assert result.exit_code != 0 and "use a .csv or .jsonl name" in result.output
        assert "Traceback" not in result.output


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def test_audit_csv_is_spreadsheet_safe(tmp_path: Path) -> None:
    """Formula-leading cells are quoted and a 1.2 MB field is cut under the cell limit."""
    data = tmp_path / "data"
    store = FeedbackStore(data / "feedback.sqlite")
    for text in FORMULAS:
        store.record(Answer(question=text, answer=text, refused=True),
                     username="=cmd|' /C calc'!A0")
    store.record(Answer(question="长回答", answer="数" * 1_200_000 + "😀", refused=False))
    store.close()
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(main, ["audit", "export", "--out", str(out)],
                                env={"REPORTBOT_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = [dict(zip(AUDIT_COLUMNS, r, strict=True)) for r in list(csv.reader(fh))[1:]]
    for row, text in zip(rows, FORMULAS, strict=False):
        assert row["question"] == "'" + text and row["answer"] == "'" + text
        assert row["username"] == "'=cmd|' /C calc'!A0"
    long = rows[-1]["answer"]
    assert len(long.encode("utf-16-le")) // 2 <= 32_767
    assert long.startswith("数" * 1000) and long.endswith("full text in the JSONL export]")
    assert "1200001 characters" in long
    jsonl = tmp_path / "audit.jsonl"
    CliRunner().invoke(main, ["audit", "export", "--out", str(jsonl)],
                       env={"REPORTBOT_DATA_DIR": str(data)})
    whole = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    assert whole[0]["question"] == FORMULAS[0] and len(whole[-1]["answer"]) == 1_200_001
