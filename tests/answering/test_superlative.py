"""哪个…最高 read from a sentence listing items with their figures."""

from __future__ import annotations

from reportbot.answering.superlative import superlative
from reportbot.records import Chunk, Hit

LISTING = ("上半年，全省地区生产总值12345亿元。其中，第一产业增加值为436.69亿元，增长1.3％；"
           "第二产业增加值为5853.14亿元，增长3.9％；第三产业增加值为5398.73亿元，增长5.7％。")


def _hits(*texts: str, doc: str = "d") -> list[Hit]:
    out, at = [], 0
    for i, t in enumerate(texts):
        out.append(Hit(Chunk(f"{doc}#{i}", doc, "公报", "", at, at + len(t), t), 1.0, i + 1, i + 1))
        at += len(t)
    return out


def test_the_highest_and_lowest_item_of_a_listing_are_named_and_each_item_cited() -> None:
    hits = _hits(LISTING)
    top = superlative("哪个产业增加值增速最高？", hits)
    assert top is not None and top.short_answer == "第三产业" and len(top.citations) == 3
    assert all(LISTING[c.start : c.end] == c.text for c in top.citations)
    low = superlative("哪个产业增加值增长最慢？", hits)
    assert low is not None and low.short_answer == "第一产业"
    amount = superlative("哪个产业增加值最多？", hits)  # an amount, not the growth rate
    assert amount is not None and amount.short_answer == "第二产业"


def test_a_list_running_over_a_chunk_end_is_read_whole() -> None:
    # chunks overlap, as the chunker cuts them; each statement lies whole in one of them
    first = Chunk("d#0", "d", "公报", "", 0, 80, LISTING[:80])
    second = Chunk("d#1", "d", "公报", "", 60, len(LISTING), LISTING[60:])
    top = superlative("哪个产业增加值增速最高？", [Hit(second, 1.0, 1, 1), Hit(first, 0.9, 2, 2)])
    assert top is not None and top.short_answer == "第三产业" and len(top.citations) == 3


def test_no_superlative_asked_or_no_listing_is_no_answer() -> None:
    assert superlative("第三产业增加值增长多少？", _hits(LISTING)) is None
    one = _hits("全省地区生产总值12345亿元，增长5.0％。")
    assert superlative("哪个产业增速最高？", one) is None
