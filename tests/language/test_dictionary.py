"""English words bridged by the English–Chinese word list the cedict package ships."""

from __future__ import annotations

from reportbot.language.dictionary import chinese_for, senses
from reportbot.language.english import unknown_english_share, with_dictionary_words
from reportbot.language.vocabulary import corpus_glossary


def test_senses_drop_marks_notes_and_adjective_endings() -> None:
    assert senses("n.收入,国家的收入,税收") == ("收入", "国家的收入", "税收")
    assert senses("adj.快速的,牢固地,[医]异质的") == ("快速", "牢固", "异质")


def test_a_word_is_found_as_written_by_its_base_word_or_by_its_stem() -> None:
    assert "收入" in chinese_for("revenue")
    assert "出售" in chinese_for("sold")  # the list gives 「sell的过去式」
    assert "政策" in chinese_for("policies")  # by its stem, polici
    assert chinese_for("qwxzv") == ()
    assert "文化" in chinese_for("culture-related")  # by the words of a hyphenated one


def test_only_senses_the_corpus_writes_bridge_a_word() -> None:
    glossary = corpus_glossary(None)
    question = "When do the rules on edible farm produce take effect?"
    assert glossary.get("edible") == ()
    before = unknown_english_share(question, glossary)
    corpus = {"食用", "可食用", "外汇"}
    bridged = with_dictionary_words(glossary, question, corpus.__contains__)
    assert bridged.get("edible") == ("可食用",)
    assert unknown_english_share(question, bridged) < before
    assert with_dictionary_words(glossary, question, lambda w: False) == glossary
