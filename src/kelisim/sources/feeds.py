"""RSS 0.9x/1.0/2.0 and Atom feeds: each entry becomes an item, its page fetched when asked.

feedparser only ever sees bytes we fetched ourselves, so every request obeys the fetcher's
rules. Its entries are turned into :class:`FeedEntry` here and go no further.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser

from kelisim.net import FetchError, Fetcher, Response
from kelisim.records import RawItem, Skip
from kelisim.sources.web import Seen, absolute, never_seen, page_item, url_origin


_ENTITY_MARKERS = tuple("<!ENTITY".encode(encoding) for encoding in (
    "utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))


class FeedError(FetchError):
    """A feed was fetched but is not a readable RSS or Atom document."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(url, "bad_feed", detail)


@dataclass(frozen=True)
class FeedEntry:
    """What Kelisim keeps of one feed entry."""

    link: str | None
    guid: str | None
    title: str | None
    author: str | None
    published: datetime | None
    content: str | None

    @property
    def origin(self) -> str | None:
        """``url:`` + link, else ``guid:`` + id, else None."""
        if self.link:
            return url_origin(self.link)
        return f"guid:{self.guid}" if self.guid else None


@dataclass(frozen=True)
class _Poll:
    """One reading of one feed: what every entry's item needs to know."""

    url: str
    fetcher: Fetcher
    source_id: int | None
    fetched_at: datetime

    def meta(self, entry: FeedEntry) -> dict:
        """The feed-side meta of an entry's item."""
        return {"feed_url": self.url, **({"entry_id": entry.guid} if entry.guid else {})}


def read_feed(url: str, fetcher: Fetcher, *, source_id: int | None = None,
              seen: Seen = never_seen, fetch_pages: bool = True) -> Iterator[RawItem | Skip]:
    """Read a feed's entries as items; nothing if the feed has not changed since the last poll.

    Args:
        url: the feed's http(s) URL.
        fetcher: the Fetcher for the feed and its pages.
        source_id: the registered source the items belong to.
        seen: tells whether an origin is already stored; such entries are skipped
            ("unchanged") before their page is fetched.
        fetch_pages: fetch each entry's page; if that fails, fall back to the text in the
            feed (``meta["fallback"] = "feed_content"``).

    Returns:
        An iterator of RawItem (kind "html") and Skip, one per entry.
        Raises FetchError if the feed cannot be fetched, FeedError if it cannot be read.
    """
    response = fetcher.fetch(url)
    if response.not_modified:
        return
    poll = _Poll(url, fetcher, source_id, response.fetched_at)
    finished = False
    try:
        for index, entry in enumerate(parse_feed(url, response)):
            yield _entry_item(poll, index, entry, seen, fetch_pages)
        finished = True
    finally:
        if not finished:
            fetcher.forget(url)  # so an interrupted poll is not answered 304 next time


def parse_feed(url: str, response: Response) -> list[FeedEntry]:
    """The entries of a fetched feed; raises FeedError if it is no readable feed."""
    if _declares_entities(response.body):
        raise FeedError(url, "the feed declares XML entities (<!ENTITY>), which are refused: "
                             "they serve entity-expansion bombs and external-entity reads")
    headers = {"content-location": response.url,
               "content-type": response.headers.get("content-type", "application/xml")}
    try:
        # A BytesIO, never bytes: feedparser opens bytes that name a local file as that file.
        parsed = feedparser.parse(io.BytesIO(response.body), response_headers=headers)
    except (ValueError, LookupError) as error:  # «encoding="windows-12\xb51"»: UnicodeDecodeError
        raise FeedError(url, f"not a readable RSS or Atom feed ({type(error).__name__}: {error})"
                        ) from None
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception") or "no RSS or Atom elements"
        raise FeedError(url, f"not a readable RSS or Atom feed ({problem})")
    return [_entry(raw, response.url) for raw in parsed.entries]


def _declares_entities(body: bytes) -> bool:
    """True when the document declares an entity, in UTF-8 or any UTF-16/32 byte order.

    feedparser strips such declarations only when each starts a line, and expat then expands
    a one-line «billion laughs» by millions of callbacks (seconds of CPU) before it stops.
    """
    return any(marker in body for marker in _ENTITY_MARKERS)


def _entry(raw: dict, base: str) -> FeedEntry:
    texts = [part.get("value") for part in raw.get("content") or []] + [raw.get("summary")]
    return FeedEntry(
        link=absolute(base, raw.get("link")),
        guid=raw.get("id") or None,
        title=raw.get("title") or None,
        author=raw.get("author") or None,
        published=_utc(raw.get("published_parsed") or raw.get("updated_parsed")),
        content=max((t for t in texts if t and t.strip()), key=len, default=None),
    )


def _utc(moment: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times."""
    if moment is None:
        return None
    try:
        return datetime(*moment[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_item(poll: _Poll, index: int, entry: FeedEntry, seen: Seen,
                fetch_pages: bool) -> RawItem | Skip:
    origin = entry.origin
    if origin is None:
        return Skip(f"{poll.url}#{index + 1}", "no_link",
                    f"{poll.url}: entry {index + 1} has neither a link nor an id")
    if seen(origin):
        return Skip(origin, "unchanged", f"{entry.link or entry.guid}: already stored")
    if not (fetch_pages and entry.link):
        return _from_feed(poll, entry, origin)
    try:
        page = poll.fetcher.fetch(entry.link, conditional=False)
    except FetchError as error:
        return _from_feed(poll, entry, origin, error.reason, str(error))
    item = page_item(page, origin, source_id=poll.source_id, title=entry.title,
                     author=entry.author, published=entry.published, meta=poll.meta(entry))
    if isinstance(item, Skip):
        return _from_feed(poll, entry, origin, item.reason, item.message)
    return item


def _from_feed(poll: _Poll, entry: FeedEntry, origin: str, failure: str | None = None,
               message: str = "") -> RawItem | Skip:
    """The entry's own text as the item, when its page is not (or cannot be) fetched."""
    if not entry.content:
        if failure:
            return Skip(origin, failure, f"{message}; the feed has no text for it either")
        return Skip(origin, "empty", f"{entry.link or entry.guid}: the feed entry has no text")
    meta = {**poll.meta(entry), "body_from": "feed_content"}
    if failure:
        meta.update(fallback="feed_content", fetch_error=failure)
    return RawItem(
        origin=origin, body=entry.content, kind="html", source_id=poll.source_id,
        url=entry.link, title=entry.title, author=entry.author, published=entry.published,
        fetched_at=poll.fetched_at, meta=meta,
    )
