""".docx text read as a stream: body paragraphs, then table rows, with bounded memory.

python-docx parses the whole main part into one tree (a 232 KB zip bomb of two million
paragraphs took 92 s and 1.4 GB); here a part that would inflate too much is refused
unread, the rest is parsed incrementally, each finished element of the body is released,
and reading stops as soon as the text passes the limit.
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
_BLOCK = 2**16


def docx_text(path: Path, max_chars: int, max_inflate: float, max_bytes: int) -> str:
    """The text of a .docx (paragraphs, then table rows tab-joined), or LoadError when it is
    not a .docx, its XML would inflate more than ``max_inflate`` times or past
    ``max_bytes``, or its text passes ``max_chars``."""
    try:
        with zipfile.ZipFile(path) as package:
            part = _main_part(package)
            ratio = part.file_size / max(part.compress_size, 1)
            if ratio > max_inflate or part.file_size > max_bytes:
                raise LoadError(f"{path}: {part.filename} would inflate {ratio:,.0f} times "
                                f"({part.compress_size:,} → {part.file_size:,} bytes), above "
                                f"the {max_inflate:g}× or {max_bytes // 2**20} MB limit: a zip "
                                f"bomb, not read")
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
    """Feed the part in blocks; after each block, every finished child of the body has been
    read and is dropped, whatever its kind, so memory holds one block and one element."""
    from docx.oxml.parser import element_class_lookup

    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                 no_network=True, tag=(f"{_W}body", f"{_W}p", f"{_W}tbl"))
    parser.set_element_class_lookup(element_class_lookup)
    text = _Text(path, max_chars)
    body = None
    while block := stream.read(_BLOCK):
        parser.feed(block)
        for event, element in parser.read_events():
            if event == "start":
                body = element if element.tag == f"{_W}body" else body
            elif element.getparent() is body and body is not None:
                text.take(element)  # (a paragraph inside a table is read with its table)
        if body is not None:
            del body[:-1]  # the last child may still be open
    parser.close()
    return text.joined()


class _Text:
    """Paragraph lines and table rows (after the paragraphs, as python-docx lists them),
    refused as soon as they pass the character limit."""

    def __init__(self, path: Path, max_chars: int) -> None:
        from docx.table import Table

        self.table = Table
        self.path = path
        self.max_chars = max_chars
        self.lines: list[str] = []
        self.rows: list[str] = []
        self.total = 0

    def take(self, element: Any) -> None:
        """Add a finished body paragraph or table."""
        if element.tag == f"{_W}p":
            new = [paragraph_text(element)]
            self.lines.extend(new)
        else:
            table = self.table(element, None)  # type: ignore[arg-type]  # read only: no part
            new = ["\t".join(c.text for c in r.cells) for r in table.rows]
            self.rows.extend(new)
        self.total += sum(len(t) + 1 for t in new)
        if self.total > self.max_chars:
            raise LoadError(f"{self.path}: more than {self.max_chars:,} characters of text, "
                            f"above the limit for one document (reading stopped there); "
                            f"split it")

    def joined(self) -> str:
        """The document's text."""
        return "\n".join(self.lines + self.rows)


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
