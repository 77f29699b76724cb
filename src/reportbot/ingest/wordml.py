""".docx text read as a stream: body paragraphs, then table rows, with bounded memory.

python-docx parses the whole main part into one tree (a 232 KB zip bomb of two million
paragraphs took 120 s and 1.4 GB); here the part is parsed incrementally, each finished
paragraph or table is released, and reading stops as soon as the text passes the limit.
Tables are read by python-docx (merged cells as it repeats them) and paragraphs as it reads
them, so the text is the one ``docx.Document(path)`` gives.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import IO, Any

from lxml import etree

from reportbot.errors import LoadError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN_PART = "word/document.xml"
_MAX_RELS_BYTES = 2**20  # the package's relationship list is a few hundred bytes


def docx_text(path: Path, max_chars: int, max_inflate: float) -> str:
    """The text of a .docx (paragraphs, then table rows tab-joined), or LoadError when it is
    not a .docx, would inflate more than ``max_inflate`` times, or passes ``max_chars``."""
    try:
        with zipfile.ZipFile(path) as package:
            part = _main_part(package)
            ratio = part.file_size / max(part.compress_size, 1)
            if ratio > max_inflate:
                raise LoadError(f"{path}: {part.filename} would inflate {ratio:,.0f} times "
                                f"({part.compress_size:,} → {part.file_size:,} bytes), above "
                                f"the {max_inflate:g}× limit: a zip bomb, not read")
            with package.open(part) as stream:
                return _body_text(stream, path, max_chars)
    except LoadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError,
            EOFError, etree.LxmlError) as exc:
        raise LoadError(f"{path}: not a readable .docx file ({type(exc).__name__})") from exc


def _main_part(package: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The document part the package's relationships name (word/document.xml by default)."""
    target = _MAIN_PART
    rels = package.getinfo("_rels/.rels")
    if rels.file_size <= _MAX_RELS_BYTES:
        root = etree.fromstring(package.read(rels), etree.XMLParser(resolve_entities=False))
        for rel in root.iter(_RELS):
            if str(rel.get("Type", "")).endswith("/officeDocument"):
                target = posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
                break
    return package.getinfo(target)


def _body_text(stream: IO[bytes], path: Path, max_chars: int) -> str:
    from docx.oxml.parser import element_class_lookup
    from docx.table import Table

    events: Any = etree.iterparse(stream, events=("end",), tag=(f"{_W}p", f"{_W}tbl"),
                                  resolve_entities=False, no_network=True)
    events.set_element_class_lookup(element_class_lookup)
    lines: list[str] = []
    rows: list[str] = []  # tables follow the paragraphs, as python-docx lists them
    total = 0
    for _, element in events:
        parent = element.getparent()
        if parent is None or parent.tag != f"{_W}body":
            continue  # a paragraph inside a table: read with its table
        if element.tag == f"{_W}p":
            new = [paragraph_text(element)]
            lines.extend(new)
        else:
            table = Table(element, None)  # type: ignore[arg-type]  # read only: no story part
            new = ["\t".join(c.text for c in r.cells) for r in table.rows]
            rows.extend(new)
        total += sum(len(t) + 1 for t in new)
        if total > max_chars:
            raise LoadError(f"{path}: more than {max_chars:,} characters of text, above the "
                            f"limit for one document (reading stopped there); split it")
        element.clear()
        while element.getprevious() is not None:
            del parent[0]
    return "\n".join(lines + rows)


def paragraph_text(p: Any) -> str:
    """A paragraph's text as python-docx gives it (runs and hyperlinks; tab, breaks, no-break
    hyphen), without its per-element XPath (ten times slower on a document of short lines)."""
    parts: list[str] = []
    for child in p:
        if child.tag == f"{_W}r":
            parts.append(_run_text(child))
        elif child.tag == f"{_W}hyperlink":
            parts.extend(_run_text(r) for r in child if r.tag == f"{_W}r")
    return "".join(parts)


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for item in run:
        tag = item.tag
        if tag == f"{_W}t":
            parts.append(item.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag == f"{_W}cr" or (tag == f"{_W}br" and
                                  item.get(f"{_W}type", "textWrapping") == "textWrapping"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)
