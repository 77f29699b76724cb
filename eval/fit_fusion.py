"""Choose the score-fusion weights (reportbot.retrieval.fusion) on questions not of the seed.

    .venv/bin/python eval/fit_fusion.py --md-data DIR --md-corpus DIR --cmrc-data DIR \
        [--cmrc ../shared/benchmarks/cmrc2018/cmrc2018_dev.json] [--json OUT]

Each DIR is an index built as `reportbot bench` builds it (reportbot.bench.quality): the
multi-document corpus (report + eval/corpora/multidoc) and the news articles beside it, and
CMRC 2018 dev's paragraphs with the news articles beside them. Every question's dense and
lexical candidates are fetched once with the real searcher; each weight of the lexical list
(the dense one is 1) is then scored by fusing them with the package's `score_fusion`:
chunk hit@1/hit@5 (a chunk holding an evidence string) for the multi-document dev split,
paragraph hit@1/hit@5 for CMRC. The weight chosen maximises the mean of the two hit@1
figures; the seed questions are never read, so their score with it is out-of-sample for
the weight. Reciprocal-rank fusion with the package's settings is printed beside it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

WEIGHTS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)


def _candidates(bot, questions):  # type: ignore[no-untyped-def]
    """Per question: dense (id, similarity) and lexical (id, score) candidates, the chunk
    -> document map, and what counts as found (chunk ids or a document id)."""
    from reportbot.language.tokens import tokenize

    searcher, n = bot.searcher, bot.settings.candidates
    rows = []
    for text, gold in questions:
        vector = searcher.similarity.query_vector(text)
        dense = [(c, -d) for c, d in bot.index.query(vector, n)]
        lexical = searcher.lexical.search(tokenize(text), n)
        chunks = bot.catalog.get_chunks({c for c, _ in dense + lexical})
        rows.append((dense, lexical, {c: k.doc_id for c, k in chunks.items()}, gold))
    return rows


def _multidoc(bot, dataset: Path):  # type: ignore[no-untyped-def]
    from reportbot.evaluation.cases import read_cases, select_cases
    from reportbot.evaluation.metrics import evidence_spans

    cases = select_cases(read_cases(dataset)[0], (), None, "dev")
    texts = {d.doc_id: bot.catalog.document(d.doc_id).text for d in bot.catalog.documents()}
    chunks = [c for c, _ in bot.catalog.chunks()]
    out = []
    for case in cases:
        if not case.answerable or case.history:
            continue
        spans = [s for e in case.evidence for s in evidence_spans(e, texts)]
        gold = {c.chunk_id for c in chunks for d, a, b in spans
                if c.doc_id == d and c.start <= a and b <= c.end}
        if gold:
            out.append((case.question, ("chunk", gold)))
    return out


def _cmrc(path: Path):  # type: ignore[no-untyped-def]
    from reportbot.evaluation.cmrc import load_cmrc

    return [(q.question, ("doc", q.doc_id)) for q in load_cmrc(path).questions]


def _hits(rows, fuse) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    h1 = h5 = 0
    for dense, lexical, doc_of, (kind, gold) in rows:
        ranked = [c for c, _ in fuse(dense, lexical)][:5]
        found = ranked if kind == "chunk" else [doc_of[c] for c in ranked]
        wanted = gold if kind == "chunk" else {gold}
        h1 += bool(found) and found[0] in wanted
        h5 += bool(wanted & set(found))
    return round(h1 / len(rows), 4), round(h5 / len(rows), 4)


def main() -> None:
    """Fetch the candidates, score every weight, print and record the table."""
    from reportbot.app.service import Reportbot
    from reportbot.config import Settings
    from reportbot.retrieval.fusion import score_fusion, weighted_rrf

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--md-data", type=Path, required=True)
    ap.add_argument("--md-corpus", type=Path, required=True)
    ap.add_argument("--cmrc-data", type=Path, required=True)
    ap.add_argument("--cmrc", type=Path,
                    default=Path("../shared/benchmarks/cmrc2018/cmrc2018_dev.json"))
    ap.add_argument("--multidoc", type=Path, default=Path("eval/multidoc.jsonl"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    base = Settings()
    sets = {}
    for name, corpus, data, questions in (
            ("multidoc_dev", args.md_corpus, args.md_data, lambda b: _multidoc(b, args.multidoc)),
            ("cmrc", args.cmrc_data.parent / "corpus", args.cmrc_data, lambda b: _cmrc(args.cmrc))):
        bot = Reportbot(base.model_copy(update={"corpus_dir": corpus, "data_dir": data,
                                                "chroma_url": None}))
        sets[name] = _candidates(bot, questions(bot))
        bot.catalog.close()

    def rrf(d, lex):  # type: ignore[no-untyped-def]
        return weighted_rrf([[c for c, _ in d], [c for c, _ in lex]],
                            [base.dense_weight, base.lexical_weight], base.rrf_k)

    table = {"rrf": {n: _hits(rows, rrf) for n, rows in sets.items()}}
    for w in WEIGHTS:
        table[f"scores {w}"] = {n: _hits(rows, lambda d, lex, w=w: score_fusion(
            [d, lex], [1.0, w])) for n, rows in sets.items()}
    for label, row in table.items():
        print(f"{label:<12}" + "".join(f"  {n} {h1:.3f}/{h5:.3f}" for n, (h1, h5) in row.items()))
    best = max(WEIGHTS, key=lambda w: sum(h1 for h1, _ in table[f"scores {w}"].values()))
    print(f"chosen score_lexical_weight: {best} (mean hit@1 of multi-document dev and CMRC)")
    if args.json:
        args.json.write_text(json.dumps({"table": table, "chosen": best}, indent=2) + "\n")


if __name__ == "__main__":
    main()
