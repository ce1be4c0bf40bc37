"""The fetcher against a real HTTP server on 127.0.0.1: politeness, limits and the SSRF guard."""

from __future__ import annotations

import ipaddress
import socket
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kelisim.config import FetchOptions
from kelisim.net import FetchError, Fetcher, MemoryValidatorCache, gunzip_capped
from kelisim.net.errors import REASONS
from kelisim.net.guard import blocked_kind

if __package__:  # tests/ is a package
    from .conftest_http import fast_options, http_server  # noqa: F401 (fixture)
    from .httpserver import gzipped
else:
    from conftest_http import fast_options, http_server  # noqa: F401 (fixture)
    from httpserver import gzipped

PAGE = "<html><body><p>В столице начался круглый стол по актуальным вопросам этнополитики.</p>"
ROOT = Path(__file__).resolve().parents[1]


def fetcher(**changes: object) -> Fetcher:
    return Fetcher(fast_options(**changes))


def reason_of(fetch: Fetcher, url: str, conditional: bool = True) -> str:
    with pytest.raises(FetchError) as caught:
        fetch.fetch(url, conditional)
    assert caught.value.url in str(caught.value)
    return caught.value.reason


def test_fetch_returns_body_headers_and_sends_our_user_agent(http_server):
    http_server.static("/a", PAGE, content_type="text/html; charset=UTF-8")
    with fetcher() as fetch:
        response = fetch.fetch(http_server.url("/a"))
    assert response.status == 200 and response.body.decode() == PAGE
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert response.url == http_server.url("/a") and not response.not_modified
    assert response.fetched_at.tzinfo is not None
    seen = http_server.received("/a")[0]
    assert seen.headers["user-agent"] == FetchOptions().user_agent
    assert seen.headers["accept-encoding"] == "gzip, deflate"


def test_robots_disallow_is_obeyed_and_robots_is_fetched_once(http_server):
    http_server.robots("User-agent: *\nDisallow: /private\n")
    http_server.static("/private/a", PAGE)
    http_server.static("/public", PAGE)
    with fetcher() as fetch:
        assert reason_of(fetch, http_server.url("/private/a")) == "robots"
        assert fetch.fetch(http_server.url("/public")).status == 200
        assert fetch.fetch(http_server.url("/public")).status == 200
    assert http_server.received("/private/a") == []
    assert len(http_server.received("/robots.txt")) == 1


def test_robots_rules_for_our_agent_win_over_the_star_group(http_server):
    http_server.robots("User-agent: *\nAllow: /\n\nUser-agent: Kelisim\nDisallow: /\n")
    http_server.static("/a", PAGE)
    with fetcher() as fetch:
        assert reason_of(fetch, http_server.url("/a")) == "robots"


@pytest.mark.parametrize("status, allowed", [(404, True), (403, True), (500, False), (503, False)])
def test_robots_missing_allows_robots_failing_disallows(http_server, status, allowed):
    http_server.robots("", status=status)
    http_server.static("/a", PAGE)
    with fetcher(retries=0) as fetch:
        if allowed:
            assert fetch.fetch(http_server.url("/a")).status == 200
        else:
            assert reason_of(fetch, http_server.url("/a")) == "robots"


def test_unreachable_robots_keeps_us_away_from_the_site(http_server):
    http_server.hang("/robots.txt")
    http_server.static("/a", PAGE)
    with fetcher(retries=0, read_timeout=0.2) as fetch:
        assert reason_of(fetch, http_server.url("/a")) == "timeout"
        assert reason_of(fetch, http_server.url("/a")) == "timeout"
    assert http_server.received("/a") == [] and len(http_server.received("/robots.txt")) == 1


def test_robots_can_be_ignored_for_own_sites(http_server):
    http_server.robots("User-agent: *\nDisallow: /\n")
    http_server.static("/a", PAGE)
    with fetcher(respect_robots=False) as fetch:
        assert fetch.fetch(http_server.url("/a")).status == 200
    assert http_server.received("/robots.txt") == []


