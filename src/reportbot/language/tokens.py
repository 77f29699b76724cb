"""Tokens for search and question analysis: jieba search mode, lower-cased, words only."""

from __future__ import annotations

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens, lower-cased, punctuation and spaces dropped."""
    return [t for t in jieba.lcut_for_search(text.lower()) if _WORDLIKE.search(t)]


def is_english(question: str) -> bool:
    """True when the question is mostly Latin letters rather than Chinese characters."""
    latin = len(re.findall(r"[A-Za-z]", question))
    cjk = len(re.findall(r"[\u3400-\u9fff]", question))
    return latin > 2 * cjk
