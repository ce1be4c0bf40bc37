"""Alert delivery: one alert, one channel (an SMTP mailbox or a webhook), with retries.

``send`` makes one attempt and raises :class:`DeliveryError`; ``deliver`` retries temporary
failures with exponential backoff and never raises for a delivery failure. A message carries
the alert's stable key (``Message-ID``, ``X-Kelisim-Alert``, ``Idempotency-Key``) so that a
receiver can tell a resend of the same alert from a new one. See docs/alerts.md.
"""

from __future__ import annotations

import copy
import email.utils
import hashlib
import hmac
import json
import math
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.header import Header
from email.message import EmailMessage
from functools import lru_cache
from urllib.parse import quote, urlsplit

import httpx

from kelisim import __version__

USER_AGENT = f"Kelisim/{__version__} (alert delivery)"
MAX_RESPONSE_BYTES = 4096  # of an error answer, kept for the message; a 2xx body is not read
MAX_RETRY_AFTER = 60.0  # seconds: a receiver's Retry-After is honoured up to this
_KEY_SAFE = ":/-_.@+=!~*'()"  # kept as is when a key is percent-encoded for a header
_VISIBLE_ASCII = re.compile(r"[!-~]+")


class DeliveryError(Exception):
    """One delivery attempt failed; ``permanent`` when retrying will not help."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


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


Channel = EmailChannel | WebhookChannel


@dataclass(frozen=True)
class AlertMessage:
    """What every channel sends for one alert."""

    key: str
    subject: str
    text: str
    payload: dict


@dataclass(frozen=True)
class Attempt:
    """The outcome of ``deliver``: delivered or not, after how many attempts, and why not."""

    ok: bool
    attempts: int
    error: str | None
    permanent: bool


def message_for(alert: dict, base_url: str | None = None) -> AlertMessage:
    """The e-mail subject, the Russian text and the webhook JSON of one alert.

    Args:
        alert: the alert's JSON as the store gives it (id, key, kind, unit, day, evidence, …).
        base_url: where the web app lives; links to the alert and its documents are added.

    Returns:
        The AlertMessage; its payload is a copy of the alert plus ``{"kelisim": {"version": 1}}``.
    """
    key = alert.get("key")
    if not isinstance(key, str) or not key.strip() or _has_control(key):
        raise ValueError(f"alert {alert.get('id')!r}: key must be a non-empty one-line string")
    base = base_url.rstrip("/") if base_url else None
    payload = {**copy.deepcopy(alert), "kelisim": {"version": 1}}
    try:
        json.dumps(payload)
    except (TypeError, ValueError) as error:  # found now, not as a failed send
        raise ValueError(f"alert {alert.get('id')!r} is not JSON: {error}") from None
    return AlertMessage(key, _subject(alert), _body(alert, base), payload)


def send(channel: Channel, message: AlertMessage) -> None:
    """Make one delivery attempt; raise DeliveryError when it fails."""
    if isinstance(channel, EmailChannel):
        _send_email(channel, message)
    elif isinstance(channel, WebhookChannel):
        _send_webhook(channel, message)
    else:
        raise TypeError(f"not a channel: {channel!r}")


def deliver(channel: Channel, message: AlertMessage, *, retries: int = 3, backoff: float = 1.0,
            sleep: Callable[[float], None] = time.sleep) -> Attempt:
    """Send with retries: at most 1 + ``retries`` attempts, stopping at a permanent error.

    Args:
        channel: where to send.
        message: what to send (from :func:`message_for`).
        retries: attempts after the first one, for temporary failures only.
        backoff: seconds before the first retry; doubles with each retry (a receiver's
            Retry-After, up to MAX_RETRY_AFTER, lengthens a pause, never shortens it).
        sleep: how to wait (tests pass a function that does not).

    Returns:
        The Attempt; never raises for a delivery failure.
    """
    if retries < 0 or backoff < 0:
        raise ValueError("retries and backoff must not be negative")
    for attempt in range(1, retries + 2):
        try:
            send(channel, message)
            return Attempt(True, attempt, None, False)
        except DeliveryError as error:
            if error.permanent or attempt > retries:
                return Attempt(False, attempt, str(error), error.permanent)
            sleep(_pause(backoff, attempt, error.retry_after))
    raise AssertionError("unreachable")  # the loop always returns


def _pause(backoff: float, attempt: int, retry_after: float | None) -> float:
    """The wait before the next attempt."""
    return max(backoff * 2 ** (attempt - 1), min(retry_after or 0.0, MAX_RETRY_AFTER))


# --- e-mail -----------------------------------------------------------------------------------


def message_id(key: str) -> str:
    """The Message-ID of an alert's e-mail: the same for every send of the same alert."""
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@kelisim>"


