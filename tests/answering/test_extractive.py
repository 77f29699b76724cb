"""Extractive answering on small passages of the kind found in encyclopedia text (CMRC 2018
style): names jieba has never seen, other names asked for, counts in rare measure words."""

from __future__ import annotations

import pytest

from reportbot.answering.extractive import extract_answer
from reportbot.answering.guard import anchor
from reportbot.answering.kinds import answer_type_ok, states_share
from reportbot.language.vocabulary import corpus_glossary
from reportbot.records import Chunk, Hit
from tests.conftest import CORPUS

GLOSSARY = corpus_glossary(CORPUS)


def hits_of(title: str, *texts: str) -> list[Hit]:
    return [Hit(Chunk(f"d{i}#0", f"d{i}", title, "", 0, len(t), t), 1.0 / (i + 1), i + 1, i + 1)
            for i, t in enumerate(texts)]


def answer_text(question: str, title: str, *texts: str) -> str | None:
    hits = hits_of(title, *texts)
    ex = extract_answer(question, hits, lambda t: 1.0, GLOSSARY)
    if ex.refused:
        return None
    (i, span), = ex.spans
    chunk = hits[i].chunk
    return chunk.text[span.start - chunk.start : span.end - chunk.start]


@pytest.mark.parametrize(("term", "question", "passage", "expected"), [
    ("载圳的", "朱载圳的性格有什么特点", "朱载圳病死", "朱载圳"),  # 的 glued on, 朱 cut off
    ("尚恩有", "尚恩有什么爱好", "尚恩·菲南是歌手", "尚恩"),
    ("王连字", "王连字什么", "王连，字文仪", "王连"),
    ("卓忠的", "何卓忠的字是什么", "何卓忠，字敬之", "何卓忠"),  # 何 as a surname, not 何时
    ("从业人员", "从业人员总数", "就业人员", "从业人员"),  # 业人员 would change the meaning
    ("杭州", "杭州新增多少家", "南昌新增188家", "杭州"),
])
def test_a_term_is_read_as_the_passages_spell_it(term: str, question: str, passage: str,
                                                 expected: str) -> None:
    assert anchor(term, question, [passage]) == expected


def test_an_unseen_name_glued_to_a_particle_still_finds_its_passage() -> None:
    got = answer_text("朱载圳的封号是什么？", "朱载圳",
                      "朱载圳，明世宗第四子，封号景王，嘉靖四十四年病死。")
    assert got is not None and "景王" in got


def test_another_name_is_answered_by_the_clause_that_gives_it() -> None:
    got = answer_text("蟒鳗又被称为什么？", "蟒鳗",
                      "蟒鳗，又称血红拟蛇鱼，为辐鳍鱼纲鳗鲡目异蝮鯙科的其中一个种。")
    assert got is not None and "血红拟蛇鱼" in got


def test_a_count_in_a_rare_measure_word_is_a_quantity() -> None:
    got = answer_text("袁彭年历仕几朝？", "袁彭年",
                      "袁彭年，湖广公安人。历仕崇祯、隆武、永历三朝。")
    assert got is not None and "三朝" in got


def test_a_figure_of_another_city_is_still_refused() -> None:
    assert answer_text("2010年杭州新增了多少家服务外包企业？", "2010年南昌市服务外包工作总结",
                       "2010年南昌市新增服务外包企业188家，同比增长43.51%。") is None


def test_another_city_or_period_is_not_answered_by_this_one() -> None:
    hits = hits_of("上半年苏州市经济运行情况",
                   "上半年，苏州市地区生产总值11458.4亿元，同比增长4.7%，比一季度提高2.8个百分点。",
                   "一季度，苏州市地区生产总值5364.5亿元，同比增长1.9%。")
    ask = lambda q: extract_answer(q, hits, lambda t: 1.0, GLOSSARY)  # noqa: E731
    assert not ask("苏州上半年地区生产总值是多少？").refused
    assert ask("无锡上半年地区生产总值是多少？").refused
    assert ask("苏州前三季度地区生产总值是多少？").refused
    first = ask("苏州一季度地区生产总值增长多少？")
    assert not first.refused and first.spans[0][0] == 1


