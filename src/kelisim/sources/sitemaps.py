"""Sitemaps (urlset and sitemapindex, plain or .xml.gz): each listed page becomes an item.

The XML is parsed with entities unresolved and no network or DTD access, so a hostile
sitemap can neither read local files (XXE) nor expand itself (billion laughs). A gzipped
sitemap is unzipped under the fetcher's ``max_bytes``, so a gzip bomb is refused.
Google News tags (``news:title``, ``news:publication_date``) give an item's title and date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from kelisim.net import FetchError, Fetcher, Response
from kelisim.net.decode import GZIP_MAGIC, BadEncoding, TooLarge, gunzip_capped
from kelisim.records import RawItem, Skip
from kelisim.sources.web import Seen, absolute, never_seen, page_item, url_origin

MAX_DEPTH = 3  # index -> index -> index -> urlset


class SitemapError(FetchError):
    """A sitemap was fetched but is not a readable urlset or sitemapindex."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(url, "bad_sitemap", detail)


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> of a urlset or one <sitemap> of an index."""

    loc: str
    lastmod: str | None = None
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: an index of sitemaps, or a set of page URLs."""

    is_index: bool
    entries: list[SitemapEntry]


def read_sitemap(url: str, fetcher: Fetcher, *, source_id: int | None = None,
                 seen: Seen = never_seen, limit: int | None = None) -> Iterator[RawItem | Skip]:
    """Read the pages a sitemap (or a sitemap index, recursively) lists, as items.

    Args:
        url: the sitemap's http(s) URL (.xml or .xml.gz).
        fetcher: the Fetcher for sitemaps and pages; unchanged sitemaps (304) are skipped.
        source_id: the registered source the items belong to.
        seen: tells whether an origin is already stored; such pages are not fetched.
        limit: fetch at most this many pages in this reading.

    Returns:
        An iterator of RawItem and Skip. Raises FetchError if the top sitemap cannot be
        fetched, SitemapError if it cannot be read; a nested one that fails becomes a Skip.
    """
    yield from _Walk(fetcher, source_id, seen, limit).sitemap(url, 0)


def parse_sitemap(url: str, response: Response, max_bytes: int) -> Sitemap:
    """Parse a fetched sitemap; raises SitemapError, or FetchError("too_large") for a bomb."""
    root = _xml(url, _unzipped(url, response.body, max_bytes))
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(url, f"<{kind}> is neither <urlset> nor <sitemapindex>")
    wanted = "url" if kind == "urlset" else "sitemap"
    found = (_entry(element, response.url) for element in root if _local(element.tag) == wanted)
    return Sitemap(kind == "sitemapindex", [entry for entry in found if entry])


class _Walk:
    """One reading of a sitemap tree, with its page budget and the URLs already met."""

    def __init__(self, fetcher: Fetcher, source_id: int | None, seen: Seen,
                 limit: int | None) -> None:
        self.fetcher = fetcher
        self.source_id = source_id
        self.seen = seen
        self.left = limit
        self.met: set[str] = set()

    def sitemap(self, url: str, depth: int) -> Iterator[RawItem | Skip]:
        """The items of one sitemap; its validators are dropped unless it is read to the end."""
        self.met.add(url)
        response = self.fetcher.fetch(url)
        if response.not_modified:
            return
        finished = False
        try:
            sitemap = parse_sitemap(url, response, self.fetcher.options.max_bytes)
            for entry in sitemap.entries:
                if self.left is not None and self.left <= 0:
                    return
                if entry.loc in self.met:
                    continue
                if sitemap.is_index:
                    yield from self._child(entry, depth)
                else:
                    yield self._page(entry, url)
            finished = True
        finally:
            if not finished:
                self.fetcher.forget(url)  # its unread entries must not hide behind a 304

    def _child(self, entry: SitemapEntry, depth: int) -> Iterator[RawItem | Skip]:
        origin = url_origin(entry.loc)
        if depth + 1 > MAX_DEPTH:
            yield Skip(origin, "too_deep", f"{entry.loc}: sitemaps nested deeper than {MAX_DEPTH}")
            return
        try:
            yield from self.sitemap(entry.loc, depth + 1)
        except FetchError as error:
            yield Skip(origin, error.reason, str(error))

    def _page(self, entry: SitemapEntry, sitemap_url: str) -> RawItem | Skip:
        self.met.add(entry.loc)
        origin = url_origin(entry.loc)
        if self.seen(origin):
            return Skip(origin, "unchanged", f"{entry.loc}: already stored")
        if self.left is not None:
            self.left -= 1
        try:
            response = self.fetcher.fetch(entry.loc, conditional=False)
        except FetchError as error:
            return Skip(origin, error.reason, str(error))
        meta = {"sitemap_url": sitemap_url, **({"lastmod": entry.lastmod} if entry.lastmod else {})}
        return page_item(response, origin, source_id=self.source_id, title=entry.title,
                         published=entry.published, meta=meta)


def _unzipped(url: str, body: bytes, max_bytes: int) -> bytes:
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        return gunzip_capped(body, max_bytes)
    except TooLarge as error:
        raise FetchError(url, "too_large", f"sitemap {error} once unzipped (max_bytes)") from None
    except BadEncoding as error:
        raise SitemapError(url, str(error)) from None


def _xml(url: str, body: bytes) -> etree._Element:
    # A parser per call: lxml parsers must not be shared between threads.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise SitemapError(url, f"not well-formed XML ({error})") from None
    if root is None:
        raise SitemapError(url, "empty document")
    return root


def _local(tag: object) -> str:
    """An element's name without namespace; "" for entities and other non-elements."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: etree._Element | None) -> str | None:
    text = (element.text or "").strip() if element is not None else ""
    return text or None


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    if parent is None:
        return None
    return next((c for c in parent if _local(c.tag) == name), None)


def _entry(element: etree._Element, base: str) -> SitemapEntry | None:
    loc = absolute(base, _text(_child(element, "loc")))
    if not loc:
        return None
    news = _child(element, "news")
    return SitemapEntry(
        loc=loc,
        lastmod=_text(_child(element, "lastmod")),
        title=_text(_child(news, "title")),
        published=_date(_text(_child(news, "publication_date"))),
    )


def _date(text: str | None) -> datetime | None:
    """A W3C datetime as an aware datetime; a date or time without zone is taken as UTC."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
