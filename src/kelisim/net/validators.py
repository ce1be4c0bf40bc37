"""Where the fetcher keeps ETag and Last-Modified values between polls."""

from __future__ import annotations

from typing import Protocol

Validators = tuple[str | None, str | None]


class ValidatorCache(Protocol):
    """(etag, last_modified) per URL; ``put(url, None, None)`` forgets the URL."""

    def get(self, url: str) -> Validators | None:
        """The validators stored for a URL, or None."""

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store a URL's validators (both None: forget them)."""


class MemoryValidatorCache:
    """A ValidatorCache in a dict, for one process (the store keeps a persistent one)."""

    def __init__(self) -> None:
        self._by_url: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        """The validators stored for a URL, or None."""
        return self._by_url.get(url)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Store a URL's validators (both None: forget them)."""
        if etag is None and last_modified is None:
            self._by_url.pop(url, None)
        else:
            self._by_url[url] = (etag, last_modified)
