"""The ``kelisim`` command: a thin shell over :class:`kelisim.core.Kelisim`."""

from __future__ import annotations

import getpass
import json
import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from kelisim import render, render_warning
from kelisim.analyze import AnalyzeOptions, analyze_inputs
from kelisim.analyze import analyze as analyze_items
from kelisim.config import FetchOptions, IngestOptions, Settings, db_url_from
from kelisim.core import Kelisim
from kelisim.correct import CorrectionError, parse_attitude, parse_bool
from kelisim.correct import describe as describe_correction
from kelisim.store.corrections import to_json as correction_json
from kelisim.understanding.attitude import use_models_dir
from kelisim.export import FORMATS, write_export
from kelisim.records import Skip
from kelisim.sources import SOURCE_KINDS
from kelisim.sources.records_fields import FieldMap, MappingError
from kelisim.store.errors import StoreError
from kelisim.workers import WorkerLost
from kelisim.atomic import replacing

EXIT_OK, EXIT_FAILED, EXIT_REJECTED = 0, 1, 3

app = typer.Typer(help="Kelisim: a de-duplicated, searchable archive of Kazakhstan's media, "
                  "watched for interethnic tension.", no_args_is_help=True,
                  rich_markup_mode="markdown", pretty_exceptions_enable=False)
