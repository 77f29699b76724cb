"""Fact extraction on statistical bulletins and company reports, end to end.

Sentences come from news articles of the shared benchmark used for development (Suzhou,
Tianjin, Hebei, Gansu and Northeast first-half bulletins, Shanghai trade, the July PMI, a
liquor maker's half-year forecast) and from sentences written for these tests in the same
style; each test names the general pattern it checks.
"""

from __future__ import annotations

import pytest

from reportbot.facts.store import extract_facts
from reportbot.records import Fact, SourceDoc


def doc(text: str, title: str = "", year: int | None = 2023) -> SourceDoc:
    return SourceDoc("n.txt", "n.txt", title, text, f"sha-{hash(text)}", "", year)


def rows(text: str, title: str = "", year: int | None = 2023) -> dict[str, Fact]:
    return {f.text: f for f in extract_facts(doc(text, title, year))}


def row(f: Fact) -> tuple[str, str, str, float, str]:
    return f.subject, f.metric, f.period, f.value, f.unit


class TestPeriods:
    def test_a_compared_time_is_the_base_of_a_change_not_the_period(self) -> None:
        got = rows("上半年社会消费品零售总额增长10.9%，比一季度提高7.3个百分点。固定资产投资"
                   "增长5.9%，比一季度提高1.7个百分点。", title="上半年苏州市经济运行情况")
        assert row(got["10.9%"]) == ("苏州市", "社会消费品零售总额增长", "2023年上半年", 10.9, "%")
        assert row(got["1.7个百分点"]) == (
            "苏州市", "固定资产投资增速比一季度提高", "2023年上半年", 1.7, "pp")

    def test_each_figure_of_a_from_to_clause_has_its_own_period(self) -> None:
        got = rows("规模以上工业增加值增速由一季度的-2.7%提高至上半年的4.1%。")
        assert row(got["-2.7%"]) == ("", "规模以上工业增加值增速", "2023年一季度", -2.7, "%")
        assert row(got["4.1%"]) == ("", "规模以上工业增加值增速", "2023年上半年", 4.1, "%")

    def test_relative_years_join_the_period_after_them(self) -> None:
        got = rows("今年一季度，天津市地区生产总值为3715.38亿元，增长5.5%；去年全年，该市"
                   "地区生产总值为16311.34亿元，按不变价格计算，比上年增长1.0%。")
        assert row(got["3715.38亿元"])[2] == "2023年一季度"
        assert row(got["16311.34亿元"]) == ("天津市", "地区生产总值", "2022年", 1.631134e12, "元")
        assert got["1.0%"].period == "2022年" and got["1.0%"].qualifies is not None

    def test_no_period_is_carried_across_an_aside(self) -> None:
        got = rows("截至7月24日，股价已累计回撤超25%。值得注意的是，多家券商表示看好后期表现。"
                   "某证券研报称，给予目标价格为300元。", title="某酒业上半年净利润超67亿元")
        assert got["25%"].period == "2023年7月24日"
        assert got["300元"].period == "2023年上半年"  # the document's, not the 24th's

    def test_the_year_comes_from_the_dateline_without_metadata(self) -> None:
        got = rows("2023-08-17，正文：今年前7个月，上海市进出口总值2.45万亿元。", year=None)
        assert got["2.45万亿元"].period == "2023年1-7月"

    def test_that_year_is_the_year_its_sentence_names(self) -> None:
        got = rows("2023年1月28日，昆山市统计局发布数据，2022年昆山全年完成地区生产总值"
                   "5006.7亿元。")
        assert got["5006.7亿元"].period == "2022年"

    def test_a_time_after_the_figure_counts_only_in_its_clause(self) -> None:
        got = rows("今年上半年，昆山市固定资产投资同比增长17.4%；实际使用外资同比增长42.4%，提前"
                   "半年完成全年目标任务。")
        assert got["42.4%"].period == "2023年上半年"

    def test_figures_listed_against_listed_years(self) -> None:
        got = rows("昆山分别于2014年、2019年跨越3000亿元、4000亿元新台阶。")
        assert [got[t].period for t in ("3000亿元", "4000亿元")] == ["2014年", "2019年"]

    def test_a_stock_at_the_end_of_a_month(self) -> None:
        got = rows("截至6月末，全市拥有各类市场主体291.55万户，同比增长4.2%。",
                   title="上半年苏州市经济运行情况")
        assert row(got["291.55万户"]) == ("苏州市", "各类市场主体", "2023年6月末", 2_915_500, "户")


