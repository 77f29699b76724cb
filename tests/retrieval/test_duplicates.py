"""One passage indexed in two documents is kept once: pure parts, then real Chroma with the
real embedder (an article added with its title beside its bare copy from a news feed)."""

from __future__ import annotations

import pytest

from reportbot.app.service import Reportbot
from reportbot.records import SourceDoc
from reportbot.retrieval.duplicates import collapse_copies, copy_ranks, is_copy, shingles
from reportbot.retrieval.hybrid import HybridSearcher

ARTICLE = ("7月21日，安徽省蚌埠市住房公积金管理中心发布通知，自7月21日起，缴存职工家庭一方按时"
           "连续足额缴存住房公积金6个月以上的，住房公积金贷款最高额度由30万调整为50万元；"
           "夫妻双方按时连续足额缴存6个月以上的，最高额度由50万调整为70万元。"
           "按照国家统计局数据，今年6月，蚌埠市新建商品住宅销售价格环比降0.3%，同比降0.4%；"
           "二手住宅销售价格环比降0.4%，同比降2%。")
OTHER = ("上海港上半年集装箱吞吐量同比增长，港口企业新增航线十二条，"
         "外贸集装箱航线覆盖全球主要港口。")


def test_a_copy_is_a_passage_whose_ngrams_stand_in_the_other() -> None:
    bare = shingles("2023-07-21 22:09，正文：" + ARTICLE)
    assert is_copy(shingles(ARTICLE), bare)  # a dateline before it changes nothing
    assert is_copy(shingles(ARTICLE[:60]), shingles(ARTICLE))  # a shorter window of it
    assert not is_copy(shingles(ARTICLE), shingles(OTHER))
    assert not is_copy(shingles(""), shingles(ARTICLE))
    assert shingles("a b") == {"ab"} and shingles(" ") == frozenset()


def test_copies_of_other_documents_are_kept_once_from_the_preferred_document() -> None:
    fused = [("bare#1", 9.0), ("titled#1", 8.0), ("other#1", 5.0), ("titled#2", 4.0),
             ("bare#2", 3.9)]
    doc_of = {c: c.split("#")[0] for c, _ in fused}
    text_of = {"bare#1": ARTICLE, "titled#1": ARTICLE, "other#1": OTHER,
               "titled#2": ARTICLE[40:], "bare#2": ARTICLE[40:]}
    kept = collapse_copies(fused, doc_of, text_of, {"titled": 1, "bare": 2})
    # The titled document's copy takes the best score of the copies; the rest stays.
    assert kept == [("titled#1", 9.0), ("other#1", 5.0), ("titled#2", 4.0)]
    # No preference: the better-scored copy stays.
    assert collapse_copies(fused, doc_of, text_of, {}) == [
        ("bare#1", 9.0), ("other#1", 5.0), ("bare#2", 3.9)]
    assert collapse_copies(fused, doc_of, text_of, {}, share=0.0) == fused
    # Only the first passages are compared: a copy further down stays where it was.
    assert collapse_copies(fused, doc_of, text_of, {"titled": 1}, head=1) == fused
    assert collapse_copies(fused, doc_of, text_of, {"titled": 1}, head=2) == [
        ("titled#1", 9.0), *fused[2:]]


def test_overlapping_chunks_of_one_document_are_no_copies() -> None:
    fused = [("a#1", 2.0), ("a#2", 1.0)]
    kept = collapse_copies(fused, {"a#1": "a", "a#2": "a"},
                           {"a#1": ARTICLE, "a#2": ARTICLE[10:]}, {})
    assert kept == fused


def test_the_copy_kept_is_the_one_whose_title_says_the_question() -> None:
    titles = {"news/1599": "新闻 1599", "bengbu": "蚌埠市调整住房公积金贷款最高额度",
              "other": "上海港上半年吞吐量"}
    tokens = ["6", "月份", "蚌埠", "二手", "住宅", "价格"]
    # The titled document first however the question's document ranking puts them.
    ranks = copy_ranks(titles, tokens, {"news/1599": 1, "bengbu": 2})
    assert ranks["bengbu"] == 1 and ranks["news/1599"] == 2 and ranks["other"] == 3
    # Titles that say nothing of the question: the document ranking decides.
    assert copy_ranks(titles, ["价格"], {"news/1599": 1})["news/1599"] == 1


@pytest.mark.slow
def test_an_article_and_its_bare_copy_give_one_passage_the_titled_one(
        fresh: Reportbot) -> None:
    docs = [SourceDoc("bengbu", "bengbu.txt", "蚌埠市调整住房公积金贷款最高额度", ARTICLE,
                      "sha-bengbu", "staff"),
            SourceDoc("news/1599", "news.txt#L1599", "新闻 1599",
                      "2023-07-21 22:09，正文：" + ARTICLE, "sha-news", "news feed"),
            SourceDoc("port", "port.txt", "上海港", OTHER, "sha-port", "staff")]
    fresh.ingestor().add_documents(docs)
    question = "6月份蚌埠二手住宅价格同比降了多少？"
    hits = fresh.searcher.run(question, 3)
    assert hits[0].chunk.doc_id == "bengbu" and "同比降2%" in hits[0].chunk.text
    assert [h.chunk.doc_id for h in hits].count("news/1599") == 0
    # Turned off, both copies take places in the top 3.
    off = HybridSearcher(fresh.settings.model_copy(update={"copy_share": 0.0}),
                         fresh.embedder, fresh.index, fresh.catalog).run(question, 3)
    assert {h.chunk.doc_id for h in off[:2]} == {"bengbu", "news/1599"}
    assert hits[0].score == pytest.approx(max(h.score for h in off))


def test_a_shifted_window_of_a_copy_is_one_when_kept_passages_hold_it_together() -> None:
    # The titled document's two chunks meet in the middle of the copy's chunk.
    first, second, shifted = ARTICLE[:90], ARTICLE[80:], ARTICLE[45:140]
    fused = [("bare#1", 5.0), ("titled#1", 4.0), ("titled#2", 3.0), ("other#1", 1.0)]
    doc_of = {c: c.split("#")[0] for c, _ in fused}
    text_of = {"bare#1": shifted, "titled#1": first, "titled#2": second, "other#1": OTHER}
    assert not is_copy(shingles(shifted), shingles(first))
    assert not is_copy(shingles(shifted), shingles(second))
    kept = collapse_copies(fused, doc_of, text_of, {"titled": 1, "bare": 2})
    # The copy's score goes to the kept passage it repeats most of.
    assert kept == [("titled#2", 5.0), ("titled#1", 4.0), ("other#1", 1.0)]
