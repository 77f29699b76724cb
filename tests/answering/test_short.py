"""The short answer: the asked-for span of a cited clause, one mechanism per test."""

from __future__ import annotations

import pytest

from reportbot.answering.short import lead_answer, runs_on, short_answer
from reportbot.answering.slots import asked_of
from reportbot.language.question import Question, analyse
from reportbot.language.vocabulary import corpus_glossary


def frame(text: str) -> Question:
    return analyse(text, corpus_glossary(None))


class TestShortAnswer:
    def test_quantity_in_the_measure_asked(self) -> None:
        q = frame("长江全长多少公里？")
        assert short_answer(q, "长江全长6300余公里，是亚洲第一长河。") == "6300余公里"

    def test_date_and_year(self) -> None:
        opened = "第29届夏季奥林匹克运动会于2008年8月8日在北京开幕。"
        assert short_answer(frame("北京奥运会什么时候开幕？"), opened) == "2008年8月8日"
        founded = "中华人民共和国于1949年10月1日成立。"
        assert short_answer(frame("中华人民共和国哪一年成立？"), founded) == "1949年"

    def test_person(self) -> None:
        q = frame("《红楼梦》的作者是谁？")
        assert short_answer(q, "《红楼梦》是清代作家曹雪芹创作的章回体长篇小说。") == "曹雪芹"

    def test_organisation_keeps_the_kind_asked(self) -> None:
        q = frame("微信是哪家公司开发的？")
        assert short_answer(q, "微信是腾讯公司于2011年推出的一款即时通信软件。") == "腾讯公司"

    def test_alias_after_another_marker_word(self) -> None:
        q = frame("北京又叫什么？")  # the text says 古称, not 又叫
        assert short_answer(q, "北京，古称燕京、北平，是中华人民共和国的首都。") == "燕京、北平"

    @pytest.mark.parametrize(("question", "cited", "expected"), [
        # The words before the asking word recur; the answer runs to the clause's end.
        ("长城是什么？", "长城是中国古代的军事防御工程，东起山海关。", "中国古代的军事防御工程"),
        # A place ending in the kind asked ends there.
        ("泰山位于哪个省？", "泰山位于山东省中部，", "山东省"),
    ])
    def test_restated_question_removed(self, question: str, cited: str, expected: str) -> None:
        assert short_answer(frame(question), cited) == expected

    def test_words_on_both_sides_narrowed_to_the_person(self) -> None:
        # What sits between the question's words, narrowed by the person reader; the fitted
        # ranker may keep what the text writes before the name (CMRC's answers often do).
        q = frame("《哈利·波特》是由谁写的？")
        cited = "《哈利·波特》是由英国作家J·K·罗琳写的。"
        asked = asked_of(q.scoring)
        assert lead_answer(q, asked, [cited]) == ("J·K·罗琳", "person")
        assert short_answer(q, cited).endswith("J·K·罗琳")

    def test_reason(self) -> None:
        q = frame("泰坦尼克号为什么沉没？")
        assert short_answer(q, "由于撞上冰山，泰坦尼克号于1912年沉没。") == "撞上冰山"

    def test_passage_read_when_it_frames_the_answer(self) -> None:
        q = frame("长江全长多少公里？")
        passage = "长江是中国第一大河。长江全长6300余公里，是亚洲第一长河。"
        assert short_answer(q, "长江是中国第一大河。", [passage]) == "6300余公里"

    def test_markers_and_empty_text(self) -> None:
        q = frame("长江全长多少公里？")
        assert short_answer(q, "长江全长6300余公里[1]。") == "6300余公里"
        assert short_answer(q, "") is None


class TestRunsOn:
    def test_a_classifier_runs_on_into_a_unit(self) -> None:
        q = frame("苏州上半年的经济增速比一季度提高了几个百分点？")
        cited = "苏州市上半年全市地区生产总值同比增长4.7%，比一季度提高2.8个百分点。"
        assert short_answer(q, cited) == "2.8个百分点"
        months = "该工程工期为18个月，总投资3亿元。"
        assert short_answer(frame("工程工期是几个月？"), months) == "18个月"

    def test_not_into_what_is_counted(self) -> None:
        q = frame("他有几个儿子？")
        asked = asked_of(q.scoring)
        assert runs_on("3个", ["他有3个儿子。"], asked) == "3个"


def test_the_slot_does_not_depend_on_set_order() -> None:
    # Words tied on their place in the question are read in one order (was: hash order).
    import os
    import subprocess
    import sys

    code = ("from reportbot.answering.short import short_answer;"
            "from reportbot.language.question import analyse;"
            "from reportbot.language.vocabulary import corpus_glossary;"
            "q = analyse('乙烯醇的形式聚合物—聚乙烯醇是怎么得到的？', corpus_glossary(None));"
            "print(short_answer(q, '由于乙烯醇的不稳定性，其形式聚合物—聚乙烯醇（PVA）不是由乙烯醇"
            "作单体聚合制备的，而是从醋酸乙烯酯聚合，再水解酯键得到的。'))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}
                           ).stdout for seed in (1, 2, 3)}
    assert len(outs) == 1


def test_an_english_question_is_framed_by_its_chinese_reading() -> None:
    # "How fast … grow" reads 增长了多少: the rate after 增长, not the first figure.
    q = frame("How fast did Henan's GDP grow in the first half of 2023?")
    cited = "2023年上半年，河南省地区生产总值（GDP）为31326亿元，同比增长3.8%。"
    assert q.english and short_answer(q, cited) == "3.8%"
