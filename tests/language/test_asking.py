"""What a question asks, from its wording: intents, units, derivations, answer kinds."""

from __future__ import annotations

import pytest

from reportbot.language.asking import (
    answer_kind,
    asked_unit,
    derivation_kind,
    english_ask,
    intent_of,
    question_for_scoring,
    threshold,
)
from reportbot.language.comparing import comparison_parts, derivation_parts


@pytest.mark.parametrize(("question", "intent"), [
    ("上半年全市规模以上工业增加值增长多少？", "lookup"),
    ("出口和进口哪个增长更快？", "compare"),
    ("第二产业比第三产业增长得多还是少？", "compare"),
    ("上半年地区生产总值超过1万亿元了吗？", "yes_no"),
    ("该市出台了哪些稳增长措施？", "list"),
    ("通知提出要促进哪几类消费？", "list"),  # 哪几: several asked
    ("第一、第二、第三产业增加值分别是多少？", "list"),  # 分别: each of several
    ("两类商品各增长多少？", "list"),
    ("民营企业进出口占全市外贸总值的比重是多少？", "share"),
    ("两者相差多少亿元？", "difference"),
    ("7月银行结售汇逆差是多少？", "difference"),
    ("哪些产业投资增长较快？各增长多少？", "list"),  # the ones that stand out
    # a change stated against last year is looked up, neither worked back nor subtracted
    ("离岸接包执行金额比上年增长了百分之几？", "lookup"),
    ("上半年黄金均价比去年同期涨了多少？", "lookup"),
    ("市级财政比县区级财政多拨付了多少？", "difference"),
    ("哪些产业投资增长更快？", "compare"),
    ("甘肃上半年GDP增速跑赢全国水平了吗？", "yes_no"),
    ("天津上半年GDP增速有没有超过5%？", "yes_no"),  # a balance asked: one side less the other
    ("7月银行结售汇为什么呈现小幅逆差？", "why"),
    ("增长前的上年同期是多少？", "prior_year"),
    ("人均可支配收入是多少元？", "ratio"),
    ("统计局在什么时候发布了数据？", "when"),
    ("谁主持了新闻发布会？", "who"),
    ("哪家公司发布了业绩预告？", "which"),
    ("展会在哪里举办？", "where"),
    ("企业去哪个城市参加交易会？", "where"),  # a place asked for
    ("哪些城市跑赢了全国平均增速？", "list"),  # 全国平均 names a level, not an average
    ("为什么消费增长加快？", "why"),
    ("上级医院预留门诊号源优先向基层开放，是为了什么？", "why"),
    ("如何扩大汽车消费？", "how"),
    ("Which city grew faster, A or B?", "compare"),
])
def test_intent_from_wording(question: str, intent: str) -> None:
    assert intent_of(question) == intent


def test_units_derivations_and_answer_kinds() -> None:
    assert asked_unit("新增多少家企业？") == "家" and asked_unit("增长率是多少？") == "%"
    # an index or a ratio is written with %: a count (5个分类指数) does not answer it
    assert asked_unit("制造业采购经理指数是多少？") == "%"
    assert asked_unit("城镇失业率是多少？") == "%"
    assert derivation_kind("占全省的比重是多少？") == "share"
    assert asked_unit("暑运以来发送旅客多少人次？") == "人次"  # trips, not people
    assert asked_unit("发送旅客多少万人？") == "人"
    assert answer_kind("哪一年成立？") == "year" and answer_kind("又称什么？") == "alias"
    assert answer_kind("最多的是哪个地区？") == "region"
    assert answer_kind("要加快出台哪份文件？") == "document"
    assert answer_kind("缴存职工要到哪里申请？") is None  # 哪里: often a hall, not a region
    assert intent_of("最多的是哪个地区？") == "where"  # read by the wording, as before


