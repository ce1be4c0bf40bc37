"""`kelisim report`: the regional report for the bi-monthly meeting, as HTML, PDF or its JSON
twin, for one region and period, or every scheduled report that is due; a thin shell over
:mod:`kelisim.report`."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from kelisim.atomic import write_bytes
from kelisim.report.build import build_report
from kelisim.report.render import DEFAULT_BASE_URL, FORMATS, render
from kelisim.report.schedule import Due, period_of, write_due
from kelisim.report.texts import LANGS
from kelisim.warning.units import local_day

DATE_FORMATS = ["%Y-%m-%d"]


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``kelisim`` app."""
    app.command("report")(report)


def _cli():
    from kelisim import cli  # the shared shell helpers; imported late, cli imports this module

    return cli


def report(
    ctx: typer.Context,
    region: Annotated[Optional[str], typer.Option(
        help="The region: KATO code or Russian or Kazakh name.")] = None,
    date_from: Annotated[Optional[datetime], typer.Option(
        "--from", formats=DATE_FORMATS, help="First day (default: the last two-month period "
        "that has ended: Jan–Feb, Mar–Apr, …).")] = None,
    date_to: Annotated[Optional[datetime], typer.Option(
        "--to", formats=DATE_FORMATS, help="Last day, included.")] = None,
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")] = "html",
    lang: Annotated[str, typer.Option(help="ru (Russian) or kk (Kazakh).")] = "ru",
    out: Annotated[Optional[Path], typer.Option(
        help="The file to write; `-` for standard output (default: a file named after the "
        "region, period and language, here; with --due: the schedule's folder).")] = None,
    base_url: Annotated[Optional[str], typer.Option(
        "--base-url", help="The dashboard that document links open (default: the rules' "
        f"base_url, else {DEFAULT_BASE_URL}).")] = None,
    due: Annotated[bool, typer.Option(
        "--due", help="Write every scheduled report whose period has ended and that was not "
        "written yet (the rules' [report] section).")] = False,
) -> None:
    """Write the regional report for the bi-monthly meeting on the interethnic situation:
    summary, index trend, map, incidents, stories, officials' statements, de-escalation,
    attitude toward groups and sources, each claim linked to its documents.

    Example: `kelisim report --region Жамбыл --from 2024-03-01 --to 2024-04-30 --format pdf`
    """
    with _cli()._open(ctx) as kelisim:
        if due:
            _write_due(kelisim, out, base_url)
            return
        if region is None:
            raise ValueError("give --region (a KATO code or a name), or --due")
        _check(fmt, lang)
        start, end = _period(date_from, date_to)
        made = build_report(kelisim, region, start, end, lang)
        content = render(made, fmt, base_url or kelisim.rules().base_url)
        _emit(content, out or Path(Due(made.kato, start, end, lang, fmt).file_name()))


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"--format is one of {', '.join(FORMATS)}, not {fmt!r}")
    if lang not in LANGS:
        raise ValueError(f"--lang is one of {', '.join(LANGS)}, not {lang!r}")


def _period(date_from: datetime | None, date_to: datetime | None) -> tuple[date, date]:
    if date_from and date_to:
        return date_from.date(), date_to.date()
    if date_from or date_to:
        raise ValueError("give both --from and --to, or neither (the last two-month period)")
    today = local_day(datetime.now(timezone.utc))
    return period_of(period_of(today, 2)[0] - timedelta(days=1), 2)


def _emit(content: bytes, out: Path) -> None:
    if str(out) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    write_bytes(out, content)
    _cli().errors.print(f"Wrote {out} ({len(content):,} bytes)")


def _write_due(kelisim, out: Path | None, base_url: str | None) -> None:
    schedule = kelisim.rules().report
    if schedule is None:
        _cli().errors.print("No reports are scheduled: add a [report] section to the rules "
                            "file (see docs/report.md).")
        return
    written = write_due(kelisim, schedule, out=out, base_url=base_url)
    for path in written:
        _cli().console.print(str(path))
    _cli().errors.print(f"Wrote {len(written)} scheduled report(s).")
