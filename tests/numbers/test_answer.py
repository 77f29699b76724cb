"""Numeric answers: the fact the question asks for, or a derivation with its formula.

Passages come from BM25 over the report's real chunks (cheap and deterministic), so the
facts in play are the ones retrieval would hand over.
"""

from __future__ import annotations

import re

import pytest

from reportbot.facts.store import extract_facts
from reportbot.ingest.chunking import chunk_document
from reportbot.ingest.loading import load_document
from reportbot.language.asking import asked_unit, asks_figure
from reportbot.language.tokens import tokenize
from reportbot.numbers.answer import NumericAnswer, answer_numeric
from reportbot.retrieval.bm25 import LexicalIndex
from tests.conftest import REPORT, REPORT_NAME, REPORT_TEXT

DOC = load_document(REPORT, REPORT_NAME)
FACTS = extract_facts(DOC)
CHUNKS = chunk_document(DOC, 200)
LEXICAL = LexicalIndex.build([c.chunk_id for c in CHUNKS], [tokenize(c.context_text())
                                                      for c in CHUNKS])
BY_ID = {c.chunk_id: c for c in CHUNKS}


def passages(question: str, k: int = 5) -> list[tuple[str, int, int, str]]:
    hits = LEXICAL.search(tokenize(question), k)
    return [(DOC.doc_id, BY_ID[i].start, BY_ID[i].end, BY_ID[i].text) for i, _ in hits]


def ask(question: str) -> NumericAnswer:
    answer = answer_numeric(question, passages(question), FACTS)
    assert answer is not None, question
    return answer


def cited(answer: NumericAnswer) -> list[str]:
    return [REPORT_TEXT[s:e] for _, s, e in answer.spans]


def statuses(answer: NumericAnswer) -> set[str]:
    return {n.status for n in answer.numbers}


class TestTraps:
    def test_jiangxi_base_subsidised_188_people_not_188_firms(self) -> None:
        answer = ask("江西IT人才实训基地补助了多少人？")
        assert "188人" in answer.text and "188家" not in answer.text
        assert cited(answer) == ["188人"]
        assert answer.spans[0][1] == REPORT_TEXT.index("补助188人") + 2
        assert [(n.text, n.status) for n in answer.numbers] == [("188人", "verified")]

    def test_new_firms_in_2010_are_188_with_their_growth(self) -> None:
        answer = ask("2010年南昌市新增多少家服务外包企业？")
        assert answer.kind == "direct"
        assert "188家" in answer.text and "43.51%" in answer.text
        assert cited(answer) == ["188家", "43.51%"]
        assert statuses(answer) == {"verified"}


@pytest.mark.parametrize(("question", "value"), [
    ("江西IT人才实训基地有多少学员获得了补助？", "188人"),
    ("IBM先锋基地补助了几个人？", "396人"),
    ("2010年南昌新增的服务外包企业有几家？", "188家"),
    ("2010年南昌市服务外包从业人员新增了多少？", "27136人"),
    ("南昌接包合同执行额达到多少亿美元？", "7.33亿美元"),
    ("离岸接包执行金额有多少？", "2.91亿美元"),
    ("南昌市2010年离岸外包执行金额同比增长多少？", "150.18%"),
    ("南昌市新增企业国际认证多少个？", "27个"),
    ("兑现资金总计多少？", "1477万元"),
    ("县(区)级财政拨付了多少钱？", "351万元"),
    ("2009年度政策兑现中，市级财政出了多少钱？", "1126万元"),
    ("从2009年度服务外包产业专项资金中划拨了多少万元？", "554.8万元"),
    ("江西IT人才实训基地获得了多少万元补贴？", "178.6万元"),
    ("IBM先锋基地的补贴标准是每人多少元？", "9500元/人"),
    ("一季度足额拨付的国家资金有多少？", "624.1万元"),
    ("南昌市为多少家服务外包人才机构兑现了资金？", "10家"),
    ("东软集团与市政府签订了几个合作协议？", "5个"),
    ("9月27日的活动有几项内容？", "2项"),
    ("调研组一行几人？", "2人"),
    ("兑现资金当中县区财政拿了多少？", "351万元"),  # the part the question narrows to
    ("市级财政在兑现资金里出了多少钱？", "1126万元"),
    ("江西IT基地拨付了多少学员补贴？", "178.6万元"),  # 学员补贴 asks money, not people
])
def test_direct_questions_get_the_stated_fact_verified(question: str, value: str) -> None:
    answer = ask(question)
    assert answer.kind == "direct" and value in answer.text
    shown = [n.text.replace("两", "2") for n in answer.numbers if n.status == "verified"]
    assert value in shown or value.split("/")[0] in shown
    assert all(n.status == "verified" for n in answer.numbers)


