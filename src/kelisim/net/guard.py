"""The SSRF guard: which URLs we may fetch and which addresses we may connect to.

A URL must be http or https with a host. Its host is resolved and refused if ANY address is
not a public unicast address (private, loopback, link-local, multicast, reserved, unspecified,
shared/CGNAT, documentation ranges; IPv4 and IPv6, IPv4 embedded in IPv6 included).

The check runs twice: before a request (for a clear error, before robots.txt is asked) and
again inside the connection itself (:mod:`kelisim.net.transport`), which connects only to the
addresses it has just vetted. So a DNS answer that changes between check and connect
(DNS rebinding) cannot smuggle a private address in.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from kelisim.net.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_SCHEMES = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_KINDS: tuple[tuple[str, Callable[[IPAddress], bool]], ...] = (
    ("unspecified", lambda ip: ip.is_unspecified),
    ("loopback", lambda ip: ip.is_loopback),
    ("link-local", lambda ip: ip.is_link_local),
    ("multicast", lambda ip: ip.is_multicast),
    ("private", lambda ip: ip.is_private),
    ("reserved", lambda ip: ip.is_reserved),
    ("non-public", lambda ip: not ip.is_global),
)


class Blocked(Exception):
    """A host resolved to an address the guard refuses."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} resolves to {address}, a {kind} address")


@dataclass(frozen=True)
class Target:
    """A checked http(s) URL, split the way the transport needs it."""

    url: str
    scheme: str
    host: str
    port: int
    target: bytes

    @property
    def netloc(self) -> str:
        """host[:port] as the Host header wants it (IPv6 in brackets, default port left out)."""
        port = "" if self.port == _SCHEMES[self.scheme] else f":{self.port}"
        return f"{_bracket(self.host)}{port}"

    @property
    def origin(self) -> str:
        """scheme://host[:port], the key of robots.txt rules."""
        return f"{self.scheme}://{self.netloc}"


def parse_target(url: str) -> Target:
    """Split a URL into a :class:`Target`, or raise FetchError("bad_url")."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise FetchError(url, "bad_url", f"malformed URL ({error})") from None
    if parsed.scheme not in _SCHEMES:
        raise FetchError(url, "bad_url", f"scheme {parsed.scheme or 'none'!r} is not http or https")
    if not parsed.host:
        raise FetchError(url, "bad_url", "the URL has no host")
    host = parsed.raw_host.decode("ascii")
    return Target(url, parsed.scheme, host, parsed.port or _SCHEMES[parsed.scheme], parsed.raw_path)


def blocked_kind(ip: IPAddress) -> str | None:
    """Why an address may not be fetched ("loopback", "private", …), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return blocked_kind(ip.ipv4_mapped)
        if ip in _NAT64:
            return blocked_kind(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None and blocked_kind(ip.sixtofour):
            return blocked_kind(ip.sixtofour)
    for kind, test in _KINDS:
        if test(ip):
            return kind
    return None


def resolve_host(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to, in the resolver's order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def vet(host: str, addresses: list[str]) -> None:
    """Raise :class:`Blocked` if any of a host's addresses is not public."""
    for address in addresses:
        kind = blocked_kind(ipaddress.ip_address(address.split("%", 1)[0]))
        if kind:
            raise Blocked(host, address, kind)


def check_target(target: Target, resolve: Resolver) -> None:
    """Resolve a target's host and refuse it unless every address is public."""
    try:
        addresses = resolve(target.host, target.port)
    except OSError as error:
        raise FetchError(target.url, "connection", f"cannot resolve {target.host} ({error})") from None
    try:
        vet(target.host, addresses)
    except Blocked as error:
        raise FetchError(target.url, "blocked_address", str(error)) from None


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host