def email_for(channel: EmailChannel, message: AlertMessage) -> EmailMessage:
    """The e-mail of one alert for one channel."""
    mail = EmailMessage()
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.recipients)
    # pre-encoded: Python 3.11's folder drops the space between two encoded words of a long
    # Cyrillic subject («враждебных публикаций» arrives as «враждебныхпубликаций»)
    mail.set_raw("Subject", Header(message.subject, "utf-8", header_name="Subject")
                 .encode(linesep="\n"))
    mail["Date"] = email.utils.formatdate(usegmt=True)
    mail["Message-ID"] = message_id(message.key)
    mail["X-Kelisim-Alert"] = header_key(message.key)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to an alert
    # base64, not 8bit: a server without 8BITMIME must still get the Cyrillic intact
    mail.set_content(message.text, charset="utf-8", cte="base64")
    return mail


def _send_email(channel: EmailChannel, message: AlertMessage) -> None:
    """One SMTP transaction; the answer to QUIT does not matter once the message is accepted."""
    where = f"e-mail {channel.name} ({channel.host}:{channel.port})"
    try:
        mail = email_for(channel, message)
    except ValueError as error:  # a header the message cannot carry: resending will not help
        raise DeliveryError(f"{where}: cannot build the message: {error}", permanent=True) from None
    try:
        smtp = _connect(channel)
    except (smtplib.SMTPException, OSError) as error:
        raise _smtp_error(where, error) from None
    try:
        if channel.starttls:
            smtp.starttls(context=_tls_context())
        if channel.username:
            smtp.login(channel.username, channel.password or "")
        refused = smtp.send_message(mail, channel.sender, list(channel.recipients))
    except UnicodeEncodeError:  # smtplib sends AUTH credentials as ASCII only
        raise DeliveryError(f"{where}: a username, password or address is not ASCII",
                            permanent=True) from None
    except (smtplib.SMTPException, OSError) as error:
        raise _smtp_error(where, error) from None
    finally:
        _quit_quietly(smtp)
    if refused:  # some accepted it: a retry would send it to them twice
        raise DeliveryError(f"{where}: delivered, but refused for {_refusals(refused)}",
                            permanent=True)


def _connect(channel: EmailChannel) -> smtplib.SMTP:
    """An open SMTP (or SMTPS) session, greeted."""
    if channel.ssl:
        return smtplib.SMTP_SSL(channel.host, channel.port, timeout=channel.timeout,
                                context=_tls_context())
    return smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout)


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    """Say QUIT and close, whatever the server answers."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _smtp_error(where: str, error: BaseException) -> DeliveryError:
    """A DeliveryError for an smtplib or socket failure: 5xx replies are permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return DeliveryError(f"{where}: every recipient refused: {_refusals(error.recipients)}",
                             permanent=all(500 <= code < 600 for code in codes))
    if isinstance(error, smtplib.SMTPResponseException):
        reply = _text(error.smtp_error)
        return DeliveryError(f"{where}: the server answered {error.smtp_code} {reply}",
                             permanent=500 <= error.smtp_code < 600)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"{where}: the server hung up: {error}", permanent=False)
    if isinstance(error, smtplib.SMTPException):  # no STARTTLS, no AUTH, no common mechanism
        return DeliveryError(f"{where}: {error}", permanent=True)
    if isinstance(error, ssl.SSLCertVerificationError):
        return DeliveryError(f"{where}: TLS certificate refused: {error.verify_message}",
                             permanent=True)
    if isinstance(error, TimeoutError):
        return DeliveryError(f"{where}: timed out", permanent=False)
    return DeliveryError(f"{where}: {type(error).__name__}: {error}", permanent=False)


