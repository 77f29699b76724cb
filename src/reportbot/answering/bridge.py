"""English questions bridged to the corpus's Chinese words: the glossary, the corpus's names
in pinyin (suzhou -> 苏州), the English–Chinese word list (dictionary.py), and, for a word
none of these bridge (Tesla, gas, catering), the word of the retrieved passages closest to
it by the multilingual embedder.

Written by hand: no offline English–Chinese translation model ships on PyPI. The embedder
(multilingual E5) places 特斯拉 beside Tesla and 天然气 beside gas, but it also places some
common words (方式, 情况) near almost everything; a word's mean similarity to a few common
English words (english.toml ``hub_probes``) is therefore subtracted (the hubness
correction of cross-lingual word retrieval, CSLS), and a neighbour is taken only when it
stands far above the rest of the passages' words (``min_z`` standard deviations).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from reportbot.language.english import (
    unbridged_runs,
    with_dictionary_words,
    with_pinyin_names,
)
from reportbot.language.tokens import is_english, tokenize
from reportbot.language.vocabulary import Glossary, gazetteer, load
from reportbot.retrieval.hybrid import HybridSearcher

_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
# jieba tags of the words that may stand for a question's word: nouns and names.
_NOUN_TAGS = ("n", "vn", "j")


class EnglishBridge:
    """The glossary an English question is read with (one per catalog generation and
    question, remembered)."""

    def __init__(self, glossary: Glossary, searcher: HybridSearcher, min_z: float = 4.0,
                 capacity: int = 64) -> None:
        self.base = glossary
        self.searcher = searcher
        self.min_z = min_z
        self._pinyin: tuple[int, Glossary] = (-1, glossary)
        self._asked: OrderedDict[tuple[int, str], Glossary] = OrderedDict()
        self.capacity = capacity

    def glossary(self, question: str) -> Glossary:
        """The glossary for this question (the base one for a Chinese question)."""
        if not is_english(question):
            return self.base
        generation = self.searcher.catalog.generation()
        key = (generation, question)
        if key in self._asked:
            self._asked.move_to_end(key)
            return self._asked[key]
        lexical = self.searcher.lexical

        def known(word: str) -> bool:
            return lexical.idf(word) is not None

        if self._pinyin[0] != generation:
            titles = {w for d in self.searcher.catalog.documents() for w in tokenize(d.title)}
            names = [n for n in gazetteer() | titles if known(n)]
            self._pinyin = (generation, with_pinyin_names(self.base, names))
        glossary = with_dictionary_words(self._pinyin[1], question, known)
        glossary = self._with_neighbours(glossary, question)
        self._asked[key] = glossary
        while len(self._asked) > self.capacity:
            self._asked.popitem(last=False)
        return glossary

    def _with_neighbours(self, glossary: Glossary, question: str) -> Glossary:
        """The glossary plus, for each unbridged word or run of words, the passages' word
        that stands out as closest to it by meaning, if one does."""
        runs = unbridged_runs(question, glossary)
        if not runs:
            return glossary
        vocabulary = self._passage_words(question)
        if len(vocabulary) < 10:
            return glossary
        cosines = self.searcher.similarity.to
        extra = [(run, (found,)) for run in runs
                 if (found := standout(cosines, run, vocabulary, self.min_z)) is not None]
        return Glossary(glossary.entries + tuple(extra), glossary.acronyms) if extra \
            else glossary

    def _passage_words(self, question: str) -> list[str]:
        """The nouns and names of the passages the question finds by meaning alone."""
        import jieba.posseg as pseg

        hits = self.searcher.run(question, mode="dense")
        words = {p.word for h in hits for p in pseg.cut(h.chunk.text)
                 if p.flag.startswith(_NOUN_TAGS) and _HAN.fullmatch(p.word)}
        return sorted(words)



def standout(cosines: Callable[[str], Callable[[Sequence[str]], list[float]]], word: str,
             vocabulary: Sequence[str], min_z: float) -> str | None:
    """The word of ``vocabulary`` closest to ``word`` by meaning once each candidate's mean
    closeness to common English words is taken off, if it stands ``min_z`` standard
    deviations above the rest; else None."""
    hub = np.mean([cosines(p)(vocabulary) for p in load("english")["hub_probes"]], axis=0)
    score = np.asarray(cosines(word)(vocabulary)) - 0.5 * hub
    best = int(np.argmax(score))
    spread = float(score.std())
    if spread > 0 and (score[best] - float(score.mean())) / spread >= min_z:
        return vocabulary[best]
    return None