class TestSubjects:
    def test_publishing_bodies_and_references_name_the_place(self) -> None:
        text = ("7月25日，江苏省苏州市统计局网站发布经济运行情况。根据江苏省统计局统一核算，"
                "上半年全市实现地区生产总值11458.4亿元。")
        assert rows(text)["11458.4亿元"].subject == "苏州市"

    def test_short_names_stems_and_provinces_are_one_subject(self) -> None:
        text = ("7月24日，山西杏花村汾酒厂股份有限公司（山西汾酒，600809.SH）发布公告称，公司"
                "预计实现营业总收入190.11亿元左右。")
        assert row(rows(text)["190.11亿元"])[:2] == ("山西汾酒", "营业总收入")
        text = "据天津市统计局消息，上半年，天津规模以上工业增加值同比增长3.2%。"
        assert row(rows(text)["3.2%"])[:2] == ("天津市", "规模以上工业增加值同比增长")
        text = "河北省统计局发布数据。上半年，河北全省固定资产投资同比增长8.4%。"
        assert rows(text)["8.4%"].subject == "河北省"

    def test_one_places_figure_is_not_filed_under_another(self) -> None:
        got = rows("上半年，辽宁全省地区生产总值13998.1亿元，同比增长5.6%，比全国高0.1个百分点；"
                   "黑龙江地区生产总值为6604.8亿元，同比增长4.7%；吉林上半年地区生产总值为"
                   "6147.11亿元。")
        assert [got[t].subject for t in ("13998.1亿元", "0.1个百分点", "6604.8亿元",
                                         "6147.11亿元")] == ["辽宁", "辽宁", "黑龙江", "吉林"]
        assert got["0.1个百分点"].metric == "地区生产总值增速比全国高"

    def test_a_bracketed_national_figure_is_the_nations(self) -> None:
        got = rows("上半年，天津GDP增速低于全国水平（5.5%）。", title="上半年天津市经济运行情况")
        assert row(got["5.5%"]) == ("全国", "GDP增速", "2023年上半年", 5.5, "%")

    def test_a_bracketed_figure_after_a_time_is_that_times(self) -> None:
        got = rows("纵向比较，甘肃上半年GDP增速快于一季度（6.7%）、也快于去年全年（4.5%）。")
        assert [(got[t].subject, got[t].period) for t in ("6.7%", "4.5%")] == [
            ("甘肃", "2023年一季度"), ("甘肃", "2022年")]

    def test_a_class_of_bodies_is_a_metric_not_a_subject(self) -> None:
        got = rows("6月末全市境内上市公司204家；科创板上市公司达50家。",
                   title="上半年苏州市经济运行情况")
        assert [row(got[t])[:2] for t in ("204家", "50家")] == [
            ("苏州市", "境内上市公司"), ("苏州市", "科创板上市公司")]

    def test_the_nation_from_the_title(self) -> None:
        got = rows("7月份，制造业采购经理指数(PMI)为49.3%，比上月上升0.3个百分点。",
                   title="2023年7月中国采购经理指数运行情况")
        assert row(got["49.3%"]) == ("全国", "制造业采购经理指数(PMI)", "2023年7月", 49.3, "%")
        assert got["0.3个百分点"].metric == "制造业采购经理指数(PMI)比上月上升"
        assert got["0.3个百分点"].qualifies is None  # links a rate to a quantity only


