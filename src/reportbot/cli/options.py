"""What every command shares: the settings from the global options, and one error decorator."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from reportbot.config import Settings, load_settings
from reportbot.errors import ReportbotError
from reportbot.stores.state import migrate_durable

F = TypeVar("F", bound=Callable[..., Any])


def settings_from(ctx: click.Context) -> Settings:
    """Settings built once from the environment and the global options.

    Durable files an earlier version kept in the data directory move to the state
    directory here, before any command opens them.
    """
    obj = ctx.find_root().ensure_object(dict)
    if "settings" not in obj:
        settings = load_settings(**obj.get("overrides", {}))
        for line in migrate_durable(settings.legacy_moves):
            click.echo(line, err=True)
        obj["settings"] = settings
    return obj["settings"]  # type: ignore[no-any-return]


def friendly(fn: F) -> F:
    """Turn ReportbotError into a clean one-line message (people never see a traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ReportbotError as exc:
            raise click.ClickException(exc.message) from exc

    return wrapper  # type: ignore[return-value]
