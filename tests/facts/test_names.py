"""Subject rules: places behind publishing bodies, references, short names."""

from __future__ import annotations

import pytest

from reportbot.facts.names import document_mentions, document_names, is_class, place, refer
from reportbot.facts.periods import time_expressions
from reportbot.language.quantities import parse_quantities


@pytest.mark.parametrize(("body", "where"), [
    ("江苏省苏州市统计局", "苏州市"), ("国家统计局", "全国"), ("上海海关", "上海"),
    ("黑龙江省统计局", "黑龙江省"), ("南昌市", "南昌市"),
])
def test_a_publishing_body_speaks_for_its_place(body: str, where: str) -> None:
    assert place(body) == where


def test_a_reference_is_the_last_name_of_its_kind() -> None:
    assert refer("市", ["苏州市", "江苏省"]) == "苏州市"
    assert refer("省", ["河北省", "全国"]) == "河北省"
    assert refer("市", ["天津"]) == "天津"  # a province-level name without its suffix
    assert refer("司", ["苏州市", "山西汾酒"]) == "山西汾酒"
    assert refer("市", []) == ""


def test_classes_of_bodies_are_not_names() -> None:
    assert is_class("科创板上市公司") and is_class("各地统计局")
    assert not is_class("东软集团股份有限公司")


def test_a_place_the_title_names_in_full_is_that_place_when_written_short() -> None:
    text = "上半年，苏州经济稳中有进，苏州规模以上工业增加值增长4.1%。"
    times = time_expressions(text, parse_quantities(text), 2023)
    names = document_names(text, "上半年苏州市经济运行情况", times)
    assert {m.name for m in document_mentions(text, times, names)} == {"苏州市"}


def test_the_spellings_of_one_documents_subjects() -> None:
    text = ("据天津市统计局消息，天津规模以上工业增加值增长。洋河股份（002304）营收增长。"
            "河北全省投资增长。")
    times = time_expressions(text, parse_quantities(text), 2023)
    names = document_names(text, "", times)
    assert [m.name for m in document_mentions(text, times, names)] == [
        "天津市", "天津市", "洋河股份", "河北"]


def test_a_newspaper_named_after_its_place_is_no_mention_of_the_place() -> None:
    text = "来源：上海证券报（记者 范子萌）香港金融管理局公布数据显示，外汇基金取得投资收入。"
    times = time_expressions(text, parse_quantities(text), 2023)
    names = document_names(text, "", times)
    assert "上海" not in {m.name for m in document_mentions(text, times, names)}
