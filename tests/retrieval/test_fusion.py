"""Score fusion (pure), then real Chroma with the real embedder: the report's passage with
a rare term wins among news articles although the embedder ranks it low."""

from __future__ import annotations

import pytest

from reportbot.app.service import Reportbot
from reportbot.bench.measure import news_documents
from reportbot.retrieval.fusion import score_fusion, spread, weighted_rrf
from reportbot.retrieval.hybrid import HybridSearcher
from tests.conftest import REPORT_NAME, SHARED

NEWS = SHARED / "benchmarks" / "crud_news" / "news_1930.txt"


def test_spread_counts_standard_deviations_above_the_weakest() -> None:
    got = spread([("a", 3.0), ("b", 2.0), ("c", 1.0)])
    sd = (2 / 3) ** 0.5
    assert got == {"a": pytest.approx(2 / sd), "b": pytest.approx(1 / sd), "c": 0.0}
    assert spread([("x", 0.5), ("y", 0.5)]) == {"x": 1.0, "y": 1.0}
    assert spread([]) == {}


def test_a_chunk_far_above_the_rest_of_its_list_outweighs_a_gradual_lead() -> None:
    # Dense: evenly spaced similarities (n1 leads by a little); lexical: r1 far above.
    dense = [(f"n{i}", 0.870 - 0.001 * i) for i in range(1, 4)] + [("r1", 0.866)] + [
        (f"n{i}", 0.866 - 0.001 * (i - 3)) for i in range(4, 10)]
    lexical = [("r1", 30.0)] + [(f"n{i}", 6.0 - 0.2 * i) for i in range(1, 6)]
    assert score_fusion([dense, lexical], [1.0, 1.0])[0][0] == "r1"
    # Reciprocal rank keeps only the ranks: the dense favourite stays ahead.
    ranks = [[c for c, _ in dense], [c for c, _ in lexical]]
    assert weighted_rrf(ranks, [1.0, 1.0], 10)[0][0] == "n1"


def test_zero_weight_and_ties() -> None:
    fused = score_fusion([[("x", 2.0), ("y", 1.0)], [("y", 9.0), ("x", 1.0)]], [1.0, 0.0])
    assert [c for c, _ in fused] == ["x", "y"]
    # Equal scores keep first-seen order (the first list's first).
    assert [c for c, _ in score_fusion([[("p", 1.0)], [("q", 1.0)]], [1.0, 1.0])] == ["p", "q"]
    with pytest.raises(ValueError, match="one weight per list"):
        score_fusion([[("a", 1.0)]], [1.0, 2.0])


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.exists(), reason="shared news benchmark absent")
def test_a_rare_term_finds_the_report_among_articles(fresh: Reportbot) -> None:
    fresh.ingestor().run()
    fresh.ingestor().add_documents(news_documents(NEWS, limit=60))
    question = "离岸接包执行金额比上年增长了百分之几？"
    hits = fresh.searcher.run(question, 5)
    assert hits[0].chunk.doc_id == REPORT_NAME and "离岸" in hits[0].chunk.text
    assert hits[0].lexical_rank == 1
    # The same index fused by reciprocal rank: the embedder's favourites, not the report.
    rrf = HybridSearcher(fresh.settings.model_copy(update={"fusion": "rrf", "doc_weight": 0.0}),
                         fresh.embedder, fresh.index, fresh.catalog)
    first = rrf.run(question, 5)[0]
    assert first.dense_rank is not None and first.dense_rank < (hits[0].dense_rank or 99)