@pytest.mark.parametrize(("question", "scoring", "side"), [
    ("上半年GDP超过1万亿元了吗？", "上半年GDP多少元了吗？", "above"),
    ("新增企业不到200家吗？", "新增企业多少家吗？", "below"),
    ("进出口总值达到2万亿元了吗？", "进出口总值多少元了吗？", "at_least"),
    ("新增企业是不是188家？", "新增企业是不是多少家？", None),
    ("第三阶梯气价超过每立方米5元了吗？", "第三阶梯气价超过每立方米多少元了吗？", "above"),
])
def test_a_threshold_question_asks_for_the_figure_and_names_its_side(
        question: str, scoring: str, side: str | None) -> None:
    assert question_for_scoring(question) == scoring
    assert threshold(question) == side


@pytest.mark.parametrize(("question", "parts"), [
    ("苏州上半年第二产业和第三产业，哪个增加值增长更快？",
     ("苏州上半年第二产业，增加值增长多少？", "苏州上半年第三产业，增加值增长多少？",
      "第二产业", "第三产业")),
    ("7月大型企业和中型企业的PMI哪个更高？",
     ("7月大型企业的PMI多少？", "7月中型企业的PMI多少？", "大型企业", "中型企业")),
    ("出口和进口哪个增长更快？", ("出口增长多少？", "进口增长多少？", "出口", "进口")),
    # the measure after the two sides, and the kind a which-word names, are the sides'
    ("上半年吉林和辽宁，谁的GDP增速更快？",
     ("上半年吉林GDP增速是多少？", "上半年辽宁GDP增速是多少？", "吉林", "辽宁")),
    ("特斯拉一季度和二季度，哪个季度毛利率更高？",
     ("特斯拉一季度毛利率是多少？", "特斯拉二季度毛利率是多少？", "特斯拉一季度", "二季度")),
])
def test_a_comparison_becomes_two_one_sided_questions(
        question: str, parts: tuple[str, str, str, str]) -> None:
    assert comparison_parts(question) == parts


@pytest.mark.parametrize(("question", "second"), [
    ("河南上半年GDP增速与一季度相比是快了还是慢了？", "河南一季度GDP增速是多少？"),
    ("山西汾酒今年上半年的营收增速和去年同期比，哪个更快？", "山西汾酒去年同期的营收增速是多少？"),
    # a side naming only a place or the nation: the same measure there
    ("河南上半年GDP增速与全国相比如何？", "全国上半年GDP增速是多少？"),
    ("苏州和天津上半年GDP增速哪个更快？", "天津上半年GDP增速是多少？"),
    ("上半年杭州和武汉的地区生产总值哪个更高？", "上半年武汉的地区生产总值是多少？"),
])
def test_a_side_naming_only_a_time_asks_the_same_measure_then(question: str,
                                                              second: str) -> None:
    parts = comparison_parts(question)
    assert parts is not None and parts[1] == second


def test_a_question_naming_no_pair_is_no_comparison() -> None:
    assert comparison_parts("哪个行业增长最快？") is None


@pytest.mark.parametrize(("question", "first", "second"), [
    # a place the second item names itself is part of each name, not shared context
    ("上半年上海黄金交易所和上海期货交易所的黄金成交额，哪家同比增速更高？",
     "上半年上海黄金交易所的黄金成交额，同比增速多少？",
     "上半年上海期货交易所的黄金成交额，同比增速多少？"),
    # a head noun said once belongs to both items of one kind; not to items of two kinds
    ("南京上半年第一产业与第三产业增加值，哪个更大？", "南京上半年第一产业增加值，多少？",
     "南京上半年第三产业增加值，多少？"),
    ("上海前7个月一般贸易进出口比加工贸易多还是少？", "上海前7个月一般贸易进出口是多少？",
     "上海前7个月加工贸易进出口是多少？"),
    ("上半年高技术制造业投资增速比高技术服务业快还是慢？", "上半年高技术制造业投资增速是多少？",
     "上半年高技术服务业投资增速是多少？"),
    ("河南上半年限额以上单位餐饮收入和商品零售，哪个增长更快？",
     "河南上半年限额以上单位餐饮收入，增长多少？", "河南上半年商品零售，增长多少？"),
    # a subject named before its time is shared by both items
    ("焦点科技上半年营业总收入和净利润，哪个增长更快？",
     "焦点科技上半年营业总收入，增长多少？", "焦点科技上半年净利润，增长多少？"),
])
def test_each_side_keeps_the_context_both_share(question: str, first: str, second: str) -> None:
    parts = comparison_parts(question)
    assert parts is not None and parts[:2] == (first, second)


