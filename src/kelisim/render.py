"""Terminal rendering for the CLI (rich): progress, summaries, tables, documents."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from datetime import date, datetime

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

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


@contextmanager
def analyze_progress(console: Console):
    """A live progress display on ``console`` (standard error, so it never mixes with the JSON
    on standard output); yields the callback ``analyze`` calls after each batch."""
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"),
               TextColumn("{task.completed:,} texts read"), TextColumn("{task.fields[detail]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Reading", total=None, detail="")

        def update(read: int, skipped: int) -> None:
            progress.update(task, completed=read, detail=f"{skipped:,} skipped" if skipped else "")

        yield update


@contextmanager
def read_progress(console: Console):
    """A live progress display of reading stored documents."""
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"),
               TextColumn("{task.completed:,} documents"), TextColumn("{task.fields[detail]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Reading", total=None, detail="")

        def update(report) -> None:
            progress.update(task, completed=report.read, detail=f"{report.mentions:,} mentions")

        yield update


def read_report(console: Console, report) -> None:
    """One line on what reading stored: documents, mentions, failures named."""
    if report.read or report.failed:
        console.print(f"Read {report.read:,} document(s): {report.mentions:,} mention(s) stored.")
    for doc_id, message in report.failed.items():
        console.print(f"[red]Not read[/red] document {doc_id}: {message}", highlight=False)


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
    table.add_row("Documents read", f"{result.documents_read:,} (entities, places, ethnic groups, quotes)")
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


# A stored reading: the text with every mention marked inline, then a table per kind.

_MARK_STYLES = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green",
                "PLACE": "green", "ETHNIC": "bold yellow", "SLUR": "bold red", "QUOTE": "blue",
                "SAID": "blue", "OUTLET": "dim"}
# Of two marks on the same span, the one listed first goes outside.
_MARK_RANK = {label: rank for rank, label in enumerate(
    ("QUOTE", "SAID", "OUTLET", "PER", "ORG", "LOC", "PLACE", "ETHNIC", "SLUR"))}


@dataclasses.dataclass(frozen=True)
class _Mark:
    """One mention to mark: its span, its kind's label and what follows the text (after |)."""

    start: int
    end: int
    label: str
    note: str


def reading_markup(console: Console, doc, reading: dict) -> None:
    """Print a document's reading: the text with every mention marked inline
    (``[PER Маулена Ашимбаева|Маулен Ашимбаев, per:ashimbayev]``), then a table per kind."""
    title = getattr(doc, "title", None)
    console.rule(escape(f"Reading of document #{doc.id}" + (f": {title}" if title else "")))
    console.print(_doc_line(doc), highlight=False, markup=False)
    console.print(_reading_counts(reading), highlight=False, markup=False)
    console.print()
    console.print(_marked_text(reading["text"], _marks(reading)), highlight=False)
    console.print()
    for table in _reading_tables(reading):
        console.print(table)


def _doc_line(doc) -> str:
    published = getattr(doc, "published_at", None)
    reprints = len(getattr(doc, "reprints", ()))
    facts = (getattr(doc, "source", None), published.date().isoformat() if published else None,
             getattr(doc, "lang", None), getattr(doc, "url", None) or getattr(doc, "origin", None),
             f"{reprints} reprint(s)" if reprints else None)
    return " · ".join(fact for fact in facts if fact)


def _reading_counts(reading: dict) -> str:
    counts = [f"{key.replace('_', ' ')} {len(reading.get(key) or [])}" for key in (
        "entities", "places", "ethnic_groups", "quotes", "attribution")]
    line = f"language {reading.get('language')} · " + " · ".join(counts)
    return "\n".join([line, *_decision_lines(reading)])


