"""The numbers an answer states, in base units, as the eval reads them (pure).

Two readings are merged: a lenient one of its own (Chinese and English, units from
``language/data/evaluation.toml``) and :func:`reportbot.language.quantities.parse_quantities`.
A number either reading finds counts as stated, so a slip of the answering side's parser
neither hides a correct number nor lets an unanswerable case assert one unnoticed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from reportbot.language.quantities import QUANTITY_KINDS, parse_quantities
from reportbot.language.vocabulary import alternation, pairs, words

Quantity = tuple[float, str]

DATE_UNITS = frozenset(words("evaluation", "date_units"))
_UNIT_SCALES = (("千万", 1e7), ("百万", 1e6), ("万亿", 1e12), ("亿", 1e8), ("万", 1e4))
_UNIT_ALIASES = dict(pairs("evaluation", "unit_aliases"))
_EN_UNITS = pairs("evaluation", "english_units")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_TENS = {"十": 10, "百": 100, "千": 1000}
# 第24位 and 第五届 are ranks and ordinals, not quantities: no match right after 第 or a digit.
_ZH_QUANTITY = re.compile(
    r"(?<![第\d.,零〇一二两三四五六七八九十百千万亿])"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)"
    r"\s*(?P<mult>千万|百万|亿|万)?\s*"
    rf"(?P<unit>{alternation('evaluation', 'units')})")
_EN_NUMBER = re.compile(r"(?P<pre>US\$|\$|USD|RMB|CNY|¥)?\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
                        r"\s*(?P<scale>thousand|million|billion)?", re.IGNORECASE)
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_MARKER = re.compile(r"\[\d+\]|【\d+】")


def cn_int(text: str) -> int:
    """Value of a Chinese numeral such as 十一, 两, 一千四百七十七万."""
    for big, scale in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            high, low = text.split(big, 1)
            return cn_int(high or "一") * scale + cn_int(low)
    total = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_TENS:
            total += (digit or 1) * _CN_TENS[ch]
            digit = 0
    return total + digit


def normalize_quantity(value: float, unit: str) -> Quantity | None:
    """Base-unit form: (1477, '万元') -> (14770000.0, '元'); dates and years give None."""
    u = unicodedata.normalize("NFKC", unit).strip()
    if u in DATE_UNITS:
        return None
    for prefix, scale in _UNIT_SCALES:
        if u.startswith(prefix) and len(u) > len(prefix):
            value, u = value * scale, u[len(prefix):]
            break
    return value, _UNIT_ALIASES.get(u.lower(), u)


def _english_unit(tail: str) -> str | None:
    if tail.lstrip().startswith("%"):
        return "%"
    for word in re.findall(r"[a-z]+", tail.lower())[:4]:
        for stem, unit in _EN_UNITS:
            if word.startswith(stem):
                return unit
    return None


def _chinese(text: str) -> list[Quantity]:
    """Chinese numbers with a unit: 188家, 1,477万元, 两人, 79.36个百分点."""
    found: list[Quantity] = []
    for m in _ZH_QUANTITY.finditer(text):
        num = m["num"]
        value = float(num.replace(",", "")) if num[0].isdigit() else float(cn_int(num))
        q = normalize_quantity(value * dict(_UNIT_SCALES).get(m["mult"] or "", 1.0), m["unit"])
        if q is not None:
            found.append(q)
    return found


def _english(text: str) -> list[Quantity]:
    """Numbers with a currency sign before or an English unit word after: US$733 million."""
    found: list[Quantity] = []
    for m in _EN_NUMBER.finditer(text):
        tail = re.split(r"\d", text[m.end():m.end() + 60], maxsplit=1)[0]
        pre = (m["pre"] or "").lower()
        unit = ("美元" if "$" in pre or pre == "usd" else "元" if pre else None) \
            or _english_unit(tail)
        if unit is not None:
            scale = _EN_SCALES.get((m["scale"] or "").lower(), 1.0)
            found.append((float(m["num"].replace(",", "")) * scale, unit))
    return found


def parse_local(text: str) -> list[Quantity]:
    """Quantities with a unit in Chinese or English text, in base units (dates skipped)."""
    return _chinese(text) + _english(text)


def parsed_quantities(text: str) -> list[Quantity]:
    """Amounts and rates :func:`parse_quantities` finds, in the eval's base units.

    Dates, years, ranks and document numbers are skipped, and so are bare numbers.
    """
    out: list[Quantity] = []
    for q in parse_quantities(text):
        if q.kind in QUANTITY_KINDS and q.unit:
            base = normalize_quantity(q.value, q.unit)
            if base is not None:
                out.append(base)
    return out


def strip_markers(text: str) -> str:
    """Answer text without citation markers such as [1] or 【2】."""
    return _MARKER.sub("", text).strip()


def answer_quantities(answer_json: Mapping[str, Any]) -> list[Quantity]:
    """The answer's numbers field plus every quantity parsed from its text, base units."""
    found: list[Quantity] = []
    for n in answer_json.get("numbers") or []:
        value, unit = n.get("value"), n.get("unit")
        if isinstance(value, int | float):
            q = normalize_quantity(float(value), unit if isinstance(unit, str) else "")
            if q is not None:
                found.append(q)
    text = strip_markers(str(answer_json.get("answer") or ""))
    found += parse_local(text) + parsed_quantities(text)
    unique = {(round(v, 6), u): (v, u) for v, u in found}  # two readings often agree
    return list(unique.values())