class TestCompanyReports:
    def test_a_listed_company_named_with_its_quote_and_code(self) -> None:
        got = rows("07-24 20:38，正文：藏格矿业(22.720, -0.93, -3.93%)(000408.SZ)发布2023年半年度"
                   "报告，报告期内，公司实现营业收入27.96亿元。公司实现氯化钾产量53.06万吨，"
                   "同比增长15.50%;实现销量58.97万吨。", year=None)
        assert row(got["27.96亿元"]) == ("藏格矿业", "营业收入", "2023年上半年", 2.796e9, "元")
        assert row(got["58.97万吨"])[:2] == ("藏格矿业", "销量")

    def test_a_short_name_introduced_in_brackets(self) -> None:
        got = rows("7月25日晚，芒果超媒股份有限公司（下文称“芒果超媒”，300413.SZ）发布公告称，"
                   "本次交易价格为8.35亿元。")
        assert got["8.35亿元"].subject == "芒果超媒"

    def test_figures_for_listed_years_and_a_span_of_years(self) -> None:
        got = rows("金鹰卡通在2021年和2022年的净利润分别为6091.95万元和4699.05万元。相关方承诺"
                   "在2023-2025年期间，金鹰卡通的净利润不低于4625.38 万元。")
        assert [row(got[t])[1:3] for t in ("6091.95万元", "4699.05万元")] == [
            ("净利润", "2021年"), ("净利润", "2022年")]
        assert got["4625.38 万元"].period == "2023-2025年"
        assert got["4625.38 万元"].value == 46_253_800


class TestEnumerations:
    def test_each_item_gets_its_figure(self) -> None:
        got = rows("上半年，全市规模以上工业增加值、社会消费品零售总额、固定资产投资分别增长"
                   "6.1%、8.2%和3.5%。", title="上半年无锡市经济运行情况")
        assert [row(got[t])[:2] for t in ("6.1%", "8.2%", "3.5%")] == [
            ("无锡市", "规模以上工业增加值增长"), ("无锡市", "社会消费品零售总额增长"),
            ("无锡市", "固定资产投资增长")]

    def test_a_shared_head_noun_and_items_reused_by_a_later_clause(self) -> None:
        got = rows("同期，上海市一般贸易、加工贸易进出口分别为1.46万亿元和3390.9亿元，分别占"
                   "全市进出口总值的59.9%和13.9%。")
        assert [got[t].metric for t in ("1.46万亿元", "3390.9亿元", "59.9%", "13.9%")] == [
            "一般贸易进出口", "加工贸易进出口", "一般贸易进出口占全市进出口总值",
            "加工贸易进出口占全市进出口总值"]

    def test_items_joined_by_and_without_respectively(self) -> None:
        got = rows("外商投资企业和国有企业进出口占比为59.2%和9.8%。")
        assert [got[t].metric for t in ("59.2%", "9.8%")] == [
            "外商投资企业进出口占比", "国有企业进出口占比"]

    def test_items_holding_and_split_on_the_enumeration_comma(self) -> None:
        got = rows("有色金属冶炼和压延加工业、石油和天然气开采业、烟草制品业增加值分别增长"
                   "18.9%、1.0倍和10.7%。")
        assert [(got[t].metric, got[t].unit) for t in ("18.9%", "1.0倍", "10.7%")] == [
            ("有色金属冶炼和压延加工业增加值增长", "%"), ("石油和天然气开采业增加值增长", "倍"),
            ("烟草制品业增加值增长", "%")]

    def test_a_growth_enumeration_qualifies_the_quantities_before_it(self) -> None:
        got = rows("税收收入和非税收入分别为368.1亿元和168.1亿元，分别增长34.0%和5.2%。")
        assert got["34.0%"].qualifies == got["368.1亿元"].fact_id
        assert got["5.2%"].qualifies == got["168.1亿元"].fact_id
        assert got["5.2%"].metric == "非税收入增长"

    def test_a_mismatched_count_falls_back_to_one_figure_at_a_time(self) -> None:
        got = rows("今年上半年预计营收增速23.98%和净利润增速35.15%。")
        assert [got[t].metric for t in ("23.98%", "35.15%")] == ["营收增速", "净利润增速"]


