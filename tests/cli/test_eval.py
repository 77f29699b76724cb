"""The eval command end to end: the real chain over a small corpus (real embedder, real
Chroma in a temp dir) and a small CMRC-style file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportbot.cli import eval as cli_eval
from reportbot.cli.main import main

DOC = ("2010年南昌市新增服务外包企业188家,同比增长43.51%。\n"
       "江西IT人才实训基地补助188人,兑现资金351万元。\n")
CASES = [
    {"id": "firms", "type": "lookup", "question": "南昌新增了多少家服务外包企业？", "history": [],
     "numbers": [{"value": 188, "unit": "家"}], "must_include": [],
     "evidence": ["新增服务外包企业188家"], "answerable": True},
    {"id": "trainees", "type": "trap", "question": "江西IT人才实训基地补助了多少人？",
     "history": [], "numbers": [{"value": 188, "unit": "人"}], "must_include": [],
     "evidence": ["江西IT人才实训基地补助188人"], "answerable": True},
    # A reference the document does not support: any honest answer fails this case.
    {"id": "wrong", "type": "trap", "question": "江西IT人才实训基地补助了多少人？",
     "history": [], "numbers": [{"value": 189, "unit": "人"}], "must_include": [],
     "evidence": ["江西IT人才实训基地补助188人"], "answerable": True},
    {"id": "revenue", "type": "unanswerable", "question": "南昌软件园的总营业收入是多少？",
     "history": [], "numbers": [], "must_include": [], "evidence": [], "answerable": False},
]


@pytest.fixture(scope="module")
def corpus_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evalcli")
    (root / "corpus").mkdir()
    (root / "corpus" / "r.txt").write_text(DOC, encoding="utf-8")
    return root


@pytest.fixture()
def dataset(corpus_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORTBOT_CORPUS_DIR", str(corpus_env / "corpus"))
    monkeypatch.setenv("REPORTBOT_DATA_DIR", str(corpus_env / "data"))
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
    assert "accuracy             0.750" in result.output
    assert "FAIL wrong [trap] missing number 189人" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["refusal_recall"] == 1.0
    assert data["summary"]["citation_recall"] == 1.0
    assert [c["id"] for c in data["cases"]] == ["firms", "trainees", "wrong", "revenue"]
    assert "### wrong (trap)" in (report / "report.md").read_text(encoding="utf-8")
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
    assert "REGRESSION accuracy: 0.750 is below the baseline 0.900" in bad.output


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


EXTRA_DOC = "2023年上半年，苏州市实现地区生产总值11458.4亿元，同比增长4.7%。\n"
SPLIT_CASES = [
    dict(CASES[0], split="test", doc="r.txt", intent="lookup"),
    {"id": "suzhou", "type": "lookup", "question": "苏州市上半年地区生产总值是多少？",
     "history": [], "numbers": [{"value": 1145840000000, "unit": "元"}], "must_include": [],
     "evidence": ["实现地区生产总值11458.4亿元"], "answerable": True, "split": "dev",
     "doc": "suzhou.txt", "intent": "lookup"},
    {"id": "wuxi", "type": "unanswerable", "question": "无锡市上半年的软件园营业收入是多少？",
     "history": [], "numbers": [], "must_include": [], "evidence": [], "answerable": False,
     "split": "dev", "doc": None, "intent": "out_of_scope"},
]


@pytest.fixture()
def extra_corpus(dataset: Path, corpus_env: Path) -> tuple[Path, Path]:
    """A directory of one more document (with a sidecar) and a dataset with splits."""
    extra = corpus_env / "extra"
    extra.mkdir(exist_ok=True)
    (extra / "suzhou.txt").write_text(EXTRA_DOC, encoding="utf-8")
    (extra / "suzhou.txt.meta.json").write_text(
        json.dumps({"title": "苏州经济", "year": 2023, "split": "dev"}), encoding="utf-8")
    dataset.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in SPLIT_CASES) + "\n",
                       encoding="utf-8")
    return extra, dataset


def test_add_corpus_and_split(extra_corpus: tuple[Path, Path], corpus_env: Path,
                              tmp_path: Path) -> None:
    extra, dataset = extra_corpus
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--add-corpus",
                                       str(extra), "--split", "dev", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [c["id"] for c in data["cases"]] == ["suzhou", "wuxi"]
    assert data["split"] == "dev" and data["add_corpus"] == [str(extra)]
    assert data["cases"][0]["correct"], data["cases"][0]  # answered from the added document
    assert list(data["summary"]["by_intent"]) == ["lookup", "out_of_scope"]
    assert "wrong_figure" in data["summary"] and "intent:out_of_scope" in result.stdout
    combined = corpus_env / "data" / "combined" / "corpus"
    assert sorted(p.name for p in combined.iterdir()) == ["r.txt", "suzhou.txt",
                                                          "suzhou.txt.meta.json"]
    assert not (corpus_env / "corpus" / "suzhou.txt").exists()


def test_the_report_alone_does_not_see_the_added_document(extra_corpus: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    _, dataset = extra_corpus
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--split", "dev"])
    # The case whose document is missing is counted invalid; the rest of the split still runs.
    assert result.exit_code == 0, result.output
    assert "INVALID suzhou: evidence not in any document" in result.output
    assert "invalid cases        1" in result.output


def test_split_and_add_corpus_are_checked(extra_corpus: tuple[Path, Path],
                                          tmp_path: Path) -> None:
    extra, dataset = extra_corpus
    base = tmp_path / "baseline.json"
    base.write_text("{}")
    gated = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--split", "dev",
                                      "--baseline", str(base)])
    assert gated.exit_code == 2 and "full run" in gated.output
    cmrc = CliRunner().invoke(main, ["eval", "--cmrc", str(base), "--add-corpus", str(extra)])
    assert cmrc.exit_code == 2 and "not --cmrc" in cmrc.output


SQUAD = {"data": [
    {"title": "南昌", "paragraphs": [
        {"id": "P1", "context": "南昌是江西省的省会，位于赣江下游，简称洪。滕王阁坐落在赣江东岸。",
         "qas": [{"id": "Q1", "question": "滕王阁坐落在哪条江的东岸？",
                  "answers": [{"text": "赣江", "answer_start": 27}]}]}]},
    {"title": "景德镇", "paragraphs": [
        {"id": "P2", "context": "景德镇以瓷器闻名，被称为瓷都，宋代景德年间因烧制御瓷而得名。",
         "qas": [{"id": "Q2", "question": "景德镇被称为什么？",
                  "answers": [{"text": "瓷都", "answer_start": 12}]},
                 {"id": "Q3", "question": "景德镇的名字从何而来？",
                  "answers": [{"text": "宋代景德年间因烧制御瓷而得名", "answer_start": 15}]}]}]},
    # Paragraphs no question is about (BM25 gives a word found in half the paragraphs no weight).
    {"title": "九江", "paragraphs": [
        {"id": "P3", "context": "九江位于长江中游南岸，庐山在其南面。", "qas": []},
        {"id": "P4", "context": "鄱阳湖是中国第一大淡水湖，冬季水位较低。", "qas": []}]},
]}


def test_cmrc_mode_scores_every_retriever(dataset: Path, tmp_path: Path) -> None:
    squad = tmp_path / "dev.json"
    squad.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "cmrc.json"
    result = CliRunner().invoke(main, ["eval", "--cmrc", str(squad), "--limit", "2",
                                       "--json", str(out)])
    assert result.exit_code == 0, result.output
    table = [line for line in result.stdout.splitlines() if line.strip()]
    assert table[0].split()[:3] == ["retriever", "questions", "answer_in_cited"]
    assert [line.split()[:2] for line in table[1:4]] == [["bm25", "2"], ["dense", "2"],
                                                         ["hybrid", "2"]]
    data = json.loads(out.read_text(encoding="utf-8"))
    for mode in ("bm25", "dense", "hybrid"):
        assert data["results"][mode]["questions"] == 2.0
        assert data["results"][mode]["hit@1"] == 1.0  # two paragraphs, distinct words
        asked = data["questions"][mode]
        assert [q["id"] for q in asked] == ["Q1", "Q2"]
        assert all(set(q) >= {"answer", "references", "cited", "hit@1", "refused"}
                   for q in asked)


def test_cmrc_one_named_retriever(dataset: Path, tmp_path: Path) -> None:
    squad = tmp_path / "dev.json"
    squad.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--cmrc", str(squad), "--retriever", "bm25"])
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert rows == ["retriever", "bm25"]


def test_cmrc_store_is_separate_and_embedded(tmp_path: Path) -> None:
    from reportbot.config import load_settings

    settings = load_settings(data_dir=tmp_path / "d", chroma_url="http://localhost:8000")
    store = cli_eval.cmrc_settings(settings)
    assert store.data_dir == tmp_path / "d" / "cmrc" and store.chroma_url is None


def _hostile_squad() -> dict[str, object]:
    """SQUAD plus questions and paragraphs a scorer cannot use, in the middle of good ones."""
    data = json.loads(json.dumps(SQUAD))
    p3 = data["data"][2]["paragraphs"][0]
    p3["qas"] = [
        {"id": "E1", "question": "", "answers": [{"text": "庐山"}]},
        {"id": "E2", "question": "   ", "answers": [{"text": "庐山"}]},
        {"id": "E3", "answers": [{"text": "庐山"}]},
        {"id": "E4", "question": 42, "answers": [{"text": "庐山"}]},
        {"id": "E5", "question": "庐山在哪里？", "answers": []},
        {"id": "E6", "question": "九江" * 1500, "answers": [{"text": "庐山"}]},
        "not a question",
    ]
    data["data"].insert(1, {"title": "坏段落", "paragraphs": [{"id": "P9", "qas": []}, 7]})
    data["data"].append({"title": "no paragraphs"})
    return data


def test_cmrc_counts_malformed_questions_as_invalid_and_goes_on(dataset: Path,
                                                                tmp_path: Path) -> None:
    squad = tmp_path / "dev.json"
    squad.write_text(json.dumps(_hostile_squad(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "cmrc.json"
    result = CliRunner().invoke(main, ["eval", "--cmrc", str(squad), "--retriever", "bm25",
                                       "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "invalid questions" in result.output and "Traceback" not in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["results"]["bm25"]["questions"] == 3.0
    assert [q["id"] for q in data["questions"]["bm25"]] == ["Q1", "Q2", "Q3"]
    invalid = "\n".join(data["invalid"])
    for qid in ("E1", "E2", "E3", "E4", "E5", "E6 (bm25)"):
        assert f"{qid}: " in invalid
    assert "a question is str" in invalid and "paragraph without an id or context" in invalid
    assert "without a 'paragraphs' list" in invalid and len(data["invalid"]) == 10
    assert f"INVALID {data['invalid'][0]}" in result.output


def test_cmrc_sweep_skips_malformed_questions_too(dataset: Path, tmp_path: Path) -> None:
    squad = tmp_path / "dev.json"
    squad.write_text(json.dumps(_hostile_squad(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "sweep.json"
    result = CliRunner().invoke(main, ["eval", "--cmrc", str(squad), "--sweep",
                                       "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["sweep"]) == 14 and len(data["invalid"]) == 9  # E6 is only too long
    assert "invalid questions    9 (skipped, not scored)" in result.output


BAD_LINES = ["{not json", '{"id": "x"}', "[" * 100_000 + "]" * 100_000,
             json.dumps(dict(CASES[0], numbers=[{"value": 10**400, "unit": "家"}])),
             json.dumps(dict(CASES[1], question="")),
             json.dumps(dict(CASES[2], id="firms")),  # a duplicate id
             json.dumps(dict(CASES[0], id="stale", evidence=["报告里没有这句话"]),
                        ensure_ascii=False)]


def test_malformed_cases_in_a_dataset_are_counted_and_the_rest_scored(dataset: Path,
                                                                      tmp_path: Path) -> None:
    good = [json.dumps(c, ensure_ascii=False) for c in CASES]
    dataset.write_text("\n".join([good[0], *BAD_LINES, *good[1:]]) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "accuracy             0.750" in result.output
    assert "invalid cases        7 (skipped, not scored)" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [c["id"] for c in data["cases"]] == ["firms", "trainees", "wrong", "revenue"]
    assert data["summary"]["invalid_cases"] == 7
    assert [line.split(": ")[0] for line in data["invalid"][:6]] == [
        f"{dataset}:{n}" for n in range(2, 8)]
    assert data["invalid"][6].startswith("stale: evidence not in any document")
    base = tmp_path / "baseline.json"
    base.write_text(json.dumps({"accuracy": 0.6}))
    gated = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--baseline", str(base)])
    assert gated.exit_code == 1 and "REGRESSION invalid_cases: 7" in gated.output


def test_composer_llm_shows_both_composers_side_by_side(
        dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.llm_server import FAILURES, by_question, citing, scripted_llm

    router = by_question({"新增": citing("南昌新增服务外包企业188家[{n}]。", "188家"),
                          "补助": citing("江西IT人才实训基地补助了288人[{n}]。", "188人")},
                         otherwise=FAILURES["http-500"])
    out, report = tmp_path / "out.json", tmp_path / "report"
    with scripted_llm({"router": router}) as llm:
        monkeypatch.setenv("REPORTBOT_LLM_BASE_URL", llm.base_url)
        monkeypatch.setenv("REPORTBOT_LLM_MODEL", "router")
        result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--composer",
                                           "llm", "--json", str(out), "--report", str(report)])
        assert len(llm.requests) == len(CASES)  # the extractive run asked nothing
    assert result.exit_code == 0, result.output
    lines = {line.split("  ")[0].strip(): line.split() for line in result.output.splitlines()}
    assert lines["LLM answers shown"][-2:] == ["0.000", "0.250"]
    assert lines["rejected: number mismatch"][-2:] == ["0", "2"]
    assert lines["rejected: endpoint http 500"][-2:] == ["0", "1"]
    assert lines["answer accuracy"][-2:] == ["0.750", "0.750"]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["composers"]["llm"]["rejections"] == {"number mismatch": 2,
                                                       "endpoint http 500": 1}
    assert [c["composer"] for c in data["cases"]] == ["llm", "extractive", "extractive",
                                                      "extractive"]
    md = (report / "report.md").read_text(encoding="utf-8")
    assert "## Composers side by side" in md and "| rejected: number mismatch | 0 | 2 |" in md


def test_composer_llm_without_a_server_is_one_clean_error(dataset: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--dataset", str(dataset), "--composer", "llm"],
                                env={"REPORTBOT_LLM_BASE_URL": ""})
    assert result.exit_code != 0 and "REPORTBOT_LLM_BASE_URL" in result.output
    assert "Traceback" not in result.output
