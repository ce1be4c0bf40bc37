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
from kelisim.net import Fetcher, FetchError
from kelisim.net.validators import ValidatorCache, Validators
from kelisim.records import RawItem, Skip
from kelisim.sources.feeds import read_feed
from kelisim.sources.files import read_paths
from kelisim.sources.records_fields import FieldMap
from kelisim.sources.sitemaps import read_sitemap
from kelisim.sources.web import read_page
from kelisim.store.errors import StoreOutageError
from kelisim.summary import IngestSummary

log = logging.getLogger(__name__)
DEFAULT_INTERVAL_MINUTES = 15.0
MAX_PAUSE_SECONDS = 300.0  # the longest wait between two failed watch cycles
MAX_OUTAGE_PAUSE_SECONDS = 15.0  # the same, when the store was locked, unreachable or full
# Why an item's page may come next time: a feed with such a skip is not answered 304 next time.
RETRIED = frozenset({"timeout", "connection", "http_status", "robots"})


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


class HeldValidators:
    """The store's validators, with the new ones held back until their items are stored.

    A feed's ETag arrives with the feed, long before its items are written; kept at once, a
    run killed in between would have the next poll told "304, nothing new" and lose the
    items. Forgetting a URL goes to the store at once: it only ever makes a poll read more.
    """

    def __init__(self, stored: ValidatorCache) -> None:
        """Wrap the store's validators."""
        self._stored = stored
        self._held: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        """The validators last seen for a URL: held ones first."""
        return self._held.get(url) or self._stored.get(url)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Hold a URL's new validators (both None: forget the URL now)."""
        if etag is None and last_modified is None:
            self._held.pop(url, None)
            self._stored.put(url, None, None)
        else:
            self._held[url] = (etag, last_modified)

    def keep(self) -> None:
        """Store the held validators: their items are stored."""
        for url, (etag, last_modified) in self._held.items():
            self._stored.put(url, etag, last_modified)
        self._held.clear()

    def drop(self) -> None:
        """Forget the held validators: the next poll reads those URLs in full."""
        self._held.clear()


def collect(store, settings: Settings, sources: list | None = None,
            progress: Progress | None = None) -> CollectReport:
    """Poll each enabled source once; one failing source does not stop the others."""
    ingestor = Ingestor(store, settings.ingest)
    report = CollectReport()
    validators = HeldValidators(store.validators)
    with Fetcher(settings.fetch, validators) as fetcher:
        for source in sources if sources is not None else store.list_sources():
            if source.enabled:
                poll = _Poll(source, ingestor, fetcher, validators, store, settings)
                report.results.append(poll.run(progress))
    return report


@dataclass
class _Poll:
    """One poll of one source: its items stored, its validators kept only then, its health."""

    source: object
    ingestor: Ingestor
    fetcher: Fetcher
    validators: HeldValidators
    store: object
    settings: Settings

    def run(self, progress: Progress | None) -> SourceResult:
        """Poll, store what is new, record the source's health."""
        now, name = datetime.now(timezone.utc), self.source.name
        try:
            items = source_items(self.source, self.fetcher, self.store, self.settings)
            summary = self.ingestor.run(items, progress, command=f"collect {name}")
        except (FetchError, OSError) as error:  # FeedError and SitemapError are FetchErrors
            self.validators.drop()
            log.warning("source %s failed: %s", name, error)
            self.store.record_poll(self.source.id, ok=False, error=str(error), new_items=0, at=now)
            return SourceResult(name, error=str(error))
        except BaseException:
            self.validators.drop()
            raise
        self._settle(summary)
        new = summary.added + summary.reprints_exact + summary.reprints_near + summary.updated
        self.store.record_poll(self.source.id, ok=True, error=None, new_items=new, at=now)
        return SourceResult(name, summary=summary)

    def _settle(self, summary: IngestSummary) -> None:
        """Keep the validators once every item is stored, unless a page may come next time."""
        if RETRIED.isdisjoint(summary.skipped):
            self.validators.keep()
        else:
            self.validators.drop()  # read it in full next time, to try those pages again


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
          tick_seconds: float = 5.0,
          on_cycle: Callable[[CollectReport], None] | None = None) -> None:
    """Poll due sources until ``stop`` is set; errors are logged and the loop goes on."""
    failures = 0
    while not stop.is_set():
        pause = tick_seconds
        try:
            _cycle(store, settings, default_minutes, on_cycle)
            if failures:
                log.warning("watch cycle succeeded again after %d failed", failures)
            failures = 0
        except StoreOutageError as error:  # locked, unreachable, disk full: said in one line
            failures += 1
            # Asking the store again is cheap: wait less, to resume soon after it is back.
            pause = _pause(tick_seconds, failures, MAX_OUTAGE_PAUSE_SECONDS)
            log.error("watch cycle failed (%d in a row): %s; retrying in %g s", failures, error,
                      pause)
        except Exception:  # the watcher must survive anything one cycle throws
            failures += 1
            pause = _pause(tick_seconds, failures, MAX_PAUSE_SECONDS)
            log.exception("watch cycle failed (%d in a row); retrying in %g s", failures, pause)
        stop.wait(pause)


def _cycle(store, settings: Settings, default_minutes: float,
           on_cycle: Callable[[CollectReport], None] | None) -> None:
    """Poll the sources that are due, and hand the report to ``on_cycle``."""
    due = due_sources(store, datetime.now(timezone.utc), default_minutes)
    if due:
        report = collect(store, settings, due)
        if on_cycle:
            on_cycle(report)


def _pause(tick_seconds: float, failures: int, longest: float) -> float:
    """Seconds to wait after ``failures`` failed cycles in a row: the tick, doubled after each
    failure, at most ``longest`` (and never less than the tick)."""
    return max(tick_seconds, min(tick_seconds * 2**failures, longest))
