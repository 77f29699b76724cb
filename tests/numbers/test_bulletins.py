"""Numeric answers over report-like news documents of the multi-document dev split (a
company's results forecast, a housing-market bulletin): the measure, basis and time a
question names pick the fact. Passages come from BM25 over the documents' real chunks."""

from __future__ import annotations

from reportbot.facts.store import extract_facts
from reportbot.ingest.chunking import chunk_document
from reportbot.ingest.loading import load_document
from reportbot.language.tokens import tokenize
from reportbot.numbers.answer import NumericAnswer, answer_numeric
from reportbot.numbers.matching import fact_query, fits_unit
from reportbot.records import Fact
from reportbot.retrieval.bm25 import LexicalIndex
from tests.conftest import ROOT

DEV = ROOT / "eval" / "corpora" / "multidoc"
DOCS = [load_document(DEV / name, name) for name in (
    "line0058-fenjiu-h1-profit-forecast.txt", "line1581-50-city-new-homes-july.txt",
    "line0163-suzhou-h1-economy.txt", "line1077-shanghai-trade-jan-jul.txt",
    "line1605-tianjin-h1-economy.txt", "line1457-shenzhen-h1-gdp-top-ten-cities.txt",
    "line0626-forex-settlement-july.txt", "line1594-henan-h1-economy.txt",
    "line0420-nanjing-h1-economy.txt", "line1022-shanghai-second-hand-homes-july.txt")]
FACTS = [f for d in DOCS for f in extract_facts(d)]
CHUNKS = [c for d in DOCS for c in chunk_document(d, 200)]
LEXICAL = LexicalIndex.build([c.chunk_id for c in CHUNKS], [tokenize(c.context_text())
                                                      for c in CHUNKS])
BY_ID = {c.chunk_id: c for c in CHUNKS}


def ask(question: str) -> NumericAnswer:
    hits = LEXICAL.search(tokenize(question), 5)
    passages = [(BY_ID[i].doc_id, BY_ID[i].start, BY_ID[i].end, BY_ID[i].text)
                for i, _ in hits]
    answer = answer_numeric(question, passages, FACTS)
    assert answer is not None, question
    return answer


def values(answer: NumericAnswer) -> list[float]:
    return [n.value for n in answer.numbers]


def test_a_question_naming_no_year_asks_the_documents_own_year() -> None:
    # The forecast is for 2023; 2022's figure is stated beside it for comparison.
    assert 67.75e8 in values(ask("山西汾酒上半年预计归属于上市公司股东的净利润是多少？"))
    assert 50.13e8 not in values(ask("山西汾酒上半年预计归属于上市公司股东的净利润是多少？"))


def test_a_part_of_a_year_is_not_read_as_a_year() -> None:
    assert fact_query("上半年净利润是多少？", FACTS, FACTS).years == ()
    assert fact_query("2022年上半年净利润是多少？", FACTS, FACTS).years == (2022,)


def test_the_rate_said_with_a_figure_is_the_basis_asked() -> None:
    answer = ask("7月份50城新房成交面积同比下降了多少？")
    assert "同比下降37%" in answer.text and "环比" not in answer.text


def test_the_same_measure_at_another_time_is_compared_in_one_wording() -> None:
    answer = ask("山西汾酒今年上半年预计净利润比2022年上半年多多少？")
    assert answer.kind == "difference"
    assert "67.75亿元 − 50.13亿元" in answer.text
    assert answer.text.startswith("2023年上半年") and "与2022年上半年" in answer.text


def test_a_change_in_points_does_not_answer_a_rate_asked_in_percent() -> None:
    points = Fact(1, "d", "苏州", "固定资产投资增速比一季度提高", "2023年上半年", 1.7, "pp",
                  "1.7个百分点", 0, 7, "rate")
    assert not fits_unit(fact_query("固定资产投资增速超过6%了吗？", [points], [points]), points)
    assert fits_unit(fact_query("增速比一季度提高了几个百分点？", [points], [points]), points)


def test_how_many_times_divides_the_two_amounts_named() -> None:
    answer = ask("前7个月上海民营企业进出口额是保税物流进出口额的多少倍？")
    assert answer.kind == "multiple"
    assert "7531.8亿元 ÷ 6247.3亿元 ≈ 1.21倍" in answer.text
    assert [n.status for n in answer.numbers if n.unit == "倍"] == ["derived", "derived"]


def test_a_quarter_is_the_running_total_less_the_one_before() -> None:
    answer = ask("天津二季度单季的地区生产总值大约是多少？")
    assert answer.kind == "period_part"
    assert "7842.83亿元 − 3715.38亿元 = 4127.45亿元" in answer.text


def test_a_city_named_is_never_answered_with_another_citys_figure() -> None:
    # The roundup (line 1457) gives 深圳, 杭州 and 武汉 a paragraph each.
    assert values(ask("杭州上半年地区生产总值是多少？"))[0] == 960200000000
    assert 1629760000000 not in values(ask("杭州上半年地区生产总值是多少？"))


def test_an_ordinal_is_part_of_the_measure_named() -> None:
    assert values(ask("深圳上半年第三产业增加值是多少？"))[0] == 1060457000000


def test_a_balance_of_a_two_sided_flow_is_one_side_less_the_other() -> None:
    assert values(ask("7月银行结售汇逆差是多少？"))[0] == 14800000000
    assert values(ask("7月银行代客涉外收付款的差额是多少？"))[0] == 11500000000


