"""The one error the fetcher raises, with a short machine-readable reason."""

from __future__ import annotations

REASONS = {
    "bad_url": "not an http(s) URL with a host",
    "blocked_address": "the host resolves to a private, loopback or otherwise non-public address",
    "robots": "robots.txt disallows the URL for our user agent",
    "connection": "the host could not be resolved or reached, or the connection broke",
    "timeout": "a connect, read or total timeout expired",
    "http_status": "the server answered with an error status (4xx, or 429/5xx after retries)",
    "too_many_redirects": "more redirects than allowed, or a redirect loop",
    "too_large": "the body (after decompression) is larger than max_bytes",
    "bad_encoding": "an unsupported or corrupt Content-Encoding",
}


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is one of :data:`REASONS`."""

    def __init__(
        self,
        url: str,
        reason: str,
        detail: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"cannot fetch {url}: {detail} [{reason}]")
        self.url = url
        self.reason = reason
        self.detail = detail
        self.status = status
        self.retry_after = retry_after
