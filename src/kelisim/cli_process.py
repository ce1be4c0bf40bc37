"""`kelisim process`: the whole pipeline over files and folders (ingest, read, warn), here or on
a Dask cluster; a thin shell over :meth:`kelisim.core.Kelisim.process`."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape

from kelisim import render, render_warning
from kelisim.cluster import ClusterError, ClusterOptions
from kelisim.cluster.connect import check_store


def register(app: typer.Typer) -> None:
    """Add ``process`` to the ``kelisim`` app."""
    app.command("process")(process)


def _cli():
    from kelisim import (
        cli,  # the shared shell helpers; imported late, cli imports this module
    )

    return cli


def process(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(
        help="Files or folders: txt, html, md, json, jsonl, csv, Telegram result.json.")],
    fields: Annotated[Optional[str], typer.Option(
        "--map", help="Fields of json/jsonl/csv records, e.g. "
        "`text=body,title=headline,date=pub_date`.")] = None,
    cluster: Annotated[Optional[str], typer.Option(
        "--cluster", help="A Dask scheduler, e.g. `tcp://scheduler:8786`: clean and read on "
        "its workers (needs a PostgreSQL store and `pip install 'kelisim[cluster]'`).")] = None,
) -> None:
    """Run the whole pipeline: ingest (clean, de-duplicate, store, index), read every unread
    document, then the warning stage; here, or on a Dask cluster with --cluster.

    Example: `kelisim --db postgresql://kelisim@db/kelisim process ~/archive/ --cluster tcp://scheduler:8786`

    The results are the same either way. Exit code 0 when everything was stored and read, 3 when
    some inputs were rejected (the summary names each one), 1 when the run failed or some
    documents could not be read (run it again to resume: nothing is stored twice).
    """
    cli = _cli()
    field_map = cli._field_map(fields)
    options = ClusterOptions(cluster) if cluster else None
    try:
        if options:
            check_store(ctx.obj.db_url)  # before the store is opened: never create a SQLite file
        with cli._open(ctx) as kelisim:
            report = kelisim.process(paths, field_map, cluster=options,
                                     display=_Display(cli.console))
    except ClusterError as error:
        cli.errors.print(f"[red]Error:[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(cli.EXIT_FAILED) from None
    if report.read.failed:
        raise typer.Exit(cli.EXIT_FAILED)
    if report.ingest.rejected:
        raise typer.Exit(cli.EXIT_REJECTED)


class _Display:
    """Each stage's progress live on the console, then its summary."""

    def __init__(self, console) -> None:
        self._console = console

    def stage(self, name: str):
        if name == "ingest":
            return render.ingest_progress(self._console)
        if name == "read":
            return render.read_progress(self._console)
        return self._status()

    @contextmanager
    def _status(self):
        with self._console.status("Stories, incidents and alerts…") as status:
            yield lambda what: status.update(f"Stories, incidents and alerts: {what}…")

    def done(self, name: str, result: Any) -> None:
        if name == "ingest":
            render.ingest_summary(self._console, result, "Ingest")
        elif name == "read":
            render.read_report(self._console, result)
        else:
            render_warning.warning_report(self._console, result)
