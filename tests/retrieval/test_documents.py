"""Document-level retrieval and diversity: pure parts, then real Chroma with the real
embedder over the report and news articles beside it."""

from __future__ import annotations

import logging

import pytest

from reportbot.app.service import Reportbot
from reportbot.bench.measure import news_documents
from reportbot.language.entities import asked_places
from reportbot.language.tokens import tokenize
from reportbot.records import SourceDoc
from reportbot.retrieval.diversity import diversify, overlap
from reportbot.retrieval.documents import (
    DocumentIndex,
    aggregate,
    demote_unnamed,
    document_boost,
)
from reportbot.retrieval.hybrid import HybridSearcher
from tests.conftest import REPORT_NAME, SHARED

NEWS = SHARED / "benchmarks" / "crud_news" / "news_1930.txt"


def test_document_boost_lifts_the_chunks_of_the_best_documents() -> None:
    fused = [("n1", 0.30), ("r1", 0.25), ("n2", 0.20), ("r2", 0.10)]
    doc_of = {"n1": "news", "n2": "news", "r1": "report", "r2": "report"}
    boosted = document_boost(fused, doc_of, {"report": 1, "news": 2}, weight=0.4, k=1)
    assert [c for c, _ in boosted] == ["r1", "n1", "n2", "r2"]
    assert boosted[0][1] == pytest.approx(0.25 + 0.4 / 2)
    assert document_boost(fused, doc_of, {}, 0.2, 1) == fused


def test_chunks_of_documents_not_naming_the_asked_place_lose_a_share() -> None:
    fused = [("other", 8.0), ("asked", 6.0), ("asked-2", 1.0)]
    doc_of = {"other": "a province's report", "asked": "the city's", "asked-2": "the city's"}
    demoted = demote_unnamed(fused, doc_of, {"the city's"}, 0.6)
    assert demoted == [("asked", 6.0), ("other", pytest.approx(3.2)), ("asked-2", 1.0)]
    assert demote_unnamed(fused, doc_of, {"the city's"}, 0.0) == fused
    assert asked_places("江西南昌服务外包合作推进会得到了怎样的评价？") == {"江西", "南昌"}
    assert asked_places("接包合同执行金额的同比增幅是多少？") == frozenset()


def test_aggregate_sums_each_documents_best_chunks() -> None:
    fused = [("a1", 0.5), ("b1", 0.4), ("b2", 0.3), ("b3", 0.3), ("a2", 0.1)]
    doc_of = {"a1": "a", "a2": "a", "b1": "b", "b2": "b", "b3": "b"}
    assert aggregate(fused, doc_of, 2) == [("b", pytest.approx(0.7)), ("a", pytest.approx(0.6))]


def test_diversify_skips_a_near_copy_for_a_different_passage() -> None:
    ranked = [("a", 1.0), ("a-copy", 0.95), ("b", 0.8)]
    tokens = {"a": {"x", "y", "z"}, "a-copy": {"x", "y", "z"}, "b": {"p", "q"}}
    assert [c for c, _ in diversify(ranked, tokens, 2, 0.3)] == ["a", "b", "a-copy"]
    assert diversify(ranked, tokens, 2, 0.0) == ranked
    assert overlap({"x"}, {"x", "y"}) == 0.5 and overlap(set(), set()) == 0.0


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="shared news benchmark absent")
def test_the_report_is_found_among_news_articles(fresh: Reportbot) -> None:
    fresh.ingestor().run()
    fresh.ingestor().add_documents(news_documents(NEWS, limit=12))
    catalog = fresh.catalog
    places = catalog.entities(REPORT_NAME)["place"]
    assert places["南昌"] > 10
    assert next(iter(catalog.documents_naming("南昌"))) == REPORT_NAME
    assert catalog.profiles()[REPORT_NAME].years[2010] > 0
    searcher = fresh.searcher
    assert searcher.documents.by_words(tokenize("南昌服务外包企业新增多少家"), 3)[0] == REPORT_NAME
    hits = searcher.run("2010年南昌新增服务外包企业多少家？", 3)
    assert hits[0].chunk.doc_id == REPORT_NAME and "188家" in hits[0].chunk.text
    # Turned off, the same searcher ranks as before: no document term in the scores.
    off = HybridSearcher(fresh.settings.model_copy(update={"doc_weight": 0.0, "fusion": "rrf"}),
                         fresh.embedder, fresh.index, catalog)
    plain = off.run("2010年南昌新增服务外包企业多少家？", 3)
    assert all(h.score <= 1.8 / 11 + 1e-9 for h in plain)
    assert hits[0].score > plain[0].score


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="shared news benchmark absent")
def test_a_city_question_passes_over_articles_that_do_not_name_the_city(
        fresh: Reportbot) -> None:
    # Half-year economic reports of Tianjin, Jiangsu, Suzhou, Hebei and the three
    # north-eastern provinces: the same measures, different places.
    lines = {"news/1605", "news/0320", "news/0163", "news/1624", "news/1568"}
    fresh.ingestor().add_documents([d for d in news_documents(NEWS) if d.doc_id in lines])
    question = "天津上半年社会消费品零售总额同比增长多少？"
    naming = fresh.searcher.documents.naming(asked_places(question))
    assert naming == {"news/1605"}
    on = {h.chunk.chunk_id: h for h in fresh.searcher.run(question, 20)}
    assert [h.chunk.doc_id for h in list(on.values())[:3]] == ["news/1605"] * 3
    # Off, other places' figures for the same measure reach the top 3; on, each of their
    # chunks keeps 40 % of its score.
    off = HybridSearcher(fresh.settings.model_copy(update={"subject_penalty": 0.0}),
                         fresh.embedder, fresh.index, fresh.catalog).run(question, 20)
    assert {h.chunk.doc_id for h in off[:3]} != {"news/1605"}
    for h in off:
        kept = 1.0 if h.chunk.doc_id == "news/1605" else 0.4
        assert on[h.chunk.chunk_id].score == pytest.approx(h.score * kept)


def test_the_whole_document_bm25_is_saved_by_ingest_and_loaded_not_rebuilt(
        fresh: Reportbot, caplog: pytest.LogCaptureFixture) -> None:
    fresh.ingestor().run()
    others = {"port": "上海港上半年集装箱吞吐量同比增长，港口企业新增航线十二条。",
              "farm": "河南夏粮丰收，小麦收购价格保持稳定，粮食企业收购进度加快。"}
    fresh.ingestor().add_documents([SourceDoc(d, d, d, text, f"sha-{d}", "test")
                                    for d, text in others.items()])  # each ingest saves it
    store = fresh.documents
    assert store.check() == []
    saved = store.inspect(fresh.catalog.stamp()).directory
    assert saved is not None and saved.parent == fresh.catalog.path.with_name("documents")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="reportbot.retrieval.lexical_store"):
        docs = fresh.searcher.documents
    # Loaded, not rebuilt (a rebuild says why, and builds with bm25s).
    assert not [r for r in caplog.records if r.name in (
        "reportbot.retrieval.lexical_store", "bm25s")]
    # The same ranking as a whole-document BM25 built from the catalog now.
    built = DocumentIndex(fresh.catalog.profiles(), fresh.catalog.chunks())
    tokens = tokenize("南昌服务外包企业新增多少家")
    assert docs.lexical.search(tokens, 3) == built.lexical.search(tokens, 3)
    assert docs.by_words(tokens, 1) == [REPORT_NAME]
