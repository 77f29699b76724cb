"""The README's hostile-input table is generated from the cases the tests check."""

from __future__ import annotations

from tests.hostile import missing_tests, readme_section, table


def test_every_row_names_tests_the_suite_defines() -> None:
    assert missing_tests() == []


def test_the_readme_table_is_the_generated_one() -> None:
    assert readme_section() == table(), "run: .venv/bin/python -m tests.hostile --write"
