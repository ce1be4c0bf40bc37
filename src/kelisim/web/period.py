"""The period a page or a report covers: a named span ending on the store's last day, or dates."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import HTTPException
from pydantic import BaseModel

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
DEFAULT = "30d"
MAX_DAYS = 731


class Period(BaseModel):
    """A span of days, both ends included."""

    key: str  # one of PERIODS, or "custom"
    start: date
    end: date


def check_span(start: date, end: date) -> None:
    """422 unless ``start`` is not after ``end`` and the span is at most MAX_DAYS."""
    if end < start or (end - start).days > MAX_DAYS:
        raise HTTPException(422, f"from must not be after to, and the span at most {MAX_DAYS} days")


def resolve(core, key: str | None, start: date | None = None, end: date | None = None) -> Period:
    """The span asked for; a named span ends on the last day a document counts (today when
    the store is empty), so an archive shows its latest weeks, not empty ones."""
    if start and end:
        check_span(start, end)
        return Period(key="custom", start=start, end=end)
    key = key or DEFAULT
    if key not in PERIODS:
        raise HTTPException(422, f"period is one of {', '.join(PERIODS)}")
    last = end or core.store.warning.day_range()[1] or date.today()
    return Period(key=key, start=last - timedelta(days=PERIODS[key] - 1), end=last)
