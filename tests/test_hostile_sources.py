"""Hostile input to the readers: files and exports of any shape, JSON and CSV that break the
rules, Telegram exports with wrong types, feeds and sitemaps with entity bombs and external
entities, compressed bodies that explode, robots.txt that trips Python's parser."""

from __future__ import annotations

import gzip
import json
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.t_sources import check_items, fuzz_files, fuzz_robots, response
from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from kelisim.net import Fetcher, FetchError
from kelisim.net.decode import BadEncoding, TooLarge, decode_body
from kelisim.net.guard import parse_target
from kelisim.net.robots import MAX_CRAWL_DELAY, RobotsCache, rules_from
from kelisim.prepare import prepare
from kelisim.records import RawItem, Skip
from kelisim.sources.feeds import FeedError, parse_feed
from kelisim.sources.files import read_file, read_jsonl_stream
from kelisim.sources.records_fields import FieldMap, MappingError
from kelisim.sources.sitemaps import SitemapError, parse_sitemap
from kelisim.sources.telegram import read_telegram_export

if __package__:
    from .conftest_http import fast_options, http_server  # noqa: F401 (fixture)
else:
    from conftest_http import fast_options, http_server  # noqa: F401 (fixture)

OPTIONS = IngestOptions()
TEXT = "В Таразе прошёл круглый стол Ассамблеи народа Казахстана о межэтническом согласии."
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
    | st.sampled_from(["\ud800", "\u202eabc", "", " ", TEXT]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
FIELDS = ("id", "text", "body", "html", "title", "date", "url", "author", "type", "from",
          "date_unixtime", "views", "forwarded_from", "edited", "messages", "name")
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6)
quick = settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def read(path: Path, text: str | bytes) -> list[RawItem | Skip]:
    """Write ``text`` to ``path`` and read it back as items."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    return list(read_file(path, OPTIONS))


def skip_of(results: list) -> Skip:
    (skip,) = [r for r in results if isinstance(r, Skip)]
    return skip


# ----- properties -----------------------------------------------------------------------------


@quick
@given(st.integers(0, 7), st.binary(max_size=800))
def test_every_file_kind_gives_items_or_skips_for_any_bytes(suffix, payload):
    fuzz_files(bytes([suffix]) + payload)


@quick
@given(st.lists(records, max_size=4), st.booleans())
def test_json_and_jsonl_records_of_any_shape_are_items_or_skips(tmp_path_factory, rows, lines):
    folder = tmp_path_factory.mktemp("records")
    if lines:
        text = "\n".join(json.dumps(r) for r in rows)
        check_items(read(folder / "a.jsonl", text))
    else:
        check_items(read(folder / "a.json", json.dumps(rows)))


@quick
@given(json_values, st.lists(records, max_size=5))
def test_telegram_exports_with_wrong_types_are_items_or_skips(name, messages):
    export = {"name": name, "type": "public_channel", "messages": messages}
    check_items(list(read_telegram_export(export, Path("/exports/result.json"), None)))


@quick
@given(st.text(max_size=60))
def test_a_field_map_is_parsed_or_refused_with_a_mapping_error(spec):
    try:
        fields = FieldMap.parse(spec)
    except MappingError as error:
        assert str(error)
    else:
        assert set(fields.explicit) <= {"text", "html", "title", "url", "date", "author", "id"}


@quick
@given(st.sampled_from(range(10)), st.text(st.sampled_from(
    "User-agent:*Disallow/Allow:Crawl-delay Request-rate²٣//[%2F5B#\n 9a"), max_size=120))
def test_robots_txt_of_any_content_gives_decisions_and_a_capped_delay(status, text):
    fuzz_robots(bytes([status]) + text.encode())


# ----- JSON that breaks the parser's limits -----------------------------------------------------


@pytest.mark.parametrize("name, text, detail", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("big.json", '{"text": 1' + "0" * 5000 + "}", "a number too long to read"),
    ("cut.json", '{"text": "' + TEXT, "Unterminated string"),
])
def test_json_that_json_loads_chokes_on_is_a_clear_skip(tmp_path, name, text, detail):
    skip = skip_of(read(tmp_path / name, text))
    assert skip.reason == "malformed_json" and detail in skip.message


def test_a_deep_line_in_json_lines_skips_that_line_only(tmp_path):
    lines = [json.dumps({"text": TEXT}), "[" * 50_000, json.dumps({"text": [[[[[["глубоко"]]]]]] * 3})]
    results = read(tmp_path / "a.jsonl", "\n".join(lines))
    assert [type(r).__name__ for r in results] == ["RawItem", "Skip", "RawItem"]
    assert "line 2 is not valid JSON (nested too deeply)" in results[1].message


def test_a_field_nested_as_deep_as_json_allows_is_no_text_not_a_crash(tmp_path):
    record = '{"title": "t", "text": ' + "[" * 900 + '"x"' + "]" * 900 + "}"
    assert skip_of(read(tmp_path / "a.json", record)).reason == "no_text"


def test_lone_surrogates_in_json_are_replaced_and_the_records_are_stored(tmp_path):
    lines = [
        json.dumps({"id": "a", "title": "\udc80Заголовок", "text": f"{TEXT} \ud800"}),
        json.dumps({"id": "b", "text": "Аким Жамбылской области встретился с этномедиаторами "
                                       "Кордайского района. Эмодзи: \ud83d\ude00, и строка "
                                       "\\\\ud800."}),
    ]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'k.db'}", ingest=IngestOptions(workers=1))
    with Kelisim(settings) as k:
        summary = k.ingest_paths([tmp_path / "in"])
        assert summary.added == 2 and not summary.skipped
        (first,) = [k.store.get_document(h.document_id).text for h in k.search("Таразе").hits]
        (second,) = [k.store.get_document(h.document_id).text for h in k.search("аким").hits]
        assert first.endswith("согласии. \ufffd")
        assert "😀" in second and "\\ud800" in second
        assert k.store.integrity_problems() == []


def test_undecodable_standard_input_becomes_replacement_characters():
    stdin = '{"text": "' + TEXT + ' \udcd0\udcbf"}\n'  # bytes read under a C locale
    (item,) = read_jsonl_stream(stdin)
    assert item.body.endswith("\ufffd\ufffd")


def test_a_telegram_message_with_a_list_for_its_time_keeps_its_text(tmp_path):
    export = {"name": "Канал", "type": "public_channel", "messages": [
        {"id": 1, "type": "message", "text": TEXT, "date_unixtime": [1]},
        {"id": 2, "type": "message", "text": TEXT, "date": {"y": 2021}},
        {"id": {"x": 1}, "type": ["message"], "text": [{"text": 5}, None, TEXT]},
    ]}
    results = read(tmp_path / "tg" / "result.json", json.dumps(export))
    assert [r.published for r in results[:2]] == [None, None]
    assert len(results) == 2  # the third has a type that is not "message"


# ----- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_csv_with_a_bom_and_any_line_end_reads_every_row(tmp_path, newline):
    rows = ["id,text", f'1,"{TEXT}"', '2,"Строка с запятой, и ""кавычками"""', "3,третья"]
    results = read(tmp_path / "a.csv", "\ufeff" + newline.join(rows) + newline)
    assert [r.body for r in results] == [TEXT, 'Строка с запятой, и "кавычками"', "третья"]


