"""Pure metric rules: what a figure is a figure of, when the words before it do not say.

A change with no noun of its own (同比增长4.7%, 比一季度提高2.8个百分点) is the change of the
figure before it; a share (占比30.8%) is the share of the quantity before it; a figure in
brackets after a time or the nation (快于一季度（6.7%）, 全国水平（5.5%）) is the clause's measure
for that time or for the nation; a clause whose words before the number name nothing
(由一季度的-2.7%) is named by its head (规模以上工业增加值增速由…).
"""

from __future__ import annotations

import re
from dataclasses import replace

from reportbot.facts.names import NATIONAL
from reportbot.facts.periods import TimeExpr
from reportbot.facts.rules import CHANGE, TIME_MARK, clean_phrase, drop_lead, starts_with_verb
from reportbot.language.vocabulary import alternation, words
from reportbot.records import Fact

_BASE = re.compile(rf"(?:{alternation('facts', 'comparison_base')})[^，。；]*$")
_SHARE = re.compile(rf"^(?:{alternation('facts', 'share')})")
_CHANGE_TAIL = re.compile(rf"(?:{alternation('facts', 'change_comparison')}|"
                          rf"{alternation('facts', 'change_rise')}|"
                          rf"{alternation('facts', 'change_decline')})+$")
_HEAD_END = re.compile(rf"由|从|(?:{alternation('facts', 'comparison_base')})|为|达|[（(]")
_NATIONAL_LEVEL = re.compile(rf"(?:{'|'.join(words('facts', 'names.national'))})"
                             r"(?:平均)?(?:水平)?$")
_GROWTH = "增速"
# A topic runs to its predicate: a change, a comparison or a link word (的 links nouns).
_TOPIC_END = re.compile(rf"{CHANGE.pattern}|{alternation('facts', 'comparison_base')}|"
                        + "|".join(w for w in words("facts", "link_tail") if w != "的"))
_TOPIC_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff·]+")


def own_noun(phrase: str) -> bool:
    """Do the words before a number name something beyond a change and its base?
    (民营企业增加值同比增长: yes; 同比增长, 比一季度提高, 较2021年同期增长: no)"""
    rest = CHANGE.sub("", _BASE.sub("", phrase))
    rest = rest.replace(TIME_MARK, "").strip(" 的同")
    return len(rest) >= 2


def clause_head(words_before: str) -> str:
    """The noun a clause opens with, before 由, 比 or a link word (…增速由一季度的 -> …增速)."""
    plain = words_before.replace(TIME_MARK, "")
    cut = _HEAD_END.search(plain)
    return clean_phrase(plain[: cut.start()] if cut else plain)


def parenthetical_owner(text: str, start: int, end: int, times: list[TimeExpr],
                        base: Fact) -> Fact | None:
    """A figure alone in brackets gives the value of what the brackets follow: a time
    (快于一季度（6.7%）: the period) or the nation (全国水平（5.5%）: the subject)."""
    if start == 0 or text[start - 1] not in "（(" or text[end : end + 1] not in ("）", ")"):
        return None
    owner = start - 1
    time = next((t for t in times if t.end == owner), None)
    if time is not None:
        return replace(base, period=time.period)
    if _NATIONAL_LEVEL.search(text[max(0, owner - 8) : owner]):
        return replace(base, subject=NATIONAL)
    place = place_before(text, owner)
    if place:  # 上海（21390.17亿元）、北京（20621.3亿元）: each figure is its place's
        return replace(base, subject=place)
    return None


def place_before(text: str, end: int) -> str:
    """The place (China's divisions, from the gazetteer) whose name ends right at ``end``,
    the longest one; '' if none."""
    from reportbot.language.vocabulary import gazetteer

    places = gazetteer()
    return next((text[end - n : end] for n in range(6, 1, -1)
                 if end - n >= 0 and text[end - n : end] in places), "")


def enumeration_lead(text: str, start: int, sentence_start: int) -> tuple[int, int] | None:
    """Where the clause before a list of bracketed figures is (在今年上半年的GDP十强城市中，
    上海（…）、北京（…）): it names what each item's figure measures. None if the list opens
    its sentence."""
    list_start = max(text.rfind(c, sentence_start, start) for c in "，；：")
    if list_start < 0:
        return None
    lead_start = max([sentence_start, *(text.rfind(c, sentence_start, list_start) + 1
                                        for c in "，；：")])
    return lead_start, list_start


def qualifier_metric(target: Fact, phrase: str) -> str:
    """The metric of a change of ``target``: a growth rate's change is its growth's
    (地区生产总值同比增长 + 比一季度提高 -> 地区生产总值增速比一季度提高)."""
    if target.kind == "rate" and _CHANGE_TAIL.search(target.metric):
        growth = "" if phrase.startswith(_GROWTH) else _GROWTH  # 增速比一季度提高
        return _CHANGE_TAIL.sub("", target.metric) + growth + phrase
    return target.metric + phrase


def borrowed(phrase: str, topic: str, quantities: list[Fact]) -> str | None:
    """A share names the sentence's topic, else the quantity before it (民营企业进出口实现
    两位数增速，…，占比30.8% -> 民营企业进出口占比), or None if it is no share."""
    if not _SHARE.match(phrase) or not (topic or quantities):
        return None
    return (topic or quantities[-1].metric) + phrase


def topic_of(words: str) -> str:
    """The noun a sentence opens with when its first clause states no figure (上海市民营企业
    进出口实现两位数增速 -> 民营企业进出口): the later clauses give its measures."""
    words = drop_lead(words.rsplit(TIME_MARK, 1)[-1])
    cut = next((i for i in range(len(words)) if starts_with_verb(words, i)
                or _TOPIC_END.match(words, i)), len(words))
    topic = words[:cut]
    return topic if 2 <= len(topic) <= 15 and _TOPIC_WORDS.fullmatch(topic) else ""


def on_topic(topic: str, metric: str) -> str:
    """A measure of the topic named by its last word (topic 民营企业进出口, 进出口额 ->
    民营企业进出口额); other metrics are left as they are."""
    for cut in range(len(topic) - 2, 0, -1):
        if metric.startswith(topic[cut:]) and metric != topic[cut:]:
            return topic[:cut] + metric
    return metric
