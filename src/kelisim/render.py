"""Terminal rendering for the CLI (rich): progress, summaries, tables, documents."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from datetime import date, datetime

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kelisim.summary import IngestSummary



def plain(value):
    """Dataclasses, dates and containers as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


@contextmanager
def ingest_progress(console: Console):
    """A live progress display; yields the callback the ingestor calls after each chunk."""
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
               TextColumn("{task.completed:,} items"), TextColumn("{task.fields[detail]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Ingesting", total=None, detail="")

        def update(summary: IngestSummary) -> None:
            detail = f"{summary.added:,} new · {summary.reprints_exact + summary.reprints_near:,} reprints"
            progress.update(task, completed=summary.processed, detail=detail)

        yield update


def ingest_summary(console: Console, summary: IngestSummary, title: str) -> None:
    """Print what an ingest run stored, linked, cleaned away and skipped."""
    table = Table(title=f"{title}: {summary.processed:,} item(s) processed", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("New documents", f"{summary.added:,}")
    if summary.updated:
        table.add_row("Updated documents", f"{summary.updated:,}")
    table.add_row("Reprints linked (exact)", f"{summary.reprints_exact:,}")
    table.add_row("Reprints linked (near-duplicate)", f"{summary.reprints_near:,}")
    table.add_row("Already stored, unchanged", f"{summary.skipped.get('unchanged', 0):,}")
    table.add_row("Rejected", f"{summary.rejected:,}")
    if summary.languages:
        table.add_row("Languages", ", ".join(f"{k} {v}" for k, v in summary.languages.most_common()))
    table.add_row("Cleaned away", _cleaned(summary))
    console.print(table)
    _skips(console, summary)


_KIND_LABELS = {"duplicate": "repeated paragraph"}


def _cleaned(summary: IngestSummary) -> str:
    text = f"{summary.removed_lines:,} line(s), {summary.removed_chars:,} character(s)"
    kinds = ", ".join(f"{_KIND_LABELS.get(k, k)}: {v}"
                      for k, v in summary.removed_by_kind.most_common())
    return f"{text} ({kinds})" if kinds else text


def _skips(console: Console, summary: IngestSummary) -> None:
    ignored = {k: v for k, v in summary.skipped.items() if k != "unchanged"}
    if not ignored:
        return
    console.print("Skipped by reason: " + ", ".join(f"{k} {v}" for k, v in sorted(ignored.items())))
    for skip in summary.problems:
        console.print(f"  [yellow]{skip.reason}[/yellow] {escape(skip.message)}",
                      highlight=False, soft_wrap=True)
    hidden = summary.rejected - len(summary.problems)
    if hidden > 0:
        console.print(f"  … and {hidden:,} more (see `kelisim stats`)")


def collect_report(console: Console, report) -> None:
    """Print the outcome of polling sources."""
    for result in report.results:
        if result.error:
            console.print(f"[red]✗ {escape(result.name)}[/red]: {escape(result.error)}",
                          highlight=False, soft_wrap=True)
        else:
            ingest_summary(console, result.summary, f"Source {result.name}")


def watch_cycle(console: Console, report) -> None:
    """One line per polled source: what a watch cycle brought."""
    stamp = datetime.now().strftime("%H:%M:%S")
    for result in report.results:
        if result.error:
            console.print(f"{stamp} [red]✗ {escape(result.name)}[/red]: {escape(result.error)}",
                          highlight=False, soft_wrap=True)
            continue
        s = result.summary
        console.print(f"{stamp} {escape(result.name)}: {s.added} new, "
                      f"{s.reprints_exact + s.reprints_near} reprint(s), {s.updated} updated, "
                      f"{s.skipped.get('unchanged', 0)} unchanged, {s.rejected} rejected",
                      highlight=False, soft_wrap=True)


def sources_table(console: Console, sources) -> None:
    """Print registered sources with their health."""
    table = Table(title=f"{len(sources)} source(s)")
    for column in ("id", "name", "kind", "location", "last poll", "last item", "items", "errors"):
        table.add_column(column)
    for s in sources:
        errors = f"{s.consecutive_errors}: {s.last_error}" if s.consecutive_errors else ""
        table.add_row(str(s.id), s.name, s.kind, s.location, _when(s.last_polled_at),
                      _when(s.last_item_at), str(s.items_total), errors)
    console.print(table)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def search_page(console: Console, page, query: str) -> None:
    """Print a page of search hits."""
    console.print(f"{page.total:,} document(s) match «{query}»", highlight=False)
    for hit in page.hits:
        day = hit.published_at.date().isoformat() if hit.published_at else "undated"
        reprints = f" · {hit.reprints} reprint(s)" if hit.reprints else ""
        console.print(f"[bold]#{hit.document_id}[/bold] {day} · {hit.lang} · {hit.source or '—'}"
                      f"{reprints}\n  [bold]{escape(hit.title or 'untitled')}[/bold]\n  {escape(hit.snippet)}\n",
                      highlight=False)


def document(console: Console, doc) -> None:
    """Print one document with its metadata and reprints."""
    console.rule(f"Document #{doc.id}")
    for label, value in (("Title", doc.title), ("Source", doc.source), ("URL", doc.url),
                         ("Author", doc.author), ("Published", _published(doc)),
                         ("Language", doc.lang), ("Origin", doc.origin)):
        if value:
            console.print(f"[bold]{label}:[/bold] {value}", highlight=False)
    console.print()
    console.print(doc.text, highlight=False, markup=False)
    for r in doc.reprints:
        console.print(f"[dim]reprint ({r.kind}, {r.similarity:.2f}): {r.url or r.origin}[/dim]",
                      highlight=False)


def _published(doc) -> str | None:
    if not doc.published_at:
        return None
    return f"{doc.published_at.date().isoformat()} (from {doc.published_from})"


def stats(console: Console, result) -> None:
    """Print what the archive holds."""
    table = Table(title="Kelisim archive", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Store", result.url)
    table.add_row("Documents", f"{result.documents:,}")
    table.add_row("Reprints linked", f"{result.reprints_exact:,} exact, {result.reprints_near:,} near")
    table.add_row("Languages", _counts(result.by_lang))
    table.add_row("Sources", f"{result.sources:,} registered; documents by source: "
                  + _counts({k or "(no source)": v for k, v in result.by_source.items()}))
    table.add_row("Dates", f"{_day(result.first_date)} … {_day(result.last_date)}")
    table.add_row("Skipped, last run", _counts(result.skips_last_run))
    table.add_row("Skipped, all runs", _counts(result.skips_total))
    if result.last_run:
        run = result.last_run
        table.add_row("Last run", f"{run.command} at {_when(run.started_at)}: "
                      f"{run.counts.get('added', 0)} new, {run.counts.get('rejected', 0)} rejected")
    console.print(table)


def _counts(counts: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "—"


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else "—"
