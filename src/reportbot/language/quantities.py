"""Pure: Chinese numbers and units -> values; dates, ranks, ordinals and names told apart."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from reportbot.language.vocabulary import alternation, pairs, words

# kind: quantity | rate | date | year | rank | docno | ordinal | name | clock
QUANTITY_KINDS = ("quantity", "rate")
TIME_KINDS = ("date", "year")


@dataclass(frozen=True)
class Quantity:
    """A number found in text: ``text == source[start:end]``, value in the base unit."""

    text: str
    start: int
    end: int
    value: float
    unit: str
    kind: str
    scale: float = 1.0  # the magnitude word as written (万 -> 1e4), for wording and rounding
    decimals: int = 0  # digits written after the decimal point


# Full-width digits and marks have the same length as their ASCII forms, so offsets hold.
_WIDTH = str.maketrans("０１２３４５６７８９．％，○", "0123456789.%,〇")
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral starts with a digit word: a bare 万/百/千 is a magnitude, not a number.
_CN_DIGIT = "零〇一二两三四五六七八九十"
_CN = rf"[{_CN_DIGIT}][{_CN_DIGIT}百千万亿]*(?:点[零〇一二三四五六七八九]+)?"
_NUM = rf"(?:{_ARABIC}|{_CN})"
_MAGNITUDES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7,
               "百万": 1e6, "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2}
_MAG = "|".join(sorted(_MAGNITUDES, key=len, reverse=True))
# Money words and classifiers -> base unit (data/units.toml). A counter after 第 (第3届) or
# in 三、四期 makes an ordinal, not a count: see the ordinal pass below.
_CURRENCIES = dict(pairs("units", "currencies"))
_COUNTERS = dict(pairs("units", "counters"))
MONEY_UNITS = frozenset(_CURRENCIES.values())
COUNTER_UNITS = dict(_COUNTERS)
# Counters that count things (个 may stand in for them), not measures (吨, 平方米, 小时).
CLASSIFIERS = frozenset(words("units", "classifiers"))
_UNIT = "|".join(sorted([*_CURRENCIES, *_COUNTERS], key=len, reverse=True))
_PER = alternation("units", "per")
# A unit word that starts a longer word is no unit (两位数 is two digits, not two people).
_NOT_UNIT = alternation("units", "not_unit_after")
_DIGITS_ONLY = frozenset(words("units", "digits_only"))
# 六成 (six tenths) is a rate, but 一成不变 and 三成员 are words; what may not follow 成.
_NOT_TENTHS = alternation("units", "not_tenths_after")
_ORDINAL_COUNTERS = alternation("units", "ordinal_counters")
_DASH = r"\s*[-－—–~～至到]\s*"
_YEAR_DIGITS = r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})"
_YEAR = _YEAR_DIGITS + r"[ \u00a0]?年"  # 2022 年 (a space is common in copied text)
_CN_DAY = r"[一二三四五六七八九十]{1,3}"
# Periods of a year written without a number of months (上半年) and the parts of a month
# (6月末, 7月中旬) are times too (data/units.toml); 前7个月 is the months 1-7.
_PERIOD_WORDS = alternation("units", "period_words")
_MONTH_PART = rf"(?:{alternation('units', 'month_parts')})?"
_FIRST_MONTHS = r"前(?:\d{1,2}|[一二三四五六七八九十]{1,2})个月"
# A time of day (15:03, 晚上8点, 20点整) is neither a period nor a count.
_CLOCK = (r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?![\d.])"
          rf"|(?:{alternation('units', 'clock_before')})\d{{1,2}}点(?:\d{{1,2}}分|半|整)?"
          r"|(?<=[日号])\s?\d{1,2}点(?:\d{1,2}分|半|整)?|(?<![\d.])\d{1,2}点(?:\d{1,2}分|半|整)")
_SPACE = r"[ \u00a0\u3000]?"
_RUN_OF_DIGITS = re.compile(r"[零〇一二两三四五六七八九]{2,}")


def _number(raw: str) -> tuple[Decimal, int] | None:
    """The value of an Arabic or Chinese numeral and its written decimals, or None."""
    raw = raw.replace(",", "")
    try:
        if raw[0].isdigit():
            return Decimal(raw), len(raw.split(".")[1]) if "." in raw else 0
        import cn2an  # 0.5 s to import: only when a Chinese numeral is met

        value = Decimal(str(cn2an.cn2an(raw, "smart")))
    except (ValueError, InvalidOperation, KeyError, IndexError):
        return None
    return value, len(raw.split("点")[1]) if "点" in raw else 0


_Builder = Callable[[re.Match[str]], "Quantity | None"]


def _plain(kind: str) -> _Builder:
    """Builder for spans that are recognised (date, rank...) with their first number as value."""

    def build(m: re.Match[str]) -> Quantity | None:
        found = re.search(_NUM, m.group(0))
        parsed = _number(found.group(0)) if found else None
        value = float(parsed[0]) if parsed else 0.0
        return Quantity(m.group(0), m.start(), m.end(), value, "", kind)

    return build


def _year(m: re.Match[str]) -> Quantity | None:
    tail = m.group("tail") or ""
    kind = "date" if tail and tail != "度" else "year"
    parsed = _number(m.group("y"))
    return Quantity(m.group(0), m.start(), m.end(), float(parsed[0]) if parsed else 0.0, "",
                    kind)


def _quantity(m: re.Match[str]) -> Quantity | None:
    raw, mag, unit = m.group("n"), m.group("mag") or "", m.group("unit")
    parsed = _number(raw)
    if parsed is None:
        return None
    value, decimals = parsed
    # 一个/一家/一项 in running prose is the indefinite article (搭建了一个很好的平台);
    # digit words in a row (唯一一个, 三四家) are no number.
    if not raw[0].isdigit() and (value == 1 and not mag or _RUN_OF_DIGITS.fullmatch(raw)):
        return None
    if unit in _DIGITS_ONLY and not raw[0].isdigit():
        return None  # 九点开盘 is a time of day; index points are written in digits
    scale = _MAGNITUDES.get(mag, 1.0)
    base = _CURRENCIES.get(unit) or _COUNTERS[unit]
    if m.group("per"):
        base += "/" + _COUNTERS.get(m.group("per"), m.group("per"))
    total = float(value * Decimal(str(scale)))
    return Quantity(m.group(0), m.start(), m.end(), total, base, "quantity", scale, decimals)


def _rate_match(m: re.Match[str]) -> Quantity | None:
    """Rates come in two spellings (百分之X, X%); both groups feed one builder."""
    number = m.group("n") or m.group("n2") or m.group("n3")
    parsed = _number(number)
    if parsed is None:
        return None
    value = -parsed[0] if m.group("sign") in ("-", "－") else parsed[0]
    mark = m.group("mark") or ("成" if m.group("n3") else "%")
    unit = {"个百分点": "pp", "倍": "倍", "‰": "‰"}.get(mark, "%")
    if mark == "成":  # 六成 is 60%: tenths
        return Quantity(m.group(0), m.start(), m.end(), float(value * 10), "%", "rate", 10.0,
                        parsed[1])
    return Quantity(m.group(0), m.start(), m.end(), float(value), unit, "rate", 1.0, parsed[1])


def _bare(m: re.Match[str]) -> Quantity | None:
    parsed = _number(m.group(0))
    if parsed is None:
        return None
    return Quantity(m.group(0), m.start(), m.end(), float(parsed[0]), "", "quantity", 1.0,
                    parsed[1])


def _scaled(m: re.Match[str]) -> Quantity | None:
    parsed = _number(m.group("n"))
    if parsed is None:
        return None
    scale = _MAGNITUDES[m.group("mag")]
    return Quantity(m.group(0), m.start(), m.end(), float(parsed[0] * Decimal(str(scale))), "",
                    "quantity", scale, parsed[1])


_TITLE = re.compile(r"(?<=《)[^》\n]{0,80}(?=》)")
# Passes in priority order: a span claimed by an earlier pass is never re-read by a later one,
# so 2010年69号 is a document number before 2010年 can be a year, 第24位 a rank before an
# ordinal, and 9月26日 a date before 26 can be a bare number.
_PASSES: list[tuple[re.Pattern[str], _Builder]] = [
    (re.compile(rf"(?:{_YEAR}|[〔\[［]\d{{4}}[〕\]］])?第?(?<![月\d])\d{{1,5}}号(?!\d)"),
     _plain("docno")),
    (re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?!\d)"), _plain("date")),
    (re.compile(rf"(?<!\d)(?:19|20)\d{{2}}年?{_DASH}{_YEAR}"), _plain("year")),  # 2023-2025年
    (re.compile(_CLOCK), _plain("clock")),
    (re.compile(rf"(?P<y>{_YEAR_DIGITS})[ \u00a0]?年(?P<tail>度|(?:\d{{1,2}}{_DASH}\d{{1,2}}月份?"
                rf"|\d{{1,2}}月份?(?:\d{{1,2}}[日号](?:{_DASH}\d{{1,2}}[日号]?)?|{_MONTH_PART})"
                rf"|{_CN_DAY}月(?:{_CN_DAY}[日号])?|{_PERIOD_WORDS}|年?[初底末中]|{_FIRST_MONTHS}"
                rf"|(?:第|前)?[一二三四1-4]季度))?"), _year),
    (re.compile(rf"(?<!\d)\d{{1,2}}月\d{{1,2}}[日号]?{_DASH}\d{{1,2}}[日号]"
                rf"|(?<!\d)\d{{1,2}}月\d{{1,2}}[日号]|(?<!\d)\d{{1,2}}{_DASH}\d{{1,2}}月份?"
                rf"|(?<![\d第])\d{{1,2}}月份?(?![\d份]){_MONTH_PART}|(?<![\d第])\d{{1,2}}月份"
                rf"|(?<![一二三四五六七八九十]){_CN_DAY}月(?:{_CN_DAY}[日号])?(?=[^份]|$)"
                rf"|(?:第|前)?[一二三四1-4]季度|{_FIRST_MONTHS}|{_PERIOD_WORDS}"), _plain("date")),
    (re.compile(rf"第{_SPACE}{_NUM}{_SPACE}[位名](?![单称义])|前{_NUM}{_SPACE}[位名强]"
                rf"|{_NUM}{_SPACE}强"), _plain("rank")),
    (re.compile(rf"第{_SPACE}{_NUM}(?:{_SPACE}(?:{_ORDINAL_COUNTERS}))?"
                rf"|{_NUM}(?:、{_NUM})+期|(?<![\d〇零一二三四五六七八九十])"
                rf"{_CN}期|[（(]\s*(?:[一二三四五六七八九十]{{1,3}}|\d{{1,2}})\s*[)）]"
                rf"|(?m:^[一二三四五六七八九十]{{1,3}}、)"), _plain("ordinal")),
    (re.compile(r"十[一二三四五]五(?=规划|计划|期间|时期|末|期末|以来)"), _plain("name")),
    (re.compile(rf"(?P<sign>[+\-－])?(?:百分之(?P<n>{_NUM})"
                rf"|(?P<n2>{_NUM}){_SPACE}(?P<mark>[%‰]|个百分点|倍)"
                rf"|(?<![\d.{_CN_DIGIT}])(?P<n3>\d(?:\.\d)?|[一二两三四五六七八九])成"
                rf"(?!{_NOT_TENTHS}))"), _rate_match),
    (re.compile(rf"(?P<n>{_ARABIC}|{_CN})(?:{_SPACE}(?P<mag>{_MAG}))?(?:多|余|来)?{_SPACE}"
                rf"(?P<unit>{_UNIT})"
                rf"(?!{_NOT_UNIT})(?:/(?P<per>{_PER}))?"), _quantity),
    # 1555万 (低保对象), 由30万调整为50万元: a magnitude with no unit after it scales the count
    (re.compile(rf"(?<![A-Za-z\d.])(?P<n>{_ARABIC}){_SPACE}(?P<mag>{_MAG})(?![A-Za-z\d])"),
     _scaled),
    (re.compile(rf"(?<![A-Za-z\d.]){_ARABIC}(?![A-Za-z\d])"), _bare),
]


def _titles(text: str, claimed: list[bool]) -> list[Quantity]:
    """Numbers inside 《book titles》 name the work (《发展报告2009》); they are not data."""
    found: list[Quantity] = []
    for m in _TITLE.finditer(text):
        for n in re.finditer(_ARABIC, m.group(0)):
            s, e = m.start() + n.start(), m.start() + n.end()
            found.append(Quantity(n.group(0), s, e, float(n.group(0).replace(",", "")), "",
                                  "name"))
        claimed[m.start():m.end()] = [True] * (m.end() - m.start())
    return found


def parse_quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` as a Quantity (any kind), in order, spans exact."""
    norm = text.translate(_WIDTH)
    claimed = [False] * len(norm)
    found = _titles(norm, claimed)
    for pattern, build in _PASSES:
        for m in pattern.finditer(norm):
            if any(claimed[m.start():m.end()]):
                continue
            q = build(m)
            if q is None:
                continue
            claimed[m.start():m.end()] = [True] * (m.end() - m.start())
            found.append(replace(q, text=text[q.start:q.end]))
    found.sort(key=lambda q: q.start)
    return _kind_namers(norm, _range_units(norm, found))


