"""The one question analysis: a frozen :class:`Question` frame read once from the wording
(what is asked, the unit, quantity or not, yes/no, English or not, derivation, answer kind,
search terms) and consumed by retrieval, answering and the number stages.

The patterns behind it are in :mod:`reportbot.language.asking` (their words in
``language/data/asking.toml``); term extraction is in :mod:`reportbot.language.terms`,
English bridging in :mod:`reportbot.language.english`.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportbot.language.asking import (
    answer_kind,
    asks_quantity,
    asserted_quantity,
    derivation_kind,
    english_asserted,
    intent_of,
    is_yes_no,
    question_for_scoring,
    threshold,
    wanted_unit,
)
from reportbot.language.english import english_proxy, search_terms
from reportbot.language.tokens import is_english
from reportbot.language.vocabulary import Glossary


@dataclass(frozen=True)
class Question:
    """What a (standalone) question asks, read once.

    ``scoring`` is the text to look for (a yes/no question's asserted figure becomes the
    quantity asked: 是1477元吗 -> 多少元); ``fact_query`` is what the fact table is asked (an
    English question in the documents' Chinese words). ``figure`` says the fact table may
    answer it; ``derivation`` names the computation asked (share, difference, average,
    sum, prior); ``answer_kind`` the kind of thing a what/who/when question wants;
    ``intent`` the kind of answer (see :func:`reportbot.language.asking.intent_of`).
    """

    text: str
    english: bool
    yes_no: bool
    asserted: str | None
    scoring: str
    fact_query: str
    quantity: bool
    figure: bool
    unit: str | None
    derivation: str | None
    answer_kind: str | None
    terms: tuple[str, ...]
    intent: str = "lookup"
    threshold: str | None = None  # above / at_least / below: which side of ``asserted``


def analyse(text: str, glossary: Glossary) -> Question:
    """The frame of one question (English words bridged with the corpus glossary)."""
    english = is_english(text)
    scoring = question_for_scoring(text)
    fact_query = english_proxy(text, glossary) if english else scoring
    return Question(
        text=text,
        english=english,
        yes_no=is_yes_no(text),
        asserted=english_asserted(text) if english else asserted_quantity(text),
        scoring=scoring,
        fact_query=fact_query,
        quantity=asks_quantity(text),
        figure=bool(fact_query) and asks_quantity(fact_query),
        unit=wanted_unit(scoring),
        derivation=derivation_kind(fact_query),
        answer_kind=answer_kind(text),
        terms=tuple(search_terms(text, glossary)),
        intent=intent_of(fact_query if english and fact_query else text),
        threshold=None if english else threshold(text),
    )