@pytest.mark.parametrize(("question", "kind", "value", "formula"), [
    ("离岸接包执行金额占接包合同执行金额的比例是多少？", "share", "39.7%",
     "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%"),
    ("离岸接包执行金额占比多少？", "share", "39.7%", "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%"),
    ("离岸业务在接包合同执行金额中所占的比重是多少？", "share", "39.7%",
     "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%"),
    ("离岸接包执行金额是接包合同执行金额的百分之几？", "share", "39.7%",
     "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%"),
    ("县区财政拨付的资金占兑现总额的百分之多少？", "share", "23.8%",
     "351万元 ÷ 1477万元 ≈ 23.8%"),
    ("两个实训基地一共补助了多少人？", "sum", "584人", "396人 + 188人 = 584人"),
    ("IBM先锋基地和江西IT基地合计补助多少名学员？", "sum", "584人", "396人 + 188人 = 584人"),
    ("两个基地拨付的补贴合计多少万元？", "sum", "554.8万元",
     "376.2万元 + 178.6万元 = 554.8万元"),
    ("接包合同执行金额比离岸接包执行金额多多少？", "difference", "4.42亿美元",
     "7.33亿美元 − 2.91亿美元 = 4.42亿美元"),
    ("南昌市接包合同执行金额中离岸以外的部分是多少？", "difference", "4.42亿美元",
     "7.33亿美元 − 2.91亿美元 = 4.42亿美元"),
    ("IBM先锋基地比江西IT基地多补助了多少人？", "difference", "208人",
     "396人 − 188人 = 208人"),
    ("2009年南昌市新增服务外包企业多少家？", "prior", "131家",
     "188家 ÷ (1 + 43.51%) ≈ 131家"),
    ("新增服务外包企业增长前是多少家？", "prior", "131家", "188家 ÷ (1 + 43.51%) ≈ 131家"),
    ("2009年南昌市离岸接包执行金额约为多少？", "prior", "1.16亿美元",
     "2.91亿美元 ÷ (1 + 150.18%) ≈ 1.16亿美元"),
    ("南昌市去年新增了多少服务外包从业人员？", "prior", "13341人",
     "27136人 ÷ (1 + 103.4%) ≈ 13341人"),
    ("平均每家新增服务外包企业新增从业人数是多少？", "average", "144.34人/家",
     "27136人 ÷ 188家 ≈ 144.34人/家"),
    ("用增长率反推，2009年南昌离岸接包执行金额多少美元？", "prior", "1.16亿美元",
     "2.91亿美元 ÷ (1 + 150.18%) ≈ 1.16亿美元"),
    ("按增幅推算2009年新增了多少家服务外包企业？", "prior", "131家",
     "188家 ÷ (1 + 43.51%) ≈ 131家"),
    ("2010年新增从业人数比2009年多出多少人？", "increase", "13795人",
     "27136人 − 27136人 ÷ (1 + 103.4%) ≈ 13795人"),
    ("新增国际认证的增幅比接包合同执行金额的增幅高多少个百分点？", "difference",
     "99.18个百分点", "170% − 70.82% = 99.18%"),
    ("市级财政拨付比县(区)级财政多多少？", "difference", "775万元",
     "1126万元 − 351万元 = 775万元"),
    ("IBM先锋基地比江西IT基地多拿了多少拨付资金？", "difference", "197.6万元",
     "376.2万元 − 178.6万元 = 197.6万元"),
    ("接包合同执行金额中离岸接包占多少？", "share", "39.7%",
     "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%"),
    ("8家企业和8家培训机构争取的国家资金平均每家多少？", "average", "54.24万元/家",
     "867.85万元 ÷ (8家 + 8家) ≈ 54.24万元/家"),
])
def test_derived_questions_show_the_formula_and_cite_every_input(
        question: str, kind: str, value: str, formula: str) -> None:
    answer = ask(question)
    assert (answer.kind, answer.formula) == (kind, formula)
    assert value in answer.text and formula in answer.text
    left = formula.split("=")[0].split("≈")[0]
    inputs = re.findall(r"[\d.]+(?:亿美元|万元|人|家|%)", left)
    # Every input cited (a growth rate with the figure it qualifies), nothing else.
    qualified = {REPORT_TEXT[g.start:g.end] for f in answer.facts for g in FACTS
                 if f.kind == "rate" and g.fact_id == f.qualifies}
    assert set(cited(answer)) == set(inputs) | qualified
    first_cited = [REPORT_TEXT[s:e] for _, s, e in answer.spans if REPORT_TEXT[s:e] in inputs]
    assert first_cited[:1] == inputs[:1]  # in the formula's order
    shown = formula.rsplit(" ", 1)[-1]
    result = [n for n in answer.numbers if n.text == shown]
    assert result and all(n.status == "derived" and n.formula == formula for n in result)
    assert statuses(answer) <= {"verified", "derived"}


