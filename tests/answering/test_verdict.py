"""Yes/no verdicts: a figure against a threshold, or a named level the passage compares with."""

from __future__ import annotations

import pytest

from reportbot.answering.verdict import short_of, verdict
from reportbot.language.asking import reference_comparison
from reportbot.language.question import analyse
from reportbot.language.vocabulary import corpus_glossary
from reportbot.records import Answer, Citation, NumberCheck
from tests.conftest import CORPUS

GLOSSARY = corpus_glossary(CORPUS)
PMI = "生产指数、供应商配送时间指数高于临界点，新订单指数、原材料库存指数和从业人员指数低于临界点"


@pytest.mark.parametrize(("question", "expected"), [
    ("天津上半年GDP增速超过全国水平了吗？", ("天津上半年GDP增速", "above", "全国水平")),
    ("7月生产指数高于临界点吗？", ("7月生产指数", "above", "临界点")),
    ("出口增速低于整体了吗？", ("出口增速", "below", "整体")),
    # the yes/no word before the comparison (是否, 有没有) and 了 after it
    ("黑龙江上半年GDP增速是否高于全国水平？", ("黑龙江上半年GDP增速", "above", "全国水平")),
    ("山西规上工业增加值增速有没有快于全国？", ("山西规上工业增加值增速", "above", "全国")),
    ("出口增速超过了去年吗？", ("出口增速", "above", "去年")),
    ("是否超过了去年？", None),  # no subject named
    ("固定资产投资增速超过6%了吗？", None),  # a figure: the threshold verdict decides
    ("南昌新增了多少家企业？", None),
])
def test_a_named_level_compared_with_is_read_from_the_question(
        question: str, expected: tuple[str, str, str] | None) -> None:
    assert reference_comparison(question) == expected


def _answered(question: str, cited: str) -> Answer:
    citation = Citation(1, "d", "t", "", 0, len(cited), cited)
    draft = Answer(question=question, answer=f"{cited}[1]。", refused=False,
                   citations=(citation,))
    return verdict(question, analyse(question, GLOSSARY), draft, english=False)


@pytest.mark.parametrize(("question", "lead"), [
    ("7月生产指数高于临界点吗？", "是，高于临界点"),
    ("7月新订单指数高于临界点吗？", "否，低于临界点"),  # the comparison after its own name
    ("7月从业人员指数低于临界点吗？", "是，低于临界点"),
])
def test_the_side_the_passage_states_for_the_subject_decides(question: str, lead: str) -> None:
    got = _answered(question, PMI)
    assert got.short_answer == lead and got.answer.startswith(lead)


def test_no_verdict_when_the_passage_does_not_compare_with_that_level() -> None:
    got = _answered("天津上半年GDP增速超过全国水平了吗？", "上半年，天津GDP增长4.8%")
    assert got.short_answer is None and got.answer.startswith("上半年")


def _with_figures(question: str, cited: str, *figures: tuple[str, float, str]) -> Answer:
    """A cited answer whose figures were found (unverified) in the order written."""
    citation = Citation(1, "d", "t", "", 0, len(cited), cited)
    return Answer(question=question, answer=f"{cited}[1]。", refused=False,
                  citations=(citation,),
                  numbers=tuple(NumberCheck(t, v, u, "unverified") for t, v, u in figures))


@pytest.mark.parametrize(("question", "lead"), [
    ("6月新建商品住宅价格同比跌幅超过1%了吗？", "否，0.4%"),  # the 同比 figure, not the first
    ("6月新建商品住宅价格环比跌幅超过0.35%了吗？", "否，0.3%"),
    ("6月新建商品住宅价格跌幅超过0.35%了吗？", "否，0.3%"),  # no basis asked: the first
])
def test_a_threshold_is_checked_against_the_figure_of_the_basis_asked(
        question: str, lead: str) -> None:
    draft = _with_figures(question, "6月，新建商品住宅销售价格环比降0.3%，同比降0.4%",
                          ("0.3%", 0.3, "%"), ("0.4%", 0.4, "%"))
    frame = analyse(question, GLOSSARY)
    got = verdict(question, frame, draft, english=False)
    assert got.answer.startswith(lead) and short_of(frame, got) == lead


def test_a_threshold_is_checked_against_the_figure_a_change_arrived_at() -> None:
    question = "调价后第三阶梯气价达到每立方米5元了吗？"
    draft = _with_figures(question, "第三阶梯气价由每立方米4.80元调整为5.00元",
                          ("4.80元", 4.8, "元"), ("5.00元", 5.0, "元"))
    got = verdict(question, analyse(question, GLOSSARY), draft, english=False)
    assert got.answer.startswith("是，5.00元")
