"""Evidence scoring: clauses described by named features, scored by the fitted weights."""

from __future__ import annotations

from reportbot.answering.evidence import FEATURES, best_evidence, candidates, fitted_weights, score
from reportbot.records import Chunk, Hit

TEXT = "2010年，南昌市服务外包产业快速发展。全年新增服务外包企业188家，同比增长43.51%；" \
       "新增从业人员1.2万人。"


def _hits(*texts: str) -> list[Hit]:
    return [Hit(Chunk(f"d#{i}", "d", "报告", "一、总体情况", 0, len(t), t), 1.0 / (i + 1),
                i + 1, i + 1) for i, t in enumerate(texts)]


def test_every_clause_of_every_sentence_is_a_candidate_with_one_value_per_feature() -> None:
    found = candidates("新增多少家服务外包企业", _hits(TEXT), lambda t: 1.0,
                       ["新增", "服务外包", "企业"])
    texts = [c.text for c in found]
    assert any("188家" in t for t in texts) and any("1.2万人" in t for t in texts)
    assert all(len(c.features) == len(FEATURES) for c in found)
    assert all(TEXT[c.span.start : c.span.end] == c.text for c in found)


def test_the_meaning_feature_is_what_the_similarity_function_says() -> None:
    found = candidates("新增多少家企业", _hits(TEXT), lambda t: 1.0, ["新增", "企业"],
                       meaning=lambda texts: [0.5 if "188" in t else 0.1 for t in texts])
    meaning = FEATURES.index("meaning")
    assert {c.features[meaning] for c in found if "188" in c.text} == {0.5}
    assert {c.features[meaning] for c in found if "188" not in c.text} == {0.1}


def test_the_score_is_the_weighted_sum_of_the_features() -> None:
    weights = {"bias": 0.5, **{f: float(i) for i, f in enumerate(FEATURES)}}
    features = tuple(1.0 for _ in FEATURES)
    assert score(features, weights) == 0.5 + sum(range(len(FEATURES)))


def test_the_fitted_weights_rank_the_clause_with_the_figure_asked_first() -> None:
    assert set(fitted_weights()) == {"bias", *FEATURES}
    best = best_evidence("新增多少家服务外包企业", _hits(TEXT), lambda t: 1.0,
                         ["新增", "服务外包", "企业"])
    assert "188家" in TEXT[best[0].span.start : best[0].span.end]


def test_an_english_question_asks_its_figure_in_the_unit_its_shape_says() -> None:
    text = "全区机场均实现了同比正增长。旅客吞吐量累计完成1079.8万人次，同比增长141.9%。"
    found = candidates("By how much did passenger throughput grow year on year?",
                       _hits(text), lambda t: 1.0, ["旅客", "吞吐量", "同比", "增长"])
    unit = FEATURES.index("unit")
    by_text = {c.text: c.features[unit] for c in found}
    assert by_text["同比增长141.9%。"] > by_text["全区机场均实现了同比正增长。"]


def test_the_frame_and_pair_features_read_the_words_around_the_asking_phrase() -> None:
    text = ("离岸接包执行金额2.91亿美元，同比增长150.18%；"
            "接包合同执行金额7.33亿美元，同比增长70.82%。")
    found = candidates("离岸接包执行金额同比增长多少", _hits(text), lambda t: 1.0,
                       ["离岸", "接包", "执行", "金额", "同比", "增长"])
    pair, frame, novel = (FEATURES.index(f) for f in ("pair", "frame", "novel"))
    first, second = (next(c for c in found if c.text.startswith(f"同比增长{p}"))
                     for p in ("150.18", "70.82"))
    assert first.features[pair] > second.features[pair]  # 离岸 is in the clause before
    assert first.features[frame] > 0 and first.features[novel] < 1.0


def test_a_count_asked_in_a_unit_is_answered_by_a_figure_in_that_unit() -> None:
    # 多少套 asks a count of homes: 1.26万套, not the change beside it (下降37%).
    text = "7月份全市二手房成交量同比下降37%；上海7月二手房交易量为1.26万套，环比持平。"
    found = candidates("上海7月份二手房成交了多少套", _hits(text), lambda t: 1.0,
                       ["上海", "二手房", "成交"])
    unit = FEATURES.index("unit")
    by_text = {c.text: c.features[unit] for c in found}
    sets, change = "上海7月二手房交易量为1.26万套，", "7月份全市二手房成交量同比下降37%；"
    assert by_text[sets] > by_text[change]


def test_the_grams_feature_counts_the_questions_pieces_in_the_sentence_however_cut() -> None:
    # 生三孩 as jieba cuts it is no word of the text; its pieces 三孩 are.
    text = "怀孕三孩给予一次性补助5000元。育儿补助标准为生育三孩给予一次性补助20000元。"
    found = candidates("育儿补助生三孩给多少", _hits(text), lambda t: 1.0, ["育儿", "补助"])
    grams = FEATURES.index("grams")
    by_text = {c.text: c.features[grams] for c in found}
    assert by_text["育儿补助标准为生育三孩给予一次性补助20000元。"] \
        > by_text["怀孕三孩给予一次性补助5000元。"] > 0
