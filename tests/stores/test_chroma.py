"""The embedded Chroma index: vectors another process writes are found after refresh()."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportbot.records import Chunk
from reportbot.stores.chroma import VectorIndex
from reportbot.stores.embedders import ReportbotEmbeddings


class AxisEmbeddings(ReportbotEmbeddings):
    """Deterministic: text 'k' is the unit vector on axis k, so the nearest id is exact."""

    spec = "axis"
    dim = 8

    def _embed(self, texts: list[str], is_query: bool) -> list[list[float]]:
        return [[1.0 if i == int(t) else 0.0 for i in range(self.dim)] for t in texts]


def chunk(k: int) -> Chunk:
    return Chunk(f"c{k}", "doc", "title", "", 0, 1, str(k))


WRITER = """
import sys
from pathlib import Path
from tests.stores.test_chroma import AxisEmbeddings, chunk
from reportbot.stores.chroma import VectorIndex
e = AxisEmbeddings()
VectorIndex(e, path=Path(sys.argv[1])).add([chunk(7)], e.embed_documents(["7"]))
"""


def write_elsewhere(path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}{os.pathsep}{root}"}
    subprocess.run([sys.executable, "-c", WRITER, str(path)], env=env, check=True, timeout=120)


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


# Chroma cannot rebuild the test embedder from its stored config; it is never asked to.
@pytest.mark.filterwarnings("ignore:Could not reconstruct embedding function")
def test_refresh_finds_vectors_another_process_wrote_and_releases_the_old_store(
        tmp_path: Path) -> None:
    e = AxisEmbeddings()
    index = VectorIndex(e, path=tmp_path / "chroma")
    index.add([chunk(k) for k in range(3)], e.embed_documents(["0", "1", "2"]))
    seven = e.embed_query("7")
    assert index.query(seven, 1)[0][0] != "c7"  # the graph is now in memory

    write_elsewhere(tmp_path / "chroma")
    assert index.count() == 4 and index.query(seven, 1)[0][0] != "c7"  # counted, not found
    index.refresh()
    assert index.query(seven, 1) == [("c7", 0.0)]

    before = threads()
    for _ in range(10):
        index.refresh()
        assert index.query(seven, 1)[0][0] == "c7"
    # Each refresh lets go of the store it replaced (whose threads end a moment later);
    # keeping them would add about 4 threads a refresh.
    assert threads() < before + 8


@pytest.mark.filterwarnings("ignore:Could not reconstruct embedding function")
def test_vectors_are_stored_with_their_span_and_without_the_chunk_text(tmp_path: Path) -> None:
    e = AxisEmbeddings()
    index = VectorIndex(e, path=tmp_path / "chroma")
    index.add([chunk(k) for k in range(2)], e.embed_documents(["0", "1"]))
    stored = index._collection.get(include=["documents", "metadatas"])
    assert stored["documents"] == [None, None]
    assert [m["doc_id"] for m in stored["metadatas"]] == [chunk(k).doc_id for k in range(2)]
    assert index.query(e.embed_query("1"), 1)[0][0] == chunk(1).chunk_id
