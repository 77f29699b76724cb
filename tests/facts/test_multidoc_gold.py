"""Fact extraction on news documents it was not written for, against hand-checked gold tables.

eval/corpora/multidoc/gold_facts/<document>.csv (subject, metric, period, value, unit, text)
lists every figure of a statistical bulletin as a reader states it. The measure is the one
of the seed report's gold table (tests/facts/test_store.py): a fact counts when all six
fields agree, and, more leniently, when the figure (value, unit, text) is found at all.

Run as a script to see every miss and extra row:
``.venv/bin/python -m tests.facts.test_multidoc_gold``
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from reportbot.facts.store import extract_facts
from reportbot.ingest.loading import load_document
from tests.facts.test_store import Key, key, precision_recall

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpora" / "multidoc"
GOLD = CORPUS / "gold_facts"
# Rules v1 scored 0.021/0.022 on the three tables; v3 scores 0.911/0.911 (figures found:
# 1.000/1.000). A change that lowers either is a regression to look at, not a number to lower.
MIN_PRECISION = 0.90
MIN_RECALL = 0.90


def gold_tables() -> list[Path]:
    """The gold tables present (another engineer writes them; none may exist yet)."""
    return sorted(GOLD.glob("*.csv")) if GOLD.is_dir() else []


def gold_rows(path: Path) -> Counter[Key]:
    with path.open(encoding="utf-8-sig") as fh:
        return Counter((r["subject"], r["metric"], r["period"], round(float(r["value"]), 4),
                        r["unit"], r["text"]) for r in csv.DictReader(fh))


def extracted(path: Path) -> Counter[Key]:
    document = CORPUS / (path.stem + ".txt")
    return Counter(key(f) for f in extract_facts(load_document(document, document.name)))


def measure() -> dict[str, tuple[Counter[Key], Counter[Key]]]:
    """Document name -> (extracted keys, gold keys)."""
    return {p.stem: (extracted(p), gold_rows(p)) for p in gold_tables()}


def scores(found: Counter[Key], gold: Counter[Key]) -> tuple[float, float, float, float]:
    """Full-row precision and recall, then figure-only (value, unit, text) ones."""
    full = precision_recall(found, gold)
    figures = precision_recall(Counter(k[3:] for k in found.elements()),
                               Counter(k[3:] for k in gold.elements()))
    return (*full, *figures)


@pytest.mark.skipif(not gold_tables(), reason="no gold tables in eval/corpora/multidoc yet")
def test_news_facts_agree_with_the_gold_tables() -> None:
    results = measure()
    found = sum((f for f, _ in results.values()), Counter[Key]())
    gold = sum((g for _, g in results.values()), Counter[Key]())
    p, r, fp, fr = scores(found, gold)
    print(f"\nmultidoc gold ({len(results)} documents, {sum(gold.values())} rows): "
          f"full precision={p:.3f} recall={r:.3f}; figure precision={fp:.3f} recall={fr:.3f}")
    assert p >= MIN_PRECISION and r >= MIN_RECALL


def main() -> None:
    """Print each document's scores, misses and extra rows."""
    for name, (found, gold) in measure().items():
        p, r, fp, fr = scores(found, gold)
        print(f"== {name}: full P={p:.3f} R={r:.3f}  figure P={fp:.3f} R={fr:.3f}")
        for k in sorted((gold - found).elements(), key=str):
            print("  miss ", k)
        for k in sorted((found - gold).elements(), key=str):
            print("  extra", k)


if __name__ == "__main__":
    main()