def test_requests_to_one_host_keep_min_interval(http_server):
    for path in ("/1", "/2", "/3"):
        http_server.static(path, PAGE)
    with fetcher(min_interval=0.2) as fetch:
        for path in ("/1", "/2", "/3"):
            fetch.fetch(http_server.url(path))
    times = [r.at for r in http_server.received()]
    assert len(times) == 4  # robots.txt counts as a request to the host too
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert min(gaps) >= 0.19, gaps


def test_crawl_delay_of_robots_slows_us_down(http_server):
    http_server.robots("User-agent: *\nCrawl-delay: 2\n")
    http_server.static("/a", PAGE)
    pauses: list[float] = []
    with Fetcher(fast_options(), sleep=pauses.append) as fetch:
        fetch.fetch(http_server.url("/a"))
    assert pauses and max(pauses) > 1.5


def test_retries_after_500_then_succeeds(http_server):
    http_server.flaky("/a", PAGE, failures=2)
    with fetcher(retries=2) as fetch:
        assert fetch.fetch(http_server.url("/a")).body.decode() == PAGE
    assert len(http_server.received("/a")) == 3


def test_retries_exhausted_raise_http_status(http_server):
    http_server.flaky("/a", PAGE, failures=5, status=503)
    with fetcher(retries=2) as fetch, pytest.raises(FetchError) as caught:
        fetch.fetch(http_server.url("/a"))
    assert caught.value.reason == "http_status" and caught.value.status == 503
    assert "503" in str(caught.value) and http_server.url("/a") in str(caught.value)
    assert len(http_server.received("/a")) == 3


def test_client_errors_are_not_retried(http_server):
    http_server.static("/gone", "gone", status=404)
    with fetcher(retries=3) as fetch:
        assert reason_of(fetch, http_server.url("/gone")) == "http_status"
    assert len(http_server.received("/gone")) == 1


def test_retry_after_is_honoured(http_server):
    http_server.flaky("/a", PAGE, failures=1, status=429, headers={"Retry-After": "7"})
    pauses: list[float] = []
    with Fetcher(fast_options(), sleep=pauses.append) as fetch:
        assert fetch.fetch(http_server.url("/a")).status == 200
    assert 7.0 in pauses


def test_retry_after_beyond_the_cap_fails_at_once(http_server):
    http_server.flaky("/a", PAGE, failures=1, status=429, headers={"Retry-After": "86400"})
    pauses: list[float] = []
    with Fetcher(fast_options(), sleep=pauses.append) as fetch, pytest.raises(FetchError) as caught:
        fetch.fetch(http_server.url("/a"))
    assert caught.value.status == 429 and caught.value.retry_after == 86400
    assert pauses == [] and len(http_server.received("/a")) == 1


def test_second_fetch_is_conditional_and_gets_304(http_server):
    http_server.conditional("/a", PAGE, etag='"abc"', last_modified="Mon, 10 Feb 2020 10:00:00 GMT")
    cache = MemoryValidatorCache()
    with Fetcher(fast_options(), cache) as fetch:
        first = fetch.fetch(http_server.url("/a"))
        second = fetch.fetch(http_server.url("/a"))
    assert first.body.decode() == PAGE and not first.not_modified
    assert second.not_modified and second.status == 304 and second.body == b""
    assert cache.get(http_server.url("/a")) == ('"abc"', "Mon, 10 Feb 2020 10:00:00 GMT")
    sent = http_server.received("/a")[1].headers
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == "Mon, 10 Feb 2020 10:00:00 GMT"


def test_last_modified_alone_gives_304(http_server):
    http_server.conditional("/a", PAGE, etag=None, last_modified="Mon, 10 Feb 2020 10:00:00 GMT")
    with fetcher() as fetch:
        fetch.fetch(http_server.url("/a"))
        assert fetch.fetch(http_server.url("/a")).not_modified


def test_unconditional_fetch_neither_sends_nor_stores_validators(http_server):
    http_server.conditional("/a", PAGE)
    with fetcher() as fetch:
        fetch.fetch(http_server.url("/a"), conditional=False)
        assert fetch.validators.get(http_server.url("/a")) is None
        fetch.fetch(http_server.url("/a"))
        assert not fetch.fetch(http_server.url("/a"), conditional=False).not_modified
    assert "if-none-match" not in http_server.received("/a")[2].headers