# 由30万调整为50万元, 从3万提高到5万人: the first figure of a change is in the second's unit.
_CHANGED_TO = re.compile(rf"(?:{alternation('units', 'changed_to')})")


def _range_units(text: str, found: list[Quantity]) -> list[Quantity]:
    out = list(found)
    for i, (a, b) in enumerate(zip(found, found[1:], strict=False)):
        if a.kind == b.kind == "quantity" and not a.unit and b.unit \
                and _CHANGED_TO.fullmatch(text[a.end:b.start]):
            out[i] = replace(a, unit=b.unit)
    return out


# 十一项国际认证27个: a count whose noun is directly followed by another count names the
# kind of thing counted (eleven certifications), it is not itself the measured quantity.
_NAMER_GAP = re.compile(r"[A-Za-z\u4e00-\u9fff]{1,8}")


def _kind_namers(text: str, found: list[Quantity]) -> list[Quantity]:
    out = list(found)
    for i, (a, b) in enumerate(zip(found, found[1:], strict=False)):
        if a.kind == "quantity" and b.kind == "quantity" and a.unit in ("项", "个", "类", "种"):
            if b.unit and _NAMER_GAP.fullmatch(text[a.end:b.start]):
                out[i] = replace(a, kind="name")
    return out


def parse_one(text: str) -> Quantity | None:
    """The first quantity or rate in ``text`` (e.g. "4.42亿美元"), or None."""
    return next((q for q in parse_quantities(text) if q.kind in QUANTITY_KINDS), None)


