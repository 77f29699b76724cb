"""The saved lexical index: stamped, loaded instead of rebuilt, and never trusted when wrong."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportbot.records import Chunk, SourceDoc
from reportbot.retrieval.lexical_store import POINTER, LexicalStore, lexical_path
from reportbot.stores.catalog import Catalog
from tests.conftest import ROOT

STORE_LOG = "reportbot.retrieval.lexical_store"


def add(catalog: Catalog, doc_id: str, *sentences: str) -> None:
    """A document whose chunks are its sentences, tokenised as the characters' pairs."""
    text = "".join(sentences)
    doc = SourceDoc(doc_id, doc_id, doc_id, text, f"sha-{doc_id}-{len(text)}", "test", None)
    chunks, start = [], 0
    for i, s in enumerate(sentences):
        chunks.append(Chunk(f"{doc_id}#{i}", doc_id, doc_id, "", start, start + len(s), s))
        start += len(s)
    catalog.replace_document(doc, chunks, [[s[j : j + 2] for j in range(len(s) - 1)]
                                           for s in sentences])


@pytest.fixture()
def catalog(tmp_path: Path) -> Catalog:
    catalog = Catalog(tmp_path / "data" / "catalog.sqlite")
    add(catalog, "a", "南昌新增服务外包企业。", "离岸接包执行金额增长。")
    add(catalog, "b", "青云阁数据中心投资。")
    return catalog


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == STORE_LOG and r.levelno >= logging.WARNING]


def test_an_updated_store_is_loaded_by_another_reader_without_a_rebuild(
        catalog: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    store = LexicalStore(lexical_path(catalog), catalog)
    caplog.set_level(logging.INFO)
    assert store.update() is True
    assert warnings(caplog) == [] and store.check() == []
    assert store.update() is False  # unchanged catalog: nothing to do
    reader = LexicalStore(lexical_path(catalog), Catalog(catalog.path))
    stamp, index = reader.current()
    assert warnings(caplog) == [] and stamp == catalog.stamp()
    assert [cid for cid, _ in index.search(["青云"], 5)] == ["b#0"]


def test_a_stale_index_is_rebuilt_with_a_warning_and_saved(
        catalog: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    store = LexicalStore(lexical_path(catalog), catalog)
    store.update()
    add(catalog, "c", "赣江新区建成数据中心。")
    assert "stale" in store.check()[0]
    stamp, index = store.current()
    assert any("stale" in w and "rebuilding it from the catalog" in w
               for w in warnings(caplog))
    assert "c#0" in [cid for cid, _ in index.search(["赣江"], 5)]
    assert stamp == catalog.stamp() and store.check() == []


def test_a_new_catalog_at_the_same_generation_does_not_take_the_old_index(
        catalog: Catalog, tmp_path: Path) -> None:
    LexicalStore(lexical_path(catalog), catalog).update()
    catalog.close()
    for p in tmp_path.glob("data/catalog.sqlite*"):
        p.unlink()
    again = Catalog(tmp_path / "data" / "catalog.sqlite")
    add(again, "x", "完全不同的文档。")
    add(again, "y", "另一个文档。")
    assert again.generation() == 2
    store = LexicalStore(lexical_path(again), again)
    assert "stale" in store.check()[0]
    assert store.current()[1].ids == ["x#0", "y#0"]


@pytest.mark.parametrize("damage", ["pointer", "stamp", "matrix", "ids", "directory"])
def test_a_damaged_index_is_rebuilt_never_fatal(catalog: Catalog, damage: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    store = LexicalStore(lexical_path(catalog), catalog)
    store.update()
    saved = store.inspect(catalog.stamp()).directory
    assert saved is not None
    if damage == "pointer":
        (store.directory / POINTER).unlink()
    elif damage == "stamp":
        (saved / "stamp.json").write_text("{", encoding="utf-8")
    elif damage == "matrix":
        (saved / "data.csc.index.npy").write_bytes(b"\x93NUMPY")
    elif damage == "ids":
        (saved / "ids.json").write_text('["a#0"]', encoding="utf-8")
    else:
        shutil.rmtree(saved)
    assert store.check(), damage
    stamp, index = store.current()
    assert warnings(caplog) and sorted(index.ids) == ["a#0", "a#1", "b#0"]
    assert store.check() == []


def test_a_store_that_cannot_be_written_still_answers(
        catalog: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    place = lexical_path(catalog)
    place.write_text("not a directory", encoding="utf-8")
    _, index = LexicalStore(place, catalog).current()
    assert len(index) == 3
    assert any("could not save the lexical index" in w for w in warnings(caplog))


WRITER = """
import sys
from pathlib import Path
from reportbot.retrieval.lexical_store import LexicalStore, lexical_path
from reportbot.stores.catalog import Catalog
catalog = Catalog(Path(sys.argv[1]))
store = LexicalStore(lexical_path(catalog), catalog)
print("ready", flush=True)
while True:
    store.rebuild()
"""


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_leaves_a_loadable_index(catalog: Catalog) -> None:
    for n in range(40):  # enough chunks that a save takes a while
        add(catalog, f"n{n}", *[f"第{n}篇第{i}句讲服务外包和数据中心的发展。" for i in range(20)])
    store = LexicalStore(lexical_path(catalog), catalog)
    store.update()
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(catalog.path)], env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.kill()
        proc.wait()
        assert store.check() == [], delay
        assert len(store.current()[1]) == 3 + 40 * 20
    # A writer killed between naming its new index and switching CURRENT to it leaves that
    # index behind; the next save sweeps it: CURRENT, the live index and the one it replaced.
    store.rebuild()
    assert len([p for p in store.directory.iterdir() if not p.name.startswith(".")]) <= 3
