"""Periods compared across wordings (numbers/periods.py)."""

from __future__ import annotations

import pytest

from reportbot.numbers.periods import period_key, stated_periods


@pytest.mark.parametrize(("period", "key"), [
    ("2023年上半年", "1-6"), ("1-6月", "1-6"), ("前2个季度", "1-6"), ("二季度", "4-6"),
    ("7月份", "7-7"), ("6月末", "end-6"),
    ("2023年7月1-20日", "7/1-20"),  # part of a month is not the month
    ("7月31日", "7/31"),  # nor is a day (a release's date)
    ("2023年", None),
])
def test_periods_as_month_ranges(period: str, key: str | None) -> None:
    assert period_key(period) == key


def test_a_total_up_to_the_last_day_of_a_month_is_one_at_its_end() -> None:
    assert "end-7" in stated_periods("截至7月31日，长三角铁路发送旅客超8100万人次")
    assert "end-6" in stated_periods("截至2023年6月30日，贷款余额1.2万亿元")
    assert "end-7" not in stated_periods("7月31日，国家统计局发布数据")  # a release date
    assert "end-7" not in stated_periods("截至7月30日，发送旅客超8000万人次")


def test_the_months_ending_on_a_day_are_that_period() -> None:
    assert "1-6" in stated_periods("截至2023年6月30日止六个月，合同销售总额100.25亿元")
    assert "1-9" in stated_periods("截至9月30日止9个月")
    assert "1-6" not in stated_periods("截至2023年6月30日，贷款余额2.36万亿元")