def _decision_lines(reading: dict) -> list[str]:
    """One line per decision: its value, score, the strongest evidence, and who corrected it."""
    lines = []
    relevance = reading.get("relevance")
    if relevance:
        lines.append(f"relevant {_yes(relevance['relevant'])} ({relevance['score']:.2f})"
                     + _cues(relevance) + _corrected(relevance))
    event = reading.get("event")
    if event:
        others = [t for t in event["types"] if t != event["type"]]
        facts = [f"also {', '.join(others)}" if others else None,
                 f"at {event['place']['name']}" if event.get("place") else None,
                 f"on {event['date']['value']}" if event.get("date") else None]
        past = [_shorten(r["text"], 60) + (f" ({r['place']['name']})" if r.get("place") else "")
                for r in event.get("references_past") or []]
        lines.append(f"event {event['type']}" + "".join(f" · {f}" for f in facts if f)
                     + (f" · refers to: {'; '.join(past)}" if past else "") + _corrected(event))
    hostility = reading.get("hostility")
    if hostility:
        kinds = f" [{', '.join(hostility['kinds'])}]" if hostility["kinds"] else ""
        lines.append(f"hostile {_yes(hostility['hostile'])} ({hostility['score']:.2f}){kinds}"
                     + _cues(hostility) + _corrected(hostility))
    tension = reading.get("tension")
    if tension:
        lines.append(f"tension {tension['label']} ({tension['score']:+.2f})" + _cues(tension)
                     + _corrected(tension))
    return lines


def _cues(decision: dict, limit: int = 8) -> str:
    shown = [f"{e['text']} {e['weight']:+g}" + (f" ({e['context']})" if e.get("context") else "")
             for e in decision.get("evidence", [])[:limit]]
    return ": " + ", ".join(shown) if shown else ""


def _corrected(decision: dict) -> str:
    marks = decision.get("corrected") or {}
    return "".join(f" · corrected by {m['author']} {m['at'][:10]} (machine: {m['machine']})"
                   for m in marks.values())


def _marked_text(text: str, marks: list[_Mark]) -> Text:
    """The text with ``[LABEL`` before and ``|note]`` after each mark, nested where they nest."""
    marks = sorted((m for m in marks if m.end > m.start),
                   key=lambda m: (m.start, -m.end, _MARK_RANK.get(m.label, len(_MARK_RANK))))
    # Closings come before openings at the same offset, the innermost first.
    events = sorted([(m.start, 1, i) for i, m in enumerate(marks)]
                    + [(m.end, 0, -i) for i, m in enumerate(marks)])
    out, done = Text(), 0
    for offset, opening, index in events:
        out.append(text[done:offset])
        done = offset
        mark = marks[abs(index)]
        style = _MARK_STYLES.get(mark.label, "bold")
        closing = f"|{mark.note}]" if mark.note else "]"
        out.append(f"[{mark.label} " if opening else closing, style)
    out.append(text[done:])
    return out


def _marks(reading: dict) -> list[_Mark]:
    marks = [_Mark(e["start"], e["end"], e["type"], _notes(
        e["normal"] if e["normal"] != e["text"] else None, e.get("kb_id")))
        for e in reading.get("entities") or []]
    marks += [_Mark(p["start"], p["end"], "PLACE", _place_note(p))
              for p in reading.get("places") or []]
    for group in reading.get("ethnic_groups") or []:
        kind = group["kind"] if group["kind"] != "group" else None
        marks += [_Mark(m["start"], m["end"], "SLUR" if m["slur"] else "ETHNIC", _notes(
            group["group"], kind, "slur" if m["slur"] else None,
            None if m["person"] else "not people")) for m in group["mentions"]]
    marks += [_Mark(q["start"], q["end"], "QUOTE" if q["direct"] else "SAID",
                    "— " + _notes(q.get("speaker") or "speaker unknown", q.get("speaker_kb_id")))
              for q in reading.get("quotes") or []]
    marks += [_Mark(a["start"], a["end"], "OUTLET", _notes(a["outlet"], a.get("kb_id")))
              for a in reading.get("attribution") or []]
    return marks


def _notes(*parts: str | None) -> str:
    return ", ".join(dict.fromkeys(part for part in parts if part))  # each once, in order


def _place_note(place: dict) -> str:
    then = place.get("then")
    return _notes(
        f"{place['kato']} {place['name']}" if place.get("kato") else place["name"],
        place.get("region") if place.get("region") != place["name"] else None,
        place.get("country"),
        f"then {then['name']}" if then and then.get("name") != place["name"] else None)


