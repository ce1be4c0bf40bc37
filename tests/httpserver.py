"""A real HTTP server on 127.0.0.1 for network tests, with routes registered per test.

It records every request it receives (path, headers, arrival time), so tests can check the
User-Agent, conditional headers and the spacing of requests to one host.
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Received:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    at: float
    body: bytes = b""  # what a POST carried


@dataclass
class Reply:
    """What a route answers; a body that is an iterable is streamed until it ends."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Received], Reply]
HTML = "text/html; charset=utf-8"


class HttpServer:
    """A threaded http.server on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.sent: dict[str, int] = {}  # bytes sent by ``huge`` routes
        self.stopping = threading.Event()
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,),
                                        daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self._server.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """The absolute URL of a path on this server."""
        return f"http://{host}:{self.port}{path}"

    def start(self) -> HttpServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; hanging and trickling routes give up."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def route(self, path: str, route: Route) -> None:
        """Answer GET and POST requests for ``path`` (query string ignored) with ``route``."""
        self._routes[path] = route

    def received(self, path: str | None = None) -> list[Received]:
        """The requests received so far, all or those for one path."""
        with self._lock:
            return [r for r in self.requests if path is None or urlsplit(r.path).path == path]

    def static(self, path: str, body: bytes | str, *, status: int = 200,
               content_type: str = HTML, headers: dict[str, str] | None = None) -> None:
        """Always the same answer."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = {"Content-Type": content_type, **(headers or {})}
        self.route(path, lambda _: Reply(status, data, all_headers))

    def conditional(self, path: str, body: bytes | str, *, etag: str | None = '"v1"',
                    last_modified: str | None = None, content_type: str = HTML) -> None:
        """A page with validators that really answers 304 when they match."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        validators = {"ETag": etag, "Last-Modified": last_modified}
        headers = {k: v for k, v in validators.items() if v}

        def answer(request: Received) -> Reply:
            if _unchanged(request.headers, etag, last_modified):
                return Reply(304, b"", headers)
            return Reply(200, data, {"Content-Type": content_type, **headers})

        self.route(path, answer)

    def flaky(self, path: str, body: bytes | str, *, failures: int, status: int = 500,
              headers: dict[str, str] | None = None) -> None:
        """Fail ``failures`` times with ``status`` (and ``headers``), then serve ``body``."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        count = iter(range(failures))

        def answer(_: Received) -> Reply:
            if next(count, None) is not None:
                return Reply(status, b"failing on purpose", headers or {})
            return Reply(200, data, {"Content-Type": HTML})

        self.route(path, answer)

    def hang(self, path: str, seconds: float = 30.0) -> None:
        """Say nothing for ``seconds`` (or until the server stops), then answer."""

        def answer(_: Received) -> Reply:
            self.stopping.wait(seconds)
            return Reply(200, b"too late", {"Content-Type": HTML})

        self.route(path, answer)

    def trickle(self, path: str, *, every: float = 0.02, chunk: bytes = b"<p>x</p>\n") -> None:
        """Send headers at once, then a body that never ends, one small chunk at a time."""

        def endless() -> Iterator[bytes]:
            while not self.stopping.wait(every):
                yield chunk

        self.route(path, lambda _: Reply(200, endless(), {"Content-Type": HTML}))

    def stream(self, path: str, chunks: list[bytes], content_type: str = HTML) -> None:
        """Send a body in chunks without a Content-Length (the connection end marks its end)."""
        self.route(path, lambda _: Reply(200, iter(chunks), {"Content-Type": content_type}))

    def huge(self, path: str, size: int, *, chunk: int = 1 << 16, announce: bool = False,
             content_type: str = HTML) -> None:
        """A page of ``size`` bytes made chunk by chunk as it is sent, never held whole;
        ``announce`` sends its Content-Length first. ``sent[path]`` counts the bytes sent."""
        block = (b"<p>" + "Большая страница. ".encode() * (chunk // 32))[:chunk]
        self.sent[path] = 0

        def body() -> Iterator[bytes]:
            left = size
            while left > 0 and not self.stopping.is_set():
                part = block[:left]
                self.sent[path] += len(part)
                left -= len(part)
                yield part

        headers = {"Content-Type": content_type, **({"Content-Length": str(size)} if announce else {})}
        self.route(path, lambda _: Reply(200, body(), headers))

    def hold(self, path: str, seconds: float = 30.0) -> tuple[threading.Event, threading.Event]:
        """Keep the route of ``path``, but hold each answer until released (at most
        ``seconds``); returns (a request arrived, release)."""
        route, arrived, release = self._routes[path], threading.Event(), threading.Event()

        def held(request: Received) -> Reply:
            arrived.set()
            release.wait(seconds)
            return route(request)

        self.route(path, held)
        return arrived, release

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Redirect ``path`` to ``to`` (a path or an absolute URL)."""
        self.route(path, lambda _: Reply(status, b"", {"Location": to}))

    def gzip_bomb(self, path: str, decoded_size: int, *, content_encoding: bool = True) -> None:
        """A small gzip body that inflates to ``decoded_size`` zero bytes.

        With ``content_encoding`` it is a gzip-encoded HTML page; without, a .gz file.
        """
        bomb = gzip_zeros(decoded_size)
        headers = {"Content-Type": HTML, "Content-Encoding": "gzip"} if content_encoding \
            else {"Content-Type": "application/gzip"}
        self.route(path, lambda _: Reply(200, bomb, headers))

    def robots(self, text: str, status: int = 200) -> None:
        """Serve /robots.txt."""
        self.static("/robots.txt", text, status=status, content_type="text/plain")

    def bodies(self, path: str | None = None) -> list[bytes]:
        """The bodies of the POST requests received so far, in order."""
        return [r.body for r in self.received(path) if r.method == "POST"]

    def _answer(self, handler: BaseHTTPRequestHandler, body: bytes = b"") -> None:
        request = Received(handler.command, handler.path,
                           {k.lower(): v for k, v in handler.headers.items()}, time.monotonic(),
                           body)
        with self._lock:
            self.requests.append(request)
        route = self._routes.get(urlsplit(handler.path).path)
        reply = route(request) if route else Reply(404, b"not found", {"Content-Type": HTML})
        _send(handler, reply)


@lru_cache(maxsize=4)
def gzip_zeros(size: int) -> bytes:
    """gzip bytes of ``size`` zeros, built in blocks to keep memory small."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    parts.append(packer.compress(bytes(size & ((1 << 20) - 1))))
    parts.append(packer.flush())
    return b"".join(parts)


def gzipped(data: bytes) -> bytes:
    """gzip-compress bytes (for .xml.gz files and gzip-encoded pages)."""
    return gzip.compress(data)


def _unchanged(headers: dict[str, str], etag: str | None, last_modified: str | None) -> bool:
    if etag and headers.get("if-none-match") == etag:
        return True
    return bool(last_modified) and headers.get("if-modified-since") == last_modified


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    try:
        if isinstance(reply.body, bytes):
            if reply.status not in (204, 304):
                handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
            handler.end_headers()
            for chunk in reply.body:
                handler.wfile.write(chunk)
                handler.wfile.flush()
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up on purpose (timeouts, size caps) are not errors here."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet about connections the client dropped."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _handler_for(server: HttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else delayed ACKs add 40 ms to keep-alive requests

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server._answer(self)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            server._answer(self, self.rfile.read(length))

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler
