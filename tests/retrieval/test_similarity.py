"""Similarity by meaning with the real embedder; vectors cached and bounded."""

from __future__ import annotations

from reportbot.retrieval.similarity import Similarity
from reportbot.stores.embedders import E5Embeddings


class _Counting(E5Embeddings):
    """The real embedder, counting the passages it is asked to embed."""

    embedded: int = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_a_clause_that_answers_is_closer_in_meaning_than_an_unrelated_one(
        e5: E5Embeddings) -> None:
    cos = Similarity(e5).to("南昌新增了多少家服务外包企业？")
    related, unrelated = cos(["全年新增服务外包企业188家", "今天的天气晴朗，适合散步"])
    assert -1.0 <= unrelated < related <= 1.0


def test_a_text_is_embedded_once_while_it_stays_in_the_cache() -> None:
    embedder = _Counting()
    similarity = Similarity(embedder, capacity=2)
    cos = similarity.to("新增多少家企业")
    first = cos(["新增企业188家", "同比增长43.51%"])
    assert cos(["新增企业188家", "同比增长43.51%"]) == first
    assert embedder.embedded == 2
    cos(["从业人员1.2万人"])  # evicts the least recently used text
    cos(["新增企业188家"])
    assert embedder.embedded == 4
    assert cos([]) == []
