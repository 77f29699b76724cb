"""The parts of a question that sets two things side by side: a comparison (A和B哪个多) or
a figure derived from two stated ones (A比B多多少, A是B的几倍, A占B的比重), each part a
one-sided question over the same passages. Its words live in ``data/asking.toml``.
Written by hand: no offline Chinese parser ships on PyPI that splits such questions.
"""

from __future__ import annotations

import re

from reportbot.language.asking import derivation_kind, pattern
from reportbot.language.vocabulary import gazetteer, load
from reportbot.language.vocabulary import words as word_list

_DATA = "asking"


def comparison_parts(question: str) -> tuple[str, str, str, str] | None:
    """The two one-sided questions a comparison asks (苏州上半年第二产业和第三产业，哪个增长
    更快？ -> 苏州上半年第二产业，增长多少？ / 苏州上半年第三产业，增长多少？) and the two
    things compared; None when the wording names no pair."""

    which = re.search(str(load(_DATA)["compare_which"]), question)
    head = question[: which.start()] if which else question
    join = re.search("|".join(load(_DATA)["compare_joins"]), head[1:])
    if join is None:
        return None
    at, after = join.start() + 1, join.end() + 1
    left = head[:at]
    cut = re.search(rf"[的，,、；;]|{load(_DATA)['compare_right_end']}", head[after:])
    right = head[after : after + cut.start()] if cut else head[after:]
    tail = head[after + len(right):]
    if cut and not which and re.match(str(load(_DATA)["compare_right_end"]), cut.group(0)):
        tail = ""  # 与一季度相比是快了还是慢了: the rest asks which, it names nothing
    if not right.strip():
        return None
    item_a, context = _item_and_context(left, right)
    rest = question[len(head):]
    if which:
        rest = rest[which.end() - which.start():]
    ask = re.sub(str(load(_DATA)["compare_tail"]), "多少？", rest) if rest else "是多少？"
    ask = ask if "多少" in ask else ask.rstrip("？?") + "多少？"
    sided = _time_or_place_side(left, right, item_a, tail)
    if sided is not None:
        # 吉林和辽宁，谁的GDP增速更快: the measure is named after the two sides
        measure = ask.removesuffix("多少？").removeprefix("的").strip("，, ")
        if measure and measure not in sided[0]:
            first, second = (q.removesuffix("是多少？").rstrip("，,") + measure + "是多少？"
                             for q in sided[:2])
            return first, second, sided[2], sided[3]
        return sided
    # 第一产业与第三产业增加值, 一般贸易进出口比加工贸易: a head noun said once belongs to both
    to_left, to_right = _shared_head(item_a, right), _shared_head(right, item_a)
    return (f"{left}{to_left}{tail}{ask}", f"{context}{right}{to_right}{tail}{ask}", item_a,
            right)


def derivation_parts(question: str) -> tuple[str, str, str, str, str] | None:  # noqa: C901
    """(kind, question for A, question for B, A, B) of a figure derived from two stated ones:
    A比B多多少 (difference), A是B的几倍 (multiple), A占B的比重 (share); None otherwise.
    B borrows A's context (特斯拉二季度产量比交付量: 特斯拉二季度交付量) or, when it names only a
    time or place, A's measure (毛利率比一季度: 一季度毛利率)."""
    kind = derivation_kind(question)
    body = question.rstrip("？?。 ")
    way = load(_DATA)["difference_direction"]
    m = None
    verb = unit = ""
    if kind == "multiple":
        m = re.match(r"(.+?)是(.+?)的(?:多少|几)倍$", body)
    elif kind == "share":
        m = re.match(r"(.+?)在(.+?)(?:之中|中|里)(?:所)?占(?:的)?(?:多大|多少)?"
                     r"(?:比重|比例|份额|百分比|占比)", body) or \
            re.match(r"(.+?)占(?![了多])(.+?)的?(?:多大|多少)?(?:比重|比例|份额|百分比|占比|几成|"
                     r"百分之几|多少)", body)
        # 沙尘过程里，大范围沙尘过程占了多大比例: the whole first, the part then 占 alone
        whole_first = re.match(r"(.+?)(?:之中|中|里)[，,]?(.+?)占(?:了)?(?:多大|多少)"
                               r"(?:的)?(?:比重|比例|份额|百分比)?$", body)
        if m is None and whole_first:
            m = re.match(r"(.*)\x00(.*)", f"{whole_first.group(2)}\x00{whole_first.group(1)}")
    elif kind in (None, "difference"):
        m = re.match(rf"(.+?)(?<![同环])(?:比|较)(.+?)(?:{way})了?([\u4e00-\u9fff]*?)"
                     rf"(?:多少|几)(.*)$", body)
        kind = "difference" if m else None
        verb, unit = (m.group(3), m.group(4)) if m else ("", "")
    if m is None or kind is None:
        return None
    left, right = m.group(1).strip("，, "), m.group(2).strip("，, 的")
    if not left or not right:
        return None
    unit = "" if "百分点" in unit or unit.startswith("%") else unit
    ask = f"{verb}多少{unit}？" if verb or unit else "是多少？"
    item_a, context = _item_and_context(left, right)
    if _times(right):  # 今年前7个月…总套数: B's own time, not A's
        for word in _times(context):
            context = context.replace(word, "", 1)
    sided = _time_or_place_side(left, right, item_a, "")
    if sided is not None:
        first, second = (q.removesuffix("是多少？") + ask for q in sided[:2])
        return kind, first, second, sided[2], sided[3]
    # 上期所…成交量比上金所: a head said once belongs to both items of one kind; a part and
    # its whole (留抵退税 in 减税降费总额) are not of one kind
    to_left, to_right = ("", "") if kind == "share" else \
        (_shared_head(item_a, right), _shared_head(right, item_a))
    return kind, f"{left}{to_left}{ask}", f"{context}{right}{to_right}{ask}", item_a, right


