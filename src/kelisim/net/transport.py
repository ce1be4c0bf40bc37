"""The connection layer under the fetcher: vetted addresses and a hard deadline.

httpcore lets a pool use a custom network backend, and that is the one place that sees the
address a socket really connects to. :class:`GuardedBackend` resolves the host itself, vets
every address with the SSRF guard and connects only to those addresses (DNS pinning).

Every stream it opens also honours the deadline of the request in progress
(:func:`deadline`): each read and write waits at most until that moment, so neither a
trickled body nor trickled headers can keep a request alive past ``total_timeout``.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore

from kelisim.net.guard import Resolver, vet

_DEADLINE: ContextVar[float | None] = ContextVar("kelisim_fetch_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Give the I/O inside the block ``seconds`` in all; yields the monotonic end time."""
    end = time.monotonic() + seconds
    token = _DEADLINE.set(end)
    try:
        yield end
    finally:
        _DEADLINE.reset(token)


def _clamp(timeout: float | None) -> float | None:
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("total deadline exceeded")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose reads and writes stop at the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read at most ``max_bytes``, waiting no later than the deadline."""
        return self._inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write all of ``buffer``, waiting no later than the deadline."""
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        """Close the underlying stream."""
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        """Upgrade to TLS; the certificate is checked against the URL's host name."""
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        """Pass-through, so the pool can tell a dropped keep-alive connection."""
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Connects only to vetted addresses of a host, resolved here and nowhere else."""

    def __init__(self, resolve: Resolver, allow_private: bool) -> None:
        self._resolve = resolve
        self._allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve, vet (raising guard.Blocked), then try each address in turn."""
        try:
            addresses = self._resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host} ({error})") from None
        if not self._allow_private:
            vet(host, addresses)
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, _clamp(timeout), local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
            else:
                return DeadlineStream(stream)
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Unix sockets are never a fetch target."""
        raise httpcore.UnsupportedProtocol("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        """Sleep (used by httpcore's own connect retries, which we leave at zero)."""
        time.sleep(seconds)