class TestMetrics:
    def test_a_method_adverbial_is_no_noun(self) -> None:
        got = rows("今年上半年，昆山市完成地区生产总值2735.2亿元，按可比价格计算同比增长5.6%。")
        assert got["5.6%"].metric == "地区生产总值同比增长"
        assert got["5.6%"].qualifies == got["2735.2亿元"].fact_id

    def test_figures_joined_by_an_enumeration_word_share_their_measure(self) -> None:
        got = rows("2019年跨越3000亿元、4000亿元新台阶。")
        assert got["3000亿元"].metric == got["4000亿元"].metric

    def test_a_decline_is_negative(self) -> None:
        got = rows("其中，制造业投资同比增长2.9%，基础设施投资下降4.9%。")
        assert (got["4.9%"].metric, got["4.9%"].value) == ("基础设施投资下降", -4.9)

    def test_a_topic_opening_the_sentence_names_its_measures(self) -> None:
        got = rows("今年前7个月，上海市民营企业进出口实现两位数增速，进出口额达7531.8亿元，"
                   "同比增长15.2%，占比30.8%。")
        assert [got[t].metric for t in ("7531.8亿元", "15.2%", "30.8%")] == [
            "民营企业进出口额", "民营企业进出口额同比增长", "民营企业进出口占比"]

    def test_a_modifier_before_a_count(self) -> None:
        assert rows("工业35个大类行业中，29个行业产值增速加快。")["35个"].metric == "工业大类行业"

    def test_a_noun_compound_opening_with_a_verb_before_a_change(self) -> None:
        assert rows("其中，建设项目投资增长15.4%。")["15.4%"].metric == "建设项目投资增长"

    def test_a_light_verb_inside_a_metric(self) -> None:
        got = rows("前7个月上海进出口实现总值2.45万亿元。")
        assert row(got["2.45万亿元"])[:3] == ("上海", "进出口总值", "2023年1-7月")


@pytest.mark.parametrize("text", [
    "2023-07-25 15:03，正文：中国女足7月22日20点出战。",
    "辽宁是三省中唯一一个突破“万亿元”的省份。",
    "炒股必看，九点开盘！",
    "上海市民营企业进出口实现两位数增速。",
])
def test_times_of_day_and_words_of_numerals_are_no_facts(text: str) -> None:
    assert extract_facts(doc(text)) == []


def test_a_figure_changed_from_is_no_fact_and_the_new_one_is_named_by_the_measure() -> None:
    got = rows("7月21日起，蚌埠市住房公积金贷款最高额度由30万调整为50万元。")
    assert "30万" not in got  # no longer the figure: a ✓ on it would vouch for the old one
    assert row(got["50万元"])[1:] == ("住房公积金贷款最高额度", "2023年7月21日", 500000.0, "元")
    # two periods' figures (从上半年的…至下半年的…) are both facts
    both = rows("联合利华预计，其成本通胀将从上半年的约15亿欧元放缓至下半年的约4亿欧元。")
    assert {"15亿欧元", "4亿欧元"} <= set(both)


def test_each_figure_in_brackets_after_a_place_is_that_places() -> None:
    got = rows("在今年上半年的GDP十强城市中，上海（21390.17亿元）、北京（20621.3亿元）继续"
               "稳居前列。有5座跑赢了全国平均增速5.5%，分别为上海（9.7%）、深圳（6.3%）。")
    assert row(got["20621.3亿元"])[:2] == ("北京", "GDP十强城市")
    assert row(got["9.7%"])[0] == "上海" and row(got["6.3%"])[0] == "深圳"
    assert "增速" in row(got["6.3%"])[1]


def test_a_figure_in_brackets_after_one_of_its_unit_reads_it_another_way() -> None:
    got = rows("上海黄金交易所成交额双边9.19万亿元（单边4.60万亿元），同比增长21.66%。")
    assert row(got["4.60万亿元"])[1] == row(got["9.19万亿元"])[1] + "（单边）"
    assert row(got["21.66%"])[1] == row(got["9.19万亿元"])[1] + "同比增长"


def test_a_figure_in_brackets_after_its_measure_leaves_the_bracket_out() -> None:
    got = rows("上半年GDP增速快于该省去年全年增速（3.1%）。", title="上半年河南经济运行情况")
    metric, period = row(got["3.1%"])[1:3]
    assert metric.endswith("增速") and "（" not in metric and period == "2022年"