def tolerance(q: Quantity) -> float:
    """Half a unit of the last written digit, in base units: what rounding could explain."""
    return 0.5 * 10.0 ** (-q.decimals) * q.scale


def fits_asked_unit(q: Quantity, asked: str) -> bool:
    """Does a stated figure answer a question asking this unit (asking.asked_unit: %,
    'money', or a counter)? A count written without its counter (1555万…人员) may."""
    if q.kind == "rate":
        return asked == "%"
    if q.kind != "quantity" or asked == "%":
        return False
    if asked == "money":
        return q.unit in MONEY_UNITS
    unit = base_unit(q.unit)
    # 几份协议 is answered by 五个合作协议: 个 stands in for any classifier of things
    return not unit or unit == asked or unit == "个" and asked in CLASSIFIERS


_ASKED_COUNT = re.compile(rf"(?<!第)(?:多少|几)(?:{_MAG})?(?P<unit>{_UNIT})")


def unit_counted(question: str) -> str | None:
    """The unit a 多少/几 + unit word asks (多少套 -> 套, 多少万吨 -> 吨, 多少亿美元 ->
    'money'), read with the parser's own unit words; None if none follows. 几点 asks a
    time of day, not index points; 第多少辆 an ordinal."""
    for m in _ASKED_COUNT.finditer(question):
        unit = m.group("unit")
        if unit in _DIGITS_ONLY:
            continue
        return "money" if unit in _CURRENCIES else _COUNTERS[unit]
    return None