sources_app = typer.Typer(help="Register, list and remove sources.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
console = Console()
errors = Console(stderr=True)

DateOption = Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"])]
MapOption = Annotated[Optional[str], typer.Option(
    "--map", help="Fields of json/jsonl/csv records, e.g. `text=body,title=headline,date=pub_date`.")]


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option(
        "--db", envvar="KELISIM_DB", help="Store: a SQLite file path or a postgresql:// URL "
        "(default: kelisim.db in the user data directory).")] = None,
    workers: Annotated[Optional[int], typer.Option(
        help="Processes that clean and read documents (default: one per core).")] = None,
    batch_size: Annotated[Optional[int], typer.Option(
        min=1, help="Documents stored per transaction, cleaned or read (default: 200): a "
        "killed run loses at most this many.")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow fetching private and loopback addresses.")] = False,
    models: Annotated[Optional[Path], typer.Option(
        "--models", envvar="KELISIM_MODELS", help="Folder of models trained by `kelisim train` "
        "(default: models in the user data directory).")] = None,
    rules: Annotated[Optional[Path], typer.Option(
        "--rules", envvar="KELISIM_RULES", help="Alert rules file (TOML; default: the shipped "
        "rules, which watch every region and send nothing).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
) -> None:
    """Kelisim's global options."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not verbose:  # its per-page extraction notes are noise in a batch summary
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
    ingest = IngestOptions() if workers is None else replace(IngestOptions(), workers=max(1, workers))
    ingest = ingest if batch_size is None else replace(ingest, batch_size=batch_size)
    fetch = replace(FetchOptions(), allow_private=allow_private)
    settings = Settings(db_url=db_url_from(db), fetch=fetch, ingest=ingest, rules=rules)
    ctx.obj = settings if models is None else replace(settings, models_dir=models)
    use_models_dir(ctx.obj.models_dir)


@contextmanager
def _open(ctx: typer.Context):
    try:
        with Kelisim(ctx.obj, env=os.environ) as kelisim:
            yield kelisim
    except (LookupError, ValueError, OSError, StoreError, WorkerLost) as error:
        errors.print(f"[red]Error:[/red] {error}")
        raise typer.Exit(EXIT_FAILED) from None


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the store, or upgrade an existing one to the current schema.

    Example: `kelisim --db archive.db init`
    """
    with _open(ctx) as kelisim:
        console.print(f"Store ready: {kelisim.store.url}")


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Files or folders: txt, html, md, json, jsonl, csv, Telegram result.json.")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="Ingest the bundled sample articles.")] = False,
    fields: MapOption = None,
    read: Annotated[bool, typer.Option(
        "--read/--no-read", help="Read the new documents after storing them (`kelisim read` "
        "does it later).")] = True,
) -> None:
    """Read, clean, de-duplicate and store documents from files and folders.

    Example: `kelisim ingest ~/news/ --map text=body,title=headline`

    Exit code 0 when every input was stored or already present, 3 when some inputs were
    rejected (the summary names each one and why), 1 on a failure of the run itself.
    """
    if not paths and not sample:
        errors.print("[red]Error:[/red] give files or folders to ingest, or --sample")
        raise typer.Exit(EXIT_FAILED)
    field_map = _field_map(fields)
    with _open(ctx) as kelisim:
        with render.ingest_progress(console) as progress:
            summary = None
            if sample:
                summary = kelisim.ingest_sample(progress)
                render.ingest_summary(console, summary, "Sample")
            if paths:
                summary = kelisim.ingest_paths(paths, field_map, progress)
                render.ingest_summary(console, summary, "Ingest")
        if read:
            _read_stored(kelisim)
    if summary is not None and summary.rejected:
        raise typer.Exit(EXIT_REJECTED)


def _read_stored(kelisim: Kelisim, limit: int | None = None) -> None:
    """Read the stored documents that have no current reading, with a progress display."""
    with render.read_progress(console) as progress:
        report = kelisim.read_pending(progress, limit)
    render.read_report(console, report)
    _warn(kelisim)
    if report.failed:
        raise typer.Exit(EXIT_FAILED)


def _warn(kelisim: Kelisim) -> None:
    """Run the warning stage over what was read and say what it found."""
    with console.status("Stories, incidents and alerts…"):
        report = kelisim.warn()
    render_warning.warning_report(console, report)


@app.command("read")
def read_command(
    ctx: typer.Context,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Read at most this many documents.")] = None,
) -> None:
    """Read stored documents that have no reading by the current reader (ingest and collect
    do this by themselves; run it after an upgrade or an interrupted run).

    Example: `kelisim read`
    """
    with _open(ctx) as kelisim:
        _read_stored(kelisim, limit)


def _field_map(spec: str | None) -> FieldMap:
    try:
        return FieldMap.parse(spec)
    except MappingError as error:
        errors.print(f"[red]Error:[/red] {error}")
        raise typer.Exit(EXIT_FAILED) from None


@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="A feed, page or sitemap URL, a folder or a file.")],
    kind: Annotated[Optional[str], typer.Option(
        help=f"One of: {', '.join(SOURCE_KINDS)} (guessed from the location by default).")] = None,
    name: Annotated[Optional[str], typer.Option(help="A short unique name (default: the location).")] = None,
    fields: MapOption = None,
    interval: Annotated[Optional[float], typer.Option(
        help="Minutes between polls in `kelisim watch`.")] = None,
) -> None:
    """Register a source to poll with `collect` and `watch`.

    Example: `kelisim sources add https://example.kz/rss --name example --interval 10`
    """
    with _open(ctx) as kelisim:
        source = kelisim.add_source(location, kind=kind, name=name, fields=_field_map(fields),
                                    interval_minutes=interval)
        console.print(f"Added source [bold]{source.name}[/bold] ({source.kind}): {source.location}")


