"""Shared fixtures: the real report, the real default embedder, real Chroma in tmp dirs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

for _key, _value in {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                     "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False",
                     "TOKENIZERS_PARALLELISM": "false"}.items():
    os.environ[_key] = _value

from reportbot.app.service import Reportbot  # noqa: E402
from reportbot.config import Settings, load_settings  # noqa: E402
from reportbot.stores.embedders import E5Embeddings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REPORT_NAME = "2010-nanchang-service-outsourcing-report.txt"
REPORT = CORPUS / REPORT_NAME
REPORT_TEXT = REPORT.read_text(encoding="utf-8")
SHARED = ROOT.parent / "shared"
REPORTBOT = shutil.which("reportbot") or str(ROOT / ".venv" / "bin" / "reportbot")


def news_articles(n: int) -> list[str]:
    """The first n articles of the shared news benchmark (or stand-ins when it is absent)."""
    path = SHARED / "benchmarks" / "crud_news" / "news_1930.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").splitlines()[:n]
    return [f"第{i}篇。" + "南昌市服务外包产业持续发展，企业数量不断增加。" * 60 for i in range(n)]


def copy_corpus(dest: Path) -> Path:
    """A private copy of the shipped corpus (report and its metadata sidecar)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in (REPORT_NAME, REPORT_NAME + ".meta.json", "glossary.toml"):
        shutil.copyfile(CORPUS / name, dest / name)
    return dest


def make_settings(root: Path, **overrides: object) -> Settings:
    """Settings pointing at a corpus and data dir under root."""
    return load_settings(corpus_dir=root / "corpus", data_dir=root / "data", **overrides)


@pytest.fixture(scope="session")
def e5() -> E5Embeddings:
    """The real default embedder, loaded once."""
    return E5Embeddings()


@pytest.fixture()
def fresh(tmp_path: Path, e5: E5Embeddings) -> Reportbot:
    """An empty index over a private copy of the corpus."""
    copy_corpus(tmp_path / "corpus")
    return Reportbot(make_settings(tmp_path), embedder=e5)


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Iterator[Reportbot]:
    """The shipped corpus, indexed once for the session (read-only use)."""
    root = tmp_path_factory.mktemp("indexed")
    copy_corpus(root / "corpus")
    bot = Reportbot(make_settings(root), embedder=e5)
    bot.ingestor().run()
    yield bot
    bot.catalog.close()