def test_forget_drops_validators(http_server):
    http_server.conditional("/a", PAGE)
    with fetcher() as fetch:
        fetch.fetch(http_server.url("/a"))
        fetch.forget(http_server.url("/a"))
        assert not fetch.fetch(http_server.url("/a")).not_modified


def test_too_large_by_content_length(http_server):
    http_server.static("/big", b"x" * 5000)
    with fetcher(max_bytes=1000) as fetch:
        assert reason_of(fetch, http_server.url("/big")) == "too_large"


def test_too_large_while_streaming_without_content_length(http_server):
    http_server.stream("/big", [b"x" * 700] * 10)
    with fetcher(max_bytes=1000) as fetch:
        assert reason_of(fetch, http_server.url("/big")) == "too_large"
    http_server.stream("/small", [b"x" * 300] * 3)
    with fetcher(max_bytes=1000) as fetch:
        assert len(fetch.fetch(http_server.url("/small")).body) == 900


def test_endless_body_is_cut_by_the_total_deadline(http_server):
    http_server.trickle("/endless")
    started = time.monotonic()
    with fetcher(total_timeout=0.5, read_timeout=1.0) as fetch:
        assert reason_of(fetch, http_server.url("/endless")) == "timeout"
    assert time.monotonic() - started < 1.5
    assert len(http_server.received("/endless")) == 1  # not retried


def test_hanging_server_is_cut_by_the_read_timeout_and_retried(http_server):
    http_server.hang("/hang")
    started = time.monotonic()
    with fetcher(read_timeout=0.2, retries=1) as fetch:
        assert reason_of(fetch, http_server.url("/hang")) == "timeout"
    assert time.monotonic() - started < 1.5
    assert len(http_server.received("/hang")) == 2


def test_redirects_are_followed_to_the_final_url(http_server):
    http_server.redirect("/old", "/moved")
    http_server.redirect("/moved", http_server.url("/new"), status=301)
    http_server.static("/new", PAGE)
    with fetcher() as fetch:
        response = fetch.fetch(http_server.url("/old"))
    assert response.url == http_server.url("/new") and response.body.decode() == PAGE


def test_redirect_loop_is_an_error(http_server):
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    with fetcher(max_redirects=10) as fetch, pytest.raises(FetchError) as caught:
        fetch.fetch(http_server.url("/a"))
    assert caught.value.reason == "too_many_redirects" and "loop" in str(caught.value)
    assert len(http_server.received()) == 3  # robots.txt, /a, /b


def test_too_many_redirects(http_server):
    for n in range(4):
        http_server.redirect(f"/{n}", f"/{n + 1}")
    http_server.static("/4", PAGE)
    with fetcher(max_redirects=2) as fetch:
        assert reason_of(fetch, http_server.url("/0")) == "too_many_redirects"
    with fetcher(max_redirects=4) as fetch:
        assert fetch.fetch(http_server.url("/0")).url == http_server.url("/4")


def test_every_redirect_hop_is_checked_again(http_server):
    http_server.robots("User-agent: *\nDisallow: /private\n")
    http_server.redirect("/go", "/private/page")
    http_server.redirect("/file", "file:///etc/passwd")
    with fetcher() as fetch:
        assert reason_of(fetch, http_server.url("/go")) == "robots"
        assert reason_of(fetch, http_server.url("/file")) == "bad_url"
    assert http_server.received("/private/page") == []