@sources_app.command("list")
def sources_list(ctx: typer.Context,
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List registered sources with their health.

    Example: `kelisim sources list`
    """
    with _open(ctx) as kelisim:
        sources = kelisim.store.list_sources()
        if as_json:
            _print_json([render.plain(s) for s in sources])
        else:
            render.sources_table(console, sources)


@sources_app.command("remove")
def sources_remove(ctx: typer.Context,
                   name: Annotated[str, typer.Argument(help="The source's name or id.")]) -> None:
    """Remove a source; its documents stay in the archive.

    Example: `kelisim sources remove example`
    """
    with _open(ctx) as kelisim:
        if not kelisim.store.remove_source(name):
            errors.print(f"[red]Error:[/red] no source named {name!r}")
            raise typer.Exit(EXIT_FAILED)
        console.print(f"Removed source {name}")


@app.command("collect")
def collect_command(
    ctx: typer.Context,
    source: Annotated[Optional[list[str]], typer.Option(help="Poll only this source (repeatable).")] = None,
) -> None:
    """Poll every registered source once.

    Example: `kelisim collect --source example`

    Exit code 1 when a source could not be polled at all, 3 when some items were rejected.
    """
    with _open(ctx) as kelisim:
        with render.ingest_progress(console) as progress:
            report = kelisim.collect(source, progress)
        render.collect_report(console, report)
        _read_stored(kelisim)
    if report.failed:
        raise typer.Exit(EXIT_FAILED)
    if any(r.summary and r.summary.rejected for r in report.results):
        raise typer.Exit(EXIT_REJECTED)


@app.command("watch")
def watch_command(
    ctx: typer.Context,
    interval: Annotated[float, typer.Option(help="Default minutes between polls of a source.")] = 15.0,
) -> None:
    """Poll sources on a schedule until stopped (Ctrl-C); failures are logged, not fatal.

    Example: `kelisim watch --interval 10`
    """
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with _open(ctx) as kelisim:
        console.print(f"Watching {len(kelisim.store.list_sources())} source(s); Ctrl-C stops.")
        kelisim.watch(stop, interval, on_cycle=lambda r: render.watch_cycle(console, r))
    console.print("Stopped.")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find, in any grammatical form.")],
    source: Annotated[Optional[str], typer.Option(help="Only this source.")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only this language: ru, kk, en, mixed, other.")] = None,
    date_from: Annotated[Optional[datetime], typer.Option("--from", formats=["%Y-%m-%d"],
                                                          help="Published on or after.")] = None,
    date_to: Annotated[Optional[datetime], typer.Option("--to", formats=["%Y-%m-%d"],
                                                        help="Published on or before.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the archive; «Ассамблея» also finds «Ассамблеи» and «Ассамблеей».

    Example: `kelisim search "Кордайский район" --from 2020-01-01 --lang ru`
    """
    with _open(ctx) as kelisim:
        page = kelisim.search(query, source=source, lang=lang,
                              date_from=date_from and date_from.date(),
                              date_to=date_to and date_to.date(), limit=limit, offset=offset)
    if as_json:
        _print_json(render.plain(page))
    else:
        render.search_page(console, page, query)


@app.command()
def analyze(
    ctx: typer.Context,
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Files or folders (txt, html, md, json, jsonl, csv), or - for JSON Lines on "
        "standard input.")] = None,
    verbatim: Annotated[bool, typer.Option(
        help="Read the text exactly as given (no cleaning), so offsets index the input.")] = False,
    extract_only: Annotated[bool, typer.Option(
        "--extract-only", help="Only extract (entities, places, groups, quotes): no relevance, "
        "event, hostility, attitude or tension; faster.")] = False,
    fields: MapOption = None,
    out: Annotated[Optional[Path], typer.Option(help="Output file (default: standard output).")] = None,
) -> None:
    """Read texts and print one JSON object per text: entities, places, ethnic groups, quotes,
    and what the text means (relevance, event, hostility, attitude, tension) with evidence.

    Example: `kelisim analyze article.txt`, or `cat docs.jsonl | kelisim analyze -`

    JSON Lines input holds `{"id", "text"}` or `{"id", "html"}` with optional `url`, `source`
    and `published`. Nothing is stored. Exit code 3 when some inputs were rejected (each is
    named on standard error), 1 on a failure of the run itself.
    """
    if not paths:
        errors.print("[red]Error:[/red] give files or folders to analyze, or - for standard input")
        raise typer.Exit(EXIT_FAILED)
    field_map = _field_map(fields)
    options = AnalyzeOptions(verbatim=verbatim, understand=not extract_only,
                             workers=ctx.obj.ingest.workers, ingest=ctx.obj.ingest)
    items = analyze_inputs(paths, ctx.obj.ingest, field_map, sys.stdin)
    with render.analyze_progress(errors) as progress:
        rejected = _write_readings(analyze_items(items, options, progress), out)
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def _write_readings(results, out: Path | None) -> int:
    """Write readings as JSON Lines and report skips on standard error; the number of skips."""
    if out is None:
        return _readings_to(results, sys.stdout, flush=True)
    with replacing(out, encoding="utf-8") as handle:
        return _readings_to(results, handle, flush=False)


