"""Fit the short-answer span weights (reportbot.answering.spans) and say how well they pick.

    .venv/bin/python eval/fit_spans.py collect \
        --cmrc ../shared/benchmarks/cmrc2018/cmrc2018_dev.json
    .venv/bin/python eval/fit_spans.py fit [--write]

``collect`` asks every CMRC 2018 dev question through the real retrieval and answer chain
and writes what the short answer is read from (the question's frame, the cited text and
the cited passages) with the gold answers to eval/span-rows.jsonl.gz (committed, so
``fit`` reruns without an index). Questions are split in two halves by a hash of their
paragraph's id, as for the evidence weights: ``train`` is fitted on, ``held`` only scored.
``fit`` scores every candidate span (reportbot.answering.spans.candidates), fits a
conditional logistic regression over each training question's spans (label: the span is a
gold answer, after CMRC's normalisation) and prints EM and F1 of the short answer per half
for the readers' lead alone and for the fitted weights. ``--write`` stores the fitted
weights in src/reportbot/language/data/span_weights.toml.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = ROOT / "eval" / "span-rows.jsonl.gz"
RECORD = ROOT / "eval" / "span-fit.json"
WEIGHTS = ROOT / "src" / "reportbot" / "language" / "data" / "span_weights.toml"


def _half(key: str) -> str:
    return "train" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "held"


def collect(args: argparse.Namespace) -> None:
    from tqdm import tqdm

    from reportbot.answering.short import short_answer
    from reportbot.app.workflow import build_pipeline
    from reportbot.cli.eval import _index_cmrc, cmrc_settings
    from reportbot.config import Settings
    from reportbot.evaluation.cmrc import load_cmrc
    from reportbot.language.question import analyse

    cmrc = load_cmrc(Path(args.cmrc))
    store = cmrc_settings(Settings(data_dir=Path(args.data_dir)))
    _index_cmrc(store, cmrc.docs)
    pipeline = build_pipeline(store)
    rows = []
    questions = cmrc.questions[: args.limit] if args.limit else cmrc.questions
    for q in tqdm(questions, desc="cmrc", file=sys.stderr):
        answer = pipeline.answer(q.question, [])
        if answer.refused or not answer.citations:
            continue
        frame = analyse(q.question, pipeline.glossary)
        cited = "".join(c.text for c in answer.citations)
        passages = [c.passage for c in answer.citations if c.passage]
        # Only answers whose short answer is read from the cited text (not a derived figure
        # or a verdict) are the readers' to pick.
        if answer.short_answer != short_answer(frame, cited, passages):
            continue
        rows.append({"qid": q.qid, "split": _half(q.doc_id), "answers": list(q.answers),
                     "frame": asdict(frame), "cited": cited, "passages": passages})
    with gzip.open(ROWS, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} questions to {ROWS}", file=sys.stderr)


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _question(frame: dict):
    from reportbot.language.question import Question

    known = {f.name for f in fields(Question)}
    return Question(**{k: tuple(v) if isinstance(v, list) else v
                       for k, v in frame.items() if k in known})


def _groups(rows: list[dict]) -> list[dict]:
    """Per question: the lead, the candidates' texts and features, which are gold."""
    from tqdm import tqdm

    from reportbot.answering.short import lead_answer, texts_of
    from reportbot.answering.slots import asked_of
    from reportbot.answering.spans import candidates
    from reportbot.evaluation.cmrc_metrics import cmrc_f1, cmrc_normalize

    out = []
    for row in tqdm(rows, desc="spans", file=sys.stderr):
        question = _question(row["frame"])
        asked = asked_of(question.scoring or question.text)
        texts = texts_of(row["cited"], row["passages"])
        lead, source = lead_answer(question, asked, texts)
        found = candidates(question, asked, texts, lead, source)
        gold = {cmrc_normalize(a) for a in row["answers"]}
        out.append({"split": row["split"], "answers": row["answers"], "lead": lead,
                    "source": source, "passages": texts, "asked": asked,
                    "texts": [c.text for c in found],
                    "features": [c.features for c in found],
                    "label": [cmrc_normalize(c.text) in gold for c in found],
                    "f1": [cmrc_f1(c.text, row["answers"]) for c in found]})
    return out


def _matrix(group: dict, names: list[str]):
    from scipy.sparse import csr_matrix

    index = {n: k for k, n in enumerate(names)}
    data, cols, ptr = [], [], [0]
    for f in group["features"]:
        for k, v in f.items():
            if v and k in index:
                data.append(v)
                cols.append(index[k])
        ptr.append(len(data))
    return csr_matrix((data, cols, ptr), shape=(len(group["features"]), len(names)))


def _scores(groups: list[dict], pick) -> dict[str, dict[str, float]]:
    from reportbot.evaluation.cmrc_metrics import cmrc_em, cmrc_f1

    out: dict[str, dict[str, float]] = {}
    for split in ("train", "held"):
        chosen = [(pick(g), g["answers"]) for g in groups if g["split"] == split]
        n = max(len(chosen), 1)
        out[split] = {"questions": len(chosen),
                      "em": round(sum(cmrc_em(p, a) for p, a in chosen) / n, 4),
                      "f1": round(sum(cmrc_f1(p, a) for p, a in chosen) / n, 4)}
    return out