def base_unit(unit: str) -> str:
    """The numerator of a per-unit unit: 元/人 -> 元."""
    return unit.split("/", 1)[0]


def _digits(x: float, decimals: int | None) -> str:
    if decimals is None:
        decimals = 4
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float, unit: str, decimals: int | None = None) -> str:
    """Natural Chinese wording: 14770000 元 -> 1477万元, 733000000 美元 -> 7.33亿美元."""
    head, _, per = unit.partition("/")
    suffix = f"/{per}" if per else ""
    if head == "%":
        return f"{_digits(value, decimals)}%"
    if head == "pp":
        return f"{_digits(value, decimals)}个百分点"
    if head in MONEY_UNITS or not head or abs(value) >= 1e8:
        for word, scale in (("亿", 1e8), ("万", 1e4)):
            if abs(value) >= scale and (head in MONEY_UNITS or scale == 1e8):
                return f"{_digits(value / scale, decimals)}{word}{head}{suffix}"
    return f"{_digits(value, decimals)}{head}{suffix}"


# A change written as its two ends (由30万调整为50万元, 从5.2%提高到6.0%, 由原2万元降至1.6万元):
# 由/从 a few characters before the first figure, 为/到/至 between the two, no clause break.
# Without 由/从, 到/至 between two figures of one unit ends a change by the first figure
# (上调产量预估2.6万吨至2543.9万吨) or a range (6.5至7.5万元): the later one is the level.
_FROM = re.compile(r"(?:由|从)[^，。；,;\d]{0,8}$")
_TO = re.compile(r"[^，。；,;\d]{0,8}?(?:为|到|至)[^，。；,;\d]{0,8}")
_TIMED = re.compile(r"[年月日季]|半年|同期")
_BY_TO = re.compile(r"[^，。；,;\d]{0,8}?(?:到|至)[^，。；,;\d]{0,8}")


