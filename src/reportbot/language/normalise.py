"""Question text as the documents spell it: Traditional characters to Simplified (OpenCC,
which ships its dictionaries), full-width letters and digits to ASCII.

Only questions are normalised: document text is never changed, so every offset stays exact.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

# Full-width ASCII letters, digits and the marks that sit inside numbers (％, ．) -> ASCII;
# Chinese punctuation (，？) is left alone: it carries clause and question boundaries.
_WIDE = {**{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
         **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
         **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
         0xFF05: ord("%"), 0xFF0E: ord("."), 0x3000: ord(" ")}


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_half_width(text: str) -> str:
    """Full-width letters, digits, ％ and ． as ASCII (２０２３年 -> 2023年)."""
    return text.translate(_WIDE)


def to_simplified(text: str, known_char: Callable[[str], bool] = lambda ch: False) -> str:
    """Traditional characters as Simplified, except where the corpus itself writes the
    Traditional character (a name such as 黄霑 stays as the documents spell it)."""
    converted = str(_converter().convert(text))
    if converted == text:
        return text
    if len(converted) != len(text):  # a phrase mapped to another length: take it whole
        return converted
    return "".join(new if old != new and not known_char(old) else old
                   for old, new in zip(text, converted, strict=True))


def normalise_question(text: str, known_char: Callable[[str], bool] = lambda ch: False) -> str:
    """The question with Traditional characters and full-width letters/digits normalised."""
    return to_simplified(to_half_width(text), known_char)
