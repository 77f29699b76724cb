"""``reportbot eval``: the seed eval over eval/questions.jsonl (or another dataset, with
extra corpora beside the report), or the CMRC 2018 benchmark."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from reportbot.app.workflow import build_pipeline, open_pipeline, run_ingest
from reportbot.cli.options import friendly, settings_from
from reportbot.config import Settings, offline_environment
from reportbot.errors import ReportbotError
from reportbot.evaluation.cases import SPLITS, TYPES, read_cases, select_cases, stale_evidence
from reportbot.evaluation.cmrc_metrics import (
    cmrc_row,
    render_cmrc_table,
    summarize_cmrc,
)
from reportbot.evaluation.composers import (
    COMPOSERS,
    markdown_side_by_side,
    render_side_by_side,
    side_by_side,
)
from reportbot.evaluation.corpora import combine_corpora
from reportbot.evaluation.metrics import CaseResult, compare_to_baseline, run_cases, summarize
from reportbot.evaluation.report import (
    plot_png,
    render_markdown,
    render_table,
)

RETRIEVERS = ("bm25", "dense", "hybrid")


def _pipeline(settings: Settings, mode: str, *, ingest_if_empty: bool = True) -> Any:
    """The answer chain over the index (ingesting the corpus first unless told not to)."""
    if mode not in RETRIEVERS:
        raise ReportbotError(f"retriever must be one of {', '.join(RETRIEVERS)}, got {mode!r}")
    build: Any = open_pipeline if ingest_if_empty else build_pipeline
    return build(settings, mode=mode)


def _indexed_texts(pipeline: Any) -> dict[str, str]:
    """doc_id -> text of every live document: the text citation offsets point into."""
    catalog = pipeline.searcher.catalog
    docs = (catalog.document(info.doc_id) for info in catalog.documents())
    return {d.doc_id: d.text for d in docs if d is not None}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportbotError(f"{path}: expected a JSON eval summary ({exc})") from exc
    if not isinstance(data, dict):
        raise ReportbotError(f"{path}: expected a JSON object, got {type(data).__name__}")
    return data


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_report(report_dir: Path, summary: dict[str, Any],
                  failures: Sequence[CaseResult], composers: str = "") -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    title, _, rest = render_markdown(summary, failures).partition("\n")
    text = f"{title}\n\n{composers}\n{rest}" if composers else f"{title}\n{rest}"
    (report_dir / "report.md").write_text(text + "\n", encoding="utf-8")
    plot_png(summary, report_dir / "chart.png")


def combined_settings(settings: Settings, extra: Sequence[Path]) -> Settings:
    """Settings over the corpus plus ``extra`` document directories, with their own store.

    The combined corpus is rebuilt under ``<data dir>/combined/corpus`` and indexed in
    ``<data dir>/combined`` (embedded Chroma), so the report's own index never holds the
    extra documents and the seed eval is not changed by them.
    """
    root = settings.data_dir / "combined"
    combine_corpora(settings.corpus_dir, extra, root / "corpus")
    return settings.model_copy(update={"corpus_dir": root / "corpus", "data_dir": root,
                                       "chroma_url": None})


def _refresh_index(settings: Settings) -> None:
    """Bring the index in line with the corpus (unchanged documents are skipped)."""
    from tqdm import tqdm

    with tqdm(desc="index", unit="chunk", file=sys.stderr) as bar:
        report = run_ingest(settings, [], progress=bar.update)
    click.echo(f"index: {report.summary()}", err=True)


def run_seed(settings: Settings, dataset: Path, retriever: str, types: Sequence[str],
             limit: int | None, split: str | None = None,
             refresh: bool = False) -> tuple[list[CaseResult], list[str]]:
    """Every selected case of the dataset through one pipeline, in file order (``refresh``:
    ingest the corpus first, for a corpus that changes between runs); also one line per
    invalid case (malformed, or evidence in no document), which is skipped, not fatal."""
    from tqdm import tqdm

    loaded, invalid = read_cases(dataset)
    cases = select_cases(loaded, types, limit, split)
    if not cases:
        raise ReportbotError("\n".join([f"{dataset}: no valid cases of type "
                                        f"{', '.join(types) or 'any'} in split {split or 'any'}"
                                        "; fix these lines:" if invalid else "", *invalid]))
    if refresh:
        _refresh_index(settings)
    pipeline = _pipeline(settings, retriever)
    docs = _indexed_texts(pipeline)
    stale = stale_evidence(cases, docs)
    invalid += [line for lines in stale.values() for line in lines]
    cases = [c for c in cases if c.id not in stale]
    if not cases:
        raise ReportbotError("evidence not found in the indexed documents (run `reportbot "
                             "ingest`, or fix the dataset):\n" + "\n".join(invalid))

    def answer(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        return pipeline.answer(question, history).to_json()  # type: ignore[no-any-return]

    with tqdm(total=len(cases), desc=f"eval {retriever}", unit="q", file=sys.stderr) as bar:
        return run_cases(cases, answer, docs, progress=bar.update), invalid


# ---- CMRC 2018 mode ----------------------------------------------------------------------
# Open retrieval over the CMRC 2018 dev paragraphs, indexed into settings.data_dir / "cmrc"
# (never the report's store: an ingest sweeps vectors its catalog does not own).

def cmrc_settings(settings: Settings) -> Settings:
    """Settings for the CMRC store: its own data dir, always the embedded Chroma."""
    return settings.model_copy(update={"data_dir": settings.data_dir / "cmrc",
                                       "chroma_url": None})


def _index_cmrc(settings: Settings, docs: Sequence[Any]) -> None:
    """Index the paragraphs once; unchanged paragraphs are skipped on later runs."""
    from tqdm import tqdm

    from reportbot.app.service import Reportbot

    bot = Reportbot(settings)
    with bot.ingest_lock(), tqdm(desc="cmrc index", unit="chunk", file=sys.stderr) as bar:
        report = bot.ingestor().add_documents(docs, progress=bar.update)
    click.echo(f"cmrc index: {report.summary()}", err=True)


def run_cmrc_sweep(settings: Settings, path: Path,
                   limit: int | None) -> tuple[list[dict[str, float]], list[str]]:
    """Retrieval-only grid over the BM25 weight and RRF k (how the defaults were chosen),
    and one line per paragraph or question of the file skipped as invalid."""
    from tqdm import tqdm

    from reportbot.app.service import Reportbot
    from reportbot.evaluation.cmrc import load_cmrc, sweep_fusion
    from reportbot.language.tokens import tokenize

    loaded = load_cmrc(path)
    questions = loaded.questions[:limit] if limit else loaded.questions
    store = cmrc_settings(settings)
    _index_cmrc(store, loaded.docs)
    bot = Reportbot(store)
    n = store.candidates
    rankings = []
    for q in tqdm(questions, desc="cmrc rank", unit="q", file=sys.stderr):
        dense = [c for c, _ in bot.index.query(bot.embedder.embed_query(q.question), n)]
        lexical = [c for c, _ in bot.searcher.lexical.search(tokenize(q.question), n)]
        rankings.append((dense, lexical))
    chunks = {c.chunk_id: (c.doc_id, c.text) for c, _ in bot.catalog.chunks()}
    return sweep_fusion(questions, rankings, chunks,
                        [0.0, 0.3, 0.5, 0.8, 1.0, 1.25, 1e6], [10, 60]), loaded.invalid


def _cmrc_mode(pipeline: Any, mode: str, questions: Sequence[Any],
               invalid: list[str]) -> tuple[list[dict[str, float]], list[dict[str, Any]]]:
    """Score every question with one retriever; a question the chain refuses to take (too
    long, ...) is listed in ``invalid`` and skipped, so the run goes on."""
    from tqdm import tqdm

    from reportbot.evaluation.cmrc import retrieval_scores

    rows: list[dict[str, float]] = []
    asked: list[dict[str, Any]] = []
    for q in tqdm(questions, desc=f"cmrc {mode}", unit="q", file=sys.stderr):
        try:
            hits = pipeline.searcher.run(q.question, top_k=5, mode=mode)
            answer = pipeline.answer(q.question, []).to_json()
        except ReportbotError as exc:
            invalid.append(f"{q.qid} ({mode}): {exc.message}")
            continue
        rows.append(cmrc_row(q.answers, retrieval_scores(q, hits), answer))
        asked.append({"id": q.qid, "question": q.question, "paragraph": q.doc_id,
                      "references": list(q.answers), "answer": answer["answer"],
                      "short_answer": answer.get("short_answer"),
                      "cited": [c["text"] for c in answer["citations"]],
                      "top_paragraphs": [h.chunk.doc_id for h in hits], **rows[-1]})
    return rows, asked


def run_cmrc(settings: Settings, path: Path, limit: int | None,
             modes: Sequence[str] = RETRIEVERS
             ) -> tuple[dict[str, dict[str, float]], dict[str, list[dict[str, Any]]], list[str]]:
    """CMRC 2018 per retriever: paragraph hit@1/@5, answer in cited passage, EM and F1
    (the summaries), every question with the answer given and its scores, and one line per
    question skipped as invalid (empty, malformed, refused by the chain)."""
    from reportbot.evaluation.cmrc import load_cmrc

    loaded = load_cmrc(path)
    questions = loaded.questions[:limit] if limit else loaded.questions
    store = cmrc_settings(settings)
    _index_cmrc(store, loaded.docs)
    invalid = list(loaded.invalid)
    results: dict[str, dict[str, float]] = {}
    cases: dict[str, list[dict[str, Any]]] = {}
    for mode in modes:
        pipeline = _pipeline(store, mode, ingest_if_empty=False)
        rows, cases[mode] = _cmrc_mode(pipeline, mode, questions, invalid)
        results[mode] = summarize_cmrc(rows)
    return results, cases, invalid


def _report_invalid(invalid: Sequence[str], what: str) -> None:
    """The invalid-count line of the summary, then one line per invalid item."""
    click.echo(f"{'invalid ' + what:<20} {len(invalid)} (skipped, not scored)")
    for line in invalid:
        click.echo(f"INVALID {line}")


# ---- the command -------------------------------------------------------------------------

@click.command("eval")
@click.option("--dataset", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("eval/questions.jsonl"), show_default=True,
              help="JSONL eval cases.")
@click.option("--retriever", type=click.Choice(RETRIEVERS), default="hybrid", show_default=True,
              help="Retriever for the seed eval.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the summary and every case result as JSON.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write report.md and chart.png into this directory.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N cases/questions.")
@click.option("--type", "types", multiple=True, type=click.Choice(TYPES),
              help="Only cases of this type (repeatable).")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Exit 1 when a gated metric falls below this saved summary.")
@click.option("--cmrc", "cmrc_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run the CMRC 2018 benchmark on this SQuAD-style JSON instead.")
@click.option("--sweep", is_flag=True,
              help="With --cmrc: retrieval-only grid of fusion weights and RRF k.")
@click.option("--add-corpus", "add_corpus", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Also index the documents of this directory (repeatable), in a store "
                   "of their own under the data dir.")
@click.option("--split", type=click.Choice(SPLITS),
              help="Only cases whose 'split' is this (dev to tune on, test to report).")
@click.option("--composer", type=click.Choice(COMPOSERS), default="extractive",
              show_default=True,
              help="llm: also answer every case through the LLM server "
                   "(REPORTBOT_LLM_BASE_URL) and show both composers side by side.")
@click.pass_context
@friendly
def eval_command(ctx: click.Context, dataset: Path, retriever: str, json_out: Path | None,
                 report_dir: Path | None, limit: int | None, types: tuple[str, ...],
                 baseline: Path | None, cmrc_path: Path | None, sweep: bool,
                 add_corpus: tuple[Path, ...], split: str | None, composer: str) -> None:
    """Score answers against the eval dataset (or CMRC 2018 with --cmrc)."""
    offline_environment()
    if baseline is not None and (limit or types or split):
        raise click.UsageError("--baseline gates a full run; drop --limit, --type and --split")
    if cmrc_path is not None and (add_corpus or split):
        raise click.UsageError("--add-corpus and --split apply to a JSONL dataset, not --cmrc")
    if cmrc_path is not None and composer == "llm":
        raise click.UsageError("--composer llm applies to a JSONL dataset, not --cmrc")
    settings = settings_from(ctx)
    if composer == "llm" and not settings.llm_base_url:
        raise ReportbotError("--composer llm needs an LLM server: set REPORTBOT_LLM_BASE_URL "
                             "and REPORTBOT_LLM_MODEL (see README, Use your own LLM server)")
    generative, settings = settings, settings.model_copy(update={"llm_base_url": None})
    if cmrc_path is not None:
        _cmrc_command(ctx, settings, cmrc_path, retriever, limit, sweep, json_out)
        return
    if add_corpus:
        settings = combined_settings(settings, add_corpus)
        generative = settings.model_copy(update={"llm_base_url": generative.llm_base_url})
    results, invalid = run_seed(settings, dataset, retriever, types, limit, split,
                                refresh=bool(add_corpus))
    table: dict[str, Any] = {}
    if composer == "llm":  # the same cases again, answered through the LLM server
        extractive = results
        results = run_seed(generative, dataset, retriever, types, limit, split)[0]
        table = side_by_side(extractive, results)
        click.echo(render_side_by_side(table) + "\n")
    summary = {**summarize(results), "invalid_cases": len(invalid)}
    failures = [r for r in results if not r.correct]
    click.echo(render_table(summary))
    _report_invalid(invalid, "cases")
    for r in failures:
        click.echo(f"FAIL {r.id} [{r.type}] {'; '.join(r.reasons)}")
    if json_out is not None:
        _write_json(json_out, {"dataset": str(dataset), "retriever": retriever, "split": split,
                               "add_corpus": [str(d) for d in add_corpus],
                               "composer": composer, "composers": table or None,
                               "summary": summary, "cases": [asdict(r) for r in results],
                               "invalid": invalid})
    if report_dir is not None:
        _write_report(report_dir, summary, failures,
                      markdown_side_by_side(table) if table else "")
    regressions = compare_to_baseline(summary, _read_json(baseline)) if baseline else []
    if baseline and invalid:  # a gate over a partly unreadable dataset proves nothing
        regressions.append(f"invalid_cases: {len(invalid)} case(s) were not scored")
    for line in regressions:
        click.echo(f"REGRESSION {line}", err=True)
    if regressions:
        ctx.exit(1)


def _cmrc_command(ctx: click.Context, settings: Settings, cmrc_path: Path, retriever: str,
                  limit: int | None, sweep: bool, json_out: Path | None) -> None:
    """The --cmrc branch of the command: the fusion sweep, or the full benchmark."""
    if sweep:
        rows, invalid = run_cmrc_sweep(settings, cmrc_path, limit)
        click.echo("bm25_weight  rrf_k  hit@1   hit@5   answer_in_top1  answer_in_top3")
        for row in rows:
            click.echo(f"{row['lexical_weight']:<12g} {row['rrf_k']:<6g} "
                       f"{row['hit@1']:.4f}  {row['hit@5']:.4f}  "
                       f"{row['answer_in_top1']:.4f}          {row['answer_in_top3']:.4f}")
        if invalid:
            _report_invalid(invalid, "questions")
        if json_out is not None:
            _write_json(json_out, {"cmrc": str(cmrc_path), "limit": limit, "sweep": rows,
                                   "invalid": invalid})
        return
    # Every retriever unless one is named (--retriever hybrid: the final system alone).
    named = ctx.get_parameter_source("retriever") == ParameterSource.COMMANDLINE
    by_mode, per_question, invalid = run_cmrc(settings, cmrc_path, limit,
                                              modes=(retriever,) if named else RETRIEVERS)
    click.echo(render_cmrc_table(by_mode))
    if invalid:
        _report_invalid(invalid, "questions")
    if json_out is not None:
        _write_json(json_out, {"cmrc": str(cmrc_path), "limit": limit, "results": by_mode,
                               "questions": per_question, "invalid": invalid})
