"""`reportbot doctor`: are the catalog, the vectors and the fact table in step?"""

from __future__ import annotations

import click

from reportbot.cli.options import friendly, settings_from


@click.command()
@click.pass_context
@friendly
def doctor(ctx: click.Context) -> None:
    """Check catalog/vector/fact-table consistency; exit 1 when `reportbot ingest` must repair."""
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
    problems = health.problems()
    if not problems:
        click.echo("consistent")
        return
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo("run `reportbot ingest` to repair (only what is missing is embedded again)",
               err=True)
    ctx.exit(1)
