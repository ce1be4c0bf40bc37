"""Scheduled regional reports: when a calendar period ends (Jan–Feb, Mar–Apr, … for every two
months), write its report for each configured region, language and format, once.

What was written is kept in the store's warning state under ``reports``, with the first period
the schedule covers: the first run writes the period that ended last, later runs every period
that ended since, so a machine that was off catches up and an old archive is not back-filled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from kelisim.atomic import write_bytes
from kelisim.report.build import build_report
from kelisim.report.render import render
from kelisim.warning.rules import ReportSchedule
from kelisim.warning.units import local_day

STATE_KEY = "reports"


@dataclass(frozen=True)
class Due:
    """One report file to write."""

    region: str
    start: date
    end: date
    lang: str
    fmt: str

    @property
    def key(self) -> str:
        """Its key in the state of what was written."""
        return f"{self.region}:{self.start}:{self.end}:{self.lang}:{self.fmt}"

    def file_name(self) -> str:
        """Its file name: region code, first and last month, language."""
        return f"{self.region}_{self.start:%Y-%m}_{self.end:%Y-%m}_{self.lang}.{self.fmt}"


def period_of(day: date, every_months: int) -> tuple[date, date]:
    """The calendar period of ``every_months`` months that holds ``day`` (from January)."""
    first_month = (day.month - 1) // every_months * every_months + 1
    start = date(day.year, first_month, 1)
    return start, _months_later(start, every_months) - timedelta(days=1)


def _months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def ended_periods(since: date, today: date, every_months: int) -> Iterator[tuple[date, date]]:
    """The periods starting on or after ``since`` that ended before ``today``, oldest first."""
    start = period_of(since, every_months)[0]
    if start < since:
        start = _months_later(start, every_months)
    while True:
        end = _months_later(start, every_months) - timedelta(days=1)
        if end >= today:
            return
        yield start, end
        start = end + timedelta(days=1)


def due_reports(schedule: ReportSchedule, today: date,
                state: dict | None) -> tuple[list[Due], dict]:
    """The reports due on ``today`` (a day in Kazakhstan) and the state to keep (its ``since``
    set on the first run)."""
    state = dict(state or {})
    if "since" not in state:
        current, _end = period_of(today, schedule.every_months)
        state["since"] = str(period_of(current - timedelta(days=1), schedule.every_months)[0])
    written = state.get("written", {})
    due = [Due(region, start, end, lang, fmt)
           for start, end in ended_periods(date.fromisoformat(state["since"]), today,
                                           schedule.every_months)
           for region in schedule.regions for lang in schedule.langs for fmt in schedule.formats]
    return [d for d in due if d.key not in written], state


def write_due(core, schedule: ReportSchedule | None = None, *, out: Path | None = None,
              now: datetime | None = None, base_url: str | None = None) -> list[Path]:
    """Write the reports that are due and remember them; the paths written (none without a
    schedule: the rules' ``[report]`` by default)."""
    schedule = schedule or core.rules().report
    if schedule is None:
        return []
    now = now or datetime.now(timezone.utc)
    due, state = due_reports(schedule, local_day(now), core.store.warning.state(STATE_KEY))
    folder = Path(out or schedule.out)
    base_url = base_url or core.rules().base_url
    written: list[Path] = []
    for (region, start, end, lang), files in _grouped(due).items():
        report = build_report(core, region, start, end, lang, now=now)
        for item in files:
            path = _write(folder / item.file_name(), render(report, item.fmt, base_url))
            state.setdefault("written", {})[item.key] = {"path": str(path), "at": now.isoformat()}
            core.store.warning.set_state(STATE_KEY, state)  # each file once, even after a crash
            written.append(path)
    core.store.warning.set_state(STATE_KEY, state)
    return written


def _grouped(due: list[Due]) -> dict[tuple, list[Due]]:
    groups: dict[tuple, list[Due]] = {}
    for item in due:
        groups.setdefault((item.region, item.start, item.end, item.lang), []).append(item)
    return groups


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, content)
    return path