def _shared_head(item: str, other: str) -> str:
    """The head noun ``other`` ends with and ``item`` lacks, when both are items of one kind
    (第一产业 / 第三产业增加值, both …业): 增加值; '' otherwise (餐饮收入 / 商品零售)."""
    words_ = jieba_words(other)
    for k in range(1, len(words_)):  # 高技术制造业 + 投资增速: the head may be several words
        head = "".join(words_[-k:])
        rest = other[: -len(head)]
        if head not in item and rest and item and rest[-1] == item[-1]:
            return head
    return ""


def _time_or_place_side(left: str, right: str, item_a: str,
                        tail: str) -> tuple[str, str, str, str] | None:
    """The one-sided questions when the second side names only a time or a place: the same
    measure then or there (营收增速和去年同期比, GDP增速与全国相比, 苏州和天津上半年GDP增速)."""
    if _TIME_WORD.match(right) and not _TIME_WORD.match(item_a):
        times = _times(left)
        measure = right + left
        if times:  # 今年上半年 -> 去年同期: the first time word gives way, the others go
            measure = left.replace(times[0], "\0", 1)
            for word in times[1:]:
                measure = measure.replace(word, "", 1)
            measure = measure.replace("\0", right)
        return (f"{left}是多少？", f"{measure}是多少？", item_a, right)
    national = word_list("facts", "names.national")
    first = next(iter(jieba_words(right)), "")
    if (left in gazetteer() or left in national) and (first in gazetteer() or first in national) \
            and len(right) > len(first):
        shared = right[len(first):]  # 苏州和天津上半年GDP增速: said of both places
        return (f"{left}{shared}是多少？", f"{right}是多少？", left, first)
    if right in gazetteer() or right in national:
        named = [w for w in jieba_words(left) if w in gazetteer() or w in national]
        measure = left.replace(named[0], right, 1) if named else right + left
        return (f"{left}{tail}是多少？", f"{measure}{tail}是多少？", item_a, right)
    return None


_TIME_WORD = re.compile(r"^(?:[\d年月日季度上下半前个份第一二三四五六七八九十今去本、\-—]|同期)+$")


def jieba_words(text: str) -> list[str]:
    """The words of a text (jieba's default cut)."""
    import jieba

    return list(jieba.lcut(text))


def _times(text: str) -> list[str]:
    """The time words of a text, in order (今年上半年 -> 今年, 上半年; 前7个月 whole)."""
    # jieba cuts 前7个月 into four words, so times are matched whole (asking.toml time_phrase)
    return pattern("time_phrase").findall(text)


def _item_and_context(left: str, right: str = "") -> tuple[str, str]:
    """The first compared item and the context shared by both (7月大型企业 -> 大型企业, 7月):
    the leading times and places, or everything up to the last comma; a subject named before
    the time (焦点科技上半年A和B: 焦点科技上半年) is shared too. A place is no shared context
    when the second item names its own (上海黄金交易所和上海期货交易所)."""
    import jieba

    comma = max(left.rfind("，"), left.rfind(","))
    if comma >= 0:
        return left[comma + 1 :], left[: comma + 1]
    own_place = any(right.startswith(p) for p in jieba.lcut(right)[:1] if p in gazetteer())
    words_ = jieba.lcut(left)
    bodies = tuple(load("words")["body_suffixes"])
    pos = 0
    for k, word in enumerate(words_):
        # 上海期货交易所: a place that begins a body's name is the body's, not shared context
        body = any(w.endswith(bodies) for w in words_[k + 1 : k + 3])
        if not (_TIME_WORD.match(word) or word == "的"
                or word in gazetteer() and not own_place and not body):
            break
        pos += len(word)
    if pos == 0:  # 焦点科技上半年…: the subject, then its time, are the context
        at, seen_time = 0, False
        for word in words_:
            if _TIME_WORD.match(word) and not word.isdigit():
                seen_time, pos = True, at + len(word)
            elif seen_time:
                break
            at += len(word)
    item, context = (left[pos:], left[:pos]) if pos < len(left) else (left, "")
    return (item.removeprefix("的"), context + "的") if item.startswith("的") else (item, context)
