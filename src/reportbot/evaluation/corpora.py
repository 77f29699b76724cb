"""One corpus directory made of the configured corpus and extra document directories.

``reportbot eval --add-corpus DIR`` scores a dataset over several corpora at once: this
module copies them into one directory that the ingest reads as usual. The copy is rebuilt
from scratch on every run, so its contents depend on the sources alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from reportbot.errors import ReportbotError
from reportbot.ingest.loading import SIDECAR_SUFFIX, SUPPORTED, discover


def _documents(root: Path) -> list[Path]:
    """Document files under root (sidecars, facts.csv, dotfiles and other files left out)."""
    return [p for p in discover([root]) if p.suffix.lower() in SUPPORTED]


def _copy_with_sidecar(path: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        shutil.copyfile(sidecar, target.with_name(target.name + SIDECAR_SUFFIX))


def combine_corpora(base: Path, extra: Sequence[Path], dest: Path) -> list[str]:
    """Rebuild ``dest`` as a copy of ``base`` plus the documents of each ``extra`` directory.

    ``base`` is copied whole (glossary.toml and facts.csv included); from ``extra`` only
    documents and their ``.meta.json`` sidecars are taken, at their path inside that
    directory, so a document's id is its path there. Returns the ids of the added documents.
    """
    if not base.is_dir():
        raise ReportbotError(f"corpus directory {base} does not exist; set corpus_dir or "
                             f"REPORTBOT_CORPUS_DIR to the directory of the report")
    here, source = dest.resolve(), base.resolve()
    # dest is deleted and rebuilt: it must neither be, contain, nor lie inside the corpus.
    if here == source or here in source.parents or source in here.parents:
        raise ReportbotError(f"the combined corpus {dest} must lie outside {base}")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(base, dest, ignore=shutil.ignore_patterns(".*"))
    added: list[str] = []
    for root in extra:
        if not root.is_dir():
            raise ReportbotError(f"--add-corpus {root}: expected a directory of documents")
        for path in _documents(root):
            rel = path.relative_to(root)
            target = dest / rel
            if target.exists():
                raise ReportbotError(f"{path}: a document named {rel.as_posix()} is already in "
                                     f"the combined corpus; rename one of them")
            _copy_with_sidecar(path, target)
            added.append(rel.as_posix())
    if not added:
        raise ReportbotError(f"no documents found in {', '.join(map(str, extra))} "
                             f"(expected {', '.join(SUPPORTED)} files)")
    return added
