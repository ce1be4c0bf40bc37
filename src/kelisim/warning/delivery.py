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
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from functools import lru_cache
from urllib.parse import quote, urlsplit

import httpcore
import httpx

from kelisim import __version__
from kelisim.net.errors import FetchError
from kelisim.net.guard import Blocked, check_target, parse_target, resolve_host
from kelisim.net.transport import GuardedBackend
from kelisim.warning.alert_text import body, subject
from kelisim.warning.channels import Channel, EmailChannel, WebhookChannel, has_control

USER_AGENT = f"Kelisim/{__version__} (alert delivery)"
MAX_RESPONSE_BYTES = 4096  # of an error answer, kept for the message; a 2xx body is not read
MAX_RETRY_AFTER = 60.0  # seconds: a receiver's Retry-After is honoured up to this
_KEY_SAFE = ":/-_.@+=!~*'()"  # kept as is when a key is percent-encoded for a header
_VISIBLE_ASCII = re.compile(r"[!-~]+")
_PRIVATE_HINT = "set allow_private = true in the channel to post to your own network"


class DeliveryError(Exception):
    """One delivery attempt failed; ``permanent`` when retrying will not help."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after




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
    if not isinstance(key, str) or not key.strip() or has_control(key):
        raise ValueError(f"alert {alert.get('id')!r}: key must be a non-empty one-line string")
    base = base_url.rstrip("/") if base_url else None
    payload = {**copy.deepcopy(alert), "kelisim": {"version": 1}}
    try:
        json.dumps(payload)
    except (TypeError, ValueError) as error:  # found now, not as a failed send
        raise ValueError(f"alert {alert.get('id')!r} is not JSON: {error}") from None
    return AlertMessage(key, subject(alert), body(alert, base), payload)


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
    _guard(channel, where)
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
    except Blocked as error:  # the address changed to a private one after _guard (rebinding)
        raise DeliveryError(f"{where}: {error}; {_PRIVATE_HINT}", permanent=True) from None
    except httpx.TransportError as error:
        raise DeliveryError(f"{where}: {type(error).__name__}: {error}", permanent=False) \
            from None


def _guard(channel: WebhookChannel, where: str) -> None:
    """Refuse, as a permanent failure, a webhook whose host has a non-public address, unless
    the channel allows private addresses (the fetcher's SSRF guard, :mod:`kelisim.net.guard`)."""
    if channel.allow_private:
        return
    try:
        check_target(parse_target(channel.url), resolve_host)
    except FetchError as error:
        hint = f"; {_PRIVATE_HINT}" if error.reason == "blocked_address" else ""
        raise DeliveryError(f"{where}: {error.detail or error.reason}{hint}",
                            permanent=error.reason != "connection") from None


def _client(channel: WebhookChannel) -> httpx.Client:
    """An HTTP client that follows no redirect, reads no proxy setting from the environment and
    connects only to addresses the SSRF guard vetted at connection time (unless allowed)."""
    transport = httpx.HTTPTransport(verify=_tls_context(), trust_env=False)
    # httpx takes no network backend, so its pool is replaced by one that vets every address.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_tls_context(),
        network_backend=GuardedBackend(resolve_host, channel.allow_private))
    return httpx.Client(timeout=channel.timeout, follow_redirects=False, trust_env=False,
                        transport=transport)


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