def changes(text: str) -> list[tuple[Quantity, Quantity, bool]]:
    """Figures of one unit followed by another in the same clause, with 至/到/为 between:
    (first, second, written from-to)."""
    found = [q for q in parse_quantities(text) if q.kind in ("quantity", "rate")
             and q.text[:1].isdigit()]
    out = []
    for a, b in zip(found, found[1:], strict=False):
        between = text[a.end : b.start]
        if a.unit != b.unit or _TO.fullmatch(between) is None:
            continue
        opening = _FROM.search(text[: a.start])
        if opening is not None and _TIMED.search(opening.group(0)):
            continue  # 从上半年的约15亿欧元放缓至下半年的约4亿欧元: two periods' figures
        ends = opening is not None
        if ends or _BY_TO.fullmatch(between):
            out.append((a, b, ends))
    return out


def from_to(text: str) -> list[tuple[Quantity, Quantity]]:
    """The (before, after) pairs of figures of one unit the text writes as a change's ends."""
    return [(a, b) for a, b, ends in changes(text) if ends]


def superseded(text: str, at: int) -> bool:
    """Is the figure starting at ``at`` followed by the level it changed to: the first end
    of a change (由4.80元调整为5.00元) or the amount it moved by (上调2.6万吨至2543.9万吨)?"""
    return any(a.start == at for a, _, _ in changes(text))

