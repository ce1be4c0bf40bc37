"""Alert channels: an SMTP mailbox list or a webhook, read from a [channel.NAME] table of the
alert rules, with secrets taken from the environment only. See docs/alerts.md."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class ChannelConfigError(ValueError):
    """A [channel.NAME] table is wrong; the message names the channel and the key."""


@dataclass(frozen=True)
class EmailChannel:
    """An SMTP server and the mailboxes an alert goes to."""

    name: str
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 10.0


@dataclass(frozen=True)
class WebhookChannel:
    """A URL that receives each alert's JSON by POST."""

    name: str
    url: str
    secret: str | None = field(default=None, repr=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    timeout: float = 10.0
    allow_private: bool = False  # post to private and loopback addresses too (off: SSRF guard)


Channel = EmailChannel | WebhookChannel


def has_control(text: str) -> bool:
    """True when the text has a control character (it could break a header)."""
    return re.search(r"[\x00-\x1f\x7f]", text) is not None


_EMAIL_KEYS = ("kind", "host", "port", "sender", "to", "starttls", "ssl", "username",
               "password_env", "timeout")
_WEBHOOK_KEYS = ("kind", "url", "secret_env", "headers", "timeout", "allow_private")
_LITERAL_SECRETS = {"password": "password_env", "secret": "secret_env"}
_RESERVED_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding", "host",
                               "connection", "user-agent", "accept-encoding", "idempotency-key",
                               "x-kelisim-signature"})
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")
_REQUIRED = object()
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


def channel_from_config(name: str, table: dict, env: Mapping[str, str]) -> Channel:
    """A channel from one [channel.NAME] table of the alerts config.

    Args:
        name: the channel's name (NAME in the table's header).
        table: the table's keys and values as tomllib reads them.
        env: the environment, where password_env, secret_env and {env = "…"} headers point.

    Returns:
        An EmailChannel or a WebhookChannel; a ChannelConfigError naming the channel and the key
        when the table is wrong.
    """
    if not isinstance(table, dict):
        raise ChannelConfigError(f"channel {name!r}: must be a table of settings, "
                                 f"not {_type_name(table)}")
    for literal, instead in _LITERAL_SECRETS.items():
        if literal in table:
            raise _bad(name, literal, f"secrets are not written in the file: set {instead} = "
                       f'"VARIABLE" and put the {literal} in that environment variable')
    kind = _get(name, table, "kind", str)
    known = {"email": _EMAIL_KEYS, "webhook": _WEBHOOK_KEYS}.get(kind)
    if known is None:
        raise _bad(name, "kind", f'must be "email" or "webhook", not {kind!r}')
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise _bad(name, unknown[0], f"is not a setting of a {kind} channel "
                   f"(known: {', '.join(known)})")
    return _email(name, table, env) if kind == "email" else _webhook(name, table, env)


def _email(name: str, table: dict, env: Mapping[str, str]) -> EmailChannel:
    """An EmailChannel from a checked table."""
    use_ssl = _get(name, table, "ssl", bool, False)
    starttls = _get(name, table, "starttls", bool, False)
    if use_ssl and starttls:
        raise _bad(name, "starttls", "cannot be combined with ssl = true (ssl is TLS from the "
                   "first byte, starttls upgrades a plain connection): choose one")
    port = _get(name, table, "port", int, 465 if use_ssl else 587 if starttls else 25)
    if not 0 < port < 65536:
        raise _bad(name, "port", f"{port} is not a TCP port (1–65535)")
    host = _get(name, table, "host", str)
    if any(c.isspace() or c in "/@" for c in host):
        raise _bad(name, "host", f"{host!r} is not a host name or address")
    sender = _address(name, "sender", _get(name, table, "sender", str))
    recipients = tuple(_address(name, "to", a) for a in _get(name, table, "to", list))
    if not recipients:
        raise _bad(name, "to", 'is empty: name at least one recipient, e.g. to = ["a@example.kz"]')
    username = _get(name, table, "username", str, None)
    password = _from_env(name, table, "password_env", env)
    if username and password is None:
        raise _bad(name, "password_env", "is missing: a username needs a password, read from "
                   "the environment variable that password_env names")
    if password is not None and not username:
        raise _bad(name, "username", "is missing: password_env is set but there is no username")
    return EmailChannel(name, host, port, sender, recipients, starttls, use_ssl, username,
                        password, _timeout(name, table))


