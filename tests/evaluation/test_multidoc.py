"""The multi-document eval set (eval/multidoc.jsonl over eval/corpora/multidoc): shape,
coverage, the dev/test split by document, every claim checked in its document, and the
hand-labelled gold fact tables of three dev documents."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import opencc
import pytest

from reportbot.evaluation.amounts import normalize_quantity, parse_local, parsed_quantities
from reportbot.evaluation.cases import INTENTS, Expected, load_cases
from reportbot.evaluation.metrics import number_matches
from tests.conftest import ROOT, SHARED

DATASET = ROOT / "eval" / "multidoc.jsonl"
CORPUS = ROOT / "eval" / "corpora" / "multidoc"
NEWS = SHARED / "benchmarks" / "crud_news" / "news_1930.txt"
RESERVED_LINES = {363, 383, 467}  # kept out of every eval set
ROWS: list[dict[str, Any]] = [json.loads(line) for line in
                              DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
IDS = [r["id"] for r in ROWS]
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("line*.txt"))}
META = {name: json.loads((CORPUS / f"{name}.meta.json").read_text(encoding="utf-8"))
        for name in DOCS}


def line_of(name: str) -> int:
    match = re.match(r"line(\d{4})-", name)
    assert match, name
    return int(match.group(1))


BY_LINE = {line_of(name): name for name in DOCS}


def doc_of(row: dict[str, Any]) -> str:
    """The document a case was written from (out-of-scope cases too, by their id)."""
    return BY_LINE[int(row["id"][2:6])]


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class TestCorpus:
    def test_fifty_three_documents_in_two_splits(self) -> None:
        # Session 7 wrote 7 new test documents; the 7 old test ones, scored seven times and
        # then read, became dev; 8 more dev documents widened dev, and 8 more (widening 2),
        # 8 more again (widening 3) and 8 more (widening 4) widened it further.
        assert len(DOCS) == 53
        assert Counter(m["split"] for m in META.values()) == {"dev": 46, "test": 7}
        assert not RESERVED_LINES & set(BY_LINE)

    def test_sidecars_name_the_source_line(self) -> None:
        for name, meta in META.items():
            assert set(meta) == {"title", "source", "year", "split"}, name
            assert f"line {line_of(name)} " in meta["source"], name

    def test_text_is_the_article_after_its_prefix(self) -> None:
        if not NEWS.exists():  # the shared benchmark is not in every checkout
            return
        lines = NEWS.read_text(encoding="utf-8").split("\n")
        for name, text in DOCS.items():
            assert lines[line_of(name) - 1].partition("正文：")[2] + "\n" == text, name


class TestShape:
    def test_the_loader_accepts_the_file(self) -> None:
        assert [c.id for c in load_cases(DATASET)] == IDS

    def test_size_and_split(self) -> None:
        splits = Counter(r["split"] for r in ROWS)
        assert len(ROWS) >= 800
        # Dev widenings grow dev only (four so far); the held-out test split keeps its 167
        # cases over 7 documents, asking every intent: a share of the whole set would shrink
        # with each widening, so its floor is its own size and breadth.
        assert splits["test"] >= 160 and splits["dev"] >= splits["test"]
        assert {r["intent"] for r in ROWS if r["split"] == "test"} == set(INTENTS)

    def test_split_and_doc_follow_the_document(self) -> None:
        for row in ROWS:
            assert row["split"] == META[doc_of(row)]["split"], row["id"]
            assert row["doc"] == (doc_of(row) if row["answerable"] else None), row["id"]
            assert (row["intent"] == "out_of_scope") == (not row["answerable"]), row["id"]

    def test_every_intent_and_variant(self) -> None:
        assert set(INTENTS) == {r["intent"] for r in ROWS}
        assert {r.get("variant") for r in ROWS} == {None, "traditional", "english"}

    def test_each_document_has_the_mix(self) -> None:
        for name in DOCS:
            rows = [r for r in ROWS if doc_of(r) == name]
            assert len(rows) >= 17, name
            assert sum(not r["answerable"] for r in rows) >= 3, name
            assert any(r["history"] for r in rows), name
            for variant in ("traditional", "english"):
                assert any(r.get("variant") == variant for r in rows), (name, variant)

    def test_traditional_questions_are_written_in_traditional_characters(self) -> None:
        to_simplified = opencc.OpenCC("t2s")
        for row in ROWS:
            if row.get("variant") == "traditional":
                assert to_simplified.convert(row["question"]) != row["question"], row["id"]


class TestAgainstTheDocuments:
    @pytest.mark.parametrize("row", ROWS, ids=IDS)
    def test_evidence_and_must_include_are_in_the_document(self, row: dict[str, Any]) -> None:
        text = DOCS[doc_of(row)]
        assert bool(row["evidence"]) == row["answerable"]
        for evidence in row["evidence"]:
            assert evidence in text, evidence
        for item in row["must_include"]:
            assert fold(item) in fold(text), item

    @pytest.mark.parametrize("row", ROWS, ids=IDS)
    def test_stated_numbers_appear_in_the_evidence(self, row: dict[str, Any]) -> None:
        """Numbers without a tolerance are quoted facts: the evidence must state them."""
        stated = [q for e in row["evidence"] for q in parse_local(e) + parsed_quantities(e)]
        for n in row["numbers"]:
            if "tolerance" not in n:
                base = normalize_quantity(float(n["value"]), n["unit"])
                assert base is not None
                assert number_matches(Expected(*base), stated), (row["id"], n)


GOLD = sorted((CORPUS / "gold_facts").glob("*.csv"))


class TestGoldFacts:
    def test_three_dev_documents(self) -> None:
        assert [p.stem + ".txt" for p in GOLD] == sorted(
            name for name in DOCS if line_of(name) in (163, 1605, 1077))
        assert all(META[p.stem + ".txt"]["split"] == "dev" for p in GOLD)

    @pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
    def test_rows_are_figures_of_the_document_in_order(self, path: Path) -> None:
        text = DOCS[path.stem + ".txt"]
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert rows and list(rows[0]) == ["subject", "metric", "period", "value", "unit", "text"]
        pos = 0
        for row in rows:
            found = text.find(row["text"], pos)
            assert found >= 0, row
            pos = found + len(row["text"])
            assert re.fullmatch(r"20\d\d年(上半年|一季度|1-7月|6月末)?", row["period"]), row
            parsed = parse_local(row["text"]) + parsed_quantities(row["text"])
            if parsed:  # 六成 is read by hand
                unit = "%" if row["unit"] == "pp" else row["unit"]
                assert number_matches(Expected(abs(float(row["value"])), unit), parsed), row
