"""Polling registered sources: once (``collect``) or on a schedule (``watch``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kelisim.config import Settings
from kelisim.ingest import Ingestor, Progress
from kelisim.net import FetchError, Fetcher
from kelisim.records import RawItem, Skip
from kelisim.sources.feeds import read_feed
from kelisim.sources.files import read_paths
from kelisim.sources.records_fields import FieldMap
from kelisim.sources.sitemaps import read_sitemap
from kelisim.sources.web import read_page
from kelisim.summary import IngestSummary

log = logging.getLogger(__name__)
DEFAULT_INTERVAL_MINUTES = 15.0


@dataclass
class SourceResult:
    """The outcome of polling one source."""

    name: str
    summary: IngestSummary | None = None
    error: str | None = None


@dataclass
class CollectReport:
    """The outcome of polling several sources."""

    results: list[SourceResult] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceResult]:
        """Sources that could not be polled at all."""
        return [r for r in self.results if r.error]


def source_items(source, fetcher: Fetcher, store, settings: Settings) -> Iterator[RawItem | Skip]:
    """The raw items of one registered source, read by its kind's reader."""
    options = source.options or {}
    if source.kind in ("folder", "file", "telegram"):
        return read_paths([Path(source.location)], settings.ingest, source_id=source.id,
                          fields=FieldMap.parse(options.get("map")))
    if source.kind == "rss":
        return read_feed(source.location, fetcher, source_id=source.id, seen=store.has_origin)
    if source.kind == "sitemap":
        return read_sitemap(source.location, fetcher, source_id=source.id, seen=store.has_origin)
    if source.kind == "web":
        return read_page(source.location, fetcher, source_id=source.id)
    raise ValueError(f"unknown source kind {source.kind!r}")


def collect(store, settings: Settings, sources: list | None = None,
            progress: Progress | None = None) -> CollectReport:
    """Poll each enabled source once; one failing source does not stop the others."""
    ingestor = Ingestor(store, settings.ingest)
    report = CollectReport()
    with Fetcher(settings.fetch, store.validators) as fetcher:
        for source in sources if sources is not None else store.list_sources():
            if source.enabled:
                report.results.append(_poll(source, ingestor, fetcher, store, settings, progress))
    return report


def _poll(source, ingestor: Ingestor, fetcher: Fetcher, store, settings: Settings,
          progress: Progress | None) -> SourceResult:
    now = datetime.now(timezone.utc)
    try:
        items = source_items(source, fetcher, store, settings)
        summary = ingestor.run(items, progress, command=f"collect {source.name}")
    except (FetchError, OSError) as error:  # FeedError and SitemapError are FetchErrors
        log.warning("source %s failed: %s", source.name, error)
        store.record_poll(source.id, ok=False, error=str(error), new_items=0, at=now)
        return SourceResult(source.name, error=str(error))
    new = summary.added + summary.reprints_exact + summary.reprints_near + summary.updated
    store.record_poll(source.id, ok=True, error=None, new_items=new, at=now)
    return SourceResult(source.name, summary=summary)


def due_sources(store, now: datetime, default_minutes: float) -> list:
    """Enabled sources whose poll interval has passed since their last poll."""
    due = []
    for source in store.list_sources():
        minutes = float((source.options or {}).get("interval_minutes", default_minutes))
        last = source.last_polled_at
        if source.enabled and (last is None or now - _aware(last) >= timedelta(minutes=minutes)):
            due.append(source)
    return due


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def watch(store, settings: Settings, stop: threading.Event, *, default_minutes: float,
          tick_seconds: float = 5.0, on_cycle: Callable[[CollectReport], None] | None = None) -> None:
    """Poll due sources until ``stop`` is set; errors are logged and the loop goes on."""
    failures = 0
    while not stop.is_set():
        try:
            due = due_sources(store, datetime.now(timezone.utc), default_minutes)
            if due:
                report = collect(store, settings, due)
                if on_cycle:
                    on_cycle(report)
            failures = 0
        except Exception:  # the watcher must survive anything one cycle throws
            failures += 1
            log.exception("watch cycle failed (%d in a row); retrying", failures)
        stop.wait(min(tick_seconds * 2**failures, 300.0) if failures else tick_seconds)
