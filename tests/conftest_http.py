"""Fixtures for tests that talk HTTP: a live server and fast fetch options.

Test modules import what they use: ``from conftest_http import http_server, fast_options``
(``from .conftest_http …`` once tests/ is a package).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

if __package__:  # tests/ is a package
    from .httpserver import HttpServer
else:
    from httpserver import HttpServer
from kelisim.config import FetchOptions

FAST = FetchOptions(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=3.0,
    retries=2,
    backoff=0.01,
    min_interval=0.0,
    allow_private=True,  # the test server lives on 127.0.0.1
)


def fast_options(**changes: object) -> FetchOptions:
    """FetchOptions with small timeouts and no pauses, for tests against 127.0.0.1."""
    return replace(FAST, **changes)


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    """A running HttpServer, stopped after the test."""
    server = HttpServer().start()
    yield server
    server.stop()
