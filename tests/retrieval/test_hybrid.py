"""Fusion (pure) and hybrid retrieval over real Chroma with the real embedder."""

from __future__ import annotations

import pytest

from reportbot.app.service import Reportbot
from reportbot.records import SourceDoc
from reportbot.retrieval.bm25 import LexicalIndex
from reportbot.retrieval.hybrid import (
    HybridSearcher,
    ReportbotRetriever,
    document_to_hit,
    hit_to_document,
    weighted_rrf,
)
from tests.conftest import REPORT_NAME


def test_weighted_rrf_is_one_based_and_weighted() -> None:
    fused = dict(weighted_rrf([["a", "b"], ["b", "c"]], [1.0, 0.5], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 0.5 / 61)
    assert fused["c"] == pytest.approx(0.5 / 62)


def test_zero_weight_ignores_a_ranking_and_ties_keep_first_seen_order() -> None:
    assert [i for i, _ in weighted_rrf([["x", "y"], ["y", "x"]], [1.0, 0.0])] == ["x", "y"]
    assert [i for i, _ in weighted_rrf([["p"], ["q"]], [1.0, 1.0])] == ["p", "q"]
    with pytest.raises(ValueError, match="one weight per ranking"):
        weighted_rrf([["a"]], [1.0, 2.0])


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_finds_the_subsidy_passage(indexed: Reportbot, mode: str) -> None:
    hits = indexed.searcher.run("江西IT人才实训基地补助了多少人", top_k=3, mode=mode)  # type: ignore[arg-type]
    assert any("江西IT人才实训基地补助188人" in h.chunk.text for h in hits)
    for h in hits:
        doc = indexed.catalog.document(h.chunk.doc_id)
        assert doc is not None and doc.text[h.chunk.start : h.chunk.end] == h.chunk.text


def test_langchain_retriever_returns_documents_with_spans(indexed: Reportbot) -> None:
    retriever = ReportbotRetriever(searcher=indexed.searcher, top_k=2)
    docs = retriever.invoke("离岸接包执行金额")
    assert len(docs) == 2
    assert "离岸接包执行金额2.91亿美元" in docs[0].page_content
    meta = docs[0].metadata
    assert meta["end"] - meta["start"] == len(docs[0].page_content)
    assert meta["title"] == "2010年南昌市服务外包工作总结"


def test_documents_turn_back_into_the_hits_they_came_from(indexed: Reportbot) -> None:
    hits = indexed.searcher.run("离岸接包执行金额", 3, "hybrid")
    assert hits and [document_to_hit(hit_to_document(h)) for h in hits] == hits


def test_the_pipeline_retrieves_through_its_langchain_retriever(indexed: Reportbot) -> None:
    from langchain_core.runnables import RunnableLambda

    pipeline = indexed.pipeline()
    assert isinstance(pipeline.retriever, ReportbotRetriever)
    # Another LangChain chain can use the same retriever.
    titles = (pipeline.retriever | RunnableLambda(lambda docs: [d.metadata["doc_id"]
                                                               for d in docs]))
    assert titles.invoke("离岸接包执行金额") == [
        h.chunk.doc_id for h in indexed.searcher.run("离岸接包执行金额", None, "hybrid")]
    answer = pipeline.answer("离岸接包执行金额是多少？")
    assert {"retrieve", "compose", "check", "total"} <= set(answer.timings_ms)


@pytest.mark.slow
def test_an_answer_reads_the_statistics_of_its_passages_documents(fresh: Reportbot) -> None:
    fresh.ingestor().run()
    others = {"port": "上海港上半年集装箱吞吐量同比增长，港口企业新增航线十二条。领导出席并致辞。",
              "farm": "河南夏粮丰收，小麦收购价格保持稳定，粮食企业收购进度加快。领导出席并致辞。"}
    fresh.ingestor().add_documents([SourceDoc(d, d, d, text, f"sha-{d}", "test")
                                    for d, text in others.items()])
    def searcher(pool: int) -> HybridSearcher:
        return HybridSearcher(fresh.settings.model_copy(update={"answer_pool_chunks": pool}),
                              fresh.embedder, fresh.index, fresh.catalog)

    question = "商务部是哪位领导出席并致辞的？"
    hits = [h for h in fresh.searcher.run(question, 5) if h.chunk.doc_id == REPORT_NAME]
    whole = fresh.searcher.lexical
    # The report's chunks are enough: its own statistics, the articles' words unknown (a
    # question word only they use is a paraphrase there).
    stats = searcher(10).statistics(hits, question)
    alone = LexicalIndex.build([c.chunk_id for c, _ in fresh.catalog.chunks()
                                if c.doc_id == REPORT_NAME],
                               [t for c, t in fresh.catalog.chunks() if c.doc_id == REPORT_NAME])
    for word in ("致辞", "出席", "服务外包", "南昌"):
        assert stats.idf(word) == pytest.approx(alone.idf(word))  # type: ignore[arg-type]
    assert stats.idf("集装箱") is None and whole.idf("集装箱") is not None
    # Widened past the report: the next documents the question's words rank join it;
    # 0 reads the whole index.
    assert searcher(10_000).statistics(hits, question).idf("集装箱") == whole.idf("集装箱")
    assert searcher(0).statistics(hits, question).idf("致辞") == whole.idf("致辞")
