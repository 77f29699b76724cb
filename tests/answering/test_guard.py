"""The subject and time guard: a statement answers the year a question asks only when it
states that year, in digits or relative to its document's year."""

from __future__ import annotations

from reportbot.answering.guard import (
    enumerated,
    judge,
    narrowing_held,
    nation_holds,
    place_holds,
    section_window,
    subject_divisions,
    year_stated,
)
from reportbot.records import Chunk, Hit, Span

NOTE = "2023年天津市统计局"  # what a 2023 article's metadata and lead add


def test_a_year_written_relative_to_the_documents_year_is_that_year() -> None:
    asked = "天津2022年全年地区生产总值是多少？"
    assert year_stated(asked, "去年全年，该市地区生产总值为16311.34亿元", NOTE)
    assert not year_stated(asked, "今年一季度，天津市地区生产总值为3715.38亿元", NOTE)
    assert year_stated(asked, "该市地区生产总值为16311.34亿元", NOTE)
    assert year_stated("上半年地区生产总值是多少？", "今年一季度，地区生产总值为3715.38亿元", NOTE)
    # last year asked: a statement naming no year is the document's own year
    assert not year_stated("去年同期营收增速是多少？", "营收同比增长20.44%", NOTE)
    assert year_stated("比上年增长了百分之几？", "营收同比增长20.44%", NOTE)  # a base


def test_the_window_writes_out_relative_years() -> None:
    text = "去年全年，该市地区生产总值为16311.34亿元。"
    chunk = Chunk("d#0", "d", "上半年天津市经济运行情况", "", 0, len(text), text)
    window = section_window([Hit(chunk, 1.0, 1, 1)], chunk, {"d": NOTE})
    assert "2022年" in window and "2023年" in window


# A roundup of cities (as eval/corpora/multidoc line 1457): each city has its paragraph, and a
# statement naming no place (全市…) is the figure of the city named before it.
ROUNDUP = ("7月20日，杭州市统计局发布数据，上半年全市生产总值9602亿元，同比增长6.9%。"
           "7月27日，武汉市统计局发布数据，根据湖北省市州生产总值统一核算结果，上半年，全市地区"
           "生产总值（GDP）9503.33亿元，比上年同期增长5.0%。"
           "第三产业增加值5769.79亿元，增长5.5%。")


def _holds(question: str, clause: str, text: str = ROUNDUP) -> bool:
    chunk = Chunk("d#0", "d", "上半年十强城市经济", "", 0, len(text), text)
    start = text.index(clause)
    span = Span(start, start + len(clause))
    sentence = next(s for s in text.split("。") if clause in s)
    return place_holds(subject_divisions(question), chunk, span, sentence)


def test_a_statement_naming_no_place_is_the_place_named_before_it() -> None:
    assert _holds("杭州上半年地区生产总值是多少？", "上半年全市生产总值9602亿元")
    assert not _holds("深圳上半年地区生产总值是多少？", "上半年全市生产总值9602亿元")
    assert not _holds("杭州上半年第三产业增加值是多少？", "第三产业增加值5769.79亿元")


def test_a_whole_city_is_the_nearest_city_not_the_province_named_after_it() -> None:
    clause = "全市地区生产总值（GDP）9503.33亿元"
    assert _holds("武汉上半年GDP是多少？", clause)
    assert not _holds("湖北上半年GDP是多少？", clause)


def test_a_place_the_statement_names_decides() -> None:
    text = "上半年，深圳市地区生产总值为16297.6亿元。"
    assert not _holds("杭州上半年地区生产总值是多少？", "深圳市地区生产总值为16297.6亿元", text)
    assert _holds("深圳上半年地区生产总值是多少？", "深圳市地区生产总值为16297.6亿元", text)


def test_the_province_or_a_city_inside_the_one_asked_is_not_another_place() -> None:
    text = "根据江苏省统计局统一核算，分产业看，第二产业增加值5069.0亿元。"
    assert _holds("苏州上半年第二产业增加值是多少？", "第二产业增加值5069.0亿元", text)
    text = "郑州航空港区进出口增长较快。规上工业增加值同比增长3.3%。"
    assert _holds("河南上半年规上工业增加值增长多少？", "规上工业增加值同比增长3.3%", text)


def test_a_province_and_its_bureau_frame_the_figures_that_follow() -> None:
    text = ("吉林上半年地区生产总值为6147.11亿元。从黑龙江省统计局公布的数据看，上半年该省"
            "第二产业表现不佳，此外，该省上半年第一产业增加值为492.1亿元。")
    clause = "该省上半年第一产业增加值为492.1亿元"
    assert _holds("黑龙江上半年第一产业增加值是多少？", clause, text)
    assert not _holds("吉林上半年第一产业增加值是多少？", clause, text)


def _national(question: str, clause: str, text: str) -> bool:
    chunk = Chunk("d#0", "d", "t", "", 0, len(text), text)
    start = text.index(clause)
    sentence = next(s for s in text.split("。") if clause in s)
    return nation_holds(question, subject_divisions(question), chunk,
                        Span(start, start + len(clause)), sentence)


