"""The command line: ingest, ask, serve (and facts, eval from their own modules)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import Settings, load_settings, offline_environment
from .errors import ReportbotError

F = TypeVar("F", bound=Callable[..., Any])


def settings_from(ctx: click.Context) -> Settings:
    """Settings built once from the environment and the global options."""
    obj = ctx.find_root().ensure_object(dict)
    if "settings" not in obj:
        obj["settings"] = load_settings(**obj.get("overrides", {}))
    return obj["settings"]  # type: ignore[no-any-return]


def friendly(fn: F) -> F:
    """Turn ReportbotError into a clean one-line message (people never see a traceback)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ReportbotError as exc:
            raise click.ClickException(exc.message) from exc

    return wrapper  # type: ignore[return-value]


@click.group()
@click.option("--data-dir", type=click.Path(path_type=Path), help="Index directory "
              "(default .reportbot, env REPORTBOT_DATA_DIR).")
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

    from .workflow import run_ingest

    bar = tqdm(total=0, unit="chunk", desc="embedding", disable=quiet, file=sys.stderr)

    def total(n: int) -> None:
        bar.total = n
        bar.refresh()

    report = run_ingest(settings_from(ctx), list(paths), bar.update, total)
    bar.close()
    for reason in report.failed:
        click.echo(f"failed: {reason}", err=True)
    click.echo(report.summary())


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
    from .workflow import open_pipeline, read_history

    turns = read_history(history) if history else []
    pipeline = open_pipeline(settings_from(ctx), retriever)  # type: ignore[arg-type]
    answer = pipeline.answer(question, turns)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    if answer.standalone_question and answer.standalone_question != answer.question:
        click.echo(f"(理解为：{answer.standalone_question})")
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
    from .web import launch

    launch(settings_from(ctx), host, port)


def _register_optional() -> None:
    """Commands that live in their own modules (cli_*.py), each listing them in COMMANDS."""
    import importlib

    for module in ("cli_facts", "cli_eval", "cli_web", "cli_bench"):
        try:
            mod = importlib.import_module(f".{module}", __package__)
        except ImportError as exc:
            if exc.name and exc.name.endswith(module):
                continue
            raise
        for command in getattr(mod, "COMMANDS", []):
            main.add_command(command)
        if module == "cli_facts" and hasattr(mod, "facts"):
            main.add_command(mod.facts)
        if module == "cli_eval" and hasattr(mod, "eval_command"):
            main.add_command(mod.eval_command, "eval")


_register_optional()


if __name__ == "__main__":
    main()
