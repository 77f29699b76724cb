"""Named things of a text (pure): places from the gazetteer, bodies by their endings, years."""

from __future__ import annotations

from reportbot.language.entities import entities, merge, subjects, years


def test_places_are_divisions_counted_under_one_name() -> None:
    found = entities("南昌市新增企业188家。南昌的企业去杭州参加交易会。")
    assert found["place"]["南昌"] == 2 and found["place"]["杭州"] == 1


def test_a_common_word_that_is_also_a_division_stem_is_no_place() -> None:
    # 合作 is the stem of 合作市 (a county-level city) and, far more often, "cooperation".
    assert "合作" not in entities("双方加强合作，推动合作项目落地。")["place"]


def test_bodies_by_their_ending_and_generic_ones_left_out() -> None:
    found = entities("清华大学与惠普公司签约，多家跨国公司参加。")
    assert {"清华大学", "惠普公司"} <= set(found["organisation"])
    assert "跨国公司" not in found["organisation"]


def test_years_merge_and_subjects() -> None:
    assert years("2010年比2009年增长，2010年全年") == {2010: 2, 2009: 1}
    assert years("电话2010-12，共2010人") == {}
    total = merge([entities("南昌"), entities("南昌市")])
    assert total["place"]["南昌"] == 2
    assert "南昌" in subjects("2010年南昌服务外包企业有多少家？")