def _webhook(name: str, table: dict, env: Mapping[str, str]) -> WebhookChannel:
    """A WebhookChannel from a checked table."""
    url = _get(name, table, "url", str)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as error:
        raise _bad(name, "url", f"is not a URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        got = f"{parts.scheme}:" if parts.scheme else "one without a scheme"
        raise _bad(name, "url", f"must be an http:// or https:// URL, not {got}")
    if not parts.hostname:
        raise _bad(name, "url", "has no host")
    if parts.username or parts.password:
        raise _bad(name, "url", "carries credentials (user:password@): secrets are not written "
                   "in the file; use secret_env or a header {env = \"VARIABLE\"}")
    secret = _from_env(name, table, "secret_env", env)
    headers = _headers(name, _get(name, table, "headers", dict, {}), env)
    return WebhookChannel(name, url, secret, headers, _timeout(name, table),
                          _get(name, table, "allow_private", bool, False))


def _headers(name: str, table: dict, env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Extra webhook headers: literal strings, or {env = "VARIABLE"} for credentials."""
    headers: dict[str, tuple[str, str]] = {}
    for header, value in table.items():
        lower = str(header).lower()
        if not _HEADER_NAME.fullmatch(str(header)) or lower in headers:
            raise _bad(name, "headers", f"{header!r} is not a valid header name, or is repeated")
        if lower in _RESERVED_HEADERS:
            raise _bad(name, "headers", f"{header} is set by Kelisim itself")
        headers[lower] = (header, _header_value(name, header, value, env))
    return tuple(headers.values())


def _header_value(name: str, header: str, value: object, env: Mapping[str, str]) -> str:
    """One header's value, from the file or from the environment."""
    if isinstance(value, dict) and set(value) == {"env"} and isinstance(value["env"], str):
        text = env.get(value["env"])
        if not text:
            raise _bad(name, "headers", f"{header}: the environment variable {value['env']} is "
                       "not set or empty")
    elif isinstance(value, str):
        if header.lower() in _CREDENTIAL_HEADERS:
            raise _bad(name, "headers", f"{header}: credentials are not written in the file: "
                       f'write {header} = {{env = "VARIABLE"}} and set that variable')
        text = value
    else:
        raise _bad(name, "headers", f'{header}: must be a string or {{env = "VARIABLE"}}, not '
                   f"{_type_name(value)}")
    if not text.isascii() or has_control(text):
        raise _bad(name, "headers", f"{header}: the value must be printable ASCII on one line")
    return text


def _get(name: str, table: dict, key: str, expected: type, default: object = _REQUIRED):
    """table[key] of the expected TOML type, or ``default`` when the key is absent."""
    if key not in table:
        if default is _REQUIRED:
            raise _bad(name, key, "is missing")
        return default
    value = table[key]
    if expected is bool:
        fits = isinstance(value, bool)
    elif expected is float:
        fits = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        fits = isinstance(value, expected) and not isinstance(value, bool)
    if not fits:
        raise _bad(name, key, f"must be {_TYPE_NAMES[expected]}, not {_type_name(value)}")
    if expected is str and not value.strip():
        raise _bad(name, key, "is empty")
    return value


def _from_env(name: str, table: dict, key: str, env: Mapping[str, str]) -> str | None:
    """The value of the environment variable that table[key] names (None without the key)."""
    variable = _get(name, table, key, str, None)
    if variable is None:
        return None
    value = env.get(variable)
    if not value:
        raise _bad(name, key, f"the environment variable {variable} is "
                   f"{'empty' if value == '' else 'not set'}")
    return value


def _address(name: str, key: str, value: object) -> str:
    """An ASCII e-mail address (no display name), checked."""
    if not isinstance(value, str) or not value.isascii() or not _ADDRESS.fullmatch(value):
        raise _bad(name, key, f"{value!r} is not an e-mail address such as a@example.kz")
    return value


def _timeout(name: str, table: dict) -> float:
    """The channel's timeout in seconds (positive)."""
    value = float(_get(name, table, "timeout", float, 10.0))
    if not 0 < value <= 600:
        raise _bad(name, "timeout", f"{value:g} is not a number of seconds in (0, 600]")
    return value


def _bad(name: str, key: str, problem: str) -> ChannelConfigError:
    """The error for one key of one channel."""
    return ChannelConfigError(f"channel {name!r}: {key}: {problem}")


def _type_name(value: object) -> str:
    """A TOML reader's word for a value's type."""
    if isinstance(value, bool):
        return "true or false"
    return next((label for kind, label in _TYPE_NAMES.items() if isinstance(value, kind)),
                type(value).__name__)
