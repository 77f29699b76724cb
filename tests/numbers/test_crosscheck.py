"""Every number in an answer gets a status; derivations show their work."""

from __future__ import annotations

import dataclasses

import pytest

from reportbot.facts.store import extract_facts
from reportbot.ingest.loading import load_document
from reportbot.numbers.crosscheck import (
    average,
    before_change,
    check_numbers,
    derivation_kind,
    derive,
    difference,
    mentioned_subjects,
    prior,
    share,
    total,
)
from reportbot.numbers.derive import change_of
from reportbot.records import Fact, NumberCheck
from tests.conftest import REPORT, REPORT_NAME

FACTS = extract_facts(load_document(REPORT, REPORT_NAME))


def fact(text: str, subject: str | None = None) -> Fact:
    return next(f for f in FACTS if f.text == text and subject in (None, f.subject))


def span(*facts: Fact) -> list[tuple[str, int, int]]:
    return [(f.doc_id, f.start, f.end) for f in facts]


def statuses(checks: list[NumberCheck]) -> list[tuple[str, str]]:
    return [(c.text, c.status) for c in checks]


class TestDerivations:
    def test_share_sum_difference_prior_average(self) -> None:
        offshore, contracts = fact("2.91亿美元"), fact("7.33亿美元")
        d = share(offshore, contracts)
        assert (d.text, d.formula) == ("39.7%", "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%")
        d = total([fact("396人"), fact("188人")])
        assert (d.text, d.formula) == ("584人", "396人 + 188人 = 584人")
        d = difference(contracts, offshore)
        assert (d.text, d.formula) == ("4.42亿美元", "7.33亿美元 − 2.91亿美元 = 4.42亿美元")
        d = prior(fact("188家"), fact("43.51%"))
        assert (d.text, d.formula) == ("131家", "188家 ÷ (1 + 43.51%) ≈ 131家")
        d = average(fact("27136人"), fact("188家"))
        assert (d.text, d.unit) == ("144.34人/家", "人/家")

    def test_prior_of_a_decline(self) -> None:
        base = Fact(1, "d", "s", "m", "2011年", 90, "家", "90家", 0, 3)
        fall = Fact(2, "d", "s", "m同比下降", "2011年", -10, "%", "10%", 8, 11, kind="rate",
                    qualifies=1)
        d = prior(base, fall)
        assert d.text == "100家" and d.formula == "90家 ÷ (1 − 10%) = 100家"

    def test_a_prior_count_said_in_亿_keeps_two_decimals(self) -> None:
        now = Fact(1, "d", "s", "客运量", "2023年上半年", 4.32e9, "人次", "43.2亿人次", 0, 7)
        rise = Fact(2, "d", "s", "客运量同比增长", "2023年上半年", 56.3, "%", "56.3%", 12, 17,
                    kind="rate", qualifies=1)
        assert prior(now, rise).text == "27.64亿人次"  # not 28亿人次

    @pytest.mark.parametrize(("question", "kind"), [
        ("离岸接包执行金额占接包合同执行金额的比例是多少？", "share"),
        ("离岸业务所占比重？", "share"),
        ("两个基地一共补助多少人？", "sum"),
        ("合计拨付多少万元？", "sum"),
        ("接包合同执行金额比离岸多多少？", "difference"),
        ("除离岸以外的执行金额是多少？", "difference"),
        ("新增服务外包企业增长前有多少家？", "prior"),
        ("去年新增多少家？", "prior"),
        ("平均每家企业新增从业人员多少？", "average"),
        ("2010年新增多少家服务外包企业？", None),
    ])
    def test_question_wording_picks_the_derivation(self, question: str,
                                                   kind: str | None) -> None:
        assert derivation_kind(question) == kind

    def test_derive_takes_inputs_in_role_order(self) -> None:
        d = derive("离岸占接包合同执行金额的比例？", [fact("2.91亿美元"), fact("7.33亿美元")])
        assert d is not None and d.text == "39.7%"
        d = derive("上年新增多少家？", [fact("188家"), fact("43.51%")])
        assert d is not None and d.text == "131家"
        assert derive("两个基地一共补助多少？", [fact("396人"), fact("376.2万元")]) is None
        assert derive("是多少？", [fact("396人"), fact("188人")]) is None


