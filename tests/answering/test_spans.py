"""The short answer's span ranker: candidates around the lead, fitted weights, the guard
that a typed reader's lead only has its edges moved."""

from __future__ import annotations

import gzip
import json
from dataclasses import fields

from reportbot.answering.short import lead_answer, texts_of
from reportbot.answering.slots import asked_of
from reportbot.answering.spans import best_span, candidates, may_replace, span_weights
from reportbot.evaluation.cmrc_metrics import cmrc_em
from reportbot.language.question import Question
from tests.answering.test_short import frame
from tests.conftest import ROOT

CITED = "由于撞上冰山，泰坦尼克号于1912年沉没。"


def test_candidates_are_spans_of_the_text_with_the_lead_among_them() -> None:
    q = frame("泰坦尼克号为什么沉没？")
    asked = asked_of(q.scoring)
    lead, source = lead_answer(q, asked, [CITED])
    found = candidates(q, asked, [CITED], lead, source)
    assert (lead, source) == ("撞上冰山", "reason")
    assert all(c.text in CITED and c.text.strip("，。") for c in found)
    leads = [c for c in found if c.features.get("lead")]
    assert [c.text for c in leads] == [lead] and leads[0].features["from_reason"] == 1.0
    assert {"1912年", "泰坦尼克号"} <= {c.text for c in found}


def test_a_typed_lead_only_has_its_edges_moved() -> None:
    q = frame("泰坦尼克号为什么沉没？")
    asked = asked_of(q.scoring)
    found = candidates(q, asked, [CITED], "撞上冰山", "reason")
    kept = {c.text for c in found if may_replace(c.features, "reason")}
    assert "撞上冰山" in kept and "1912年" not in kept
    assert "1912年" in {c.text for c in found if may_replace(c.features, "generic")}
    # Whatever the weights, the answer overlaps the reason the reader found.
    answer = best_span(q, asked, [CITED], "撞上冰山", "reason", {"date": 9.0, "digit": 9.0})
    assert "1912" not in answer and set(answer) & set("撞上冰山")


def test_without_weights_the_lead_is_kept() -> None:
    q = frame("泰坦尼克号为什么沉没？")
    assert best_span(q, asked_of(q.scoring), [CITED], "撞上冰山", "reason", {}) == "撞上冰山"


def test_the_package_weights_pick_gold_more_often_than_the_readers() -> None:
    # The held half of the committed CMRC rows: never fitted on (eval/fit_spans.py).
    with gzip.open(ROOT / "eval" / "span-rows.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [r for r in map(json.loads, f) if r["split"] == "held"][:300]
    known = {f.name for f in fields(Question)}
    lead_em = ranked_em = 0.0
    weights = span_weights()
    for row in rows:
        q = Question(**{k: tuple(v) if isinstance(v, list) else v
                        for k, v in row["frame"].items() if k in known})
        asked = asked_of(q.scoring or q.text)
        texts = texts_of(row["cited"], row["passages"])
        lead, source = lead_answer(q, asked, texts)
        lead_em += cmrc_em(lead, row["answers"])
        ranked_em += cmrc_em(best_span(q, asked, texts, lead, source, weights), row["answers"])
    assert len(rows) == 300 and weights
    assert ranked_em >= lead_em + 6  # at least 2 points of EM on 300 questions


def test_an_english_question_keeps_the_readers_span() -> None:
    # The weights read the question's words in the text: an English question has none there.
    from reportbot.answering.short import short_answer

    cited = "2023年上半年，上海洋山口岸进口非洲商品总值26.7亿元，同比增长12%。"
    q = frame("What was the value of African goods imported through Yangshan port?")
    asked = asked_of(q.fact_query)  # framed by its Chinese reading (answering/short.py)
    lead, _ = lead_answer(q, asked, [cited])
    dates = {"date": 50.0}  # weights that would move any ranked answer to the date
    assert best_span(q, asked, [cited], lead, "generic", dates) != lead
    assert q.english and short_answer(q, cited, weights=dates) == lead


def test_a_number_with_separators_is_one_word() -> None:
    q = frame("焦点科技研发、管理和销售费用合计减少了多少？")
    cited = "研发、管理和销售费用合计比上年同期减少2,663万元。"
    found = {c.text for c in candidates(q, asked_of(q.scoring), [cited], "2,663万元", "figure")}
    assert "2,663万元" in found and "663万元" not in found