def test_a_national_question_is_not_answered_by_a_province_or_a_city() -> None:
    text = "绿色金融方面，6月末，全省绿色贷款余额同比增长42.5%。北京增长5.5%，与全国持平。"
    assert not _national("截至6月末全国绿色贷款余额增长多少？", "全省绿色贷款余额同比增长42.5%",
                         text)
    assert not _national("全国上半年增长多少？", "北京增长5.5%", text)
    assert _national("哪个城市的增速与全国持平？", "北京增长5.5%", text)  # a level compared with
    assert _national("海南绿色贷款余额增长多少？", "全省绿色贷款余额同比增长42.5%", text)


def test_a_question_asking_for_a_place_is_not_held_to_the_one_it_names() -> None:
    assert subject_divisions("六月下旬南昌组织企业去哪个城市参加交易会？") == frozenset()
    assert subject_divisions("杭州市上半年GDP是多少？") == frozenset({"杭州"})


def test_a_whole_province_is_no_figure_of_a_city_in_it() -> None:
    text = "上半年，甘肃全省地区生产总值5539.1亿元。"
    assert not _holds("上半年兰州市地区生产总值是多少？", "全省地区生产总值5539.1亿元", text)
    assert _holds("上半年甘肃地区生产总值是多少？", "全省地区生产总值5539.1亿元", text)


def test_where_something_happened_is_not_whose_figure_follows() -> None:
    text = "6月22日-25日，组织企业赴大连参加交易会。三次会议取得了良好的推介宣传效果。"
    assert _holds("6月份南昌外出参加了几次会议？", "三次会议取得了良好的推介宣传效果", text)


def test_one_of_the_items_a_list_names_is_enough_for_its_clause() -> None:
    question = "上半年甘肃第一、第二、第三产业增加值分别是多少？"
    required = ["上半年", "甘肃", "第一", "第二", "第三产业", "增加值"]
    items = enumerated(question, required)
    assert items == {"第一", "第二", "第三产业"}
    window = "上半年甘肃第三产业增加值3204.9亿元"
    assert judge(required, window, set(items), 0.34, items)
    assert not judge(required, window, set(items), 0.34)
    assert not judge(required, "上半年甘肃工业增加值增长6.8%", set(items), 0.34, items)


def test_a_news_dispatchs_date_is_no_period_it_states() -> None:
    from reportbot.answering.guard import period_stated

    sentence = "本报北京8月15日电 国家外汇管理局公布了7月银行结售汇数据"
    assert not period_stated("8月银行结售汇顺差是多少？", sentence, sentence)
    assert period_stated("7月银行结售汇数据是谁公布的？", sentence, sentence, figure=False)


def test_a_sentence_naming_the_measure_must_name_what_singles_it_out() -> None:
    narrowing = (("成交量", ("白银",)),)
    assert not narrowing_held(narrowing, "上海黄金交易所全部黄金品种累计成交量双边2.13万吨")
    assert narrowing_held(narrowing, "白银累计成交量双边10万吨")
    assert narrowing_held(narrowing, "国内黄金ETF持有量约50.16吨")  # another head: others decide
    assert narrowing_held((("黄金", ("增持",)),), "中国人民银行累计增 持黄金102.95吨")  # a break


def test_places_listed_as_where_people_come_from_are_not_the_subject() -> None:
    text = ("此外，上海至嘉兴红色旅游列车恢复开行以来，北京、西安、武汉等地旅客慕名前来。"
            "截至目前，该红色旅游列车今年共接待旅客逾13万人次。")
    clause = "该红色旅游列车今年共接待旅客逾13万人次"
    assert _holds("上海至嘉兴红色旅游列车今年共接待旅客多少人次？", clause, text)
    assert not _holds("武汉红色旅游列车今年共接待旅客多少人次？", clause, text)


def test_a_measure_phrase_is_not_cut_across_a_name_the_passages_quote() -> None:
    from reportbot.answering.demands import _name_cut
    from reportbot.language.terms import metric_phrases, metric_present

    texts = ["“沪惠保”免赔额由原2万元降至1.6万元"]
    cut = _name_cut("今年沪惠保免赔额降到了多少？", texts)
    assert all("保免" not in p for p in metric_phrases(cut))
    assert any(metric_present(p, texts[0]) for p in metric_phrases(cut))


def test_an_answer_that_is_no_figure_may_come_from_the_end_of_the_month_asked() -> None:
    from reportbot.answering.guard import period_stated

    said = "7月最后一周，全市二手房带看量和成交量都出现了比较明显的增长。"
    assert period_stated("7月末上海二手房成交为什么会回暖？", said, said, figure=False)
    assert not period_stated("7月末上海二手房成交量是多少？", said, said, figure=True)
    assert not period_stated("8月末上海二手房成交为什么会回暖？", said, said, figure=False)
