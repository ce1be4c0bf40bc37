"""The API's page /docs in Debian's Chromium: Swagger UI, vendored and served from /static,
renders every operation of the app's OpenAPI schema under the strict Content-Security-Policy
(no violation, no console error) without a login, runs an operation with a user's session, and
every request it makes goes to the app itself, on loopback and on a public host name alike."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from kelisim.core import Kelisim
from kelisim.users import Accounts
from tests.browser import serving, shot
from tests.security_world import PASSWORD, settings
from tests.test_browser_security import WATCH

PUBLIC = "http://kelisim.example.kz"  # what the page sees when the app is served by name
OPERATIONS = """() => [...document.querySelectorAll('.opblock')].map(block =>
    block.querySelector('.opblock-summary-method').textContent.toLowerCase() + ' '
    + block.querySelector('.opblock-summary-path').dataset.path)"""


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Iterator[str]:
    """The app over an empty store with one viewer, served on 127.0.0.1 for the module."""
    db = tmp_path_factory.mktemp("apidocs") / "kelisim.db"
    with Kelisim(settings(db)) as kelisim:
        Accounts(kelisim.store).add("zhanar", PASSWORD, "viewer")
    with serving(settings(db)) as url:
        yield url


@pytest.fixture()
def watched(context: BrowserContext):
    """A page whose requests, page errors and console errors are recorded."""
    context.add_init_script(WATCH)
    page = context.new_page()
    seen = {"requests": [], "errors": [], "console": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: message.type == "error"
            and seen["console"].append(message.text))
    return page, seen


def schema_operations(base: str) -> list[str]:
    """``get /api/alerts``… of every operation in the app's OpenAPI schema."""
    paths = httpx.get(f"{base}/openapi.json").json()["paths"]
    return sorted(f"{method} {path}" for path, ops in paths.items() for method in ops)


def elsewhere(urls: list[str], origin: str) -> list[str]:
    """The requests that did not go to ``origin``."""
    home = urlsplit(origin)
    return [url for url in urls if urlsplit(url)[:2] != home[:2]]


def troubles(page: Page, seen: dict) -> list[str]:
    """CSP violations, page errors and console errors seen so far."""
    found = [f"CSP violation: {v}" for v in page.evaluate("window.__violations")]
    return found + [f"page error: {e}" for e in seen["errors"]] + [
        f"console: {m}" for m in seen["console"]]


def test_docs_renders_every_operation_and_runs_one_from_the_app_alone(watched, context, base):
    page, seen = watched
    answer = page.goto(f"{base}/docs")  # without logging in, as /openapi.json
    assert answer.status == 200 and "script-src 'self';" in answer.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.title() == "Kelisim · JSON API"
    expect(page.locator("header.api-docs")).to_contain_text("маршруты, параметры и ответы")
    shown = sorted(page.evaluate(OPERATIONS))
    assert "get /api/alerts" in shown and shown == schema_operations(base)
    shot(page, "docs")
    log_in(context, base)
    alerts = page.locator(".opblock-get", has=page.locator("[data-path='/api/alerts']"))
    alerts.locator(".opblock-summary").click()
    alerts.get_by_role("button", name="Try it out").click()
    alerts.get_by_role("button", name="Execute").click()
    expect(alerts.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200", timeout=15_000)
    expect(alerts.locator(".live-responses-table .microlight").first).to_contain_text("[]")
    assert f"{base}/api/alerts?limit=50&offset=0" in seen["requests"]
    assert troubles(page, seen) == []
    assert elsewhere(seen["requests"], base) == []


def log_in(context: BrowserContext, base: str) -> None:
    """Give the browser a session of the viewer, as the login form would."""
    login = httpx.post(f"{base}/login", data={"username": "zhanar", "password": PASSWORD})
    assert login.status_code == 303, login.text
    context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in login.cookies.jar])


def test_on_a_public_host_name_docs_still_asks_only_the_app(watched, base):
    page, seen = watched
    refused = []

    def relay(route: Route) -> None:
        """The app answers for PUBLIC; anything else is refused and noted."""
        url = route.request.url
        if url.startswith(PUBLIC + "/"):
            route.fulfill(response=route.fetch(url=base + url[len(PUBLIC):]))
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", relay)
    page.goto(f"{PUBLIC}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert refused == [] and elsewhere(seen["requests"], PUBLIC) == []
    assert troubles(page, seen) == []