def _refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    """'a@x (550 no such user), …'."""
    return ", ".join(f"{rcpt} ({code} {_text(reply)})" for rcpt, (code, reply) in refused.items())


# --- webhook ----------------------------------------------------------------------------------


def webhook_body(message: AlertMessage) -> bytes:
    """The exact bytes POSTed (and signed): the payload as UTF-8 JSON."""
    return json.dumps(message.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """The X-Kelisim-Signature value: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def header_key(key: str) -> str:
    """The alert key as a header value: as it is when visible ASCII, else percent-encoded UTF-8.

    ``urllib.parse.unquote`` gives the key back either way (a key with ``%`` is encoded too).
    """
    if _VISIBLE_ASCII.fullmatch(key) and "%" not in key:
        return key
    return quote(key, safe=_KEY_SAFE)


def _send_webhook(channel: WebhookChannel, message: AlertMessage) -> None:
    """One POST; 2xx is delivered, 408/429/5xx and network failures are temporary."""
    body = webhook_body(message)
    headers = {**dict(channel.headers), "Content-Type": "application/json",
               "Idempotency-Key": header_key(message.key), "User-Agent": USER_AGENT,
               "Accept-Encoding": "identity"}  # an error body is read raw, for its first bytes
    if channel.secret:
        headers["X-Kelisim-Signature"] = signature(channel.secret, body)
    where = f"webhook {channel.name} ({_shown(channel.url)})"
    try:
        with _client(channel) as client, \
                client.stream("POST", channel.url, content=body, headers=headers) as response:
            if not response.is_success:
                raise _status_error(where, response)
    except httpx.TimeoutException:
        raise DeliveryError(f"{where}: no answer within {channel.timeout:g} s",
                            permanent=False) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
        raise DeliveryError(f"{where}: {error}", permanent=True) from None
    except httpx.TransportError as error:
        raise DeliveryError(f"{where}: {type(error).__name__}: {error}", permanent=False) \
            from None


def _client(channel: WebhookChannel) -> httpx.Client:
    """An HTTP client that follows no redirect and reads no proxy setting from the environment."""
    return httpx.Client(timeout=channel.timeout, follow_redirects=False, trust_env=False,
                        verify=_tls_context())


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once (it takes tens of milliseconds)."""
    return ssl.create_default_context()


def _status_error(where: str, response: httpx.Response) -> DeliveryError:
    """The DeliveryError for a non-2xx answer."""
    status = response.status_code
    if response.is_redirect:
        target = _shown(response.headers.get("location", "?"))
        return DeliveryError(f"{where}: answered {status}, a redirect to {target}; redirects "
                             "are not followed: set the channel's url to the final address",
                             permanent=True)
    temporary = status in (408, 429) or 500 <= status < 600
    retry_after = _retry_after(response.headers.get("retry-after")) if temporary else None
    return DeliveryError(f"{where}: answered {status} {_capped_text(response)}".rstrip(),
                         permanent=not temporary, retry_after=retry_after)


def _capped_text(response: httpx.Response) -> str:
    """The start of an error answer's body, for the message (at most MAX_RESPONSE_BYTES read)."""
    data = b""
    try:
        for chunk in response.iter_raw():
            data += chunk
            if len(data) >= MAX_RESPONSE_BYTES:
                break
    except httpx.HTTPError:
        pass  # the status already says what went wrong
    return _text(data[:MAX_RESPONSE_BYTES])[:200]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), if it has any."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when.tzinfo else None


def _shown(url: str) -> str:
    """A URL without credentials, query or fragment, for messages (they may carry tokens)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else parts.path


def _text(data: bytes | str) -> str:
    """Bytes from a server as one line of text."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return " ".join(text.split())


def _has_control(text: str) -> bool:
    """True when the text has a control character (it could break a header)."""
    return re.search(r"[\x00-\x1f\x7f]", text) is not None


# --- configuration ----------------------------------------------------------------------------

