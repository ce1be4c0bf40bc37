"""One web page as a source; also the page-to-RawItem step that feeds and sitemaps share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from urllib.parse import urljoin

from kelisim.net import Fetcher, Response
from kelisim.records import RawItem, RawKind, Skip

Seen = Callable[[str], bool]  # is an item with this origin stored already?

_KINDS: dict[str, RawKind] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
}


def never_seen(origin: str) -> bool:
    """The default ``seen``: nothing is stored yet."""
    return False


def absolute(base: str, link: str | None) -> str | None:
    """``link`` resolved against ``base``; None if it is missing or malformed."""
    if not link or not link.strip():
        return None
    try:
        return urljoin(base, link.strip())
    except ValueError:
        return None


def url_origin(url: str) -> str:
    """The origin key of an item found at ``url``."""
    return f"url:{url}"


def read_page(url: str, fetcher: Fetcher, *, source_id: int | None = None
              ) -> Iterator[RawItem | Skip]:
    """Fetch one page as an item; nothing if it has not changed since the last poll.

    Args:
        url: the page's http(s) URL; its origin is ``url:`` + this URL.
        fetcher: the Fetcher to use (its validators make the fetch conditional).
        source_id: the registered source the item belongs to.

    Returns:
        An iterator of one RawItem, or one Skip if the URL is not a text page.
        Raises FetchError if the page cannot be fetched.
    """
    response = fetcher.fetch(url)
    if not response.not_modified:
        yield page_item(response, url_origin(url), source_id=source_id)


def page_item(response: Response, origin: str, *, source_id: int | None = None,
              title: str | None = None, author: str | None = None,
              published: datetime | None = None, meta: dict | None = None) -> RawItem | Skip:
    """Turn a fetched page into a RawItem, or a Skip if it is not HTML or text."""
    kind = _KINDS.get(response.content_type or "text/html")
    if kind is None:
        return Skip(origin, "unsupported",
                    f"{response.url}: {response.content_type} is not a web page")
    return RawItem(
        origin=origin, body=response.body, kind=kind, source_id=source_id, url=response.url,
        title=title, author=author, published=published, fetched_at=response.fetched_at,
        meta={**response_meta(response), **(meta or {})},
    )


def response_meta(response: Response) -> dict:
    """What a RawItem keeps of the HTTP answer (the charset helps decoding later)."""
    meta: dict = {"status": response.status, "content_type": response.content_type}
    if response.charset:
        meta["charset"] = response.charset
    return meta