def test_ragged_and_header_only_csv_files(tmp_path):
    ragged = read(tmp_path / "r.csv", f"id,text\n1,{TEXT},лишнее,ещё\n2\n3,третья\n")
    assert [type(r).__name__ for r in ragged] == ["RawItem", "Skip", "RawItem"]
    assert read(tmp_path / "h.csv", "id,text\n") == []
    assert skip_of(read(tmp_path / "n.csv", "text\nабв\x00где\n")).reason == "binary"


# ----- archives and compressed bodies -----------------------------------------------------------


def test_archives_are_not_opened_and_a_compressed_text_is_binary(tmp_path):
    bomb = gzip.compress(b"\0" * (32 << 20))  # 32 MiB of zeros in 32 KiB
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"\0" * (32 << 20))
    (tmp_path / "bomb.gz").write_bytes(bomb)
    assert skip_of(list(read_file(tmp_path / "bomb.zip", OPTIONS))).reason == "unsupported"
    assert skip_of(list(read_file(tmp_path / "bomb.gz", OPTIONS))).reason == "unsupported"
    for name in ("bomb.json", "bomb.csv", "bomb.jsonl"):
        assert skip_of(read(tmp_path / name, bomb)).reason == "binary"
    zipped = (tmp_path / "bomb.zip").read_bytes()
    for name, body in (("bomb.txt", bomb), ("docx.html", zipped)):
        (item,) = read(tmp_path / name, body)  # a document is decoded when it is prepared
        assert prepare(item, OPTIONS).reason == "binary"


@pytest.mark.parametrize("encoding, body", [
    ("deflate", zlib.compress(b"\0" * (8 << 20), 9)),
    ("deflate", zlib.compress(b"\0" * (8 << 20), 9)[2:-4]),  # raw deflate, as some servers send
    ("gzip", gzip.compress(b"\0" * (1 << 20)) * 8),  # concatenated members, 1 MiB each
])
def test_deflate_and_multi_member_bombs_are_refused_by_the_decoded_size(encoding, body):
    assert len(body) < 64 * 1024
    with pytest.raises(TooLarge):
        decode_body([body[i:i + 4096] for i in range(0, len(body), 4096)], encoding, 4 << 20)


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "gzip, br", "compress"])
def test_encodings_we_do_not_decode_are_refused_not_passed_through(encoding):
    with pytest.raises(BadEncoding, match="unsupported Content-Encoding"):
        decode_body([gzip.compress(TEXT.encode())], encoding, 1 << 20)


def test_a_gzip_body_with_garbage_after_it_is_the_body_or_refused():
    body = gzip.compress(TEXT.encode()) + b"\x00garbage"
    assert decode_body([body], "gzip", 1 << 20) == TEXT.encode()
    with pytest.raises(BadEncoding):
        decode_body([gzip.compress(TEXT.encode())[:-12] + b"\xff" * 12], "gzip", 1 << 20)