_EMAIL_KEYS = ("kind", "host", "port", "sender", "to", "starttls", "ssl", "username",
               "password_env", "timeout")
_WEBHOOK_KEYS = ("kind", "url", "secret_env", "headers", "timeout")
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
    return WebhookChannel(name, url, secret, headers, _timeout(name, table))


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
    if not text.isascii() or _has_control(text):
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


# --- wording (Russian, for a duty analyst reading on a phone) ---------------------------------

_SPIKES = {"hostile": "всплеск враждебных публикаций",
           "conflict": "всплеск сообщений о конфликтах",
           "attention": "всплеск внимания к межэтнической теме"}
_SPAN_KINDS = {"hostility": "враждебность", "slur": "оскорбление",
               "dehumanising": "расчеловечивание", "violence_call": "призыв к насилию",
               "expulsion_call": "призыв к выселению", "collective_blame": "коллективное обвинение",
               "conflict": "конфликт", "tension": "напряжённость", "match": "совпадение"}
MAX_DOCUMENTS = 5  # shown in the text; the payload and the alert page have them all
MAX_SPANS = 3
MAX_SPAN_CHARS = 200


def _what(alert: dict) -> str:
    """What happened, in a few words, lower case."""
    kind = alert.get("kind")
    if kind == "spike":
        return _SPIKES.get(alert.get("signal") or "", "всплеск публикаций")
    if kind == "search":
        return f"новые совпадения сохранённого поиска «{alert.get('rule')}»"
    if kind == "silence":
        return "источник перестал публиковать"
    return "быстро растущий сюжет" if kind == "story" else "оповещение"


def _subject(alert: dict) -> str:
    """«Kelisim: what — where, dd.mm.yyyy»."""
    place = (alert.get("source") or {}).get("name") if alert.get("kind") == "silence" \
        else (alert.get("unit") or {}).get("name")
    tail = ", ".join(str(part) for part in (place, _date(alert.get("day"))) if part)
    return _line(f"Kelisim: {_what(alert)}" + (f" — {tail}" if tail else ""))


def _body(alert: dict, base: str | None) -> str:
    """The plain-text body: the facts, the evidence, the alert's id and links."""
    what = _what(alert)
    lines = [what[:1].upper() + what[1:], *_facts(alert), "", *_evidence(alert, base), "",
             *_footer(alert, base)]
    return "\n".join(lines) + "\n"


def _facts(alert: dict) -> list[str]:
    """The summary, where, when, observed against expected, the p-value in words, the rule."""
    unit, source = alert.get("unit"), alert.get("source")
    lines = [_line(alert["summary"])] if alert.get("summary") else []
    if unit:
        lines.append(f"Где: {unit.get('name')} (КАТО {unit.get('kato')})")
    if source:
        lines.append(f"Источник: {source.get('name')}")
    if alert.get("day"):
        lines.append(f"Когда: {_date(alert['day'])}")
    if alert.get("observed") is not None:
        lines.append(_observed(alert["observed"], alert.get("expected")))
    if alert.get("p_value") is not None:
        lines.append(_chance(float(alert["p_value"])))
    if alert.get("rule"):
        lines.append(f"Правило: {alert['rule']}")
    return lines


def _observed(observed: float, expected: float | None) -> str:
    """«Наблюдалось: 7, ожидалось около 1,3 — в 5,4 раза больше обычного.»"""
    if expected is None:
        return f"Наблюдалось: {_number(observed)}."
    line = f"Наблюдалось: {_number(observed)}, ожидалось около {_number(expected)}"
    if expected > 0 and observed > expected:
        ratio = observed / expected
        shown = _number(ratio) if ratio < 10 else str(round(ratio))
        line += f" — в {shown} {_times(shown)} больше обычного"
    return line + "."


def _chance(p: float) -> str:
    """The p-value in words."""
    if p >= 0.05:
        verdict = "в пределах обычных колебаний"
    else:
        verdict = "крайне маловероятно" if p < 0.001 else \
            "очень маловероятно" if p < 0.01 else "маловероятно"
    if p < 1e-6:
        shown = "p < 0,000001"
    else:
        decimals = max(2, 1 - int(_floor_log10(p)))
        shown = f"p = {p:.{decimals}f}".replace(".", ",")
    odds = f" — при обычном фоне примерно 1 шанс из {_grouped(_two_digits(1 / p))}" \
        if 1e-6 <= p < 0.5 else ""
    return f"Вероятность случайности: {shown}{odds}; {verdict}."


