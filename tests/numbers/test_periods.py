"""Periods compared across wordings (numbers/periods.py)."""

from __future__ import annotations

import pytest

from reportbot.numbers.periods import period_key


@pytest.mark.parametrize(("period", "key"), [
    ("2023年上半年", "1-6"), ("1-6月", "1-6"), ("前2个季度", "1-6"), ("二季度", "4-6"),
    ("7月份", "7-7"), ("6月末", "end-6"),
    ("2023年7月1-20日", "7/1-20"),  # part of a month is not the month
    ("7月31日", "7/31"),  # nor is a day (a release's date)
    ("2023年", None),
])
def test_periods_as_month_ranges(period: str, key: str | None) -> None:
    assert period_key(period) == key