@pytest.mark.parametrize("question", [
    "南昌市服务外包工作有哪些亮点？",
    "第五届中博会在哪里举行？",
    "南昌市有多少家五星级酒店？",
    "南昌市2010年GDP是多少？",
    "2010年南昌市服务外包产值是多少？",
    "接包合同执行金额中对美业务占多少？",  # no fact names that part: no share of another
])
def test_no_numeric_answer_when_no_fact_fits(question: str) -> None:
    assert answer_numeric(question, passages(question), FACTS) is None


def test_only_facts_in_the_passages_are_used() -> None:
    far = [(DOC.doc_id, c.start, c.end, c.text) for c in CHUNKS if "188人" not in c.text
           and "补助" not in c.text]
    assert answer_numeric("江西IT人才实训基地补助了多少人？", far, FACTS) is None


def test_overridden_facts_give_way_to_curated_ones() -> None:
    import dataclasses

    old = next(f for f in FACTS if f.text == "188人")
    fixed = dataclasses.replace(old, fact_id=1000, value=189, origin="curated")
    facts = [dataclasses.replace(f, overridden_by=1000) if f is old else f for f in FACTS]
    question = "江西IT人才实训基地补助了多少人？"
    answer = answer_numeric(question, passages(question), [*facts, fixed])
    assert answer is not None and "189人" in answer.text


@pytest.mark.parametrize(("question", "unit"), [
    ("补助了多少人？", "人"), ("新增多少家？", "家"), ("多少个？", "个"), ("占比多少？", "%"),
    ("拨付多少万元？", "money"), ("平均每名学员补助多少元？", "money"),
    ("服务外包从业人员新增了多少？", "人"), ("是多少？", None),
    ("拨付了多少学员补贴？", "money"), ("资金支持了多少学员？", "人"),
    ("按增幅倒推，2009年新增多少家？", "家"), ("增速高多少个百分点？", "%"),
])
def test_the_unit_asked_for(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


def test_what_counts_as_a_quantity_question() -> None:
    assert asks_figure("新增多少家企业？") and asks_figure("How many firms?")
    assert not asks_figure("南昌市服务外包工作有哪些亮点？")
