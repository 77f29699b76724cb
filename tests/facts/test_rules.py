"""The clause rules of fact extraction, one public function at a time, on real report prose.

Sentences come from the shipped report and from other city reports written the same way
("[time,] subject + metric phrase + number"), so the rules are checked on text they were
not tuned on as well.
"""

from __future__ import annotations

import pytest

from reportbot.facts.names import Mention, document_mentions, document_names
from reportbot.facts.periods import (
    TimeExpr,
    carried,
    document_period,
    own_period,
    time_expressions,
)
from reportbot.facts.rules import (
    CHANGE,
    DECLINE,
    TIME_MARK,
    VERBS,
    clause_end,
    clause_start,
    clean_phrase,
    entity_at,
    following_noun,
    head_noun,
    skip_lead,
    starts_with_verb,
)
from reportbot.language.quantities import QUANTITY_KINDS, parse_quantities


def times(text: str, year: int | None = 2010) -> list[TimeExpr]:
    return time_expressions(text, parse_quantities(text), year)


def mentions(text: str, year: int | None = 2010) -> list[Mention]:
    found = times(text, year)
    return document_mentions(text, found, document_names(text, "", found))


def read_first(text: str, year: int | None, default: str) -> tuple[str, str, str, float, str]:
    """Subject, metric, period, value and unit of the first quantity, read the way the fact
    store reads it: the metric is the clause text between the subject and the number."""
    found = times(text, year)
    q = next(q for q in parse_quantities(text) if q.kind in QUANTITY_KINDS and q.unit)
    before = [m for m in mentions(text, year) if m.start < q.start]
    start = clause_start(text, q.start, 0)
    at = [m for m in before if start <= m.start]
    if at:
        start = at[-1].end
    metric = head_noun(clean_phrase(text[start:q.start]), q.unit)
    period = own_period(q.start, q.end, (0, len(text)), found) or default
    return before[-1].name if before else "", metric, period, q.value, q.unit


class TestReadingAClause:
    @pytest.mark.parametrize(("text", "year", "expected"), [
        ("2010年1-12月份,南昌市新增服务外包企业188家,同比增长43.51%", 2010,
         ("南昌市", "新增服务外包企业", "2010年1-12月", 188, "家")),
        ("2022年上半年，深圳市软件业务收入4800亿元，同比增长8.5%。", None,
         ("深圳市", "软件业务收入", "2022年上半年", 4.8e11, "元")),
        ("截至2023年底，杭州市共有国家级孵化器45家。", None,
         ("杭州市", "国家级孵化器", "2023年底", 45, "家")),
        ("今年，苏州工业园区全年实现服务外包收入约12.5亿美元。", 2011,
         ("苏州工业园区", "服务外包收入", "2011年", 1.25e9, "美元")),
        ("经市政府同意，南昌市从2009年度服务外包产业专项资金中划拨554.8万元。", 2010,
         ("南昌市", "划拨金额", "2009年度", 5_548_000, "元")),
    ])
    def test_subject_metric_period_and_value(self, text: str, year: int | None,
                                             expected: tuple[str, str, str, float, str]) -> None:
        subject, metric, period, value, unit = read_first(text, year, f"{year}年")
        assert (subject, metric, period, unit) == (*expected[:3], expected[4])
        assert value == pytest.approx(expected[3])


class TestNames:
    @pytest.mark.parametrize(("text", "name"), [
        ("南昌市新增服务外包企业188家", "南昌市"),
        ("东软集团股份有限公司成功落户", "东软集团股份有限公司"),  # extended to the longer suffix
        ("东软集团与市政府签订五个合作协议", "东软集团"),  # 与 ends the name
        ("凌佳科技有限公司拟在高新区设立", "凌佳科技有限公司"),
        ("苏州工业园区引进项目30个", "苏州工业园区"),
        ("新增企业十一项国际认证27个", ""),  # no name suffix: not a subject
        ("南昌的企业", ""),
    ])
    def test_entity_at(self, text: str, name: str) -> None:
        assert entity_at(text, 0, len(text)) == name

    def test_subject_mentions_open_clauses_after_times_and_connectives(self) -> None:
        text = "2010年，苏州工业园区引进项目30个；同时，无锡市新增企业12家。"
        assert [(m.start, m.name) for m in mentions(text)] == [
            (6, "苏州工业园区"), (23, "无锡市")]

    def test_skip_lead_passes_connectives_and_times(self) -> None:
        text = "其中2010年南昌市新增企业"
        assert text[skip_lead(text, 0, len(text), times(text)):] == "南昌市新增企业"


class TestClauses:
    def test_a_clause_runs_between_strong_marks(self) -> None:
        text = "南昌市新增企业188家，其中离岸接包执行金额2.91亿美元；同比增长"
        pos = text.index("2.91")
        assert text[clause_start(text, pos, 0):clause_end(text, pos, len(text))] == (
            "其中离岸接包执行金额2.91亿美元")

    def test_a_dash_opens_a_clause(self) -> None:
        text = "国内最大的服务外包企业——东软集团股份有限公司成功落户"
        assert text[clause_start(text, text.index("成功"), 0):].startswith("东软集团")


