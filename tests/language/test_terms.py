"""Terms of a question: the thing a figure question measures, with the words narrowing it."""

from __future__ import annotations

import pytest

from reportbot.language.entities import name_pieces, quoted_names
from reportbot.language.places import lead_names, place_named_body
from reportbot.language.terms import (
    leading_subject,
    metric_phrases,
    metric_present,
    narrowing_words,
    present,
    question_terms,
    specific_terms,
    spelled_out,
    with_synonyms,
)
from reportbot.language.vocabulary import is_place, level, within


@pytest.mark.parametrize(("question", "phrase"), [
    ("7月份全国50个重点城市二手房成交面积是多少？", "二手房成交面积"),
    ("天津上半年进出口总值是多少？", "进出口总值"),
    ("离岸接包执行金额是多少？", "接包执行金额"),
    ("南昌市2010年GDP是多少？", "gdp"),  # a place or a year never narrows the metric
    # the kind a list asks for is named by its items (住宿和餐饮业…分别增长), not by itself
    ("河南上半年工业投资中，哪些产业投资增长较快？各增长多少？", "投资增长"),
    ("6月新建商品住宅销售价格环比变化多少？", "商品住宅销售价格"),  # not 变化 or 环比: a change
    # what is asked of the measure (下降, a modal verb) is not the measure
    ("6月新建商品住宅价格同比下降多少？", "商品住宅价格"),
    ("夫妻双方缴存的公积金贷款最高能贷多少？", "公积金贷款"),
    ("蚌埠公积金贷款最高可贷多少？", "公积金贷款"),
])
def test_the_metric_keeps_the_words_that_narrow_it(question: str, phrase: str) -> None:
    assert metric_phrases(question) == [phrase]


def test_a_passage_about_new_homes_does_not_state_second_hand_ones() -> None:
    window = "2023年7月，全国重点城市新建商品住宅成交面积为1265万平方米"
    assert present(metric_phrases("7月份重点城市新建商品住宅成交面积是多少？")[0], window)
    assert not present(metric_phrases("7月份重点城市二手房成交面积是多少？")[0], window)


def test_a_lead_sentence_names_its_source_not_its_dateline() -> None:
    names = lead_names("中新网北京7月31日电 国家统计局31日发布数据，7月份制造业PMI为49.3%。"
                       "后文不算。")
    assert "国家统计局" in names and "北京" not in names
    assert "易居" in lead_names("上海易居房地产研究院今日发布的报告显示，成交面积下降33%。")


def test_a_body_named_after_its_place_is_not_the_place() -> None:
    assert place_named_body("上海海关")
    assert not place_named_body("上海") and not place_named_body("新建")


def test_search_tokens_take_the_words_documents_use_for_them() -> None:
    tokens = with_synonyms(["南京", "gdp"])
    assert tokens[:2] == ["南京", "gdp"] and "生产总值" in tokens


def test_divisions_hold_the_divisions_inside_them() -> None:
    assert within("郑州", "河南") and within("郑州市", "河南省") and within("浦东新区", "上海")
    assert not within("河南", "郑州") and not within("南京", "上海")
    assert (level("河南"), level("杭州")) == ("province", "city")


def test_an_abbreviation_is_read_as_the_passages_spell_it_out() -> None:
    texts = ["全国规模以上文化及相关产业企业实现营业收入59357亿元，同比增长7.3%"]
    got = spelled_out("规上文化企业营收增速是多少？", texts)
    assert got == "规模以上文化企业营业收入增速是多少？"
    assert spelled_out("文化企业利润是多少？", texts) == "文化企业利润是多少？"


def test_a_bare_county_name_is_too_often_a_plain_word_to_be_a_place() -> None:
    assert is_place("杭州") and is_place("河南") and is_place("新建区")
    assert not is_place("新建") and not is_place("成交")


def test_a_three_character_abbreviation_and_a_standard_one_are_spelled_out() -> None:
    texts = ["上海黄金交易所全部黄金品种累计成交量双边2.13万吨",
             "归属于上市公司股东的净利润为18,972.37万元", "蚌埠市新建商品住宅"]
    assert spelled_out("上金所上半年黄金成交量是多少？", texts).startswith("上海黄金交易所")
    assert "归属于上市公司股东的净利润" in spelled_out("归母净利润增速是多少？", texts)
    # a name the passages write is no abbreviation, nor is the word beside an asking word
    assert spelled_out("蚌埠新的额度从哪天起执行？", texts) == "蚌埠新的额度从哪天起执行？"


