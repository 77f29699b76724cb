"""Pure question analysis: compound words, comparisons, English questions in report words."""

from __future__ import annotations

import pytest

from reportbot.answering.kinds import answer_type_ok
from reportbot.language.asking import english_asserted
from reportbot.language.english import (
    english_metrics,
    english_names,
    english_proxy,
    search_terms,
    unknown_english_share,
)
from reportbot.language.terms import present, salient_terms
from reportbot.language.vocabulary import Glossary, corpus_glossary
from tests.conftest import CORPUS


@pytest.mark.parametrize(("term", "window", "found"), [
    ("曾效力", "他先后效力于三支球队", True),  # a function character beside the verb
    ("转化成", "主要被转化为甘油", True),      # 转化为 says 转化成
    ("转化成", "主要用于生产甘油", False),     # 转化 is not there at all
    ("追溯到", "其历史可追溯至汉代", True),
    ("铁路沿线", "铁路全长", False),            # a content word missing is missing
    ("县区级", "县(区)级财政拨付351万元", True),  # brackets are how the report writes it
    ("孕妇", "杭州户籍孕(产)妇怀孕", True),        # …or a short aside inside the word
    ("怀二孩", "怀孕(生产)二孩给予一次性补助", True),
    ("销售额", "合同销售总额100.25亿元", True),    # one modifier written inside the compound
    ("销售额", "销售数据，总额", False),            # not across a clause
    ("出口额", "出口商品总值", False),              # nor two characters apart
])
def test_present_tolerates_function_characters_not_content(term: str, window: str,
                                                           found: bool) -> None:
    assert present(term, window) is found


GLOSSARY = corpus_glossary(CORPUS)


def test_a_comparison_keeps_bi_off_its_neighbours() -> None:
    terms = salient_terms("市级财政比县区级财政多拨付了多少？")
    assert "市级" in terms and not any(t.startswith("比") for t in terms)


@pytest.mark.parametrize(("question", "words", "ask"), [
    ("How many trainees did the Jiangxi IT base subsidise?", ["江西", "IT", "学员"], "多少人"),
    ("How many firms were recognised as advanced service enterprises?", ["认定"], "多少家"),
    ("What share of contract value was offshore?", ["离岸", "金额"], "占比多少"),
    ("By what percentage did offshore execution grow?", ["离岸", "执行"], "增长了多少"),
])
def test_english_quantity_questions_become_report_words(question: str, words: list[str],
                                                        ask: str) -> None:
    proxy = english_proxy(question, GLOSSARY)
    assert proxy.endswith(ask) and all(w in proxy.split() for w in words)


def test_english_words_match_the_glossary_by_stem() -> None:
    assert "补助" in search_terms("Which base subsidises trainees?", GLOSSARY)
    assert "执行" in search_terms("How much was executed?", GLOSSARY)
    assert unknown_english_share("How many subsidised trainees?", GLOSSARY) == 0.0
    assert unknown_english_share("What is the weather like in Paris?", GLOSSARY) > 0.5


@pytest.mark.parametrize(("question", "words"), [
    ("What was the non-performing loan ratio of commercial banks?", {"不良贷款率", "商业银行"}),
    ("How much were tax and fee cuts in the first half?", {"减税降费", "上半年"}),
    ("What was net profit attributable to shareholders?", {"归属于上市公司股东的净利润"}),
    ("How many passenger trips did railways make in the summer travel season?",
     {"人次", "铁路", "暑运"}),
    ("What was the surveyed unemployment rate in the Yangtze River Delta?",
     {"调查失业率", "长三角"}),
])
def test_standard_economic_terms_bridge_to_the_wording_of_releases(question: str,
                                                                   words: set[str]) -> None:
    assert words <= set(search_terms(question, GLOSSARY))
    assert unknown_english_share(question, GLOSSARY) == 0.0


def test_english_yes_no_figures() -> None:
    assert english_asserted("Did Nanchang add 27,136 new outsourcing companies?") == "27136家"
    assert english_asserted("Was growth 43.51%?") == "43.51%"
    assert english_asserted("How many companies were added?") is None
    assert english_proxy("What is the capital of France?", GLOSSARY) == ""


@pytest.mark.parametrize(("question", "text", "ok"), [
    ("市委书记是谁？", "省委常委、市委书记余欣荣出席活动并致辞", True),  # title + name
    ("什么时候实现现代化生产？", "该法于1920年代实现现代化生产", True),
    ("哪天举行？", "2010年举行", False),  # a day asked, a year is no answer
])
def test_answer_types(question: str, text: str, ok: bool) -> None:
    assert answer_type_ok(question, text) is ok


def test_an_english_question_names_a_chinese_place_by_its_pinyin() -> None:
    from reportbot.language.english import with_pinyin_names

    glossary = with_pinyin_names(GLOSSARY, ["苏州", "宿州", "汾酒"])
    terms = search_terms("What was Suzhou's GDP in the first half?", glossary)
    assert {"苏州", "宿州", "上半年", "地区生产总值"} <= set(terms)
    assert "汾酒" in search_terms("How much profit did Fenjiu forecast?", glossary)
    assert unknown_english_share("What was Suzhou's GDP in the first half?", glossary) == 0.0


def test_the_measure_an_english_question_asks_for_must_be_named() -> None:
    from reportbot.language.english import english_metrics

    asked = english_metrics("What was the total revenue of the companies?", GLOSSARY)
    assert ("营业收入", "营收") in asked


def test_a_word_of_a_longer_measure_said_is_that_measure_not_another() -> None:
    groups = english_metrics("How fast did Jilin's retail sales of consumer goods grow?",
                             GLOSSARY)
    assert groups and not any("销售" in g for g in groups)  # sales only as retail sales


def test_the_capitalised_words_of_an_english_question_name_what_it_is_about() -> None:
    glossary = Glossary((("focus", ("焦点",)), ("technology", ("科技", "技术")),
                         ("july", ("7月",)), ("profit", ("利润",))), frozenset({"GDP"}))
    assert english_names("What profit did Focus Technology report in July and GDP?",
                         glossary) == [("焦点",), ("科技", "技术")]
