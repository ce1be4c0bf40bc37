"""Feeds, sitemaps and pages read over real HTTP, with Russian news text from the seeds."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib.resources import files
from xml.sax.saxutils import escape

import pytest

from kelisim.net import FetchError, Fetcher
from kelisim.records import RawItem, Skip
from kelisim.sources.feeds import FeedError, read_feed
from kelisim.sources.sitemaps import MAX_DEPTH, SitemapError, read_sitemap
from kelisim.sources.web import read_page

if __package__:  # tests/ is a package
    from .conftest_http import fast_options, http_server  # noqa: F401 (fixture)
    from .httpserver import gzipped
else:
    from conftest_http import fast_options, http_server  # noqa: F401 (fixture)
    from httpserver import gzipped

SEEDS = sorted(p for p in files("kelisim.sample").iterdir() if p.name.endswith(".txt"))
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def seed_lines(n: int) -> list[str]:
    text = SEEDS[n].read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def article(n: int) -> str:
    lines = seed_lines(n)
    body = "".join(f"<p>{escape(line)}</p>" for line in lines[:4])
    return f"<html><head><title>{escape(lines[0])}</title></head><body>{body}</body></html>"


def rss(items: list[dict]) -> str:
    parts = [
        f"<item><title>{escape(i['title'])}</title><link>{i['link']}</link>"
        f"<guid>{i['link']}</guid><pubDate>{i['date']}</pubDate>"
        f"<dc:creator>{escape(i.get('author', ''))}</dc:creator>"
        + (f"<description>{escape(i['summary'])}</description>" if i.get("summary") else "")
        + "</item>"
        for i in items
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            "<title>Казинформ</title><link>http://example.kz/</link><description>Новости"
            f"</description>{''.join(parts)}</channel></rss>")


def urlset(locs: list[str], extra: str = "") -> str:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>2021-10-14</lastmod></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {SITEMAP_NS} {NEWS_NS}>{urls}{extra}</urlset>'


def index(locs: list[str]) -> str:
    maps = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {SITEMAP_NS}>{maps}</sitemapindex>'


def serve_articles(server, count: int = 2) -> list[str]:
    for n in range(count):
        server.static(f"/news/{n}", article(n))
    return [server.url(f"/news/{n}") for n in range(count)]


def two_item_rss(server, summary: bool = True) -> str:
    links = serve_articles(server)
    return rss([
        {"title": seed_lines(0)[0], "link": links[0], "date": "Mon, 10 Feb 2020 10:00:00 +0600",
         "author": "Айгуль Сапарова", "summary": seed_lines(0)[1] if summary else ""},
        {"title": seed_lines(1)[0], "link": links[1], "date": "Tue, 11 Feb 2020 09:30:00 +0600",
         "summary": seed_lines(1)[1] if summary else ""},
    ])


def items_of(results: list) -> list[RawItem]:
    return [r for r in results if isinstance(r, RawItem)]


def skips_of(results: list) -> list[Skip]:
    return [r for r in results if isinstance(r, Skip)]


@pytest.fixture
def fetcher():
    with Fetcher(fast_options(retries=0)) as fetch:
        yield fetch


def test_rss_entries_become_their_pages(http_server, fetcher):
    http_server.static("/rss.xml", two_item_rss(http_server), content_type="application/rss+xml")
    results = list(read_feed(http_server.url("/rss.xml"), fetcher, source_id=7))
    first, second = items_of(results)
    assert len(results) == 2
    assert first.kind == "html" and seed_lines(0)[1] in first.body.decode()
    assert first.origin == "url:" + http_server.url("/news/0") == "url:" + first.url
    assert first.title == seed_lines(0)[0] and first.author == "Айгуль Сапарова"
    assert first.published == datetime(2020, 2, 10, 4, 0, tzinfo=timezone.utc)
    assert second.published == datetime(2020, 2, 11, 3, 30, tzinfo=timezone.utc)
    assert first.fetched_at.tzinfo is not None and first.source_id == 7
    assert first.meta["feed_url"] == http_server.url("/rss.xml") and "fallback" not in first.meta
    assert first.meta["charset"] == "utf-8"


def test_atom_entries_with_relative_links(http_server, fetcher):
    serve_articles(http_server, 3)
    entries = "".join(
        f'<entry><title>{escape(seed_lines(n)[0])}</title><link rel="alternate" href="/news/{n}"/>'
        f"<id>urn:liter:{n}</id><published>2021-10-14T15:00:00+06:00</published>"
        f"<updated>2021-10-14T15:00:00+06:00</updated><author><name>Liter.kz</name></author>"
        f"<summary>{escape(seed_lines(n)[1])}</summary></entry>"
        for n in (2, 0, 1)
    )
    feed = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Liter.kz</title><id>urn:liter</id><updated>2021-10-14T09:00:00Z</updated>"
            f"{entries}</feed>")
    http_server.static("/atom.xml", feed, content_type="application/atom+xml")
    items = items_of(read_feed(http_server.url("/atom.xml"), fetcher))
    assert [i.url for i in items] == [http_server.url(f"/news/{n}") for n in (2, 0, 1)]
    assert seed_lines(2)[1] in items[0].body.decode()
    assert items[0].published == datetime(2021, 10, 14, 9, 0, tzinfo=timezone.utc)
    assert items[0].author == "Liter.kz" and items[0].meta["entry_id"] == "urn:liter:2"


def test_failed_page_falls_back_to_the_feed_text(http_server, fetcher):
    feed = two_item_rss(http_server).replace(
        "</channel>", f"<item><title>Без текста</title><link>{http_server.url('/news/9')}</link>"
                      "</item></channel>")
    http_server.static("/rss.xml", feed)
    http_server.static("/news/1", "boom", status=500)  # /news/9 is not there at all
    ok, fallback, missing = read_feed(http_server.url("/rss.xml"), fetcher)
    assert isinstance(ok, RawItem) and "fallback" not in ok.meta
    assert isinstance(fallback, RawItem) and fallback.kind == "html"
    assert fallback.meta["fallback"] == "feed_content" and fallback.meta["fetch_error"] == "http_status"
    assert fallback.body == seed_lines(1)[1] and fallback.url == http_server.url("/news/1")
    assert fallback.fetched_at.tzinfo == timezone.utc
    assert isinstance(missing, Skip) and missing.reason == "http_status"
    assert "/news/9" in missing.message


def test_one_bad_entry_does_not_stop_the_feed(http_server, fetcher):
    feed = two_item_rss(http_server).replace(
        "<item>", "<item><title>Битая ссылка</title><link>http://[bad</link>"
                  "<guid isPermaLink='false'>bad-1</guid>"
                  "<description>Текст из ленты.</description></item><item>", 1)
    http_server.static("/rss.xml", feed)
    results = list(read_feed(http_server.url("/rss.xml"), fetcher))
    assert len(items_of(results)) == 3
    assert results[0].origin == "guid:bad-1" and results[0].body == "Текст из ленты."


def test_seen_entries_are_skipped_before_their_page_is_fetched(http_server, fetcher):
    http_server.static("/rss.xml", two_item_rss(http_server))
    stored = {"url:" + http_server.url("/news/0")}
    results = list(read_feed(http_server.url("/rss.xml"), fetcher, seen=stored.__contains__))
    assert [type(r) for r in results] == [Skip, RawItem]
    assert results[0].reason == "unchanged"
    assert http_server.received("/news/0") == [] and len(http_server.received("/news/1")) == 1


def test_without_page_fetches_the_feed_text_is_the_item(http_server, fetcher):
    http_server.static("/rss.xml", two_item_rss(http_server))
    items = items_of(read_feed(http_server.url("/rss.xml"), fetcher, fetch_pages=False))
    assert [i.body for i in items] == [seed_lines(0)[1], seed_lines(1)[1]]
    assert all(i.meta["body_from"] == "feed_content" and "fallback" not in i.meta for i in items)
    assert http_server.received("/news/0") == []


@pytest.mark.parametrize("body", [
    "<html><body><p>Страница не найдена</p></body></html>",
    "\x00\x01 это не лента {",
])
def test_malformed_feed_raises_feed_error(http_server, fetcher, body):
    http_server.conditional("/rss.xml", body)
    url = http_server.url("/rss.xml")
    for _ in range(2):  # a broken feed is not hidden behind a 304 on the next poll
        with pytest.raises(FeedError) as caught:
            list(read_feed(url, fetcher))
        assert isinstance(caught.value, FetchError) and caught.value.reason == "bad_feed"
        assert url in str(caught.value)


def test_a_feed_that_cannot_be_fetched_raises(http_server, fetcher):
    with pytest.raises(FetchError) as caught:
        list(read_feed(http_server.url("/missing.xml"), fetcher))
    assert caught.value.reason == "http_status" and caught.value.status == 404


def test_a_feed_body_naming_a_local_file_is_not_opened(http_server, fetcher, tmp_path):
    local = tmp_path / "feed.xml"
    local.write_text(rss([{"title": "local", "link": "http://example.kz/x", "date": ""}]))
    http_server.static("/rss.xml", str(local), content_type="application/rss+xml")
    with pytest.raises(FeedError):
        list(read_feed(http_server.url("/rss.xml"), fetcher))


def test_second_poll_of_an_unchanged_feed_yields_nothing(http_server, fetcher):
    http_server.conditional("/rss.xml", two_item_rss(http_server), etag='"feed-1"')
    url = http_server.url("/rss.xml")
    assert len(items_of(read_feed(url, fetcher))) == 2
    assert list(read_feed(url, fetcher)) == []
    assert http_server.received("/rss.xml")[1].headers["if-none-match"] == '"feed-1"'


def test_an_interrupted_poll_reads_the_feed_in_full_next_time(http_server, fetcher):
    http_server.conditional("/rss.xml", two_item_rss(http_server))
    url = http_server.url("/rss.xml")
    reading = read_feed(url, fetcher)
    next(reading)
    reading.close()
    assert len(items_of(read_feed(url, fetcher))) == 2


def test_sitemap_index_leads_through_urlsets_to_pages(http_server, fetcher):
    links = serve_articles(http_server, 3)
    news = (f"<url><loc>{links[2]}</loc><news:news><news:publication>"
            "<news:name>Kazinform</news:name><news:language>ru</news:language></news:publication>"
            "<news:publication_date>2020-02-10T10:00:00+06:00</news:publication_date>"
            f"<news:title>{escape(seed_lines(2)[0])}</news:title></news:news></url>")
    http_server.static("/sitemap.xml", index([http_server.url("/s1.xml"), http_server.url("/s2.xml")]),
                       content_type="application/xml")
    http_server.static("/s1.xml", urlset(links[:2]), content_type="application/xml")
    http_server.static("/s2.xml", urlset([], news), content_type="application/xml")
    items = items_of(read_sitemap(http_server.url("/sitemap.xml"), fetcher, source_id=3))
    assert [i.url for i in items] == links
    assert all(i.fetched_at.tzinfo == timezone.utc for i in items)
    assert items[0].meta["lastmod"] == "2021-10-14" and items[0].source_id == 3
    assert items[0].meta["sitemap_url"] == http_server.url("/s1.xml")
    assert seed_lines(0)[1] in items[0].body.decode()
    assert items[2].title == seed_lines(2)[0]
    assert items[2].published == datetime(2020, 2, 10, 4, 0, tzinfo=timezone.utc)


def test_gzipped_sitemap(http_server, fetcher):
    links = serve_articles(http_server)
    http_server.static("/sitemap.xml.gz", gzipped(urlset(links).encode()),
                       content_type="application/x-gzip")
    items = items_of(read_sitemap(http_server.url("/sitemap.xml.gz"), fetcher))
    assert [i.url for i in items] == links


def test_gzip_bomb_sitemaps_are_refused(http_server):
    http_server.gzip_bomb("/bomb.xml.gz", 64 << 20, content_encoding=False)
    http_server.static("/index.xml", index([http_server.url("/bomb.xml.gz")]))
    with Fetcher(fast_options(max_bytes=1 << 20)) as fetch:
        with pytest.raises(FetchError) as caught:
            list(read_sitemap(http_server.url("/bomb.xml.gz"), fetch))
        assert caught.value.reason == "too_large"
        (skip,) = read_sitemap(http_server.url("/index.xml"), fetch)
    assert skip.reason == "too_large"


def test_sitemap_entities_are_not_resolved(http_server, fetcher, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(http_server.url("/secret"))
    http_server.static("/secret", article(0))
    xml = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY leak SYSTEM "file://{secret}">]>'
           f"<urlset {SITEMAP_NS}><url><loc>&leak;</loc></url></urlset>")
    http_server.static("/sitemap.xml", xml)
    assert list(read_sitemap(http_server.url("/sitemap.xml"), fetcher)) == []
    assert http_server.received("/secret") == []


def test_sitemap_limit_leaves_the_rest_for_the_next_poll(http_server, fetcher):
    links = serve_articles(http_server, 3)
    http_server.conditional("/sitemap.xml", urlset(links))
    url = http_server.url("/sitemap.xml")
    first = items_of(read_sitemap(url, fetcher, limit=2))
    stored = {i.origin for i in first}
    second = list(read_sitemap(url, fetcher, seen=stored.__contains__))
    assert len(first) == 2
    assert [i.url for i in items_of(second)] == [links[2]]
    assert [s.reason for s in skips_of(second)] == ["unchanged", "unchanged"]
    assert list(read_sitemap(url, fetcher)) == []  # read in full: now a 304


def test_nested_sitemap_failures_and_cycles_become_skips(http_server, fetcher):
    paths = [f"/i{n}.xml" for n in range(MAX_DEPTH + 1)]
    chain = [http_server.url(path) for path in paths]
    for path, here, there in zip(paths, chain, chain[1:]):
        http_server.static(path, index([here, there]))  # each lists itself: a cycle
    http_server.static(paths[-1], urlset([]))
    http_server.static("/top.xml", index([chain[0], http_server.url("/broken.xml"),
                                          http_server.url("/absent.xml")]))
    http_server.static("/broken.xml", "<urlset><url><loc>")
    reasons = [s.reason for s in read_sitemap(http_server.url("/top.xml"), fetcher)]
    assert reasons == ["too_deep", "bad_sitemap", "http_status"]


@pytest.mark.parametrize("body", ["<urlset><url><loc>", "<rss version='2.0'></rss>", ""])
def test_unreadable_sitemap_raises(http_server, fetcher, body):
    http_server.static("/sitemap.xml", body)
    with pytest.raises(SitemapError) as caught:
        list(read_sitemap(http_server.url("/sitemap.xml"), fetcher))
    assert caught.value.reason == "bad_sitemap"


def test_read_page_then_nothing_while_unchanged(http_server, fetcher):
    http_server.conditional("/news/0", article(0), last_modified="Mon, 10 Feb 2020 10:00:00 GMT")
    url = http_server.url("/news/0")
    (item,) = read_page(url, fetcher, source_id=5)
    assert item.origin == f"url:{url}" and item.kind == "html" and item.source_id == 5
    assert seed_lines(0)[0] in item.body.decode() and item.fetched_at.tzinfo is not None
    assert list(read_page(url, fetcher)) == []


def test_read_page_skips_what_is_not_a_page(http_server, fetcher):
    http_server.static("/logo.png", b"\x89PNG\r\n", content_type="image/png")
    (skip,) = read_page(http_server.url("/logo.png"), fetcher)
    assert skip.reason == "unsupported" and "image/png" in skip.message