@pytest.mark.parametrize(("question", "passage", "expected"), [
    # 谁 asked of a partner: a body answers (jieba tags 欧盟 as an abbreviation).
    ("前7个月上海最大的贸易伙伴是谁？",
     "前7个月，上海市进出口总值2.45万亿元。今年前7个月，上海市对最大贸易伙伴欧盟的进出口保持增长。",
     "欧盟"),
    # 哪个部门: a body named after its place (jieba tags 上海海关 as a place).
    ("上海的进出口数据是哪个部门统计的？", "上海进出口实现总值2.45万亿元，据上海海关统计。",
     "上海海关"),
    ("给予汾酒目标价300元的是哪家机构？", "海通国际研报称，给予汾酒目标价格为300元。", "海通国际"),
])
def test_a_name_of_the_kind_asked_answers_who_or_which(question: str, passage: str,
                                                        expected: str) -> None:
    found = answer_text(question, "外贸与研报", passage)
    assert found is not None and expected in found


def test_plain_words_jieba_tags_as_places_are_no_organisation() -> None:
    # 新建 and 城市 are tagged ns; 环比 is tagged j: none names the body asked for.
    assert answer_text("发布成交面积报告的是哪家机构？", "楼市",
                       "全国城市新建商品住宅成交面积816万平方米，环比下降33%。") is None


def test_a_list_quotes_the_parallel_clauses_of_its_sentence() -> None:
    hits = hits_of("消费措施", "通知提出扩大餐饮服务消费，丰富文旅消费，促进文娱体育会展消费。")
    ex = extract_answer("通知提出要扩大或促进哪几类消费？", hits, lambda t: 1.0, GLOSSARY,
                        max_spans=5, item_margin=0.6, whole_sentences=True)
    (i, span), = ex.spans
    text = hits[i].chunk.text[span.start : span.end]
    assert "餐饮服务" in text and "文娱体育会展" in text


def test_a_date_the_question_names_is_no_answer_to_it() -> None:
    asked = "关于7月银行结售汇数据的这篇报道是哪天发出的？"
    assert not answer_type_ok(asked, "国家外汇管理局公布了7月银行结售汇数据")
    assert answer_type_ok(asked, "本报北京8月15日电，国家外汇管理局公布了7月银行结售汇数据")
    assert answer_type_ok("数据是几月发布的？", "7月，统计局发布了数据")


def test_a_person_asked_is_a_name_in_latin_letters_too_but_not_同比() -> None:
    asked = "德州仪器的首席执行官是谁？"
    assert answer_type_ok(asked, "首席执行官Haviv Ilan表示，汽车行业是最近一季的亮点")
    assert not answer_type_ok(asked, "德州仪器的首席执行官表示，汽车行业是亮点", strict=True)
    # jieba tags 同比 an abbreviation (j): as a ranking feature it names no one
    assert not answer_type_ok("哪位统计师解释了利润增长？", "企业利润同比增长35.4%", strict=True)


def test_a_region_or_a_document_asked_is_named_in_the_answer() -> None:
    region = "长三角铁路管内四个地区中，暑运发送旅客最多的是哪个地区？"
    assert answer_type_ok(region, "江苏地区发送旅客2740万人次")
    assert not answer_type_ok(region, "暑运发送旅客持续增长")
    document = "生态环境部接下来要加快推动出台哪份文件？"
    assert answer_type_ok(document, "加快推动出台《空气质量持续改善行动计划》")
    assert answer_type_ok("依据的是哪个文件？", "依照国办函2010年69号文件最新精神")
    assert not answer_type_ok(document, "将严控增量，减排存量")


def test_a_level_in_brackets_after_a_comparison_is_not_the_subjects_figure() -> None:
    from reportbot.answering.extractive import _states_figure_asked

    asked = "河南上半年GDP增速是多少？"
    assert not _states_figure_asked(asked, "上半年河南GDP增速低于全国水平（5.5%），")
    assert not _states_figure_asked(asked, "上半年GDP增速慢于该省一季度增速（5.0%），")
    assert _states_figure_asked(asked, "按不变价格计算，同比增长3.8%。")
    # a change asked in percent is worked out from its two ends
    price = "第一阶梯气价由每立方米3.30元调整为3.50元"
    assert _states_figure_asked("气价上调了百分之几？", price)
    assert not _states_figure_asked("气价是百分之几？", price)


def test_a_sentence_too_long_to_quote_keeps_its_purpose_and_what_follows() -> None:
    from reportbot.answering.evidence import Evidence
    from reportbot.answering.extractive import _whole_sentence
    from reportbot.records import Span

    text = ("为充分发挥住房公积金制度保障作用，支持购房者合理住房需求，根据" + "相关政策规定，" * 12
            + "对住房公积金个人住房贷款额度进行调整，自7月21日起施行。")
    chunk = Chunk("d#0", "d", "", "", 0, len(text), text)
    at = text.index("对住房公积金")
    clause = Span(at, text.index("，自7月"))
    got = _whole_sentence([Hit(chunk, 1.0, 1, 1)], Evidence(0, clause, 1.0, 1.0), clause)
    quoted = text[got.start : got.end]
    assert quoted.startswith("为充分发挥") and quoted.endswith("施行。")


def test_a_heading_is_answered_by_what_is_written_under_it() -> None:
    from reportbot.answering.extractive import _under_heading
    from reportbot.records import Span

    text = ("（五）做好慢病管理。为患者提供处方。（六）提升签约感受。通过多种方式加强家庭医生与"
            "签约居民的联系，增强感受度。（七）其他。")
    chunk = Chunk("d#0", "d", "", "", 0, len(text), text)
    at = text.index("（六）")
    got = _under_heading(chunk, Span(at, at + 9))
    assert text[got.start : got.end] == (
        "（六）提升签约感受。通过多种方式加强家庭医生与签约居民的联系，增强感受度。")
    plain = Span(text.index("为患者"), text.index("（六）"))
    assert _under_heading(chunk, plain) == plain


def test_a_change_from_last_month_is_quoted_with_its_figure() -> None:
    text = "7月份，制造业采购经理指数(PMI)为49.3%，比上月上升0.3个百分点，制造业景气水平改善。"
    chunk = Chunk("d#0", "d.txt", "7月PMI", "", 0, len(text), text)
    got = extract_answer("7月制造业PMI与上月相比是升是降？", [Hit(chunk, 1.0, 1, 1)],
                         lambda t: 1.0, GLOSSARY)
    assert not got.refused
    quoted = text[got.spans[0][1].start : got.spans[0][1].end]
    assert "49.3%" in quoted and "上升0.3个百分点" in quoted


@pytest.mark.parametrize(("text", "share"), [
    ("占全市进出口总值的20.4%", True),
    ("全国社保卡持卡人数达13.74亿人，覆盖97.3%人口", True),  # a part of a whole, no share word
    ("社会消费品零售总额同比增长8.1%", False),  # a change, not a part
    ("营业收入153.34亿元，同比增长26.53%", False),
])
def test_a_share_is_stated_by_its_word_or_by_a_percentage_that_is_no_change(
        text: str, share: bool) -> None:
    assert states_share(text) is share


def test_a_figure_question_names_nouns_as_the_measure_the_sentence_must_name() -> None:
    from reportbot.answering.demands import heads_of

    assert heads_of("上海今年前7个月二手房成交均价是多少？") == ("均价",)
    assert heads_of("上半年调拨了多少企业职工基本养老保险全国统筹调剂资金？") == ()  # after 多少


def test_a_reporters_byline_names_no_one_the_question_asks_about() -> None:
    assert not answer_type_ok("解释空气质量反弹原因的是谁？", "北京7月27日电（记者 张艺）")
    assert answer_type_ok("解释空气质量反弹原因的是谁？", "生态环境部部长黄润秋介绍")


def test_a_list_item_is_quoted_with_the_statements_after_it_in_its_sentence() -> None:
    from reportbot.answering.extractive import _enumeration
    from reportbot.records import Chunk, Span

    text = ("还需同时满足以下条件：（一）银行同意提前还款；（二）房屋已取得不动产权证书；"
            "（三）无其他抵押。另据统计，房价环比降0.3%；同比降0.4%。")
    chunk = Chunk("d#0", "d", "办法", "", 50, 50 + len(text), text)
    first = Span(50, 50 + text.index("（二）"))
    whole = _enumeration(chunk, first)
    assert text[whole.start - 50 : whole.end - 50].endswith("（三）无其他抵押。")
    # a statement that does not end in a semicolon starts no enumeration
    last = Span(50 + text.index("另据"), 50 + text.index("同比"))
    assert _enumeration(chunk, Span(last.start, last.end - 1)) == Span(last.start, last.end - 1)