def _reading_tables(reading: dict) -> list[Table]:
    tables = [
        _table("Entities", ("type", "text", "normal", "kb_id", "at"),
               [(e["type"], e["text"], e["normal"], e.get("kb_id"), _at(e))
                for e in reading.get("entities") or []]),
        _table("Places", ("text", "KATO", "name", "level", "district", "region", "then", "how"),
               [(p["text"], p.get("kato"), p["name"], p.get("level"), p.get("district"),
                 p.get("region") or p.get("country"), (p.get("then") or {}).get("name"),
                 p.get("how")) for p in reading.get("places") or []]),
        _table("Ethnic groups", ("group", "kind", "mentions", "slur", "as people", "attitude"),
               [(g["group"], g["kind"], ", ".join(m["text"] for m in g["mentions"]),
                 _yes(g["slur"]), _yes(g["as_people"]), _attitude(g))
                for g in reading.get("ethnic_groups") or []]),
        _table("Quotes", ("speaker", "kb_id", "kind", "text", "at"),
               [(q.get("speaker"), q.get("speaker_kb_id"), "direct" if q["direct"] else "indirect",
                 _shorten(q["text"]), _at(q)) for q in reading.get("quotes") or []]),
        _table("Attribution", ("text", "outlet", "kb_id", "at"),
               [(a["text"], a["outlet"], a.get("kb_id"), _at(a))
                for a in reading.get("attribution") or []]),
    ]
    return [table for table in tables if table.row_count]


def _table(title: str, columns: tuple[str, ...], rows: list[tuple]) -> Table:
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape(str(cell)) if cell is not None else "—" for cell in row))
    return table


def _attitude(group: dict) -> str | None:
    if group.get("attitude") is None:
        return None
    value = f"{group['attitude']:+d} (p {group['attitude_p']:.2f})"
    words = ", ".join(cue["text"] for cue in group.get("attitude_evidence") or [])
    return value + (f": {words}" if words else "") + _corrected(group)


def corrections_table(console: Console, items) -> None:
    """Corrections, oldest first: what, from the machine's value to the analyst's, who, when."""
    if not items:
        console.print("No corrections.")
        return
    table = _table("Corrections", ("#", "document", "field", "group", "machine", "analyst", "by",
                                   "at (UTC)", "comment"),
                   [(c.id, c.document_id, c.field, c.target or None, c.machine, c.value, c.author,
                     f"{c.created_at:%Y-%m-%d %H:%M}", c.comment) for c in items])
    console.print(table)


def train_report(console: Console, report) -> None:
    """The figures before and after retraining, and the rules' agreement with analysts."""
    rows = [("training data, cross-validated", report.data_before, report.data_after),
            ("analysts' corrections", report.corrections_before, report.corrections_after)]
    table = Table(title=f"Attitude model: {report.data_pairs} training pairs, "
                        f"{report.corrections} corrected attitudes", title_justify="left")
    for column in ("measured on", "", "macro-F1", "F1 −1", "F1 0", "F1 +1", "accuracy", "n"):
        table.add_column(column)
    for name, before, after in rows:
        for when, figures in (("before", before), ("after", after)):
            table.add_row(name, when, *_figures(figures))
    console.print(table)
    agreement = [(field, agreed, total) for field, (agreed, total) in report.agreement.items() if total]
    if agreement:
        console.print(_table("Rules (not trained) against analysts' corrections",
                             ("decision", "machine agreed", "corrections"),
                             [(field, agreed, total) for field, agreed, total in agreement]))
    for note in report.skipped:
        console.print(f"[yellow]Not used:[/yellow] {escape(note)}")
    console.print(f"Wrote {report.out}. Run `kelisim read` to read stored documents again with it.")


def _figures(figures: dict | None) -> tuple[str, ...]:
    if figures is None:
        return ("—",) * 6
    per = figures["per_class"]
    return (f"{figures['macro_f1']:.3f}", *(f"{per[c]['f1']:.3f}" for c in ("-1", "0", "1")),
            f"{figures['accuracy']:.3f}", str(figures["n"]))


def _at(item: dict) -> str:
    return f"{item['start']}–{item['end']}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
