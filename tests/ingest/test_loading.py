"""Loaders: encodings, PDF, DOCX, HTML, sidecar metadata, clear errors."""

from __future__ import annotations

import io
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from reportbot.errors import LoadError
from reportbot.ingest.loading import DEFAULT_LIMITS, ReadLimits, discover, load_document
from tests.conftest import REPORT, REPORT_TEXT, REPORTBOT, copy_corpus
from tests.servers import app_env, run_measured


def test_report_loads_byte_for_byte_with_sidecar_metadata() -> None:
    doc = load_document(REPORT, "r")
    assert doc.text == REPORT.read_bytes().decode("utf-8")
    assert doc.title == "2010年南昌市服务外包工作总结"
    assert doc.source == "《中国服务外包》" and doc.year == 2010


def test_gbk_and_gb18030_are_detected(tmp_path: Path) -> None:
    for enc in ("gbk", "gb18030"):
        path = tmp_path / f"{enc}.txt"
        path.write_bytes(REPORT_TEXT.encode(enc))
        assert load_document(path, enc).text == REPORT_TEXT


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff# 标题\n正文。".encode())
    doc = load_document(path, "bom.md")
    assert doc.text == "# 标题\n正文。" and doc.title == "标题"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "PDF"),
    ("broken.docx", b"PK\x03\x04 not really a zip", ".docx"),
    ("image.png", b"\x89PNG\r\n", "unsupported file type"),
])
def test_bad_files_get_a_one_line_reason(tmp_path: Path, name: str, data: bytes,
                                         reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load_document(path, name)
    assert reason in err.value.message and name in err.value.message
    assert "\n" not in err.value.message


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("（一）政策")
    document.add_paragraph("兑现资金总计1477万元。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "补助人数"
    table.rows[0].cells[1].text = "396人"
    path = tmp_path / "policy.docx"
    document.save(str(path))
    text = load_document(path, "policy.docx").text
    assert "兑现资金总计1477万元。" in text and "补助人数\t396人" in text


def docx_bomb(path: Path, paragraphs: int = 2_000_000, text: str = "南昌") -> Path:
    """A valid .docx whose main part is ``paragraphs`` identical paragraphs, written as a
    stream (about 250 KB holding 78 MB of XML for the default two million)."""
    import docx

    base = io.BytesIO()
    docx.Document().save(base)
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
    with zipfile.ZipFile(base) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "word/document.xml":
                out.writestr(item, data)
                continue
            head, body, tail = data.partition(b"<w:body>")
            with out.open(item.filename, "w", force_zip64=True) as part:
                part.write(head + body)
                for _ in range(paragraphs // 10_000):
                    part.write(paragraph * 10_000)
                part.write(paragraph * (paragraphs % 10_000) + tail)
    return path


def test_docx_text_is_the_text_python_docx_gives(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("（一）政策")
    para = document.add_paragraph("兑现资金")
    para.add_run("总计\t1477万元。").add_break()
    para.add_run("下页").add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "纵向\n合并"
    table.cell(1, 0).text = "补助人数"
    document.add_paragraph("表后一段")
    document.add_table(rows=1, cols=1).cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).text = "内"
    path = tmp_path / "mixed.docx"
    document.save(str(path))
    read = docx.Document(str(path))
    expected = "\n".join([p.text for p in read.paragraphs] + [
        "\t".join(c.text for c in row.cells) for t in read.tables for row in t.rows])
    assert load_document(path, "mixed.docx").text == expected


def test_a_docx_zip_bomb_is_refused_unread(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "bomb.docx")
    started = time.perf_counter()
    with pytest.raises(LoadError, match="zip bomb, not read") as err:
        load_document(bomb, "bomb.docx")
    seconds = time.perf_counter() - started
    print(f"\n{bomb.stat().st_size // 1024} KB docx bomb (2 M paragraphs) refused in "
          f"{seconds * 1000:.0f} ms: {err.value.message}")
    assert seconds < 2 and "bomb.docx" in err.value.message


def test_docx_xml_above_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "big.docx", 200_000)  # 7.8 MB of XML
    with pytest.raises(LoadError, match="1 MB limit: a zip bomb, not read"):
        load_document(bomb, "big.docx", ReadLimits(2**20, 10**7, max_inflate=10_000))


def test_docx_reading_stops_at_the_character_limit(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "long.docx", 400_000, "南昌市服务外包")
    limits = ReadLimits(DEFAULT_LIMITS.max_bytes, 100_000, max_inflate=10_000)
    started = time.perf_counter()
    with pytest.raises(LoadError, match="reading stopped there"):
        load_document(bomb, "long.docx", limits)
    seconds = time.perf_counter() - started
    print(f"\nreading stopped at 100,000 characters of 3.2 M after {seconds:.2f} s")
    assert seconds < 5


@pytest.mark.slow
def test_ingesting_the_docx_bomb_is_quick_with_bounded_memory(tmp_path: Path) -> None:
    copy_corpus(tmp_path / "corpus")
    bomb = docx_bomb(tmp_path / "bomb.docx")
    env = app_env(tmp_path)
    started = time.perf_counter()
    _, _, err, peak_mb = run_measured([REPORTBOT, "ingest", "--quiet", str(bomb)], env, tmp_path)
    lines = err.strip().splitlines()
    seconds = time.perf_counter() - started
    print(f"\n`reportbot ingest bomb.docx` (with the report): {seconds:.1f} s, peak RSS "
          f"{peak_mb:.0f} MB: {lines}")
    assert any("bomb.docx" in line and "zip bomb" in line for line in lines)
    assert not (tmp_path / "corpus" / "bomb.docx").exists()
    assert seconds < 60 and peak_mb < 700


def test_pdf_reading_stops_at_the_character_limit(tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    path.write_bytes(_minimal_pdf("Offshore contracts 2.91 billion"))
    with pytest.raises(LoadError, match="reading stopped at page 1"):
        load_document(path, "note.pdf", ReadLimits(DEFAULT_LIMITS.max_bytes, 10, 100))


def test_files_above_the_size_limit_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(_minimal_pdf("x") + b"%" * 2**20)
    with pytest.raises(LoadError, match="above the 1 MB limit"):
        load_document(path, "big.pdf", ReadLimits(2**20, 1000, 100))


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    path.write_bytes(_minimal_pdf("Offshore contracts 2.91 billion"))
    assert "Offshore contracts 2.91 billion" in load_document(path, "note.pdf").text


def test_truncated_pdf_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(_minimal_pdf("Offshore contracts")[:60])
    with pytest.raises(LoadError, match="cut.pdf"):
        load_document(path, "cut.pdf")


def test_html_is_text_without_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>通知</title><script>alert(1)</script></head>"
                    "<body><p>第一段。</p><p>第二段&lt;b&gt;。</p></body></html>", encoding="utf-8")
    doc = load_document(path, "page.html")
    assert doc.title == "通知"
    assert "alert" not in doc.text and "第一段。" in doc.text and "第二段<b>。" in doc.text


def test_bad_sidecar_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("正文。", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LoadError, match="meta.json"):
        load_document(path, "a.txt")


def test_discover_skips_sidecars_hidden_files_and_facts(tmp_path: Path) -> None:
    for name in ("a.txt", "a.txt.meta.json", ".hidden.txt", "facts.csv", "b.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in discover([tmp_path])] == ["a.txt", "b.md"]


@pytest.mark.slow
def test_ingest_file_above_the_size_limit_is_refused_before_it_is_copied(
        tmp_path: Path) -> None:
    copy_corpus(tmp_path / "corpus")
    big = tmp_path / "big.txt"
    big.write_bytes("南昌市服务外包。\n".encode() * (2**21 // 25))  # 2 MB
    env = app_env(tmp_path, REPORTBOT_MAX_FILE_MB="1")
    run = subprocess.run([REPORTBOT, "ingest", "--quiet", str(big)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert "big.txt" in run.stderr and "above the 1 MB limit" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "corpus" / "big.txt").exists()