def test_gzip_page_is_decoded(http_server):
    http_server.static("/z", gzipped(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    with fetcher() as fetch:
        assert fetch.fetch(http_server.url("/z")).body.decode() == PAGE


def test_gzip_bomb_is_refused_by_the_decoded_size(http_server):
    http_server.gzip_bomb("/bomb", 64 << 20)
    with fetcher(max_bytes=1 << 20) as fetch, pytest.raises(FetchError) as caught:
        fetch.fetch(http_server.url("/bomb"))
    assert caught.value.reason == "too_large"


def test_unknown_content_encoding_is_refused(http_server):
    http_server.static("/br", b"\x00\x01", headers={"Content-Encoding": "br"})
    with fetcher() as fetch:
        assert reason_of(fetch, http_server.url("/br")) == "bad_encoding"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/a",
    "http://10.0.0.1/a",
    "http://[::1]:{port}/a",
    "http://localhost:{port}/a",
    "http://2130706433:{port}/a",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:127.0.0.1]:{port}/a",
    "http://0.0.0.0:{port}/a",
])
def test_ssrf_guard_refuses_non_public_addresses(http_server, url):
    http_server.static("/a", PAGE)
    with Fetcher(fast_options(allow_private=False)) as fetch, pytest.raises(FetchError) as caught:
        fetch.fetch(url.format(port=http_server.port))
    assert caught.value.reason == "blocked_address", caught.value
    assert http_server.received() == []


def test_the_guard_checks_the_address_actually_connected_to(http_server):
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # DNS rebinding between check and connect
    url = f"http://news.kelisim.test:{http_server.port}/a"
    options = fast_options(allow_private=False, respect_robots=False)
    with Fetcher(options, resolve=lambda host, port: next(answers)) as fetch:
        with pytest.raises(FetchError) as caught:
            fetch.fetch(url)
    assert caught.value.reason == "blocked_address" and "127.0.0.1" in str(caught.value)
    assert http_server.received() == []


def test_connections_go_to_the_resolved_address(http_server):
    http_server.static("/a", PAGE)
    url = f"http://news.kelisim.test:{http_server.port}/a"
    with Fetcher(fast_options(), resolve=lambda host, port: ["127.0.0.1"]) as fetch:
        assert fetch.fetch(url).body.decode() == PAGE
    assert http_server.received("/a")[0].headers["host"] == f"news.kelisim.test:{http_server.port}"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.kz/a", "gopher://x/",
                                 "javascript:alert(1)", "http:///nohost", "not a url"])
def test_only_http_and_https_urls(url):
    with fetcher() as fetch:
        assert reason_of(fetch, url) == "bad_url"


def no_dns(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.mark.parametrize("allow_private", [False, True])
def test_unresolvable_host_is_a_connection_error(allow_private):
    with Fetcher(fast_options(allow_private=allow_private), resolve=no_dns) as fetch:
        assert reason_of(fetch, "http://no-such-host.invalid/") == "connection"


def test_refused_connection_is_retried_then_reported():
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fetcher(retries=1, respect_robots=False) as fetch:
        assert reason_of(fetch, f"http://127.0.0.1:{port}/") == "connection"


def test_malformed_redirect_target_is_a_bad_url(http_server):
    http_server.redirect("/a", "http://[::1/oops")
    with fetcher() as fetch:
        assert reason_of(fetch, http_server.url("/a")) == "bad_url"


@pytest.mark.parametrize("address, kind", [
    ("8.8.8.8", None), ("2a00:1450:4001::1", None), ("::ffff:8.8.8.8", None),
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("100.64.0.1", "non-public"),
    ("fe80::1", "link-local"), ("fc00::1", "private"), ("224.0.0.1", "multicast"),
    ("2002:7f00:1::1", "loopback"), ("64:ff9b::a00:1", "private"), ("::", "unspecified"),
])
def test_blocked_kinds(address, kind):
    assert blocked_kind(ipaddress.ip_address(address)) == kind


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_mapped_ipv6_is_judged_like_its_ipv4(number):
    v4 = ipaddress.IPv4Address(number)
    assert blocked_kind(ipaddress.IPv6Address(f"::ffff:{v4}")) == blocked_kind(v4)


@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=4000))
def test_gunzip_capped_returns_the_data_or_refuses_past_the_limit(data, limit):
    if len(data) <= limit:
        assert gunzip_capped(gzipped(data), limit) == data
    else:
        with pytest.raises(ValueError):
            gunzip_capped(gzipped(data), limit)


def test_every_fetch_option_and_reason_is_documented():
    text = (ROOT / "docs/fetching.md").read_text(encoding="utf-8")
    for name in FetchOptions.__dataclass_fields__:
        assert f"`{name}`" in text, name
    for reason in REASONS:
        assert f"`{reason}`" in text, reason