def test_how_much_something_grew_asks_a_growth_rate() -> None:
    assert english_ask("How much did Gansu's catering revenue grow in 2023?") == "增长了多少"
    assert english_ask("How much subsidy money was paid out in total?") == "多少钱"


def test_what_names_a_measure_or_a_ratio_asks_a_quantity() -> None:
    assert english_ask("What was Texas Instruments' revenue in the second quarter?") == "是多少"
    assert english_ask("What net profit did Focus Technology report?") == "是多少"
    assert english_ask("What was the non-performing loan ratio at the end of June?") == "是多少%"
    assert english_ask("What was the growth rate of GDP?") == "增长了多少"
    assert english_ask("What does the notice require of applicants?") == ""


@pytest.mark.parametrize(("question", "parts"), [
    ("特斯拉二季度电动车产量比交付量多多少辆？",
     ("difference", "特斯拉二季度电动车产量多少辆？", "特斯拉二季度交付量多少辆？")),
    ("特斯拉二季度毛利率比一季度下降了多少个百分点？",  # a time side: the same measure then
     ("difference", "特斯拉二季度毛利率是多少？", "特斯拉一季度毛利率是多少？")),
    ("暑运以来江苏地区比上海地区多发送旅客多少人次？",
     ("difference", "暑运以来江苏地区发送旅客多少人次？", "上海地区发送旅客多少人次？")),
    ("上半年辽宁社零总额是吉林的几倍？",
     ("multiple", "上半年辽宁社零总额是多少？", "上半年吉林社零总额是多少？")),
    ("留抵退税在上半年新增减税降费及退税缓费总额中占多大比重？",
     ("share", "留抵退税是多少？", "上半年新增减税降费及退税缓费总额是多少？")),
    ("7月成交套数占今年前7个月二手房成交总套数的比重约为多少？",  # B's own time, not A's
     ("share", "7月成交套数是多少？", "今年前7个月二手房成交总套数是多少？")),
    ("上半年社会消费品零售总额同比增长多少？", None),
    ("上半年的沙尘过程里，大范围沙尘过程占了多大比例？",  # the whole first, then the part
     ("share", "大范围沙尘过程是多少？", "上半年的沙尘过程是多少？")),
])
def test_a_figure_derived_from_two_stated_ones_is_asked_side_by_side(
        question: str, parts: tuple[str, str, str] | None) -> None:
    got = derivation_parts(question)
    assert (got[:3] if got else None) == parts


@pytest.mark.parametrize(("question", "unit"), [
    ("上海7月份二手房成交了多少套？", "套"),
    ("今年1-6月多晶硅累计进口了多少万吨？", "吨"),
    ("特斯拉二季度交付了多少辆电动车？", "辆"),
    ("营收多少亿美元？", "money"),
    ("几个百分点？", "%"),
    ("近期中国第多少辆新能源汽车下线？", None),  # an ordinal, not a count
    ("几点开门？", None),  # a time of day, not index points
    ("山西今年上半年GDP是多少？", "money"),  # a measure counted in money
])
def test_any_unit_the_quantity_parser_knows_is_the_unit_asked(question: str,
                                                              unit: str | None) -> None:
    assert asked_unit(question) == unit
