"""Short answers on the multi-document set: the readers' lead against the ranked span.

    .venv/bin/python eval/short_answers.py [--split dev] [--show N]

Asks every answerable, single-turn case of the split through the real chain (the index of
`reportbot eval --dataset eval/multidoc.jsonl --add-corpus eval/corpora/multidoc`, under
REPORTBOT_DATA_DIR) and counts, per intent, the cases whose short answer holds what the
case expects (its numbers, its must_include texts), for the readers' lead alone (span
weights empty) and for the package's ranked span. Only answers whose short answer is read
from the cited text count (not a derived figure or a verdict). ``--show`` prints the first
N cases where the two differ, on the dev split only: the test split is read as totals.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def holds(text: str, case: dict) -> bool:
    """The short answer holds every must_include text and one of the numbers expected."""
    from reportbot.evaluation.amounts import parsed_quantities

    texts, numbers = case.get("must_include") or [], case.get("numbers") or []
    if not text or not (texts or numbers):
        return False
    found = parsed_quantities(text)
    return all(t in text for t in texts) and (not numbers or any(
        abs(value - n["value"]) <= 1e-6 * max(1.0, abs(n["value"])) and unit == n["unit"]
        for n in numbers for value, unit in found))


def main() -> None:
    from reportbot.answering.short import short_answer
    from reportbot.app.workflow import open_pipeline
    from reportbot.cli.eval import combined_settings
    from reportbot.config import Settings
    from reportbot.language.question import analyse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    settings = combined_settings(Settings(), [ROOT / "eval" / "corpora" / "multidoc"])
    pipeline = open_pipeline(settings)
    lines = (ROOT / "eval" / "multidoc.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [c for c in map(json.loads, lines) if c.get("split") == args.split
             and c.get("answerable", True) and not c.get("history")]
    tally: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    differ = []
    for case in cases:
        answer = pipeline.answer(case["question"], [])
        if answer.refused or not answer.citations:
            continue
        frame = analyse(case["question"], pipeline.glossary)
        cited = "".join(c.text for c in answer.citations)
        passages = [c.passage for c in answer.citations if c.passage]
        ranked = short_answer(frame, cited, passages)
        if answer.short_answer != ranked:
            continue
        lead = short_answer(frame, cited, passages, weights={}) or ""
        row = tally[case.get("intent", "?")]
        row[0] += 1
        row[1] += holds(lead, case)
        row[2] += holds(ranked or "", case)
        if lead != ranked:
            differ.append((case["id"], case["question"], lead, ranked))
    print(f"{'intent':12} {'cases':>6} {'lead':>6} {'ranked':>7}")
    for intent, (n, lead_ok, ranked_ok) in sorted(tally.items()):
        print(f"{intent:12} {n:6} {lead_ok:6} {ranked_ok:7}")
    total = [sum(r[k] for r in tally.values()) for k in range(3)]
    print(f"{'all':12} {total[0]:6} {total[1]:6} {total[2]:7}   ({len(differ)} differ)")
    if args.split == "dev":
        for row in differ[: args.show]:
            print(" | ".join(row))


if __name__ == "__main__":
    main()
