"""English words the glossary cannot bridge, stood for by the passages' closest word."""

from __future__ import annotations

from reportbot.answering.bridge import standout
from reportbot.language.english import unbridged_runs
from reportbot.language.vocabulary import Glossary
from reportbot.retrieval.similarity import Similarity
from reportbot.stores.embedders import E5Embeddings

# Words of a results report and a gas price notice, with common words (方式, 情况) that an
# embedding puts near almost any English word.
VOCABULARY = ["特斯拉", "汽车", "电动车", "营收", "毛利率", "方式", "情况", "市场", "水平", "数据",
              "天然气", "气价", "居民", "价格", "调整", "通知", "财报", "交付", "产量", "分析师"]


def test_the_unbridged_words_come_with_the_run_of_words_around_them() -> None:
    glossary = Glossary((("price", ("价格",)), ("residential", ("居民",))))
    runs = unbridged_runs("What is the residential piped gas price in Jinan?", glossary)
    assert runs[0] == "residential piped gas price"
    assert {"piped", "gas", "jinan"} <= set(runs) and "price" not in runs


def test_a_name_is_stood_for_by_its_chinese_name_and_a_vague_word_by_nothing(
        e5: E5Embeddings) -> None:
    cosines = Similarity(e5).to
    assert standout(cosines, "tesla", VOCABULARY, 3.0) == "特斯拉"
    assert standout(cosines, "gas", VOCABULARY, 3.0) == "天然气"
    assert standout(cosines, "claimed", VOCABULARY, 3.0) is None
