"""``reportbot bench``: speed and memory against the targets and a naive pipeline."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from reportbot.bench.run import (
    DEFAULT_CMRC,
    DEFAULT_NEWS,
    PARTS,
    BenchOptions,
    render_table,
    run_bench,
)
from reportbot.cli.options import friendly, settings_from


@click.command("bench")
@click.option("--corpus", type=click.Path(exists=True, path_type=Path),
              help="Report corpus: a directory or one file (default: the corpus directory).")
@click.option("--news", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_NEWS,
              show_default=True, help="News articles, one per line, indexed beside the report.")
@click.option("--limit", type=int, help="Only the first N news articles (full run: all 1,930).")
@click.option("--questions", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("eval/questions.jsonl"), show_default=True,
              help="Eval questions to time (JSONL, as eval/questions.jsonl).")
@click.option("--raw-sample", type=int, default=3000, show_default=True,
              help="Time the raw embedder on at most N evenly spaced chunk texts (0: all).")
@click.option("--skip", multiple=True, type=click.Choice(PARTS),
              help="Leave out a part (repeatable).")
@click.option("--multidoc", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("eval/multidoc.jsonl"), show_default=True,
              help="Multi-document eval cases (their dev split is asked).")
@click.option("--multidoc-corpus", type=click.Path(file_okay=False, path_type=Path),
              default=Path("eval/corpora/multidoc"), show_default=True,
              help="The documents the multi-document eval cases are about.")
@click.option("--cmrc", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_CMRC, show_default=True,
              help="CMRC 2018 dev (SQuAD-style JSON), searched with the articles beside it.")
@click.option("--cmrc-paragraphs", type=click.IntRange(min=1),
              help="Only the first N CMRC paragraphs and their questions (default: all; "
                   "--quick: 60).")
@click.option("--quick", is_flag=True,
              help="Report + 150 articles, no naive pipeline or child processes, a slice "
                   "of CMRC: a few minutes; the same JSON keys as the full run.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as one JSON object to this file.")
@click.pass_context
@friendly
def bench(ctx: click.Context, corpus: Path | None, news: Path, limit: int | None,
          questions: Path, raw_sample: int, skip: tuple[str, ...], multidoc: Path,
          multidoc_corpus: Path, cmrc: Path, cmrc_paragraphs: int | None, quick: bool,
          json_out: Path | None) -> None:
    """Measure ingest, re-ingest, query latency, cold start and memory; compare to naive."""
    settings = settings_from(ctx)
    options = BenchOptions(corpus=corpus or settings.corpus_dir, news=news, limit=limit,
                           questions=questions, raw_sample=raw_sample or None,
                           skip=frozenset(skip), multidoc=multidoc,
                           multidoc_corpus=multidoc_corpus, cmrc=cmrc,
                           cmrc_paragraphs=cmrc_paragraphs)
    if quick:
        options = options.as_quick()
    command = "reportbot " + shlex.join(sys.argv[1:])
    result = run_bench(settings, options, lambda m: click.echo(m, err=True), command)
    click.echo(render_table(result))
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
        click.echo(f"results written to {json_out}")

