"""The combined corpus behind ``reportbot eval --add-corpus``: what is copied, what is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportbot.errors import ReportbotError
from reportbot.evaluation.corpora import combine_corpora


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def sources(tmp_path: Path) -> tuple[Path, Path]:
    base, extra = tmp_path / "corpus", tmp_path / "extra"
    write(base / "report.txt", "报告。")
    write(base / "report.txt.meta.json", '{"title": "报告"}')
    write(base / "glossary.toml", "acronyms = []\n")
    write(base / "facts.csv", "doc_id,value\nreport.txt,1\n")
    write(base / ".hidden", "x")
    write(extra / "a.txt", "甲文。")
    write(extra / "a.txt.meta.json", json.dumps({"title": "甲", "split": "dev"}))
    write(extra / "sub" / "b.md", "乙文。")
    write(extra / "gold_facts" / "a.csv", "subject,value\n甲,1\n")  # not a document
    write(extra / "notes.xyz", "x")
    return base, extra


class TestCombineCorpora:
    def test_copies_the_corpus_and_the_extra_documents(self, sources: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
        base, extra = sources
        dest = tmp_path / "data" / "combined" / "corpus"
        assert combine_corpora(base, [extra], dest) == ["a.txt", "sub/b.md"]
        names = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
        assert names == ["a.txt", "a.txt.meta.json", "facts.csv", "glossary.toml",
                         "report.txt", "report.txt.meta.json", "sub/b.md"]
        assert json.loads((dest / "a.txt.meta.json").read_text("utf-8"))["split"] == "dev"

    def test_rebuilt_from_scratch(self, sources: tuple[Path, Path], tmp_path: Path) -> None:
        base, extra = sources
        dest = tmp_path / "combined"
        combine_corpora(base, [extra], dest)
        (extra / "a.txt").unlink()
        (extra / "a.txt.meta.json").unlink()
        assert combine_corpora(base, [extra], dest) == ["sub/b.md"]
        assert not (dest / "a.txt").exists() and not (dest / "a.txt.meta.json").exists()

    def test_a_name_clash_is_an_error(self, sources: tuple[Path, Path], tmp_path: Path) -> None:
        base, extra = sources
        write(extra / "report.txt", "同名。")
        with pytest.raises(ReportbotError, match="already in the combined corpus"):
            combine_corpora(base, [extra], tmp_path / "combined")

    def test_no_documents_is_an_error(self, sources: tuple[Path, Path], tmp_path: Path) -> None:
        base, _ = sources
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(ReportbotError, match="no documents found"):
            combine_corpora(base, [empty], tmp_path / "combined")

    def test_never_replaces_the_corpus(self, sources: tuple[Path, Path]) -> None:
        base, extra = sources
        for dest in (base, base / "inner", base.parent):
            with pytest.raises(ReportbotError, match="must lie outside"):
                combine_corpora(base, [extra], dest)
        assert (base / "report.txt").exists()

    def test_missing_corpus(self, sources: tuple[Path, Path], tmp_path: Path) -> None:
        _, extra = sources
        with pytest.raises(ReportbotError, match="does not exist"):
            combine_corpora(tmp_path / "none", [extra], tmp_path / "combined")
