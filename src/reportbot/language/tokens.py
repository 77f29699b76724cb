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
