"""The subject and time guard: a statement answers the year a question asks only when it
states that year, in digits or relative to its document's year."""

from __future__ import annotations

from reportbot.answering.guard import section_window, year_stated
from reportbot.records import Chunk, Hit

NOTE = "2023年天津市统计局"  # what a 2023 article's metadata and lead add


def test_a_year_written_relative_to_the_documents_year_is_that_year() -> None:
    asked = "天津2022年全年地区生产总值是多少？"
    assert year_stated(asked, "去年全年，该市地区生产总值为16311.34亿元", NOTE)
    assert not year_stated(asked, "今年一季度，天津市地区生产总值为3715.38亿元", NOTE)
    assert year_stated(asked, "该市地区生产总值为16311.34亿元", NOTE)
    assert year_stated("上半年地区生产总值是多少？", "今年一季度，地区生产总值为3715.38亿元", NOTE)


def test_the_window_writes_out_relative_years() -> None:
    text = "去年全年，该市地区生产总值为16311.34亿元。"
    chunk = Chunk("d#0", "d", "上半年天津市经济运行情况", "", 0, len(text), text)
    window = section_window([Hit(chunk, 1.0, 1, 1)], chunk, {"d": NOTE})
    assert "2022年" in window and "2023年" in window