def test_a_side_naming_only_the_nation_compares_the_same_measure_there() -> None:
    # The Henan bulletin's passages, as retrieval gives them for this question.
    passages = [(c.doc_id, c.start, c.end, c.text) for c in CHUNKS
                if c.doc_id == "line1594-henan-h1-economy.txt"]
    answer = answer_numeric("河南上半年GDP增速比全国水平低多少个百分点？", passages, FACTS)
    assert answer is not None and round(values(answer)[0], 1) == 1.7
    assert "5.5%" in answer.text and "3.8%" in answer.text


def test_last_year_is_the_year_before_the_documents_figures() -> None:
    passages = [(c.doc_id, c.start, c.end, c.text) for c in CHUNKS
                if c.doc_id == "line0058-fenjiu-h1-profit-forecast.txt"]
    answer = answer_numeric("山西汾酒去年同期营业收入同比增长多少？", passages, FACTS)
    assert answer is not None and 26.53 in values(answer) and "2022年" in answer.text


def test_which_item_of_a_list_grew_fastest() -> None:
    passages = [(c.doc_id, c.start, c.end, c.text) for c in CHUNKS
                if c.doc_id == "line0420-nanjing-h1-economy.txt"]
    facts = [f for f in FACTS if f.doc_id == "line0420-nanjing-h1-economy.txt"]  # ids are
    answer = answer_numeric("南京上半年高技术制造业中，哪个行业产值增长最快？增长多少？",
                            passages, facts)  # local to a document here
    assert answer is not None and values(answer) == [16.7] and "航空航天器" in answer.text


def test_a_figure_is_never_worked_out_of_two_documents() -> None:
    h1 = "2023年上半年"
    one = Fact(1, "a.txt", "甲公司", "归母净利润", h1, 189723700.0, "元", "18972.37万元", 0, 10)
    other = Fact(2, "b.txt", "乙公司", "扣非净利润", h1, 600000000.0, "元", "6亿元", 0, 4)
    answer = answer_numeric("上半年归母净利润比扣非净利润多多少？", [], [one, other])
    assert answer is None or answer.kind != "difference"


def test_a_named_ratio_answers_only_a_question_naming_it() -> None:
    h1 = "2023年上半年"
    growth = Fact(1, "c.txt", "全国", "营业收入同比增长", h1, 7.3, "%", "7.3%", 0, 4, kind="rate")
    share = Fact(2, "c.txt", "全国", "对营业收入增长的贡献率", h1, 75.6, "%", "75.6%", 10, 15,
                 kind="rate")
    answer = answer_numeric("上半年营业收入增速是多少？", [], [share, growth])
    assert answer is not None and values(answer)[0] == 7.3
    answer = answer_numeric("上半年对营业收入增长的贡献率是多少？", [], [share, growth])
    assert answer is not None and values(answer)[0] == 75.6


def test_an_abbreviation_asked_must_be_said_of_the_fact() -> None:
    h1 = "2023年上半年"
    other = Fact(1, "d.txt", "苏州市", "规模以上工业增加值增速", h1, 4.1, "%", "4.1%", 0, 4,
                 kind="rate")
    assert answer_numeric("苏州上半年GDP增速是多少？", [], [other]) is None
    gdp = Fact(2, "d.txt", "苏州市", "地区生产总值同比增长", h1, 4.7, "%", "4.7%", 9, 13,
               kind="rate")
    answer = answer_numeric("苏州上半年GDP增速是多少？", [], [other, gdp])
    assert answer is not None and values(answer)[0] == 4.7


def test_a_side_naming_only_a_period_compares_the_same_measure_then() -> None:
    passages = [(c.doc_id, c.start, c.end, c.text) for c in CHUNKS
                if c.doc_id == "line1605-tianjin-h1-economy.txt"]
    facts = [f for f in FACTS if f.doc_id == "line1605-tianjin-h1-economy.txt"]
    answer = answer_numeric("天津上半年地区生产总值比一季度多了多少？", passages, facts)
    assert answer is not None and round(values(answer)[0] / 1e8, 2) == 4127.45


def test_a_share_of_gdp_is_a_share_of_the_regional_product() -> None:
    passages = [(c.doc_id, c.start, c.end, c.text) for c in CHUNKS
                if c.doc_id == "line0163-suzhou-h1-economy.txt"]
    facts = [f for f in FACTS if f.doc_id == "line0163-suzhou-h1-economy.txt"]
    answer = answer_numeric("苏州上半年第三产业增加值占GDP的比重是多少？", passages, facts)
    assert answer is not None and round(values(answer)[0], 1) == 55.2


def test_a_measure_named_after_the_figure_is_not_the_figures_measure() -> None:
    # 「全市二手房成交套数10.8万套，同比增长41%，成交均价每平方米40080元」: 均价 asked
    hits = LEXICAL.search(tokenize("上海今年前7个月二手房成交均价是多少？"), 5)
    passages = [(BY_ID[i].doc_id, BY_ID[i].start, BY_ID[i].end, BY_ID[i].text)
                for i, _ in hits]
    answer = answer_numeric("上海今年前7个月二手房成交均价是多少？", passages, FACTS)
    assert answer is None or 108000.0 not in values(answer)
