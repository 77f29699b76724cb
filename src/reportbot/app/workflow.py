"""Use cases shared by the CLI and the web app: ingest with locking, open a ready pipeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportbot.answering.pipeline import Pipeline
from reportbot.app.service import Reportbot
from reportbot.config import Settings
from reportbot.errors import ReportbotError
from reportbot.ingest.run import IngestReport
from reportbot.retrieval.hybrid import Mode


def run_ingest(settings: Settings, paths: list[Path],
               progress: Callable[[int], None] | None = None,
               on_total: Callable[[int], None] | None = None,
               bot: Reportbot | None = None) -> IngestReport:
    """One locked ingest run over the corpus or the given files."""
    bot = bot or Reportbot(settings)
    with bot.ingest_lock():
        return bot.ingestor().run(paths, progress, on_total)


def open_service(settings: Settings) -> Reportbot:
    """The service over the index, ingesting the corpus first when the index is empty."""
    bot = Reportbot(settings)
    if not bot.catalog.documents():
        run_ingest(settings, [], bot=bot)
        if not bot.catalog.documents():
            raise ReportbotError(f"nothing is indexed and {settings.corpus_dir} has no "
                                 f"readable documents; add files and run `reportbot ingest`")
    return bot


def open_pipeline(settings: Settings, mode: Mode = "hybrid") -> Pipeline:
    """A pipeline over the index, ingesting the corpus first when the index is empty."""
    return open_service(settings).pipeline(mode)


def read_history(path: Path) -> list[dict[str, str]]:
    """Earlier turns from a JSON file: a list of {'question', 'answer'} objects."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportbotError(f"{path}: expected a JSON list of {{'question', 'answer'}} "
                             f"objects ({exc})") from exc
    if not isinstance(data, list) or not all(
            isinstance(t, dict) and isinstance(t.get("question"), str) for t in data):
        raise ReportbotError(f"{path}: expected a JSON list of {{'question', 'answer'}} objects")
    return [{"question": t["question"], "answer": str(t.get("answer", ""))} for t in data]


def build_pipeline(settings: Settings, mode: Mode = "hybrid") -> Pipeline:
    """A Pipeline over the index configured by ``settings`` (no ingest)."""
    return Reportbot(settings).pipeline(mode)
