"""The polite, safe web fetcher: one GET at a time, within every limit of FetchOptions.

Each hop of a fetch is checked by the SSRF guard and robots.txt, waits its turn for the host,
and is retried with exponential backoff on connection errors, timeouts, 429 and 5xx.
Redirects are followed here, not by the HTTP library, so every hop is checked the same way.
The rules are written out in docs/fetching.md.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from types import TracebackType
from urllib.parse import urldefrag, urljoin

import httpcore

from kelisim.config import FetchOptions
from kelisim.net.decode import BadEncoding, TooLarge, decode_body, wire_limit
from kelisim.net.errors import FetchError
from kelisim.net.guard import Blocked, Resolver, Target, check_target, parse_target, resolve_host
from kelisim.net.robots import ROBOTS_MAX_BYTES, RobotsCache
from kelisim.net.transport import GuardedBackend, deadline
from kelisim.net.validators import MemoryValidatorCache, ValidatorCache, Validators

MAX_RETRY_AFTER = 120.0  # a longer Retry-After is not waited for: the fetch fails at once
KEEPALIVE_EXPIRY = 30.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
Header = tuple[bytes, bytes]


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One certificate-checking TLS context for the process (loading the CAs is slow)."""
    return httpcore.default_ssl_context()


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Response:
    """What a fetch brought back; ``url`` is the final URL after redirects."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str]
    content_type: str | None
    not_modified: bool = False
    charset: str | None = None
    fetched_at: datetime = field(default_factory=_now)


class _Transient(FetchError):
    """A failure worth another attempt (connection error, connect or read timeout)."""


class _Pacer:
    """Keeps at least an interval between the end of one request to a host and the next."""

    def __init__(self, interval: float, clock: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._slower: dict[str, float] = {}

    def slow_down(self, host: str, seconds: float) -> None:
        """Use a longer interval for one host (its robots.txt Crawl-delay)."""
        self._slower[host] = max(seconds, self._slower.get(host, 0.0))

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait until the host may be asked again; the block is the request."""
        if host in self._last:
            interval = max(self._interval, self._slower.get(host, 0.0))
            pause = self._last[host] + interval - self._clock()
            if pause > 0:
                self._sleep(pause)
        try:
            yield
        finally:
            # Measured from the end, so a slow answer never shortens the server's rest.
            self._last[host] = self._clock()


