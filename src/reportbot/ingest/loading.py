"""Files -> SourceDoc: encodings, PDF, DOCX, HTML, and the metadata sidecar."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportbot.config import Settings
from reportbot.errors import LoadError
from reportbot.ingest.wordml import docx_text
from reportbot.records import SourceDoc

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
# Files in corpus/ that are not documents: metadata sidecars and the curated fact table.
NOT_DOCUMENTS = ("facts.csv", "glossary.toml")
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may cost: its size, its text, the inflation of zipped parts."""

    max_bytes: int
    max_chars: int
    max_inflate: float

    @classmethod
    def of(cls, settings: Settings) -> ReadLimits:
        """The limits configured in ``settings``."""
        return cls(settings.max_file_mb * 2**20, settings.max_document_chars,
                   settings.max_inflate_ratio)


# The defaults of Settings, without reading the environment (tests, benchmarks).
DEFAULT_LIMITS = ReadLimits.of(Settings.model_construct())


def discover(paths: list[Path]) -> Iterator[Path]:
    """Yield candidate document files under the given files or directories, sorted."""
    for root in paths:
        if root.is_file():
            yield root
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if path.name.endswith(SIDECAR_SUFFIX) or path.name in NOT_DOCUMENTS:
                continue
            yield path


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """Stable document id: the path relative to the corpus, else the file name."""
    try:
        return path.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return path.name


def shown(name: str) -> str:
    """A file name as it may be printed: control and invisible characters escaped."""
    return "".join(ch.encode("unicode_escape").decode("ascii") if _unsafe(ch) else ch
                   for ch in name)


def _unsafe(ch: str) -> bool:
    # Control, format (bidi overrides, zero-width), unassigned and private-use characters,
    # and line/paragraph separators: they would forge lines in logs, citations and the UI.
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def check_name(name: str, path: Path) -> str:
    """The document id or file name, or LoadError when it holds a control character."""
    bad = next((i for i, ch in enumerate(name) if _unsafe(ch)), None)
    if bad is not None:
        raise LoadError(f"{shown(str(path))}: file name has a control or invisible character "
                        f"(U+{ord(name[bad]):04X} at position {bad + 1}); rename the file")
    return name


def load_document(path: Path, doc_id: str, limits: ReadLimits = DEFAULT_LIMITS) -> SourceDoc:
    """Read one file into a SourceDoc, or raise LoadError naming the file and the reason."""
    check_name(doc_id, path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(f"{path}: unsupported file type '{suffix or '(none)'}' "
                        f"(expected one of {', '.join(SUPPORTED)})")
    data = _read_bytes(path, limits)
    if not data.strip():
        raise LoadError(f"{path}: empty file")
    meta = _read_sidecar(path)
    if suffix in (".txt", ".md"):
        text, html_title = decode_text(data, path), ""
    elif suffix == ".pdf":
        text, html_title = _pdf_text(path, limits.max_chars), ""
    elif suffix == ".docx":
        text, html_title = docx_text(path, limits.max_chars, limits.max_inflate,
                                     limits.max_bytes), ""
    else:
        text, html_title = _html_text(decode_text(data, path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(f"{path}: no text could be extracted (scanned or image-only file?)")
    if len(text) > limits.max_chars:
        raise LoadError(f"{path}: {len(text):,} characters of text, above the "
                        f"{limits.max_chars:,} limit for one document; split it into several "
                        f"files")
    # Content hash first (64 hex), then the metadata's: duplicates are found by content.
    digest = hashlib.sha256(data).hexdigest() + hashlib.sha256(
        json.dumps(meta, sort_keys=True).encode()).hexdigest()[:8]
    year = meta.get("year")
    return SourceDoc(
        doc_id=doc_id,
        path=str(path),
        title=str(meta.get("title") or html_title or _guess_title(text, path)),
        text=text,
        sha256=digest,
        source=str(meta.get("source") or ""),
        year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
    )


def check_size(path: Path, limits: ReadLimits) -> None:
    """Refuse, unread, a file too large to be one document (LoadError)."""
    suffix = path.suffix.lower()
    size = path.stat().st_size
    # UTF-8 needs at most 4 bytes a character: larger text files exceed max_chars.
    limit = min(4 * limits.max_chars, limits.max_bytes) if suffix in TEXT_SUFFIXES \
        else limits.max_bytes
    if size > limit:
        raise LoadError(f"{path}: file is {size / 2**20:.0f} MB, above the "
                        f"{limit // 2**20} MB limit for {suffix} files; split it")


def _read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes; a file too large to be one document is refused unread."""
    try:
        check_size(path, limits)
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read file ({exc.strerror or exc})") from exc


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), else the encoding charset-normalizer detects."""
    if b"\x00" in data[:8192]:
        raise LoadError(f"{path}: binary data, not text (NUL bytes found)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{path}: not text in any known encoding (binary file?)")
    text = str(best)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise LoadError(f"{path}: binary data, not text ({best.encoding} decoding is garbage)")
    return text


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(f"{sidecar}: metadata is not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise LoadError(f"{sidecar}: metadata must be a JSON object with title/source/year")
    return meta


def _guess_title(text: str, path: Path) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 40 else path.stem
    return path.stem


def _pdf_text(path: Path, max_chars: int) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs warnings ("EOF marker not found") as stray lines; the LoadError says it all.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(f"{path}: encrypted PDF; save an unprotected copy")
        pages: list[str] = []
        total = 0
        for page in reader.pages:  # stop at the limit: later pages are never extracted
            pages.append((page.extract_text() or "").strip())
            total += len(pages[-1]) + 2
            if total > max_chars:
                raise LoadError(f"{path}: more than {max_chars:,} characters of text, above "
                                f"the limit for one document (reading stopped at page "
                                f"{len(pages)}); split it")
        return "\n\n".join(pages)
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(f"{path}: damaged or truncated PDF ({exc})") from exc
    except Exception as exc:  # pypdf raises many internal types on broken files
        if "crypt" in str(exc).lower():
            raise LoadError(f"{path}: encrypted PDF; save an unprotected copy") from exc
        raise LoadError(f"{path}: damaged PDF ({type(exc).__name__}: {exc})") from exc


def _html_text(markup: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    text = soup.get_text("\n")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), title
