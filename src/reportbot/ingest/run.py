"""Incremental, crash-safe ingest: load, chunk, embed, write vectors, then switch the catalog."""

from __future__ import annotations

import filecmp
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from reportbot.errors import LoadError
from reportbot.ingest.chunking import chunk_document
from reportbot.ingest.loading import (
    DEFAULT_LIMITS,
    SIDECAR_SUFFIX,
    SUPPORTED,
    ReadLimits,
    check_name,
    check_size,
    discover,
    doc_id_for,
    load_document,
    shown,
)
from reportbot.language.tokens import tokenize
from reportbot.records import Chunk, SourceDoc
from reportbot.stores.catalog import Catalog
from reportbot.stores.chroma import VectorIndex
from reportbot.stores.embedders import ReportbotEmbeddings

Progress = Callable[[int], None]


class DocumentListener(Protocol):
    """A derived store kept in step with the catalog (the fact table is one)."""

    def indexed_hash(self, doc_id: str) -> str | None:
        """The sha256 of the version this store last took in, or None."""

    def replace_document(self, doc: SourceDoc) -> None:
        """Take in this version of the document, atomically."""

    def remove_document(self, doc_id: str) -> None:
        """Forget the document."""


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one-line reasons
    chunks: int = 0
    restored: int = 0  # live chunks that had lost their vector, embedded again
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        restored = (f"; {self.restored} missing vectors of unchanged chunks re-embedded"
                    if self.restored else "")
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.skipped)} "
                f"unchanged, {len(self.removed)} removed, {len(self.failed)} failed; "
                f"{self.chunks} chunks embedded in {self.seconds:.1f} s{restored}")


