"""``reportbot facts``: list, export and check the fact table (registered by cli/main.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click

from reportbot.cli.options import friendly, settings_from
from reportbot.facts.consistency import run_checks
from reportbot.facts.store import FactStore
from reportbot.language.quantities import format_value
from reportbot.records import Fact

EMPTY = "the fact table is empty; run `reportbot ingest` to extract facts from the corpus"


@contextmanager
def _store(ctx: click.Context) -> Iterator[FactStore]:
    """The fact store named by the settings (with the corpus's curated facts.csv)."""
    settings = settings_from(ctx)
    store = FactStore(settings.data_dir / "facts.sqlite", settings.corpus_dir / "facts.csv")
    try:
        yield store
    finally:
        store.close()


def _line(f: Fact) -> str:
    flags = " (overridden)" if f.overridden_by is not None else ""
    flags += " [curated]" if f.origin == "curated" else ""
    link = f" ↳{f.qualifies}" if f.qualifies is not None else ""
    return (f"{f.fact_id:>4}  {f.subject} | {f.metric} | {f.period} | "
            f"{format_value(f.value, f.unit)}{link}  [{f.doc_id}:{f.start}-{f.end} "
            f"{f.text}]{flags}")


@click.group()
def facts() -> None:
    """The fact table: every quantity in the corpus, with its span."""


@facts.command("list")
@click.option("--metric", help="Only facts whose metric contains these words.")
@click.option("--subject", help="Only facts whose subject contains these words.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--all", "show_all", is_flag=True, help="Include rows overridden by facts.csv.")
@click.pass_context
@friendly
def list_facts(ctx: click.Context, metric: str | None, subject: str | None, as_json: bool,
               show_all: bool) -> None:
    """List facts (id, subject, metric, period, value, span)."""
    with _store(ctx) as store:
        rows = store.lookup(subject=subject, metric=metric, include_overridden=show_all)
        if not rows and not store.all():
            raise click.ClickException(EMPTY)
    for f in rows:
        if as_json:
            click.echo(json.dumps({**asdict(f), "display": format_value(f.value, f.unit)},
                                  ensure_ascii=False))
        else:
            click.echo(_line(f))


@facts.command("export")
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False,
              path_type=Path), help="File to write (UTF-8 with BOM, opens in spreadsheets).")
@click.pass_context
@friendly
def export(ctx: click.Context, csv_path: Path) -> None:
    """Write every fact to a CSV file for review."""
    with _store(ctx) as store:
        if not store.all():
            raise click.ClickException(EMPTY)
        count = store.export_csv(csv_path)
    click.echo(f"{count} facts written to {csv_path}")


@facts.command("check")
@click.pass_context
@friendly
def check(ctx: click.Context) -> None:
    """Check the report's own arithmetic; exits 1 if any check fails."""
    with _store(ctx) as store:
        rows = store.all()
        if not rows:
            raise click.ClickException(EMPTY)
        checks = run_checks(rows, store.texts())
    for c in checks:
        spans = ", ".join(f"{d}:{s}-{e}" for d, s, e in c.spans)
        click.echo(f"{'PASS' if c.passed else 'FAIL'}  {c.kind:<7} {c.description}  [{spans}]")
    failed = sum(not c.passed for c in checks)
    click.echo(f"{len(checks) - failed} passed, {failed} failed")
    if failed:
        raise SystemExit(1)
