"""The bm25s-based lexical index against rank_bm25's BM25Okapi (the reference it replaces)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from reportbot.errors import StoreError
from reportbot.language.tokens import tokenize
from reportbot.retrieval.bm25 import LexicalIndex, okapi_idf
from tests.conftest import CORPUS, news_articles

QUERIES = ["南昌服务外包企业新增多少家", "江西 江西 IT人才", "不存在的词语组合", "2010年", "的"]


@pytest.fixture(scope="module")
def corpus() -> list[list[str]]:
    """Report and news chunks: many documents with shared, repeated and very common words."""
    texts = [p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")] + news_articles(300)
    chunks = [t[i : i + 200] for t in texts for i in range(0, len(t), 200)]
    return [tokenize(c) for c in chunks] + [[]]  # an empty chunk too


def reference_top(bm: BM25Okapi, tokens: list[str], n: int) -> list[tuple[str, float]]:
    scores = bm.get_scores(tokens)
    best = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: (-scores[i], i))
    return [(str(i), float(scores[i])) for i in best[:n]]


def test_scores_order_and_idf_are_rank_bm25s(corpus: list[list[str]], tmp_path: Path) -> None:
    bm = BM25Okapi([t or ["\0"] for t in corpus])
    built = LexicalIndex.build([str(i) for i in range(len(corpus))], corpus)
    built.save(tmp_path / "saved")
    loaded = LexicalIndex.load(tmp_path / "saved")
    floored = [t for t, v in bm.idf.items() if v == bm.epsilon * bm.average_idf]
    assert floored, "the corpus must have tokens in more than half the chunks"
    for index in (built, loaded):
        for query in QUERIES:
            tokens = tokenize(query)
            want = reference_top(bm, tokens, 20)
            got = index.search(tokens, 20)
            assert [c for c, _ in got] == [c for c, _ in want], query
            assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-12)
        # Bit for bit: question analysis compares idf values.
        assert {t: index.idf(t) for t in bm.idf} == bm.idf
        assert index.idf("不存在的词") is None
        assert index.max_idf == max(bm.idf.values())
        assert index.pieces == frozenset(t[k : k + 2] for t in bm.idf
                                         for k in range(max(len(t) - 1, 1)))


def test_bm25s_itself_reads_a_saved_index_and_gives_its_scores(corpus: list[list[str]],
                                                                tmp_path: Path) -> None:
    import bm25s

    LexicalIndex.build([str(i) for i in range(len(corpus))], corpus).save(tmp_path / "saved")
    ours = LexicalIndex.load(tmp_path / "saved")
    theirs = bm25s.BM25.load(tmp_path / "saved", mmap=True)
    for query in QUERIES:
        tokens = tokenize(query)
        scores = theirs.get_scores_from_ids(theirs.get_tokens_ids(tokens))
        got = dict(ours.search(tokens, len(corpus)))
        assert {str(i): s for i, s in enumerate(scores) if s > 0} == pytest.approx(got)


def test_okapi_idf_is_the_formula_with_negative_values_floored() -> None:
    idf = okapi_idf([1, 5, 9], 10)
    raw = [np.log((10 - f + 0.5) / (f + 0.5)) for f in (1, 5, 9)]
    assert idf[:2] == pytest.approx(raw[:2])
    assert idf[2] == pytest.approx(0.25 * sum(raw) / 3)


def test_an_empty_index_finds_nothing_and_round_trips(tmp_path: Path) -> None:
    index = LexicalIndex.build([], [])
    index.save(tmp_path / "empty")
    for i in (index, LexicalIndex.load(tmp_path / "empty")):
        assert i.search(["南昌"], 5) == [] and i.idf("南昌") is None and i.max_idf == 1.0
    with pytest.raises(ValueError, match="one token list per id"):
        LexicalIndex.build(["a"], [])


def test_a_damaged_saved_index_is_refused_with_its_place(tmp_path: Path) -> None:
    LexicalIndex.build(["a", "b"], [["南昌", "外包"], ["外包"]]).save(tmp_path / "x")
    (tmp_path / "x" / "ids.json").write_text('["a"]', encoding="utf-8")
    with pytest.raises(StoreError, match=str(tmp_path / "x")):
        LexicalIndex.load(tmp_path / "x")


def test_statistics_within_some_chunks_are_those_of_an_index_of_them_alone(
        corpus: list[list[str]]) -> None:
    ids = [f"doc{i % 7}#sha#{i}" for i in range(len(corpus))]
    whole = LexicalIndex.build(ids, corpus)
    kept = [i for i, c in enumerate(ids) if c.startswith(("doc1#", "doc4#"))]
    alone = LexicalIndex.build([ids[i] for i in kept], [corpus[i] for i in kept])
    within = whole.within(np.array([c.startswith(("doc1#", "doc4#")) for c in ids]))
    tokens = {t for i in kept for t in corpus[i]}
    for token in tokens:
        assert within.idf(token) == pytest.approx(alone.idf(token), abs=1e-12)
    # A token only other chunks hold is unknown there; accepting every chunk gives the
    # index's own values, bit for bit.
    elsewhere = next(t for c in corpus for t in c if t not in tokens)
    assert within.idf(elsewhere) is None and whole.idf(elsewhere) is not None
    everything = whole.within(np.ones(len(ids), dtype=bool))
    assert all(everything.idf(t) == whole.idf(t) for c in corpus for t in c)
    with pytest.raises(ValueError, match="one bool per indexed chunk"):
        whole.within(np.ones(3, dtype=bool))
