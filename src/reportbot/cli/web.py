"""Commands for the web app's data: `feedback export`, `audit export`, `users add|list|remove`."""

from __future__ import annotations

from pathlib import Path

import click

from reportbot.cli.options import friendly, settings_from


@click.group()
def feedback() -> None:
    """Staff feedback given in the web chat."""


@feedback.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("eval/feedback-drafts.jsonl"), show_default=True,
              help="JSONL of draft eval cases; review notes go to OUT.review.md.")
@click.pass_context
@friendly
def feedback_export(ctx: click.Context, out: Path) -> None:
    """Write thumbs-down answers as draft eval cases for a reviewer to complete."""
    from reportbot.stores.feedback import FeedbackStore, export_drafts

    store = FeedbackStore(settings_from(ctx).feedback_path)
    count = export_drafts(store, out)
    store.close()
    click.echo(f"{count} draft case(s) written to {out}; fill numbers/must_include/evidence "
               f"(notes: {out.name}.review.md) before adding them to eval/questions.jsonl")


@click.group()
def audit() -> None:
    """The audit log of every question answered in the web app."""


@audit.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file (.csv or .jsonl).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]),
              help="Output format (default: from the file suffix).")
@click.pass_context
@friendly
def audit_export(ctx: click.Context, out: Path, fmt: str | None) -> None:
    """Export all Q&A with their citations, numbers and feedback (CSV or JSONL)."""
    from reportbot.errors import ReportbotError
    from reportbot.stores.feedback import FeedbackStore, export_audit

    fmt = fmt or out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "jsonl"):
        raise ReportbotError(f"cannot tell the format of {out}: use a .csv or .jsonl name "
                             f"or pass --format csv|jsonl")
    store = FeedbackStore(settings_from(ctx).feedback_path)
    count = export_audit(store, out, fmt)
    store.close()
    click.echo(f"{count} question(s) written to {out}")


@click.group()
def users() -> None:
    """Web login accounts (login is on once the users file has an account)."""


@users.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="May upload documents in the web app.")
@click.password_option("--password", prompt="Password", help="Prompted for when omitted.")
@click.pass_context
@friendly
def users_add(ctx: click.Context, name: str, admin: bool, password: str) -> None:
    """Create (or reset) account NAME; the password is stored scrypt-hashed."""
    from reportbot.stores.users import Users

    store = Users(settings_from(ctx).users_path)
    first = not store.enabled()
    new = store.add(name, password, admin)
    role = "admin" if admin else "staff"
    click.echo(f"{'added' if new else 'updated'} {role} user {name} in {store.path}")
    if first:
        click.echo("login is on now: a running `reportbot serve` asks for it from its next "
                   "request (no restart needed)")


@users.command("list")
@click.pass_context
@friendly
def users_list(ctx: click.Context) -> None:
    """List accounts (name and role)."""
    from reportbot.stores.users import Users

    accounts = Users(settings_from(ctx).users_path).load()
    if not accounts:
        click.echo("no accounts: login is off (add one with `reportbot users add NAME`)")
    for user in accounts.values():
        click.echo(f"{user.name}\t{'admin' if user.admin else 'staff'}")


@users.command("remove")
@click.argument("name")
@click.pass_context
@friendly
def users_remove(ctx: click.Context, name: str) -> None:
    """Delete account NAME; its open sessions end (login stays on until a restart)."""
    from reportbot.stores.users import Users

    store = Users(settings_from(ctx).users_path)
    store.remove(name)
    click.echo(f"removed user {name}; open sessions of {name} end at their next request")
    if not store.enabled():
        click.echo("no accounts left: a running server now refuses every login; restarted, "
                   "it serves without login", err=True)


COMMANDS: list[click.Command] = [feedback, audit, users]