class TestPeriods:
    def test_years_dates_and_relative_years_are_anchored(self) -> None:
        text = "今年新增企业50家，上年为40家；9月26日举行仪式。"
        assert [t.period for t in times(text, 2011)] == ["2011年", "2010年", "2011年9月26日"]

    def test_document_numbers_are_not_years(self) -> None:
        text = "依照国办函2010年69号文件，今年认定企业5家。"
        assert [(t.start, t.period) for t in times(text)] == [(16, "2010年")]

    def test_chinese_numeral_years_are_normalised(self) -> None:
        assert [t.period for t in times("二〇一〇年，全市新增企业50家。", None)] == ["2010年"]

    def test_nearest_time_before_the_number_else_after_it(self) -> None:
        text = "南昌市新增企业188家，2009年为150家。"
        found = times(text)
        pos = text.index("188")
        whole = (0, len(text))
        assert own_period(pos, pos + 4, whole, found) == "2009年"
        assert own_period(pos, pos + 4, whole, []) is None

    def test_a_time_compared_with_is_not_the_period(self) -> None:
        text = "上半年社会消费品零售总额增长10.9%，比一季度提高7.3个百分点。"
        found = times(text, 2023)
        assert [(t.period, t.compared) for t in found] == [
            ("2023年上半年", False), ("2023年一季度", True)]
        pos = text.index("7.3")
        assert own_period(pos, pos + 7, (0, len(text)), found) == "2023年上半年"
        text = "进出口总值2.45万亿元，较2021年同期增长10.4%。"
        assert [t.compared for t in times(text, 2023)] == [True]

    def test_a_day_carried_into_a_later_sentence_widens_to_its_month(self) -> None:
        assert carried("2010年6月22日-25日") == "2010年6月"
        assert carried("2023年上半年") == "2023年上半年"

    def test_the_document_period_is_its_titles_else_the_one_it_states_most(self) -> None:
        title = times("上半年苏州市经济运行情况", 2023)
        text = "7月25日，统计局发布。一季度增长2%；上半年增长4.7%，比一季度提高；上半年…"
        assert document_period(title, [], 2023) == "2023年上半年"
        assert document_period([], times(text, 2023), 2023) == "2023年上半年"
        assert document_period([], [], 2023) == "2023年"


class TestMetrics:
    @pytest.mark.parametrize(("phrase", "metric"), [
        ("接包合同执行金额", "接包合同执行金额"),
        ("其中离岸接包执行金额达", "离岸接包执行金额"),  # connective and link verb dropped
        ("新增从业人数达到", "新增从业人数"),
        ("全年实现服务外包收入约", "服务外包收入"),  # a verb opening a long object is dropped
        ("从2009年度服务外包产业专项资金中划拨", "划拨"),
        ("（不含税）合同金额为", "合同金额"),
        ("等两家单位兑现", "兑现"),  # the enumeration closer 等…单位 is not the metric
        (f"{TIME_MARK}实现营业收入", "营业收入"),
        ("调研组一行", "调研组"),
    ])
    def test_clean_phrase(self, phrase: str, metric: str) -> None:
        assert clean_phrase(phrase) == metric

    @pytest.mark.parametrize(("phrase", "unit", "metric"), [
        ("拨付", "元", "拨付金额"), ("补助", "人", "补助人数"), ("认定", "家", "认定数量"),
        ("培训", "人", "培训人数"), ("新增从业人数", "人", "新增从业人数"),
        ("软件业务收入", "元", "软件业务收入"),
    ])
    def test_head_noun_by_unit(self, phrase: str, unit: str, metric: str) -> None:
        assert head_noun(phrase, unit) == metric

    def test_the_counted_noun_after_a_classifier_stops_at_a_verb(self) -> None:
        text = "9家服务外包企业被认定为技术先进型服务企业"
        assert following_noun(text, 2, len(text)) == "服务外包企业"
        text = "两家培训机构兑现其学员补贴"
        assert following_noun(text, 2, len(text)) == "培训机构"

    def test_starts_with_verb(self) -> None:
        assert starts_with_verb("兑现资金") == "兑现"
        assert starts_with_verb("资金兑现") is None
        assert starts_with_verb("资金兑现", 2) == "兑现" and starts_with_verb("资金", 5) is None

    def test_starts_with_verb_finds_the_lexicons_first_verb_at_every_position(self) -> None:
        # Indexed by first character: the same answer as trying every verb in order.
        text = "南昌市兑现资金1477万元，为全市33家企业争取国家扶持并实现增长"
        for i in range(len(text) + 1):
            expected = next((v for v in VERBS if text[i:].startswith(v)), None)
            assert starts_with_verb(text, i) == expected

    def test_change_words(self) -> None:
        assert CHANGE.search("同比增长43.51%") and CHANGE.search("环比下降2%")
        assert DECLINE.search("同比下降2%") and not DECLINE.search("同比增长43.51%")