def _readings_to(results, handle, flush: bool) -> int:
    rejected = 0
    for result in results:
        if isinstance(result, Skip):
            rejected += 1
            errors.print(f"[yellow]Skipped[/yellow] {result.message}", highlight=False)
        else:
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
            if flush:  # a reader of the pipe sees each reading as it is made
                handle.flush()
    return rejected


@app.command()
def show(ctx: typer.Context,
         doc_id: Annotated[int, typer.Argument(help="The document's id.")],
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show one document: metadata, cleaned text with what was read in it marked, reprints.

    Example: `kelisim show 12`
    """
    with _open(ctx) as kelisim:
        doc = kelisim.store.get_document(doc_id)
        reading = kelisim.reading(doc_id) if doc is not None else None
    if doc is None:
        errors.print(f"[red]Error:[/red] no document with id {doc_id}")
        raise typer.Exit(EXIT_FAILED)
    if as_json:
        _print_json({**render.plain(doc), "reading": reading})
    elif reading is None:
        render.document(console, doc)
        console.print("[dim]Not read yet: run `kelisim read`.[/dim]")
    else:
        render.reading_markup(console, doc, reading)


@app.command()
def correct(
    ctx: typer.Context,
    doc_id: Annotated[int, typer.Argument(help="The document's id.")],
    relevant: Annotated[Optional[str], typer.Option(help="yes or no.")] = None,
    event: Annotated[Optional[str], typer.Option(help="The event type id (docs/method.md).")] = None,
    attitude: Annotated[Optional[list[str]], typer.Option(
        help="GROUP=-1, GROUP=0 or GROUP=1; may be repeated.")] = None,
    hostile: Annotated[Optional[str], typer.Option(help="yes or no.")] = None,
    tension: Annotated[Optional[str], typer.Option(
        help="conflict, tension, calm or cooperation.")] = None,
    by: Annotated[Optional[str], typer.Option(
        "--by", envvar="KELISIM_USER", help="Who corrects (default: your login name).")] = None,
    comment: Annotated[Optional[str], typer.Option(help="Why.")] = None,
) -> None:
    """Correct the decisions of a document's reading; kept with who and when.

    Example: `kelisim correct 12 --relevant no --attitude узбек=0 --by aigerim --comment "рецепт"`

    The machine's decision stays in the reading beside the correction; `kelisim train` learns
    from corrected attitudes.
    """
    try:
        changes = _corrections_asked(relevant, event, attitude, hostile, tension)
    except CorrectionError as error:
        errors.print(f"[red]Error:[/red] {error}")
        raise typer.Exit(EXIT_FAILED) from None
    if not changes:
        errors.print("[red]Error:[/red] say what to correct: --relevant, --event, --attitude, "
                     "--hostile or --tension")
        raise typer.Exit(EXIT_FAILED)
    author = by or getpass.getuser()
    with _open(ctx) as kelisim:
        for field, target, value in changes:
            try:
                item = kelisim.correct(doc_id, field, value, author, target=target, comment=comment)
            except CorrectionError as error:
                errors.print(f"[red]Error:[/red] {error}")
                raise typer.Exit(EXIT_FAILED) from None
            console.print(describe_correction(item), highlight=False, markup=False)


def _corrections_asked(relevant, event, attitude, hostile, tension) -> list[tuple[str, str, object]]:
    """(field, target, value) of each correction the options ask for."""
    changes: list[tuple[str, str, object]] = []
    if relevant is not None:
        changes.append(("relevant", "", parse_bool(relevant)))
    if event is not None:
        changes.append(("event_type", "", event))
    for spec in attitude or []:
        group, value = parse_attitude(spec)
        changes.append(("attitude", group, value))
    if hostile is not None:
        changes.append(("hostile", "", parse_bool(hostile)))
    if tension is not None:
        changes.append(("tension_label", "", tension))
    return changes


@app.command("corrections")
def corrections_command(
    ctx: typer.Context,
    doc_id: Annotated[Optional[int], typer.Argument(help="Only this document's.")] = None,
    field: Annotated[Optional[str], typer.Option(help="Only this field's.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines.")] = False,
) -> None:
    """List analysts' corrections, oldest first.

    Example: `kelisim corrections 12`, or `kelisim corrections --field attitude --json`
    """
    with _open(ctx) as kelisim:
        items = kelisim.store.corrections(doc_id, field)
    if as_json:
        for item in items:
            print(json.dumps(correction_json(item), ensure_ascii=False))
    else:
        render.corrections_table(console, items)


@app.command()
def train(
    ctx: typer.Context,
    data: Annotated[Optional[Path], typer.Option(
        envvar="KELISIM_TRAINING_DATA",
        help="The folder holding ruethnohate/dev.jsonl (the training data).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        help="Write the model here (default: the models folder, where reading picks it up).")] = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 5,
) -> None:
    """Retrain the attitude model from the training data plus analysts' corrections, and show
    the figures before and after.

    Example: `kelisim train --data ../shared/data`
    """
    if data is None:
        errors.print("[red]Error:[/red] give the training data: --data DIR (the folder with "
                     "ruethnohate/dev.jsonl), or set KELISIM_TRAINING_DATA")
        raise typer.Exit(EXIT_FAILED)
    with _open(ctx) as kelisim:
        with errors.status("training…") as status:
            report = kelisim.train(data, out, folds, progress=status.update)
    render.train_report(console, report)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")] = "jsonl",
    out: Annotated[Optional[Path], typer.Option(help="Output file (default: standard output).")] = None,
    source: Annotated[Optional[str], typer.Option(help="Only this source.")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only this language.")] = None,
    date_from: DateOption = None,
    date_to: DateOption = None,
) -> None:
    """Export stored documents (with their reprints) as JSON Lines or CSV.

    Example: `kelisim export --format csv --out archive.csv --lang kk`
    """
    if fmt not in FORMATS:
        errors.print(f"[red]Error:[/red] unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(EXIT_FAILED)
    with _open(ctx) as kelisim:
        docs = kelisim.store.iter_documents(source=source, lang=lang,
                                            date_from=date_from and date_from.date(),
                                            date_to=date_to and date_to.date())
        count = _write_export(fmt, docs, out)
    errors.print(f"Exported {count} document(s)" + (f" to {out}" if out else ""))


def _write_export(fmt: str, docs, out: Path | None) -> int:
    if out is None:
        return write_export(fmt, docs, sys.stdout)
    with replacing(out, encoding="utf-8", newline="") as handle:
        return write_export(fmt, docs, handle)


@app.command()
def stats(ctx: typer.Context,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show what the archive holds: documents, reprints, languages, sources, skips.

    Example: `kelisim stats`
    """
    with _open(ctx) as kelisim:
        result = kelisim.store.stats()
    if as_json:
        _print_json(render.plain(result))
    else:
        render.stats(console, result)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


from kelisim import cli_users, cli_warning  # noqa: E402  (their commands use the helpers above)
from kelisim import cli_process, cli_report  # noqa: E402

cli_warning.register(app)
cli_users.register(app)
cli_report.register(app)
cli_process.register(app)


def main() -> None:
    """Entry point of the ``kelisim`` command."""
    app()


if __name__ == "__main__":
    main()
