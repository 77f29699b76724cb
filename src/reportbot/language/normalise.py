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


def to_simplified(text: str, known_piece: Callable[[str], bool] = lambda piece: False) -> str:
    """Traditional characters as Simplified, except where the corpus itself writes the
    Traditional character in that word (黃霑 -> 黄霑 when the documents write 黄霑, not 黄沾).

    Judged per two-character piece, not per character: one document that writes 機 (a Hong
    Kong text) must not keep 南寧機場 from reading 南宁机场."""
    converted = str(_converter().convert(text))
    if converted == text:
        return text
    if len(converted) != len(text):  # a phrase mapped to another length: take it whole
        return converted
    out = list(converted)
    for i, (old, new) in enumerate(zip(text, converted, strict=True)):
        if old == new:
            continue
        pairs = [(before + old, converted[i - 1] + new)
                 for before in {text[i - 1], converted[i - 1]}] if i > 0 else []
        if i + 1 < len(text):
            pairs += [(old + after, new + converted[i + 1])
                      for after in {text[i + 1], converted[i + 1]}]
        if any(known_piece(kept) and not known_piece(plain) for kept, plain in pairs):
            out[i] = old
    return "".join(out)


def normalise_question(text: str,
                       known_piece: Callable[[str], bool] = lambda piece: False) -> str:
    """The question with Traditional characters and full-width letters/digits normalised
    (``known_piece``: does the corpus write this two-character piece)."""
    return to_simplified(to_half_width(text), known_piece)
