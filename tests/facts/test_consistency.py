"""The report's own arithmetic: sums, count × rate, repeated statements; altered copies fail."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reportbot.cli.facts import facts as facts_cli
from reportbot.facts.consistency import Check, part_whole, run_checks
from reportbot.facts.store import FactStore, extract_facts
from reportbot.ingest.loading import load_document
from reportbot.records import Fact, SourceDoc
from tests.conftest import REPORT, REPORT_NAME, REPORT_TEXT


def doc_with(text: str) -> SourceDoc:
    doc = load_document(REPORT, REPORT_NAME)
    return dataclasses.replace(doc, text=text, sha256=f"sha-{hash(text)}")


def checks_of(text: str) -> list[Check]:
    doc = doc_with(text)
    return run_checks(extract_facts(doc), {doc.doc_id: doc.text})


def altered(old: str, new: str) -> str:
    assert REPORT_TEXT.count(old) == 1
    return REPORT_TEXT.replace(old, new)


class TestReportArithmetic:
    def test_every_check_on_the_report_passes(self) -> None:
        checks = checks_of(REPORT_TEXT)
        assert all(c.passed for c in checks)
        assert sorted((c.kind, c.description) for c in checks) == [
            ("part", "2.91亿美元 ≤ 7.33亿美元"),
            ("product", "188人 × 9500元 = 178.6万元"),
            ("product", "396人 × 9500元 = 376.2万元"),
            ("sum", "1126万元 + 351万元 = 1477万元"),
            ("sum", "376.2万元 + 178.6万元 = 554.8万元"),
        ]

    def test_checks_carry_spans_into_the_report(self) -> None:
        total = next(c for c in checks_of(REPORT_TEXT) if "1477" in c.description)
        assert [REPORT_TEXT[s:e] for _, s, e in total.spans] == ["1477万元", "1126万元",
                                                                 "351万元"]
        assert len(total.fact_ids) == 3

    @pytest.mark.parametrize(("old", "new", "kinds"), [
        ("县(区)级财政拨付351万元", "县(区)级财政拨付352万元", ["sum"]),
        ("划拨554.8万元", "划拨555.8万元", ["sum"]),
        ("拨付376.2万元", "拨付376.3万元", ["sum", "product"]),  # a part and a product
        ("补助188人", "补助189人", ["product"]),
        ("其中离岸接包执行金额2.91亿美元", "其中离岸接包执行金额8.91亿美元", ["part"]),
    ])
    def test_one_altered_number_fails_a_check(self, old: str, new: str,
                                              kinds: list[str]) -> None:
        failed = [c for c in checks_of(altered(old, new)) if not c.passed]
        assert [c.kind for c in failed] == kinds
        assert all("报告" in c.description for c in failed if c.kind != "part")

    def test_parts_are_found_after_qi_zhong(self) -> None:
        doc = doc_with(REPORT_TEXT)
        pairs = part_whole(extract_facts(doc), {doc.doc_id: doc.text})
        assert {t.text: [p.text for p in parts] for t, parts in pairs} == {
            "7.33亿美元": ["2.91亿美元"], "1477万元": ["1126万元", "351万元"],
            "554.8万元": ["376.2万元", "178.6万元"]}


class TestRulesGeneralise:
    def test_a_total_with_three_parts_in_another_text(self) -> None:
        text = "全年完成投资12.5亿元，其中工业投资8.2亿元，服务业投资3.1亿元，农业投资1.3亿元。"
        (check,) = checks_of(text)
        assert check.kind == "sum" and not check.passed
        assert check.description == "8.2亿元 + 3.1亿元 + 1.3亿元 = 12.6亿元（报告：12.5亿元）"

    def test_rounding_of_coarse_parts_is_allowed(self) -> None:
        # 8亿元 may be 7.96亿: parts written to 0.5亿 cannot contradict a total by 0.1亿.
        (check,) = checks_of("全年完成投资12.5亿元，其中工业投资8亿元，服务业投资4.6亿元。")
        assert check.passed

    def test_the_same_metric_stated_twice_must_agree(self) -> None:
        base = Fact(1, "d", "南昌市", "新增服务外包企业", "2010年", 188, "家", "188家", 0, 4)
        same = dataclasses.replace(base, fact_id=2, start=50, end=54)
        other = dataclasses.replace(base, fact_id=3, value=190, text="190家", start=90, end=94)
        assert [c.passed for c in run_checks([base, same])] == [True]
        (check,) = run_checks([base, same, other])
        assert check.kind == "repeat" and not check.passed
        assert check.description == "南昌市 新增服务外包企业 2010年: 188家 ≠ 188家 ≠ 190家"

    def test_overridden_facts_are_not_checked(self) -> None:
        base = Fact(1, "d", "s", "m", "p", 188, "家", "188家", 0, 4)
        wrong = dataclasses.replace(base, fact_id=2, value=190, text="190家", overridden_by=3)
        assert run_checks([base, wrong]) == []


def store_with(tmp_path: Path, text: str) -> Callable[..., Result]:
    store = FactStore(tmp_path / "data" / "facts.sqlite")
    store.replace_document(doc_with(text))
    store.close()
    return lambda *args: CliRunner().invoke(
        facts_cli, list(args), env={"REPORTBOT_DATA_DIR": str(tmp_path / "data"),
                                    "REPORTBOT_CORPUS_DIR": str(tmp_path / "corpus")})


class TestFactsCheckCommand:
    def test_passes_on_the_report(self, tmp_path: Path) -> None:
        result = store_with(tmp_path, REPORT_TEXT)("check")
        assert result.exit_code == 0, result.output
        assert "PASS  sum     1126万元 + 351万元 = 1477万元" in result.output
        assert "5 passed, 0 failed" in result.output

    def test_fails_on_an_altered_copy(self, tmp_path: Path) -> None:
        text = altered("县(区)级财政拨付351万元", "县(区)级财政拨付352万元")
        result = store_with(tmp_path, text)("check")
        assert result.exit_code == 1
        assert "FAIL  sum     1126万元 + 352万元 = 1478万元（报告：1477万元）" in result.output
