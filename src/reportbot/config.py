"""One Settings object, built once at the edge; the only reader of the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, ValidationError, field_validator, model_validator
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
    # How the dense and the lexical ranking become one (retrieval/fusion.py): "scores" sums
    # each retriever's scores put on a common scale (standard deviations above its weakest
    # candidate) with score_dense_weight / score_lexical_weight, so the retriever that
    # singles a chunk out is heard; "rrf" is weighted reciprocal rank (dense_weight,
    # lexical_weight, rrf_k), which hears both equally however sure each is. The weights
    # of "scores" are chosen by eval/fit_fusion.py on the multi-document dev questions and
    # CMRC dev with the news articles beside them (eval/README.md).
    fusion: Literal["scores", "rrf"] = "scores"
    score_dense_weight: float = 1.0
    score_lexical_weight: float = 1.25
    dense_weight: float = 1.0
    lexical_weight: float = 0.8
    rrf_k: int = 10
    # Document-aware retrieval: documents are ranked by whole-document BM25 (title, entity
    # names, years, text), by their best doc_best_chunks chunks together and by meaning
    # (mean chunk vector), fused with these weights; the doc_focus best ones lend their
    # chunks doc_weight / (doc_rank_k + rank). doc_weight 0 turns it off. Measured on the
    # seed questions with 238 news articles beside the report (eval/README.md): the chunk
    # aggregate and the mean vector each made the document ranking worse, so weigh 0.
    # ``diversity``: the MMR trade-off for list and comparison questions.
    doc_weight: float = 0.2
    doc_rank_k: int = 1
    doc_focus: int = 3
    doc_best_chunks: int = 3
    doc_chunks_weight: float = 0.0
    doc_words_weight: float = 1.0
    doc_meaning_weight: float = 0.0
    diversity: float = 0.3
    # A question that names a place: chunks of documents whose entity list names none of
    # its places lose this share of their fused score; 0 turns it off. Swept on the
    # multi-document dev questions with the news articles beside them (0.2, 0.4, 0.6:
    # chunk hit@1 0.823, 0.832, 0.841; 0 gives 0.814; CMRC dev and the seed unchanged).
    subject_penalty: float = 0.6
    # One passage indexed in two documents (an added article and its copy in a news feed)
    # is kept once when this share of its character 5-grams stand in a passage of the
    # other document, or in its top passages together (retrieval/duplicates.py); 0 turns
    # it off.
    copy_share: float = 0.9
    # The term weights and vocabulary an answer reads its passages with (which question
    # words are rare, which ones the documents never use) are counted over the documents
    # of its passages, widened by the question's document ranking to at least this many
    # chunks, not over every document indexed: articles about other things added to the
    # index no longer move the answers. 0 counts over the whole index (eval/README.md).
    answer_pool_chunks: int = 80
    # Bounded work per request, checked before any work. Cost grows with the question: the
    # dense embedder's faster than linearly (2,000 characters took 14 s with four requests
    # on two cores) and word segmentation's HMM on unknown characters by ~7 ms each, so a
    # question is at most max_question_chars (eval questions: at most 116). A follow-up keeps
    # the newest turns within max_history_turns and max_history_chars, and its rewritten
    # question must fit the question limit too. An answer still unfinished after
    # answer_budget_s seconds is refused at the next stage boundary.
    max_question_chars: int = 200
    max_history_turns: int = 8
    max_history_chars: int = 8000
    answer_budget_s: float = 10.0
    # Bounded reads: files above max_file_mb are refused unread (web uploads, `ingest FILE`
    # and the corpus); reading stops once a document passes max_document_chars (about 25,000
    # chunks, an hour of embedding on two cores); a compressed part (the XML inside a .docx)
    # that would inflate more than max_inflate_ratio times is a zip bomb, refused unread.
    max_file_mb: int = 100
    max_document_chars: int = 5_000_000
    max_inflate_ratio: float = 100.0
    # Answering: the weighted share of a question's terms a passage must cover to answer
    # it, and the share of its salient words that may be missing (paraphrase).
    min_support: float = 0.3
    max_unknown: float = 0.34
    # An English question is refused when this share of its words has no glossary entry.
    max_unknown_english: float = 0.2
    # A list question gathers up to list_items clauses scoring within list_margin of the best.
    list_items: int = 5
    list_margin: float = 0.6
    # Evidence: this many best clauses (by words, unit, rank) are also compared with the
    # question by meaning (the embedder, a few ms per clause); 0 turns it off.
    evidence_meaning_top: int = 8
    # Clause vectors kept in memory between questions (384 floats each).
    clause_vector_cache: int = 20000
    embed_batch: int = 32
    # Web chat: login is on when the users file holds at least one account.
    users_file: Path | None = None
    # Login back-off: after login_free_failures failed logins for one account (or
    # login_free_failures_address from one client address, which may be a whole office
    # behind NAT) each further attempt must wait login_backoff_seconds, doubling per failure
    # up to login_backoff_max_seconds. Failures are forgotten after login_failure_window
    # seconds without one; at most login_tracked_keys accounts/addresses are remembered.
    login_free_failures: int = 5
    login_free_failures_address: int = 20
    login_backoff_seconds: float = 1.0
    login_backoff_max_seconds: float = 300.0
    login_failure_window: float = 3600.0
    login_tracked_keys: int = 10_000
    # Password checks run at most this many at once, off the event loop: each scrypt check
    # takes ~50 ms of a core and 16 MiB.
    login_hash_threads: int = 2
    feedback_db: Path | None = None
    eval_report_dir: Path = Path("eval/report")
    # Optional generative composer: the site's own OpenAI-compatible LLM server (vLLM,
    # Ollama, an intranet gateway). Unset base URL: extractive answers only. Every reply is
    # verified (citations, support, numbers) and the extractive answer stands in for one
    # that fails, or when the server fails or takes longer than llm_timeout_s.
    llm_base_url: str | None = None
    llm_model: str = ""
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 30.0
    llm_max_tokens: int = 800
    # At least this share of a generated sentence's words (or words staff use for them) must
    # stand in the passages it cites, read without planted instructions: paraphrase is
    # allowed, invention is not (faithful paraphrases measured 0.9-1.0, added claims 0.3-0.55).
    llm_min_support: float = 0.7

    @field_validator("chunk_max_chars")
    @classmethod
    def _chunk_size(cls, v: int) -> int:
        if not 40 <= v <= 5000:
            raise ValueError(f"expected 40..5000 characters, got {v}")
        return v

    @field_validator("candidates", "top_k", "rrf_k", "doc_best_chunks", "doc_rank_k",
                     "max_question_chars", "embed_batch",
                     "max_history_turns", "max_history_chars", "max_file_mb",
                     "max_document_chars",
                     "login_free_failures", "login_free_failures_address", "login_tracked_keys",
                     "login_hash_threads", "llm_max_tokens")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v < 1:
            raise ValueError(f"expected a positive integer, got {v}")
        return v

    @field_validator("subject_penalty", "copy_share")
    @classmethod
    def _share(cls, v: float) -> float:
        if not 0 <= v <= 1:
            raise ValueError(f"expected a share 0..1, got {v}")
        return v

    @field_validator("answer_budget_s", "max_inflate_ratio", "llm_timeout_s")
    @classmethod
    def _positive_float(cls, v: float) -> float:
        if not v > 0:
            raise ValueError(f"expected a number > 0, got {v}")
        return v

    @field_validator("login_backoff_seconds", "login_backoff_max_seconds", "login_failure_window")
    @classmethod
    def _seconds(cls, v: float) -> float:
        if not v > 0:
            raise ValueError(f"expected a positive number of seconds, got {v}")
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
        for dense, lexical in (("dense_weight", "lexical_weight"),
                               ("score_dense_weight", "score_lexical_weight")):
            a, b = getattr(self, dense), getattr(self, lexical)
            if a < 0 or b < 0:
                raise ValueError(f"retriever weights must be >= 0, got {dense}={a}, "
                                 f"{lexical}={b}")
            if a == 0 and b == 0:
                raise ValueError(f"at least one of {dense} and {lexical} must be > 0")
        return self

    @field_validator("llm_base_url")
    @classmethod
    def _unset_when_empty(cls, v: str | None) -> str | None:
        return v.strip() or None if v is not None else None  # an empty variable is unset

    @model_validator(mode="after")
    def _llm(self) -> Settings:
        if self.llm_base_url and not self.llm_base_url.startswith(("http://", "https://")):
            raise ValueError(f"llm_base_url: expected an http(s) URL such as "
                             f"http://127.0.0.1:8000/v1, got {self.llm_base_url!r}")
        if self.llm_base_url and not self.llm_model.strip():
            raise ValueError("llm_base_url is set but llm_model is empty: set "
                             "REPORTBOT_LLM_MODEL to the model name the server serves")
        if not 0 <= self.llm_min_support <= 1:
            raise ValueError(f"llm_min_support: expected 0..1, got {self.llm_min_support}")
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