class Fetcher:
    """Fetches URLs politely and safely; one per thread, closed when done (or a ``with``)."""

    def __init__(
        self,
        options: FetchOptions,
        validators: ValidatorCache | None = None,
        *,
        resolve: Resolver = resolve_host,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.validators = validators if validators is not None else MemoryValidatorCache()
        self._resolve = resolve
        self._sleep = sleep
        self._pacer = _Pacer(options.min_interval, clock, sleep)
        self._robots = RobotsCache(options.user_agent, self._download_robots)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_tls_context(),
            network_backend=GuardedBackend(resolve, options.allow_private),
            keepalive_expiry=KEEPALIVE_EXPIRY,
        )

    def fetch(self, url: str, conditional: bool = True) -> Response:
        """GET a URL, following redirects; raise FetchError if no usable answer comes.

        Args:
            url: an http or https URL.
            conditional: send the stored ETag/Last-Modified (a 304 then gives a Response with
                ``not_modified=True`` and an empty body) and store the new ones after a 200.

        Returns:
            The final 2xx (or 304) response, its body decoded and within ``max_bytes``.
        """
        stored = self.validators.get(url) if conditional else None
        response = self._follow(url, _conditional_headers(stored), robots=True,
                                limit=self.options.max_bytes)
        if response.status == 304:
            return replace(response, body=b"", not_modified=True)
        if not 200 <= response.status < 300:
            raise _status_error(response)
        if conditional and response.status == 200:
            self.validators.put(url, response.headers.get("etag"),
                                response.headers.get("last-modified"))
        return response

    def forget(self, url: str) -> None:
        """Drop a URL's validators, so its next fetch downloads it in full."""
        self.validators.put(url, None, None)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _follow(self, url: str, headers: list[Header], *, robots: bool, limit: int) -> Response:
        chain = [url]
        for _ in range(self.options.max_redirects + 1):
            target = self._admit(chain[-1], robots)
            response = self._retrying(target, headers, limit)
            location = response.headers.get("location")
            if response.status not in _REDIRECTS or not location:
                return response
            chain.append(_next_hop(chain, location))
        raise FetchError(url, "too_many_redirects",
                         f"more than {self.options.max_redirects} redirects: {' -> '.join(chain)}")

    def _admit(self, url: str, robots: bool) -> Target:
        target = parse_target(url)
        if not self.options.allow_private:
            check_target(target, self._resolve)
        if robots and self.options.respect_robots:
            self._robots.check(target)
            delay = self._robots.crawl_delay(target)
            if delay:
                self._pacer.slow_down(target.host, delay)
        return target

    def _download_robots(self, url: str) -> tuple[int, bytes]:
        response = self._follow(url, [], robots=False, limit=ROBOTS_MAX_BYTES)
        return response.status, response.body

    def _retrying(self, target: Target, headers: list[Header], limit: int) -> Response:
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._exchange(target, headers, limit)
            except _Transient:
                if last:
                    raise
                self._sleep(self._backoff(attempt))
                continue
            pause = self._retry_pause(response, attempt)
            if pause is None or last:
                return response
            self._sleep(pause)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return self.options.backoff * 2**attempt

    def _retry_pause(self, response: Response, attempt: int) -> float | None:
        """Seconds to wait before retrying this answer, or None if it is not retried."""
        if response.status != 429 and response.status < 500:
            return None
        asked = retry_after(response.headers)
        if asked is not None and asked > MAX_RETRY_AFTER:
            return None
        return max(self._backoff(attempt), asked or 0.0)

    def _exchange(self, target: Target, headers: list[Header], limit: int) -> Response:
        with self._pacer.turn(target.host):
            return self._timed(target, headers, limit)

    def _timed(self, target: Target, headers: list[Header], limit: int) -> Response:
        """One request within total_timeout, its failures turned into FetchError."""
        started = time.monotonic()
        url = target.url
        try:
            with deadline(self.options.total_timeout):
                return self._request(target, headers, limit)
        except Blocked as error:
            raise FetchError(url, "blocked_address", str(error)) from None
        except TooLarge as error:
            raise FetchError(url, "too_large", f"body {error} (max_bytes)") from None
        except BadEncoding as error:
            raise FetchError(url, "bad_encoding", str(error)) from None
        except httpcore.TimeoutException as error:
            if time.monotonic() - started >= self.options.total_timeout:
                # Not retried: a body that outlasts the deadline once will do so again.
                raise FetchError(url, "timeout", "no complete answer within "
                                 f"total_timeout={self.options.total_timeout}s") from None
            raise _Transient(url, "timeout", f"{type(error).__name__}: {error}") from None
        except httpcore.UnsupportedProtocol as error:
            raise FetchError(url, "bad_url", str(error)) from None
        except (httpcore.NetworkError, httpcore.ProtocolError) as error:
            raise _Transient(url, "connection", f"{type(error).__name__}: {error}") from None

    def _request(self, target: Target, headers: list[Header], limit: int) -> Response:
        url = httpcore.URL(scheme=target.scheme.encode(), host=target.host.encode(),
                           port=target.port, target=target.target)
        with self._pool.stream("GET", url, headers=self._headers(target) + headers,
                               extensions={"timeout": self._timeouts()}) as raw:
            found = _joined(raw.headers)
            body = b""
            if 200 <= raw.status < 300:
                _check_length(found, limit)
                body = decode_body(raw.iter_stream(), found.get("content-encoding"), limit)
            return _response(target.url, raw.status, body, found)

    def _headers(self, target: Target) -> list[Header]:
        return [
            (b"Host", target.netloc.encode("ascii")),
            (b"User-Agent", self.options.user_agent.encode("latin-1", errors="replace")),
            (b"Accept", b"*/*"),
            (b"Accept-Encoding", b"gzip, deflate"),
        ]

    def _timeouts(self) -> dict[str, float]:
        o = self.options
        return {"connect": o.connect_timeout, "read": o.read_timeout,
                "write": o.read_timeout, "pool": o.connect_timeout}


def _conditional_headers(stored: Validators | None) -> list[Header]:
    etag, modified = stored or (None, None)
    headers = []
    if etag:
        headers.append((b"If-None-Match", etag.encode("latin-1", errors="replace")))
    if modified:
        headers.append((b"If-Modified-Since", modified.encode("latin-1", errors="replace")))
    return headers


def _next_hop(chain: list[str], location: str) -> str:
    try:
        hop = urldefrag(urljoin(chain[-1], location.strip())).url
    except ValueError:
        raise FetchError(chain[-1], "bad_url", f"redirect to a malformed URL {location!r}") from None
    if hop in chain:
        raise FetchError(chain[0], "too_many_redirects",
                         f"redirect loop: {' -> '.join([*chain, hop])}")
    return hop


def _joined(raw: list[Header]) -> dict[str, str]:
    """Headers as a dict, repeated ones joined with ", " as HTTP allows."""
    joined: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        text = value.decode("latin-1")
        joined[name] = f"{joined[name]}, {text}" if name in joined else text
    return joined


def _check_length(headers: dict[str, str], limit: int) -> None:
    length = headers.get("content-length", "").strip()
    most = wire_limit(headers.get("content-encoding"), limit)
    if length.isdigit() and int(length) > most:
        raise TooLarge(f"of {length} bytes announced, more than {most}")


def _response(url: str, status: int, body: bytes, headers: dict[str, str]) -> Response:
    media, _, params = headers.get("content-type", "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return Response(url, status, body, headers, media.strip().lower() or None, charset=charset)


def retry_after(headers: dict[str, str]) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - _now()).total_seconds())


def _status_error(response: Response) -> FetchError:
    asked = retry_after(response.headers)
    detail = f"HTTP {response.status}"
    if asked is not None:
        detail += f" (Retry-After {asked:.0f}s)"
    return FetchError(response.url, "http_status", detail, status=response.status,
                      retry_after=asked)
