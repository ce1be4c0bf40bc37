"""Browser tests' support: Debian's Chromium driven by Playwright, the app on a live server, and
screenshots kept as test artefacts.

Use it as a pytest plugin (``pytest_plugins = ["tests.browser"]`` or ``-p tests.browser``) to get
the fixtures ``browser`` (one per session), ``context`` and ``page`` (one per test),
``live_server`` (a factory: ``base = live_server(store_url)``), and the hook that screenshots
every open page of a failed browser test into build/test-artifacts/browser/.

Playwright never downloads a browser here: it launches /usr/bin/chromium, which
`make system-deps` installs. A missing Chromium fails the tests instead of skipping them, so a
CI run cannot pass without its browser tests.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from kelisim.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# machine's closed network refuses, many at a time; --headless is Playwright's own flag repeated.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync")
VIEWPORT = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).resolve().parents[1] / "build" / "test-artifacts" / "browser"
ARTIFACTS_ENV = "KELISIM_BROWSER_ARTIFACTS"  # another folder for them, used by this plugin's tests
SERVER_START_SECONDS = 60

LiveServer = Callable[[Settings | str | FastAPI], str]


def artifacts_dir() -> Path:
    """The folder of browser test artefacts (created on first use)."""
    folder = Path(os.environ.get(ARTIFACTS_ENV) or ARTIFACTS)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_name(name: str) -> str:
    """A test or shot name made safe as a file name: ``test_x[sqlite]`` -> ``test_x-sqlite``."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-")


def current_test_name() -> str:
    """The name of the running test (``test_x[param]``), from pytest's own record of it."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "unnamed (call)")
    return current.rsplit(" ", 1)[0].split("::")[-1]


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as ``<test-name>-<name>.png`` among the artefacts."""
    path = artifacts_dir() / f"{safe_name(current_test_name())}-{safe_name(name)}.png"
    page.screenshot(path=path, full_page=True)
    return path


def require_chromium() -> None:
    """Fail (never skip) when Debian's Chromium is missing, naming the command that installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}; install it with "
                    f"`make system-deps` (as root), which runs scripts/system-deps.sh.",
                    pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the whole session, with a fresh empty profile and config."""
    require_chromium()
    with (tempfile.TemporaryDirectory(prefix="kelisim-chromium-", ignore_cleanup_errors=True)
          as home, sync_playwright() as playwright):
        # Playwright gives each launch a new empty --user-data-dir of its own in the temp folder;
        # these keep the crash reporter's and cache folders out of the user's home too.
        env = {**os.environ, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=list(CHROMIUM_ARGS), env=env)
        yield launched
        launched.close()


@pytest.fixture()
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A new browser context (own cookies and storage) per test, in Russian, Almaty time."""
    fresh = browser.new_context(viewport=VIEWPORT, locale="ru-RU", timezone_id="Asia/Almaty")
    yield fresh
    fresh.close()


@pytest.fixture()
def page(context: BrowserContext) -> Page:
    """A blank page in the test's own context."""
    return context.new_page()


def free_socket() -> socket.socket:
    """A socket bound to a free port of 127.0.0.1, held from here on so no one else takes it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def as_app(target: Settings | str | FastAPI) -> FastAPI:
    """The app to serve: given, or built by the app factory from settings or a store URL."""
    if isinstance(target, FastAPI):
        return target
    from kelisim.web.app import create_app  # seconds of imports, only for tests that serve it

    settings = target if isinstance(target, Settings) else Settings(db_url=target)
    return create_app(settings)


def wait_until_answering(base: str, server: uvicorn.Server, thread: threading.Thread) -> None:
    """Return once the server answers HTTP; fail if it stopped or never came up."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("The live server stopped while starting; see the captured log above.")
        if server.started:
            try:
                httpx.get(f"{base}/openapi.json", timeout=2)
                return
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    pytest.fail(f"The live server did not answer within {SERVER_START_SECONDS} s.")


@contextmanager
def serving(target: Settings | str | FastAPI) -> Iterator[str]:
    """Run the app under uvicorn in a background thread on 127.0.0.1; yield its base URL."""
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(as_app(target), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name=f"live-server-{port}", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, server, thread)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture()
def live_server() -> Iterator[LiveServer]:
    """Start apps for this test: ``live_server(settings | store_url | app)`` -> base URL."""
    with ExitStack() as running:
        yield lambda target: running.enter_context(serving(target))


def screenshot_open_pages(browser: Browser, test_name: str) -> list[str]:
    """Save every open page of ``browser`` as ``<test-name>-failure-<n>.png``; what was saved."""
    pages = [page for context in browser.contexts for page in context.pages if not page.is_closed()]
    notes = []
    for number, page in enumerate(pages, start=1):
        path = artifacts_dir() / f"{safe_name(test_name)}-failure-{number}.png"
        try:
            page.screenshot(path=path, full_page=True)
            notes.append(f"{path}  ({page.url})")
        except PlaywrightError as error:  # a crashed page must not hide the test's own failure
            notes.append(f"no screenshot of {page.url}: {error}")
    return notes


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """When a browser test fails (or its set-up, a login say), keep a screenshot of each open
    page."""
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.failed and report.when in ("setup", "call") and browser is not None:
        notes = screenshot_open_pages(browser, item.name)
        if notes:
            report.sections.append(("browser screenshots", "\n".join(notes)))
    return report
