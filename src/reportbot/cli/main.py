"""The command line: one click group; ingest, ask and serve here, the rest from cli/*.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from reportbot.cli.bench import bench
from reportbot.cli.doctor import doctor
from reportbot.cli.eval import eval_command
from reportbot.cli.facts import facts
from reportbot.cli.options import friendly, settings_from
from reportbot.cli.web import COMMANDS as WEB_COMMANDS
from reportbot.config import offline_environment


@click.group()
@click.option("--data-dir", type=click.Path(path_type=Path), help="Index directory, "
              "rebuildable (default .reportbot, env REPORTBOT_DATA_DIR; accounts and feedback "
              "live apart, in REPORTBOT_STATE_DIR, default <data dir>-state).")
@click.option("--corpus-dir", type=click.Path(path_type=Path), help="Corpus directory "
              "(default corpus, env REPORTBOT_CORPUS_DIR).")
@click.option("--embedder", help="'e5-small' (bundled default) or 'st:<model or path>'.")
@click.version_option(package_name="reportbot")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, corpus_dir: Path | None,
         embedder: str | None) -> None:
    """reportbot: cited, number-checked answers over the report and policy documents."""
    offline_environment()
    ctx.ensure_object(dict)["overrides"] = {"data_dir": data_dir, "corpus_dir": corpus_dir,
                                            "embedder": embedder}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
@friendly
def ingest(ctx: click.Context, paths: tuple[Path, ...], quiet: bool) -> None:
    """Index the corpus (or add PATHS to it): only new or changed documents are embedded."""
    from tqdm import tqdm

    from reportbot.app.workflow import run_ingest

    bar = tqdm(total=0, unit="chunk", desc="embedding", disable=quiet, file=sys.stderr)

    def total(n: int) -> None:
        bar.total = n
        bar.refresh()

    report = run_ingest(settings_from(ctx), list(paths), bar.update, total)
    bar.close()
    for reason in report.failed:
        click.echo(f"failed: {reason}", err=True)
    click.echo(report.summary())
    if report.failed:  # scripts and CI must notice a file that did not make it in
        ctx.exit(1)


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--history", type=click.Path(exists=True, path_type=Path),
              help="JSON file: earlier turns [{'question', 'answer'}] for a follow-up.")
@click.option("--retriever", type=click.Choice(["hybrid", "dense", "bm25"]), default="hybrid")
@click.pass_context
@friendly
def ask(ctx: click.Context, question: str, as_json: bool, history: Path | None,
        retriever: str) -> None:
    """Answer QUESTION with cited passages (indexing the corpus first if needed)."""
    from reportbot.app.workflow import open_pipeline, read_history

    turns = read_history(history) if history else []
    pipeline = open_pipeline(settings_from(ctx), retriever)  # type: ignore[arg-type]
    answer = pipeline.answer(question, turns)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    if answer.standalone_question and answer.standalone_question != answer.question:
        click.echo(f"(理解为：{answer.standalone_question})")
    if answer.llm_rejected:
        click.echo(f"(LLM answer not shown: {answer.llm_rejected}; the extractive answer follows)")
    click.echo(answer.answer)
    for c in answer.citations or answer.closest:
        click.echo(f"  [{c.n}] {c.title} · {c.section or '—'} · {c.start}-{c.end}: {c.text}")
    for n in answer.numbers:
        click.echo(f"  {n.text}: {n.status} {n.formula}".rstrip())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
@click.pass_context
@friendly
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Start the web chat."""
    from reportbot.web.ui import launch

    launch(settings_from(ctx), host, port)


for _command in (facts, bench, doctor, *WEB_COMMANDS):
    main.add_command(_command)
main.add_command(eval_command, "eval")


if __name__ == "__main__":
    main()
