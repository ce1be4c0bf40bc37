"""`kelisim users add|list|remove|token` and `kelisim serve`: the accounts of the web app and
the API, and serving it."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from kelisim import render
from kelisim.users import Accounts

users_app = typer.Typer(help="Users of the dashboard and the API: add, list, remove, tokens.",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the users commands and ``serve`` to the ``kelisim`` app."""
    app.add_typer(users_app, name="users")
    app.command()(serve)


def _cli():
    from kelisim import cli  # the shared shell helpers; imported late, cli imports this module

    return cli


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The login name.")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "analyst",
    region: Annotated[Optional[list[str]], typer.Option(
        help="Limit an analyst to a region (KATO code or name; repeatable). None: every region.")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input (for scripts).")] = False,
) -> None:
    """Create a user; the password is asked twice (or read from standard input).

    Example: `kelisim users add aigerim --role analyst --region "Жамбылская область"`
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _cli()._open(ctx) as kelisim:
        accounts = Accounts(kelisim.store)
        user = accounts.add(name, password, role, region or ())
        kelisim.store.users.audit("cli", "user.add", name, {"role": role, "regions": user.regions})
    where = ", ".join(user.regions) if user.regions else "every region"
    _cli().console.print(f"Added {user.role} [bold]{user.name}[/bold] ({where}).")


@users_app.command("list")
def users_list(ctx: typer.Context,
               as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List users with their role, regions and tokens.

    Example: `kelisim users list`
    """
    with _cli()._open(ctx) as kelisim:
        found = kelisim.store.users.list()
        tokens = {u.id: len(kelisim.store.users.tokens(u.id)) for u in found}
    if as_json:
        _cli()._print_json([render.plain(u) | {"tokens": tokens[u.id]} for u in found])
        return
    from rich.table import Table

    table = Table(title=f"Users ({len(found)})", title_justify="left")
    for column in ("name", "role", "regions", "tokens", "created (UTC)"):
        table.add_column(column)
    for user in found:
        table.add_row(user.name, user.role, ", ".join(user.regions) or "all",
                      str(tokens[user.id]), f"{user.created_at:%Y-%m-%d %H:%M}")
    _cli().console.print(table)


@users_app.command("remove")
def users_remove(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Remove a user and their tokens (their actions stay in the audit log).

    Example: `kelisim users remove aigerim`
    """
    with _cli()._open(ctx) as kelisim:
        if not kelisim.store.users.remove(name):
            raise LookupError(f"no user named {name!r}")
        kelisim.store.users.audit("cli", "user.remove", name)
    _cli().console.print(f"Removed user {name}.")


@users_app.command("token")
def users_token(ctx: typer.Context, name: Annotated[str, typer.Argument()],
                label: Annotated[str, typer.Option(help="What the token is for.")] = "api") -> None:
    """Make an API token for a user; it is printed once and only its hash is kept.

    Example: `kelisim users token aigerim --label "regional report script"`
    """
    with _cli()._open(ctx) as kelisim:
        token = Accounts(kelisim.store).new_token(name, label)
        kelisim.store.users.audit("cli", "token.add", name, {"label": label})
    print(token)


@users_app.command("revoke")
def users_revoke(ctx: typer.Context, name: Annotated[str, typer.Argument()],
                 label: Annotated[Optional[str], typer.Option(
                     help="Only the tokens made with this label.")] = None) -> None:
    """Revoke a user's API tokens (all, or those with one label); they stop working at once.

    Example: `kelisim users revoke aigerim --label laptop`
    """
    with _cli()._open(ctx) as kelisim:
        count = Accounts(kelisim.store).revoke_tokens(name, label)
        kelisim.store.users.audit("cli", "token.revoke", name, {"label": label})
    _cli().console.print(f"Revoked {count} token(s) of {name}.")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port.")] = 8000,
) -> None:
    """Serve the dashboard (log in as a user of `kelisim users add`) and the JSON API (OpenAPI
    at /docs; an API token from `kelisim users token NAME`) until stopped. Sessions are signed
    with KELISIM_SECRET_KEY when it is set.

    Example: `kelisim serve --port 8000`
    """
    import os
    from dataclasses import replace

    import uvicorn

    from kelisim.web.app import create_app

    settings = ctx.obj
    if os.environ.get("KELISIM_SECRET_KEY"):
        settings = replace(settings, web=replace(settings.web,
                                                 secret_key=os.environ["KELISIM_SECRET_KEY"]))
    app = create_app(settings, env=os.environ)
    _cli().console.print(f"Kelisim on http://{host}:{port} (dashboard: /, API: /api, OpenAPI: "
                         "/docs); Ctrl-C stops.")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
