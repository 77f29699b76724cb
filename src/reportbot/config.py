"""One Settings object, built once at the edge; the only reader of the environment."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reportbot.errors import ConfigError


class Settings(BaseSettings):
    """Every tunable of reportbot; environment variables are ``REPORTBOT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="REPORTBOT_", frozen=True, extra="forbid")

    corpus_dir: Path = Path("corpus")
    # Rebuildable from the corpus (catalog, vectors, fact table): `make clean` deletes it.
    data_dir: Path = Path(".reportbot")
    # Durable (accounts, feedback, audit log): back it up. Default: beside data_dir, named
    # `<data_dir>-state`, so replicas sharing a data directory share their accounts too.
    state_dir: Path | None = None
    embedder: str = "e5-small"
    chroma_url: str | None = None
    chunk_max_chars: int = 200
    candidates: int = 30
    top_k: int = 5
    dense_weight: float = 1.0
    lexical_weight: float = 0.8
    rrf_k: int = 10
    max_question_chars: int = 2000
    # Answering: the weighted share of a question's terms a passage must cover to answer
    # it, and the share of its salient words that may be missing (paraphrase).
    min_support: float = 0.3
    max_unknown: float = 0.34
    # An English question is refused when this share of its words has no glossary entry.
    max_unknown_english: float = 0.2
    # A list question gathers up to list_items clauses scoring within list_margin of the best.
    list_items: int = 5
    list_margin: float = 0.6
    embed_batch: int = 32
    # Web chat: login is on when the users file holds at least one account.
    users_file: Path | None = None
    feedback_db: Path | None = None
    eval_report_dir: Path = Path("eval/report")

    @field_validator("chunk_max_chars")
    @classmethod
    def _chunk_size(cls, v: int) -> int:
        if not 40 <= v <= 5000:
            raise ValueError(f"expected 40..5000 characters, got {v}")
        return v

    @field_validator("candidates", "top_k", "rrf_k", "max_question_chars", "embed_batch")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v < 1:
            raise ValueError(f"expected a positive integer, got {v}")
        return v

    @model_validator(mode="after")
    def _apart(self) -> Settings:
        data, state = self.data_dir.absolute(), self.state_path.absolute()
        if state.is_relative_to(data) or data.is_relative_to(state):
            raise ValueError(f"the state directory {state} and the data directory {data} must "
                             f"not contain each other: rebuilding the index deletes the data "
                             f"directory, and the state (accounts, feedback) must survive it")
        return self

    @model_validator(mode="after")
    def _weights(self) -> Settings:
        if self.dense_weight < 0 or self.lexical_weight < 0:
            raise ValueError("retriever weights must be >= 0")
        if self.dense_weight == 0 and self.lexical_weight == 0:
            raise ValueError("at least one of dense_weight and lexical_weight must be > 0")
        return self

    @property
    def catalog_path(self) -> Path:
        """SQLite file with the documents and chunks that are live."""
        return self.data_dir / "catalog.sqlite"

    @property
    def facts_path(self) -> Path:
        """SQLite file of the fact table."""
        return self.data_dir / "facts.sqlite"

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.data_dir / "chroma"

    @property
    def state_path(self) -> Path:
        """Directory of the durable state: state_dir, or `<data_dir>-state` beside data_dir."""
        if self.state_dir is not None:
            return self.state_dir
        data = self.data_dir if self.data_dir.name else self.data_dir.absolute()
        return data.with_name(f"{data.name}-state")

    @property
    def users_path(self) -> Path:
        """JSON file of web accounts (hashed passwords); default in the state directory."""
        return self.users_file or self.state_path / "users.json"

    @property
    def feedback_path(self) -> Path:
        """SQLite file of the web audit log and feedback; default in the state directory."""
        return self.feedback_db or self.state_path / "feedback.sqlite"

    @property
    def legacy_moves(self) -> list[tuple[Path, Path]]:
        """(old, new) places of durable files that earlier versions kept in data_dir."""
        moves = []
        if self.users_file is None:
            moves.append((self.data_dir / "users.json", self.users_path))
        if self.feedback_db is None:
            moves.append((self.data_dir / "feedback.sqlite", self.feedback_path))
        return moves


def load_settings(**overrides: object) -> Settings:
    """Build Settings from the environment plus explicit overrides, as a clean error."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid settings ({problems}); check REPORTBOT_* variables") from exc


OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def offline_environment() -> None:
    """No model hub, no telemetry: set before any third-party library is imported."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