def sidecar_of(path: Path) -> Path:
    """The metadata sidecar a document may have beside it."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def import_into_corpus(path: Path, corpus_dir: Path,
                       limits: ReadLimits = DEFAULT_LIMITS) -> Path:
    """Copy a file from outside the corpus into it with its ``.meta.json`` sidecar, if any
    (never overwriting a different file); a file too large to be one document is refused
    before it is copied."""
    if path.resolve().is_relative_to(corpus_dir.resolve()):
        return path
    name = check_name(path.name, path)
    if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith("."):
        raise LoadError(f"{path}: unusable file name")
    if path.suffix.lower() not in SUPPORTED:
        raise LoadError(f"{path}: unsupported file type '{path.suffix or '(none)'}' "
                        f"(expected one of {', '.join(SUPPORTED)})")
    check_size(path, limits)
    target = corpus_dir / name
    # The sidecar first, so a concurrent full ingest never sees the document without it.
    pairs = [(sidecar_of(path), sidecar_of(target))] if sidecar_of(path).is_file() else []
    pairs.append((path, target))
    for source, dest in pairs:
        if dest.exists() and not filecmp.cmp(dest, source, shallow=False):
            raise LoadError(f"{source}: corpus already has a different file named {dest.name}; "
                            f"rename it (or edit {dest})")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for source, dest in pairs:
        if not dest.exists():
            tmp = dest.with_name(f".{dest.name}.part")
            shutil.copyfile(source, tmp)
            tmp.replace(dest)
    return target


@dataclass
class _Staged:
    """Embedded chunks not yet in Chroma, and documents waiting for their catalog switch."""

    chunks: list[Chunk] = field(default_factory=list)
    vectors: list[list[float]] = field(default_factory=list)
    ready: list[tuple[SourceDoc, list[Chunk], list[str]]] = field(default_factory=list)


class Ingestor:
    """Brings the index and catalog in line with the corpus, one document at a time."""

    def __init__(self, corpus_dir: Path, embedder: ReportbotEmbeddings, index: VectorIndex,
                 catalog: Catalog, chunk_max_chars: int = 200, batch: int = 32,
                 listeners: Sequence[DocumentListener] = (),
                 limits: ReadLimits = DEFAULT_LIMITS,
                 on_finish: Sequence[Callable[[], object]] = ()) -> None:
        self.corpus_dir = corpus_dir
        # Indexes derived from the whole catalog (the saved lexical index): rebuilt once at
        # the end of a run, which is cheaper than updating them document by document.
        self.on_finish = list(on_finish)
        self.limits = limits
        self.listeners = list(listeners)
        self.embedder = embedder
        self.index = index
        self.catalog = catalog
        self.chunk_max_chars = chunk_max_chars
        self.batch = batch
        self._staged = _Staged()

    def run(self, paths: Sequence[Path] = (), progress: Progress | None = None,
            on_total: Callable[[int], None] | None = None) -> IngestReport:
        """Ingest the given files (copied into the corpus) or, with none, the whole corpus."""
        started = time.perf_counter()
        report = IngestReport()
        missing = self._begin()
        full = not paths
        files, fresh = self._files(paths, report)
        known = {d.doc_id: d.sha256 for d in self.catalog.documents()}
        todo: list[tuple[SourceDoc, list[Chunk]]] = []
        seen: set[str] = set()
        by_hash: dict[str, str] = {sha[:64]: doc_id for doc_id, sha in known.items()}
        for path in files:
            doc_id = doc_id_for(path, self.corpus_dir)
            seen.add(doc_id)
            try:
                doc = load_document(path, doc_id, self.limits)
            except LoadError as exc:
                report.failed.append(exc.message)
                self._discard(path, fresh)
                continue
            if known.get(doc_id) == doc.sha256:
                report.skipped.append(doc_id)
                self._catch_up(doc)
                continue
            twin = by_hash.get(doc.sha256[:64])
            if twin is not None and twin != doc_id:
                report.failed.append(f"{path}: same content as {twin}; not indexed twice")
                self._discard(path, fresh)
                continue
            by_hash[doc.sha256[:64]] = doc_id
            todo.append((doc, chunk_document(doc, self.chunk_max_chars)))
        lost = self._lost(missing, {doc.doc_id for doc, _ in todo})
        if on_total is not None:
            on_total(sum(len(chunks) for _, chunks in todo) + len(lost))
        report.restored = self._restore(lost, progress)
        for doc, chunks in todo:
            self._write(doc, chunks, progress)
            (report.updated if doc.doc_id in known else report.added).append(doc.doc_id)
            report.chunks += len(chunks)
        self._flush()
        if full:
            for doc_id in sorted(set(known) - seen):
                self._remove(doc_id)
                report.removed.append(doc_id)
        self._finish()
        report.seconds = time.perf_counter() - started
        return report

    def add_documents(self, docs: Sequence[SourceDoc],
                      progress: Progress | None = None) -> IngestReport:
        """Index in-memory documents (benchmarks): unchanged ones are skipped, none removed."""
        started = time.perf_counter()
        report = IngestReport()
        missing = self._begin()
        known = {d.doc_id: d.sha256 for d in self.catalog.documents()}
        fresh = {d.doc_id for d in docs if known.get(d.doc_id) != d.sha256}
        report.restored = self._restore(self._lost(missing, fresh), progress)
        for doc in docs:
            if known.get(doc.doc_id) == doc.sha256:
                report.skipped.append(doc.doc_id)
                self._catch_up(doc)
                continue
            chunks = chunk_document(doc, self.chunk_max_chars)
            self._write(doc, chunks, progress)
            (report.updated if doc.doc_id in known else report.added).append(doc.doc_id)
            report.chunks += len(chunks)
        self._flush()
        self._finish()
        report.seconds = time.perf_counter() - started
        return report

    def _finish(self) -> None:
        """Bring the whole-catalog indexes in step once the run's changes are committed."""
        for finish in self.on_finish:
            finish()

    def _files(self, paths: Sequence[Path],
               report: IngestReport) -> tuple[list[Path], set[Path]]:
        """The files to load, and which of them this run copied into the corpus."""
        if not paths:
            if not self.corpus_dir.is_dir():
                raise LoadError(f"corpus directory {self.corpus_dir} does not exist; create it "
                                f"or set REPORTBOT_CORPUS_DIR")
            return list(discover([self.corpus_dir])), set()
        files: list[Path] = []
        fresh: set[Path] = set()
        for path in paths:
            if not path.exists():
                report.failed.append(f"{shown(str(path))}: no such file or directory")
                continue
            for found in discover([path]):
                copies = (self.corpus_dir / found.name, sidecar_of(self.corpus_dir / found.name))
                existed = {p for p in copies if p.exists()}
                try:
                    target = import_into_corpus(found, self.corpus_dir, self.limits)
                except (LoadError, OSError) as exc:
                    report.failed.append(getattr(exc, "message", f"{found}: {exc}"))
                    continue
                files.append(target)
                if target != found:
                    fresh.update(p for p in copies if p not in existed and p.exists())
        return files, fresh

    @staticmethod
    def _discard(path: Path, fresh: set[Path]) -> None:
        """Copies this run made of a file that was then refused leave the corpus again."""
        for copy in (path, sidecar_of(path)):
            if copy in fresh:
                copy.unlink(missing_ok=True)

    def _write(self, doc: SourceDoc, chunks: list[Chunk], progress: Progress | None) -> None:
        """Embed; vectors go to Chroma in full batches, the document's catalog switch after.

        Small documents share one Chroma write: each write costs 20-40 ms, a tenth of the
        time of a five-chunk news article. A document goes live once all its vectors are in.
        """
        texts = [c.context_text() for c in chunks]
        staged = self._staged
        for i in range(0, len(chunks), self.batch):
            staged.chunks.extend(chunks[i : i + self.batch])
            staged.vectors.extend(self.embedder.embed_documents(texts[i : i + self.batch]))
            if progress is not None:
                progress(len(texts[i : i + self.batch]))
            if len(staged.chunks) >= self.batch:
                self._flush()
        staged.ready.append((doc, chunks, texts))
        if not staged.chunks:
            self._flush()

    def _flush(self) -> None:
        """Vectors first, then each fully written document's catalog switch, then old vectors go."""
        staged = self._staged
        if staged.chunks:
            self.index.add(staged.chunks, staged.vectors)
            staged.chunks, staged.vectors = [], []
        ready, staged.ready = staged.ready, []
        for doc, chunks, texts in ready:
            old = self.catalog.chunk_ids(doc.doc_id)
            self.catalog.replace_document(doc, chunks, [tokenize(t) for t in texts])
            self.index.delete(sorted(old - {c.chunk_id for c in chunks}))
            self._catch_up(doc)

    def _begin(self) -> set[str]:
        """A new run: nothing staged from an earlier one that failed, no stray vectors.

        Returns the live chunks that have no vector (the store was deleted or emptied).
        """
        self._staged = _Staged()
        vectors = self.index.ids()
        live = self.catalog.chunk_ids()
        if vectors - live:  # left by a run that was killed before its catalog switch
            self.index.delete(sorted(vectors - live))
        return live - vectors

    def _lost(self, missing: set[str], rewritten: set[str]) -> list[Chunk]:
        """Live chunks without a vector, except those of documents this run writes anew."""
        chunks = self.catalog.get_chunks(missing).values()
        return sorted((c for c in chunks if c.doc_id not in rewritten), key=lambda c: c.chunk_id)

    def _restore(self, chunks: list[Chunk], progress: Progress | None) -> int:
        """Embed again, and store, the vectors of live chunks; the catalog is unchanged."""
        for i in range(0, len(chunks), self.batch):
            batch = chunks[i : i + self.batch]
            texts = [c.context_text() for c in batch]
            self.index.add(batch, self.embedder.embed_documents(texts))
            if progress is not None:
                progress(len(batch))
        return len(chunks)

    def _catch_up(self, doc: SourceDoc) -> None:
        """Feed listeners that missed this version (e.g. a run killed after the switch)."""
        for listener in self.listeners:
            if listener.indexed_hash(doc.doc_id) != doc.sha256:
                listener.replace_document(doc)

    def _remove(self, doc_id: str) -> None:
        old = self.catalog.chunk_ids(doc_id)
        self.catalog.remove_document(doc_id)
        self.index.delete(sorted(old))
        for listener in self.listeners:
            listener.remove_document(doc_id)
