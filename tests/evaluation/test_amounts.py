"""The numbers an answer states: both readings, Chinese numerals, base units, markers."""

from __future__ import annotations

import pytest

from reportbot.evaluation.amounts import (
    answer_quantities,
    cn_int,
    normalize_quantity,
    parse_local,
    parsed_quantities,
    strip_markers,
)


class TestQuantities:
    @pytest.mark.parametrize("text, expected", [
        ("新增服务外包企业188家", [(188, "家")]),
        ("接包合同执行金额7.33亿美元", [(733000000, "美元")]),
        ("兑现资金总计1477万元", [(14770000, "元")]),
        ("1,477万元", [(14770000, "元")]),
        ("调研组一行两人", [(2, "人")]),
        ("签订五个合作协议", [(5, "个")]),
        ("高出79.36个百分点", [(79.36, "%")]),
        ("US$733 million", [(733000000, "美元")]),
        ("188 new service outsourcing companies", [(188, "家")]),
        ("14.77 million yuan", [(14770000, "元")]),
        ("2010年6月，9月26-27日", []),
        ("排名第24位，第五届，三、四期", []),
    ])
    def test_parse_local(self, text: str, expected: list[tuple[float, str]]) -> None:
        found = parse_local(text)
        assert sorted(set(found)) == [(pytest.approx(v), u) for v, u in expected]

    def test_chinese_numerals(self) -> None:
        assert [cn_int(s) for s in ("十一", "两", "二十", "一千四百七十七万", "一亿两千万")] == [
            11, 2, 20, 14770000, 120000000]

    def test_normalize_quantity(self) -> None:
        assert normalize_quantity(1477, "万元") == (14770000, "元")
        assert normalize_quantity(5, "份") == (5, "个")
        assert normalize_quantity(43.51, "％") == (43.51, "%")
        assert normalize_quantity(2010, "年") is None

    def test_strip_markers(self) -> None:
        assert strip_markers("新增188家[1]；增长43.51%【2】。") == "新增188家；增长43.51%。"


class TestBothReadings:
    def test_parsed_quantities_keep_amounts_and_rates_only(self) -> None:
        text = "2010年9月26日，第24位，新增188家，增长43.51%，编号2024。"
        assert parsed_quantities(text) == [(188, "家"), (43.51, "%")]

    def test_parsed_quantities_keep_per_unit_units(self) -> None:
        assert parsed_quantities("补助标准为9500元/人") == [(9500, "元/人")]

    def test_answer_quantities_merge_the_field_and_both_readings_once(self) -> None:
        numbers = [{"value": 188, "unit": "家"}]
        found = answer_quantities({"answer": "新增188家[1]，每人9500元/人，增长43.51%。",
                                   "numbers": numbers})
        assert found == [(188, "家"), (9500, "元"), (43.51, "%"), (9500, "元/人")]

    def test_an_indefinite_article_counts_for_the_lenient_reading_only(self) -> None:
        assert parsed_quantities("搭建了一个平台") == []
        assert answer_quantities({"answer": "搭建了一个平台"}) == [(1, "个")]