def _evidence(alert: dict, base: str | None) -> list[str]:
    """The documents behind the alert, with their quoted spans and links."""
    documents = alert.get("evidence") or []
    if not documents:
        return ["Основания: документов нет."]
    count = len(documents)
    lines = [f"Основания: {count} {_plural(count, 'документ', 'документа', 'документов')}."]
    for number, document in enumerate(documents[:MAX_DOCUMENTS], start=1):
        lines.extend(_document(number, document, base))
    rest = len(documents) - MAX_DOCUMENTS
    if rest > 0:
        lines.append(f"…и ещё {rest} — в карточке оповещения.")
    return lines


def _document(number: int, document: dict, base: str | None) -> list[str]:
    """One evidence document: title, outlet, date, spans, links."""
    head = f"{number}. «{_line(document.get('title') or '') or 'без заголовка'}»"
    where = ", ".join(str(p) for p in (document.get("source"), _date(document.get("published")))
                      if p)
    lines = [head + (f" — {where}" if where else "")]
    for span in (document.get("spans") or [])[:MAX_SPANS]:
        label = _SPAN_KINDS.get(span.get("kind") or "", span.get("kind"))
        quoted = f"   «{_clip(_line(span.get('text') or ''))}»"
        lines.append(quoted + (f" ({label})" if label else ""))
    if base and document.get("document_id") is not None:
        lines.append(f"   Документ: {base}/documents/{document['document_id']}")
    if document.get("url"):
        lines.append(f"   Оригинал: {document['url']}")
    return lines


def _footer(alert: dict, base: str | None) -> list[str]:
    """The alert's id, when it fired, its link and its key."""
    fired = _moment(alert.get("fired_at"))
    lines = [f"Оповещение №{alert.get('id')}" + (f", сработало {fired}" if fired else "")]
    if base and alert.get("id") is not None:
        lines.append(f"Открыть: {base}/alerts/{alert['id']}")
    lines.append(f"Ключ: {alert['key']}")
    return lines


def _date(value: object) -> str | None:
    """'2024-03-14' (or an ISO timestamp) as '14.03.2024'; anything else as it is."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def _moment(value: object) -> str | None:
    """An ISO timestamp as '14.03.2024 23:59 UTC'."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%d.%m.%Y %H:%M")
    return moment.astimezone(UTC).strftime("%d.%m.%Y %H:%M UTC")


def _number(value: float) -> str:
    """7 as '7', 1.34 as '1,3', 1234.5 as '1 234'."""
    if float(value).is_integer() or abs(value) >= 100:
        return _grouped(round(value))
    return f"{value:.1f}".replace(".", ",")


def _grouped(value: int) -> str:
    """4800 as '4 800'."""
    return f"{value:,}".replace(",", " ")


def _two_digits(value: float) -> int:
    """A number rounded to two significant digits: 4761.9 → 4800."""
    digits = len(str(int(value)))
    return int(round(value, -(digits - 2))) if digits > 2 else round(value)


def _floor_log10(value: float) -> int:
    """floor(log10(value)) for a positive value."""
    return math.floor(math.log10(value))


def _times(shown: str) -> str:
    """«раза» or «раз» after a number of times, as Russian agrees it."""
    if "," in shown:
        return "раза"
    n = int(shown.replace(" ", ""))
    return "раза" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "раз"


def _plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a count."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else many


def _line(text: str) -> str:
    """Text on one line, whitespace collapsed (a subject or a header cannot break)."""
    return " ".join(str(text).split())


def _clip(text: str) -> str:
    """At most MAX_SPAN_CHARS characters, with an ellipsis when cut."""
    return text if len(text) <= MAX_SPAN_CHARS else text[:MAX_SPAN_CHARS - 1].rstrip() + "…"