def test_the_name_a_question_opens_with_before_its_time() -> None:
    assert leading_subject("焦点科技去年同期的归母净利润大概是多少？") == "焦点科技"
    assert leading_subject("山西汾酒今年上半年的营收增速是多少？") == "山西汾酒"
    assert leading_subject("天津上半年GDP是多少？") == ""  # a place: the place guard's
    assert leading_subject("杨树浦路全长多少米？") == ""  # it asks before any time
    assert leading_subject("发布会上介绍上半年出行量的是哪位负责人？") == ""
    assert leading_subject("接包合同执行金额的同比增幅是多少？") == ""  # no time after it


@pytest.mark.parametrize(("question", "narrowing"), [
    ("上半年上海黄金交易所白银累计成交量是多少？", (("成交量", ("白银",)),)),
    ("特斯拉柏林超级工厂每周产量是多少？", (("产量", ("超级", "柏林")),)),  # not 特斯拉
    ("6月末上海辖内银行业各项贷款余额是多少？", (("余额", ("各项",)),)),
    ("蚌埠职工家庭一方缴存公积金的，新规下贷款最高额度是多少？", ()),  # plain nouns: paraphrased
    ("上半年社会消费品零售总额增长多少？", ()),
])
def test_the_words_that_single_out_the_measure_asked(
        question: str, narrowing: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    assert narrowing_words(question) == narrowing


def test_a_measure_is_named_by_its_content_words_and_a_change_alone_must_be_said() -> None:
    window = "首席执行官预计今年的营收增幅将超过5%。这一指引可能比较保守。"
    assert metric_present("营收增长指引", window)       # 增长 said as 增幅
    assert not metric_present("利润增长指引", window)   # 利润 is not there
    assert metric_present("下降", "毛利率比一季度下降1.2个百分点")
    assert not metric_present("下降", "毛利率为18.2%")   # a change asked alone is said
    # a verb's aspect or result character is not what the passage writes: 赔过 / 赔付
    assert metric_present("赔过", "“沪惠保”单次最高赔付金额达58.7万元")
    assert not metric_present("赔过", "“沪惠保”累计参保人数达739万")
    assert metric_present("额度上调", "贷款最高额度由30万调整为50万元")  # 上调: how it moved


def test_question_terms_leave_out_words_that_ask_or_point() -> None:
    # 几项 asks, 那天 / 这次 point at what the question names elsewhere: no passage writes
    # them, and over a large index their rarity would outweigh the words that do name it.
    assert question_terms("9月27日那天的活动有几项？") == ["9", "27", "活动"]
    terms = question_terms("这次政策兑现惠及多少家服务外包企业？")
    assert "这次" not in terms and {"政策", "兑现", "企业"} <= set(terms)


def test_the_word_before_how_many_is_asked_of_not_a_name() -> None:
    # jieba's dictionary tags 惠及 a place; right before 多少 it is what the question asks.
    assert specific_terms("这次政策兑现惠及多少家服务外包企业？") == set()
    assert specific_terms("苏宁易购上半年归母净利润是多少？") >= {"苏宁"}
    assert specific_terms("前7个月上海对美国的进出口额是多少？") == {"7", "上海", "美国"}


def test_a_name_the_documents_quote_is_one_piece_of_the_question() -> None:
    names = quoted_names(["2023年度“沪惠保”投保窗口将于7月31日关闭，《杭州市育儿补助实施办法》",
                          "“5”月"])
    assert names == {"沪惠保", "杭州市育儿补助实施办法"}  # a quote without Chinese is no name
    assert name_pieces("沪惠保单次最高赔过多少？", names) == [
        ("沪惠保", True), ("单次最高赔过多少？", False)]
    assert name_pieces("今年沪惠保免赔额呢", names) == [
        ("今年", False), ("沪惠保", True), ("免赔额呢", False)]
    assert name_pieces("新房成交多少套", names) == [("新房成交多少套", False)]

