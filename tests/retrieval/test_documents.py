"""Document-level retrieval and diversity: pure parts, then real Chroma with the real
embedder over the report and news articles beside it."""

from __future__ import annotations

import pytest

from reportbot.app.service import Reportbot
from reportbot.bench.measure import news_documents
from reportbot.language.tokens import tokenize
from reportbot.retrieval.diversity import diversify, overlap
from reportbot.retrieval.documents import aggregate, document_boost
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
    off = HybridSearcher(fresh.settings.model_copy(update={"doc_weight": 0.0}),
                         fresh.embedder, fresh.index, catalog)
    plain = off.run("2010年南昌新增服务外包企业多少家？", 3)
    assert all(h.score <= 1.8 / 11 + 1e-9 for h in plain)
    assert hits[0].score > plain[0].score
