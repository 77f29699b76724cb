"""`reportbot doctor`: are the catalog, vectors, fact table and lexical index in step; where is
the state?"""

from __future__ import annotations

import click

from reportbot.cli.options import friendly, settings_from
from reportbot.config import Settings


@click.command()
@click.pass_context
@friendly
def doctor(ctx: click.Context) -> None:
    """Check catalog/vector/fact-table/lexical-index consistency (exit 1 when `ingest` must
    repair them)."""
    from reportbot.app.health import check_health
    from reportbot.app.service import Reportbot

    settings = settings_from(ctx)
    bot = Reportbot(settings)
    health = check_health(bot)
    in_step = health.documents - len(health.facts_behind)
    click.echo(f"catalog  {settings.catalog_path}: {health.documents} documents, "
               f"{health.chunks} chunks")
    click.echo(f"vectors  {bot.index.where}: {health.vectors} vectors, {len(health.missing)} "
               f"chunks without one, {len(health.stray)} stray")
    click.echo(f"facts    {settings.facts_path}: {in_step} of {health.documents} documents "
               f"in step")
    click.echo(f"lexical  {bot.lexical.directory}: "
               f"{'rebuild needed' if health.lexical else 'in step'}")
    _state(settings)
    problems = health.problems()
    if not problems:
        click.echo("consistent")
        return
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo("run `reportbot ingest` to repair (only what is missing is embedded again)",
               err=True)
    ctx.exit(1)


def _state(settings: Settings) -> None:
    """Where the durable files are (those to back up), and old copies left by their move."""
    from reportbot.stores.state import leftovers

    for label, path in (("users", settings.users_path), ("feedback", settings.feedback_path)):
        click.echo(f"{label:<8} {path}{'' if path.exists() else ' (none yet)'}")
    for old in leftovers(settings.legacy_moves):
        click.echo(f"note: an old copy remains at {old} (its move to the state directory was "
                   f"interrupted after the copy); check it and delete it", err=True)