# ----- feeds and sitemaps: entity bombs and external entities ---------------------------------

# «Billion laughs»: each entity is ten of the one before; &lol9; is 10⁹ times «lol».
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


def test_a_feed_that_declares_entities_is_refused_at_once():
    rss = (f'<?xml version="1.0"?><!DOCTYPE rss [{LAUGHS}]><rss version="2.0"><channel><item>'
           f"<title>&lol9;</title><link>http://e.kz/1</link><description>&lol9;</description>"
           f"</item></channel></rss>")
    for body in (rss.encode(), rss.encode("utf-16"), rss.replace("><", ">\n<").encode()):
        with pytest.raises(FeedError, match="declares XML entities"):
            parse_feed("https://e.kz/rss", response("https://e.kz/rss", body, "application/rss+xml"))


def test_external_entities_and_dtds_are_never_fetched_or_read(http_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    http_server.static("/evil.dtd", '<!ENTITY leak "LEAKED">', content_type="application/xml-dtd")
    doctype = (f'<!DOCTYPE rss SYSTEM "{http_server.url("/evil.dtd")}">')
    rss = (f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><item><title>a&leak;'
           f"</title><link>http://e.kz/1</link><description>{TEXT}</description></item>"
           f"</channel></rss>")
    (entry,) = parse_feed("https://e.kz/rss", response("https://e.kz/rss", rss.encode(), "text/xml"))
    assert "LEAKED" not in repr(entry) and "TOPSECRET" not in repr(entry)
    sitemap = (f'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "{http_server.url("/evil.dtd")}">'
               f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
               f"https://e.kz/&leak;</loc></url></urlset>")
    parsed = parse_sitemap("https://e.kz/s.xml", response("https://e.kz/s.xml", sitemap.encode(),
                                                          "text/xml"), 1 << 20)
    assert "LEAKED" not in repr(parsed)
    assert http_server.received("/evil.dtd") == []


def test_a_sitemap_entity_bomb_is_not_expanded():
    xml = (f'<?xml version="1.0"?><!DOCTYPE urlset [{LAUGHS}]><urlset xmlns="http://www.'
           f'sitemaps.org/schemas/sitemap/0.9"><url><loc>https://e.kz/&lol9;</loc></url></urlset>')
    try:
        parsed = parse_sitemap("https://e.kz/s.xml", response("https://e.kz/s.xml", xml.encode(),
                                                              "text/xml"), 1 << 20)
    except SitemapError:
        return
    assert all(len(entry.loc) < 100 for entry in parsed.entries)


def test_a_sitemap_nested_deeper_than_the_xml_parser_allows_is_a_sitemap_error():
    xml = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "<url>" * 100_000
           + "</url>" * 100_000 + "</urlset>")
    with pytest.raises(SitemapError, match="not well-formed XML"):
        parse_sitemap("https://e.kz/s.xml", response("https://e.kz/s.xml", xml.encode(), "text/xml"),
                      1 << 30)


# ----- robots.txt that Python's parser chokes on ----------------------------------------------


@pytest.mark.parametrize("line", [
    "Crawl-delay: ²", "Request-rate: ٣/5", "Crawl-delay: " + "9" * 5000,
    "Request-rate: 1/" + "9" * 5000, "Disallow: //[", "Disallow: %2F%2F%5B",
])
def test_robots_lines_pythons_parser_chokes_on_are_left_out(line):
    body = f"User-agent: *\n{line}\nDisallow: /private/\nCrawl-delay: 2\n".encode()
    cache = RobotsCache("KelisimBot", lambda url: (200, body))
    cache.check(parse_target("https://e.kz/news/1"))
    with pytest.raises(FetchError, match="disallows"):
        cache.check(parse_target("https://e.kz/private/1"))
    assert cache.crawl_delay(parse_target("https://e.kz/news/1")) == 2.0


def test_a_crawl_delay_too_large_for_a_float_is_capped():
    rules = rules_from(200, ("User-agent: *\nCrawl-delay: " + "9" * 400).encode())
    assert rules.rules.crawl_delay("KelisimBot") > 10**399
    cache = RobotsCache("KelisimBot", lambda url: (200, ("User-agent: *\nCrawl-delay: " + "9" * 400).encode()))
    assert cache.crawl_delay(parse_target("https://e.kz/")) == MAX_CRAWL_DELAY


def test_the_fetcher_survives_a_hostile_robots_txt(http_server):
    http_server.robots("User-agent: *\nCrawl-delay: ²\nDisallow: /private/\n")
    http_server.static("/news/1", f"<html><body><p>{TEXT}</p></body></html>")
    with Fetcher(fast_options(retries=0)) as fetcher:
        assert fetcher.fetch(http_server.url("/news/1")).status == 200
        with pytest.raises(FetchError) as refused:
            fetcher.fetch(http_server.url("/private/x"))
    assert refused.value.reason == "robots"