class TestCheckNumbers:
    def test_direct_numbers_are_verified_with_fact_ids(self) -> None:
        answer = "2010年1-12月，南昌市新增服务外包企业188家，同比增长43.51%。"
        checks = check_numbers(answer, FACTS, span(fact("188家")))
        assert statuses(checks) == [("188家", "verified"), ("43.51%", "verified")]
        assert checks[0].fact_ids == (fact("188家").fact_id,)

    def test_derived_numbers_carry_their_formula(self) -> None:
        answer = "离岸接包执行金额占比约为39.7%（2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%）。"
        checks = check_numbers(answer, FACTS, span(fact("2.91亿美元"), fact("7.33亿美元")))
        assert statuses(checks) == [("39.7%", "derived"), ("2.91亿美元", "verified"),
                                    ("7.33亿美元", "verified"), ("39.7%", "derived")]
        assert checks[0].formula == "2.91亿美元 ÷ 7.33亿美元 ≈ 39.7%"

    def test_bare_numbers_of_a_formula_and_the_growth_constant(self) -> None:
        answer = "约131家（188 ÷ (1 + 43.51%) ≈ 131家）"
        checks = check_numbers(answer, FACTS, span(fact("188家")))
        assert statuses(checks) == [("131家", "derived"), ("188", "verified"),
                                    ("43.51%", "verified"), ("131家", "derived")]

    def test_a_wrong_value_for_a_named_metric_is_a_mismatch(self) -> None:
        answer = "南昌市离岸接包执行金额为3.91亿美元。"
        (check,) = check_numbers(answer, FACTS, [])
        assert check.status == "mismatch"
        assert check.fact_ids == (fact("2.91亿美元").fact_id,)
        assert check.formula == "3.91亿美元 ≠ 2.91亿美元（离岸接包执行金额）"

    def test_188_firms_said_of_the_jiangxi_base_is_a_mismatch_not_verified(self) -> None:
        (check,) = check_numbers("江西IT人才实训基地补助了188家。", FACTS, [])
        assert check.status == "mismatch"
        assert check.fact_ids == (fact("188人").fact_id,)
        (check,) = check_numbers("江西IT人才实训基地补助了188人。", FACTS, [])
        assert (check.status, check.fact_ids) == ("verified", (fact("188人").fact_id,))

    def test_numbers_no_fact_covers_are_unverified(self) -> None:
        checks = check_numbers("南昌市有5000名软件工程师，面积30平方公里。", FACTS, [])
        assert statuses(checks) == [("5000名", "unverified"), ("30平方公里", "unverified")]

    def test_dates_ordinals_and_ranks_are_not_checked(self) -> None:
        assert check_numbers("2010年9月26日，第五届中博会，世界500强。", FACTS, []) == []

    def test_overridden_facts_do_not_verify(self) -> None:
        old = fact("188家")
        facts = [dataclasses.replace(old, overridden_by=999),
                 dataclasses.replace(old, fact_id=999, value=190, text="190家",
                                     origin="curated")]
        (check,) = check_numbers("南昌市新增服务外包企业188家。", facts, [])
        assert check.status == "mismatch" and check.fact_ids == (999,)


def test_subjects_are_recognised_by_a_distinctive_part() -> None:
    assert mentioned_subjects("IBM先锋基地和江西IT基地", FACTS) == [
        "IBM先锋服务外包人才实训基地", "江西IT人才实训基地"]
    assert mentioned_subjects("江西IT人才实训基地补助了多少人", FACTS) == ["江西IT人才实训基地"]
    assert mentioned_subjects("南昌新增多少家服务外包企业", FACTS) == ["南昌市"]
    assert mentioned_subjects("平均每家服务外包企业", FACTS) == []


def test_a_figure_is_not_verified_by_an_equal_figure_of_another_document() -> None:
    """The answer names no subject and cites document a: 1.3个百分点 of document b (another
    city) must not give it a ✓; the answer's own derivation does."""
    big = Fact(1, "a", "全国", "大型企业PMI", "2023年7月", 50.3, "%", "50.3%", 0, 5, kind="rate")
    mid = Fact(2, "a", "全国", "中型企业PMI", "2023年7月", 49.0, "%", "49.0%", 10, 15,
               kind="rate")
    other = Fact(3, "b", "天津市", "民营企业增加值增速快于规模以上工业", "2023年上半年", 1.3,
                 "pp", "1.3个百分点", 0, 8, kind="rate")
    text = "大型企业PMI与中型企业PMI相差1.3个百分点。"
    alone = check_numbers(text, [big, mid, other], [("a", 0, 20)])
    assert alone and all(3 not in n.fact_ids for n in alone)
    derived = check_numbers(text, [big, mid, other], [("a", 0, 20)],
                            known=[difference(big, mid)])
    assert [(n.status, n.fact_ids) for n in derived] == [("derived", (1, 2))]


def test_a_rate_before_a_change_in_percentage_points() -> None:
    rate = Fact(1, "d", "苏州市", "地区生产总值同比增长", "2023年上半年", 4.7, "%", "4.7%",
                157, 161, kind="rate")
    change = Fact(2, "d", "苏州市", "地区生产总值增速比一季度提高", "2023年上半年", 2.8, "pp",
                  "2.8个百分点", 168, 175, kind="rate")
    far = dataclasses.replace(change, fact_id=3, start=400, end=407)
    assert change_of(rate, [far, change]) is change
    assert change_of(rate, [far]) is None  # a change said elsewhere is of something else
    d = before_change(rate, change)
    assert (d.kind, round(d.value, 6), d.unit, d.text) == ("before_change", 1.9, "%", "1.9%")
    fall = dataclasses.replace(change, value=-0.1, text="0.1个百分点")
    assert before_change(rate, fall).text == "4.8%"