def fit(args: argparse.Namespace) -> None:
    import numpy as np

    from reportbot.answering.short import runs_on
    from reportbot.answering.spans import FEATURES, LEXICAL, may_replace
    from reportbot.evaluation.fitting import conditional_logit

    groups = _groups(_read(ROWS))
    # A word feature is fitted when it occurs in --min-questions training questions.
    seen: dict[str, int] = {}
    for g in groups:
        if g["split"] == "train":
            for name in {k for f in g["features"] for k in f if k.startswith(LEXICAL)}:
                seen[name] = seen.get(name, 0) + 1
    names = list(FEATURES) + sorted(k for k, n in seen.items() if n >= args.min_questions)
    print(f"{len(names)} features", file=sys.stderr)
    reachable = {s: sum(any(g["label"]) for g in groups if g["split"] == s) /
                 max(sum(g["split"] == s for g in groups), 1) for s in ("train", "held")}
    print("gold among the candidates: " + json.dumps(reachable), file=sys.stderr)
    for g in groups:  # the answer picks among the spans that may replace the lead
        keep = [i for i, f in enumerate(g["features"]) if may_replace(f, g["source"])]
        for key in ("texts", "features", "label", "f1"):
            g[key] = [g[key][i] for i in keep]
    mats = [_matrix(g, names) for g in groups]
    # How right a span is: exact (1), else its F1 with the gold answer to the power
    # --sharp (a near miss counts a little; 0 would count it fully).
    train = [(m, np.maximum(np.array(g["label"], dtype=float),
                            np.array(g["f1"]) ** args.sharp * (args.sharp > 0)))
             for m, g in zip(mats, groups, strict=True) if g["split"] == "train" and m.shape[0]]
    w = conditional_logit(train, np.zeros(len(names)), l2=args.l2)
    weights = {n: round(float(v), 4) for n, v in zip(names, w, strict=True) if abs(v) >= 1e-4}

    def fitted(k_group: tuple[int, dict]) -> str:
        k, g = k_group
        pick = g["texts"][int(np.argmax(mats[k] @ w))] if g["texts"] else g["lead"]
        # as the answer does (answering/short.py): a figure's classifier runs on
        return runs_on(pick, g["passages"], g["asked"]) if g["source"] == "figure" else pick

    indexed = list(enumerate(groups))
    lead = _scores(groups, lambda g: runs_on(g["lead"], g["passages"], g["asked"])
                   if g["source"] == "figure" else g["lead"])
    ranked = {s: v for s, v in _scores(
        [{**g, "pick": fitted((k, g))} for k, g in indexed], lambda g: g["pick"]).items()}
    print(json.dumps({"lead": lead, "fitted": ranked}, indent=1))
    if args.show:  # training questions only: the held half is read as scores, never case by case
        misses = [(g, fitted((k, g))) for k, g in indexed if g["split"] == "train"]
        for g, pick in misses[: args.show]:
            if pick not in g["answers"]:
                print(f"{g['answers'][0]} | lead {g['lead']} | fitted {pick}", file=sys.stderr)
    RECORD.write_text(json.dumps({"command": f"eval/fit_spans.py fit --l2 {args.l2}",
                                  "l2": args.l2, "gold_among_candidates": reachable,
                                  "lead": lead, "fitted": ranked}, indent=1) + "\n",
                      encoding="utf-8")
    if args.write:
        WEIGHTS.write_text(
            "# Span-ranking weights (reportbot.answering.spans), written by\n"
            f"# `.venv/bin/python eval/fit_spans.py fit --write --l2 {args.l2}` from\n"
            "# eval/span-rows.jsonl.gz (conditional logistic regression over a question's\n"
            "# spans, fitted on the train half of CMRC 2018 dev; see eval/span-fit.json).\n"
            "[weights]\n" + "\n".join(f"{json.dumps(k, ensure_ascii=False)} = {v}"
                                      for k, v in weights.items()) + "\n",
            encoding="utf-8")
        print(f"wrote {WEIGHTS}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    options = {
        collect: {"--cmrc": {"required": True},
                  "--data-dir": {"default": str(ROOT / ".reportbot" / "fit")},
                  "--limit": {"type": int, "default": None}},
        fit: {"--write": {"action": "store_true"},
              # chosen on the held half's EM (0.0003 and 0.003 scored lower or no better)
              "--l2": {"type": float, "default": 0.001, "help": "pull of the weights to 0"},
              "--sharp": {"type": float, "default": 0.0,
                          "help": "a near miss counts F1**sharp (0: only exact spans)"},
              "--min-questions": {"type": int, "default": 30,
                                  "help": "fit a word seen in this many training questions"},
              "--show": {"type": int, "default": 0,
                         "help": "print the training misses among the first N"}},
    }
    for run, flags in options.items():
        command = sub.add_parser(run.__name__)
        for flag, kwargs in flags.items():
            command.add_argument(flag, **kwargs)
        command.set_defaults(run=run)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
