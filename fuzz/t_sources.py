"""Fuzz targets of the readers: feeds, sitemaps, files and exports, robots.txt, HTTP bodies."""

from __future__ import annotations

import atexit
import gzip
import json
import os
import shutil
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from fuzz.contracts import documented, raw_text_of, text_of
from kelisim.config import IngestOptions
from kelisim.net import FetchError, Response
from kelisim.net.decode import BadEncoding, TooLarge, decode_body
from kelisim.net.guard import parse_target
from kelisim.net.robots import MAX_CRAWL_DELAY, RobotsCache, rules_from
from kelisim.prepare import prepare
from kelisim.records import CleanDocument, RawItem, Skip
from kelisim.sources.feeds import FeedError, parse_feed
from kelisim.sources.files import read_file, read_jsonl_stream
from kelisim.sources.records_fields import FieldMap, MappingError
from kelisim.sources.sitemaps import Sitemap, parse_sitemap
from kelisim.sources.telegram import is_telegram_export, read_telegram_export

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "text/xml", "text/html", "")
SUFFIXES = ("a.txt", "a.html", "a.md", "a.json", "a.jsonl", "a.csv", "a.tsv", "tg/result.json")
_OPTIONS = IngestOptions(max_document_bytes=64 * 1024, max_file_bytes=256 * 1024)

_SITEMAP_MAX = 256 * 1024


def split(data: bytes) -> tuple[int, bytes]:
    """The option byte and the payload."""
    return (data[0], data[1:]) if data else (0, b"")


def response(url: str, body: bytes, content_type: str) -> Response:
    """A fetched answer as the fetcher would return it."""
    return Response(url, 200, body, {"content-type": content_type} if content_type else {},
                    content_type.split(";")[0] or None)


def fuzz_feeds(data: bytes) -> None:
    """parse_feed: entries with absolute links and aware dates, or FeedError."""
    option, payload = split(data)
    with documented(FeedError):
        for entry in parse_feed("https://example.kz/rss", response(
                "https://example.kz/rss", payload, FEED_TYPES[option % len(FEED_TYPES)])):
            assert entry.link is None or entry.link.strip()
            assert entry.published is None or entry.published.tzinfo is not None
            assert entry.origin is None or entry.origin.startswith(("url:", "guid:"))


def fuzz_sitemaps(data: bytes) -> None:
    """parse_sitemap: a Sitemap, SitemapError or FetchError("too_large"); gzip too."""
    option, payload = split(data)
    body = gzip.compress(payload, 1) if option & 1 else payload
    try:
        sitemap = parse_sitemap("https://example.kz/sitemap.xml",
                                response("https://example.kz/sitemap.xml", body, "text/xml"),
                                _SITEMAP_MAX)
    except FetchError as error:
        assert error.reason in ("bad_sitemap", "too_large"), error.reason
        return
    assert isinstance(sitemap, Sitemap)
    assert all(entry.loc for entry in sitemap.entries)
    assert all(e.published is None or e.published.tzinfo for e in sitemap.entries)


def check_items(items: list, limit: int = 1) -> None:
    """Items are RawItems or Skips; a RawItem's strings can be stored; the first prepares."""
    for item in items:
        assert isinstance(item, (RawItem, Skip)), type(item)
        if isinstance(item, RawItem):
            for value in (item.body, item.title, item.author, item.url, item.origin):
                if isinstance(value, str):
                    value.encode("utf-8")
            json.dumps(item.meta, ensure_ascii=False, default=str).encode("utf-8")
            assert item.published is None or item.published.tzinfo is not None
    for item in [i for i in items if isinstance(i, RawItem)][:limit]:  # prepare is slow
        assert isinstance(prepare(item, _OPTIONS), (CleanDocument, Skip))


@lru_cache(maxsize=1)
def scratch() -> Path:
    """Where fuzz_files writes its file: $KELISIM_FUZZ_TMP (fuzz/run.py sets it under its
    output), else a temporary folder removed at exit."""
    if os.environ.get("KELISIM_FUZZ_TMP"):
        return Path(os.environ["KELISIM_FUZZ_TMP"])
    folder = Path(tempfile.mkdtemp(prefix="kelisim-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def fuzz_files(data: bytes) -> None:
    """read_file on every supported suffix: items or skips, never an exception; then prepare."""
    option, payload = split(data)
    path = scratch() / SUFFIXES[option % len(SUFFIXES)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    check_items(list(read_file(path, _OPTIONS)))


def fuzz_records(data: bytes) -> None:
    """FieldMap.parse (or MappingError) on the first line, then JSON Lines with that map."""
    text = raw_text_of(data)
    spec, _, body = text.partition("\n")
    with documented(MappingError):
        fields = FieldMap.parse(spec or None)
        assert FieldMap.parse(fields.spec() or None) == fields
        columns = [c for c in spec.replace("=", ",").split(",") if c]
        resolved = fields.resolve(columns)
        assert set(resolved.values()) <= set(columns)
        check_items(list(read_jsonl_stream(body, fields=fields)))


def fuzz_telegram(data: bytes) -> None:
    """A Telegram export of any shape: items or skips, never an exception."""
    try:
        export = json.loads(text_of(data))
    except (json.JSONDecodeError, RecursionError):
        return  # the file reader's business (fuzz_files)
    if is_telegram_export(export):
        check_items(list(read_telegram_export(export, Path("/fuzz/result.json"), None)))


_STATUSES = (200, 200, 200, 204, 301, 404, 410, 429, 500, 503)
_PATHS = ("/", "/news/1", "/%D0%BD%D0%BE%D0%B2", "/search?q=1", "/admin/", "/*.php$")


def fuzz_robots(data: bytes) -> None:
    """robots.txt of any content: allow/refuse decisions and a capped delay, no exception."""
    option, payload = split(data)
    status = _STATUSES[option % len(_STATUSES)]
    rules_from(status, payload)
    cache = RobotsCache("KelisimBot/1.0", lambda url: (status, payload))
    for path in (*_PATHS, "/" + quote(text_of(payload[-24:]))):
        target = parse_target("https://example.kz" + path)  # quote() keeps it a valid URL
        with documented(FetchError):
            cache.check(target)
        delay = cache.crawl_delay(target)
        assert delay is None or 0 <= delay <= MAX_CRAWL_DELAY


_ENCODINGS = ("identity", "gzip", "deflate", "x-gzip", "br", "gzip, deflate", "zlib-deflate")


def compress(payload: bytes, encoding: str) -> bytes:
    """The payload as a server would send it under ``encoding``."""
    if encoding in ("gzip", "x-gzip"):
        return gzip.compress(payload, 1)
    return zlib.compress(payload, 1) if encoding == "deflate" else payload


def fuzz_net_decode(data: bytes) -> None:
    """decode_body: at most ``limit`` bytes (the body itself when it was compressed here), or
    TooLarge / BadEncoding."""
    option, payload = split(data)
    encoding = _ENCODINGS[option % len(_ENCODINGS)]
    limit = (payload[0] if payload else 0) * 64
    body = compress(payload, encoding) if option & 128 else payload
    size = max(1, option % 7)
    chunks = [body[i:i + size * 97] for i in range(0, len(body), size * 97)]
    try:
        out = decode_body(chunks, encoding, limit)
    except (TooLarge, BadEncoding):
        return
    assert len(out) <= limit
    if option & 128 and encoding in ("identity", "gzip", "x-gzip", "deflate"):
        assert out == payload
