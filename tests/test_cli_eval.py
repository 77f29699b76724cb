"""The eval command, wired to a small fake pipeline (the chain itself is tested elsewhere)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reportbot import cli_eval
from reportbot.cli import main
from reportbot.records import Answer, Citation, SourceDoc

DOC = "南昌市新增服务外包企业188家,同比增长43.51%。江西IT人才实训基地补助188人。"
CASES = [
    {"id": "firms", "type": "lookup", "question": "新增多少家企业？", "history": [],
     "numbers": [{"value": 188, "unit": "家"}], "must_include": [],
     "evidence": ["新增服务外包企业188家"], "answerable": True},
    {"id": "trainees", "type": "trap", "question": "江西IT补助多少人？", "history": [],
     "numbers": [{"value": 188, "unit": "人"}], "must_include": [],
     "evidence": ["江西IT人才实训基地补助188人"], "answerable": True},
    {"id": "revenue", "type": "unanswerable", "question": "总营业收入多少？", "history": [],
     "numbers": [], "must_include": [], "evidence": [], "answerable": False},
]


@dataclass
class FakeCatalog:
    docs: dict[str, str]

    def documents(self) -> list[Any]:
        return [SourceDoc(d, d, "T", t, "0") for d, t in self.docs.items()]

    def document(self, doc_id: str) -> SourceDoc | None:
        return SourceDoc(doc_id, doc_id, "T", self.docs[doc_id], "0")


@dataclass
class FakeSearcher:
    catalog: FakeCatalog


@dataclass
class FakePipeline:
    """Answers the firms question well, says 188家 for the trainees trap, refuses the rest."""

    searcher: FakeSearcher = field(default_factory=lambda: FakeSearcher(FakeCatalog(
        {"r.txt": DOC})))

    def answer(self, question: str, history: list[dict[str, str]]) -> Answer:
        if "营业收入" in question:
            return Answer(question, "报告中未找到相关信息。", True, timings_ms={"total": 5.0})
        start = DOC.index("新增")
        end = DOC.index("。") + 1
        c = Citation(1, "r.txt", "T", "", start, end, DOC[start:end])
        return Answer(question, f"{c.text}[1]", False, (c,), timings_ms={"total": 9.0})


@pytest.fixture()
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORTBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(cli_eval, "_pipeline", lambda settings, mode, **kw: FakePipeline())
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CASES) + "\n",
                    encoding="utf-8")
    return path


def test_registered_with_help() -> None:
    result = CliRunner().invoke(main, ["eval", "--help"])
    assert result.exit_code == 0 and "--cmrc" in result.output and "--baseline" in result.output


def test_run_writes_table_json_and_report(dataset: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "out.json", tmp_path / "report"
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--json", str(out),
                                       "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "accuracy             0.667" in result.output
    assert "FAIL trainees [trap] missing number 188人" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["refusal_recall"] == 1.0
    assert data["summary"]["citation_recall"] == 0.5
    assert [c["id"] for c in data["cases"]] == ["firms", "trainees", "revenue"]
    assert "### trainees (trap)" in (report / "report.md").read_text(encoding="utf-8")
    assert (report / "chart.png").read_bytes()[:4] == b"\x89PNG"


def test_type_filter_and_limit(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--type", "trap",
                              "--type", "unanswerable", "--limit", "1", "--json", str(out)])
    assert [c["id"] for c in json.loads(out.read_text())["cases"]] == ["trainees"]


def test_baseline_gate(dataset: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    base.write_text(json.dumps({"accuracy": 0.6, "refusal_recall": 1.0}))
    ok = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--baseline", str(base)])
    assert ok.exit_code == 0, ok.output
    base.write_text(json.dumps({"summary": {"accuracy": 0.9}}))
    bad = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--baseline", str(base)])
    assert bad.exit_code == 1
    assert "REGRESSION accuracy: 0.667 is below the baseline 0.900" in bad.output


def test_baseline_refuses_a_partial_run(dataset: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    base.write_text("{}")
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--limit", "1",
                                       "--baseline", str(base)])
    assert result.exit_code == 2 and "full run" in result.output


def test_bad_dataset_is_a_clean_error(dataset: Path) -> None:
    dataset.write_text('{"id": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset)])
    assert result.exit_code == 1
    assert f"{dataset}:1: keys must be exactly" in result.output
    assert "Traceback" not in result.output


def test_stale_evidence_is_a_clean_error(dataset: Path) -> None:
    rows = [dict(CASES[0], evidence=["报告里没有这句话"])]
    dataset.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset)])
    assert result.exit_code == 1 and "firms: evidence not in any document" in result.output


def test_cmrc_mode_prints_one_row_per_retriever(dataset: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, int | None]] = []

    def fake_run(settings: Any, path: Path, limit: int | None) -> dict[str, dict[str, float]]:
        calls.append((path, limit))
        return {m: {"questions": 2.0, "hit@1": 0.5, "em": 0.0} for m in ("bm25", "hybrid")}

    monkeypatch.setattr(cli_eval, "run_cmrc", fake_run)
    squad = tmp_path / "dev.json"
    squad.write_text("{}")
    out = tmp_path / "cmrc.json"
    result = CliRunner().invoke(main, ["eval", "--cmrc", str(squad), "--limit", "2",
                                       "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert calls == [(squad, 2)]
    assert result.output.splitlines()[0].split() == ["retriever", "questions", "em", "hit@1"]
    assert json.loads(out.read_text())["results"]["hybrid"]["hit@1"] == 0.5


def test_cmrc_store_is_separate_and_embedded(tmp_path: Path) -> None:
    from reportbot.config import load_settings

    settings = load_settings(data_dir=tmp_path / "d", chroma_url="http://localhost:8000")
    store = cli_eval.cmrc_settings(settings)
    assert store.data_dir == tmp_path / "d" / "cmrc" and store.chroma_url is None
