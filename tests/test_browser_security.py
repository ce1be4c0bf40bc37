"""Hostile text in Debian's Chromium: every page that shows ingested text or what users typed
(document text and title, source name and URL, entity names, quotes, ethnic groups, story
titles, incidents, alerts and their comments, user names, the search box, the HTML report,
error pages, the login's ``next=``) is visited with a world full of markup, and nothing runs:
no dialog opens, ``window.__pwned`` stays unset, no Content-Security-Policy violation is
reported, no element the page did not write itself (a script, an ``on…`` handler, a link to
``javascript:`` or ``data:``) is in the DOM, and the hostile words are shown as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests import security_world as world
from tests.browser import serving, shot
from tests.security_world import (HOSTILE_NEXT, HOSTILE_USER, PASSWORD, PAYLOAD, RUN, ZHAMBYL)

# Run before every page's own code: what the page reports of the Content-Security-Policy.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""
# Everything in the DOM that the app's templates never write.
INJECTED = """() => {
  const found = [];
  if (window.__pwned) found.push('window.__pwned is set');
  for (const v of window.__violations || []) found.push('CSP violation: ' + v);
  const ours = s => (s.getAttribute('src') || '').startsWith('/static/')
                    || s.type === 'application/json';
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(el.tagName + ' with ' + attr.name);
    }
    if (el.tagName === 'SCRIPT' && !ours(el)) found.push('script: ' + el.outerHTML.slice(0, 60));
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) found.push(el.tagName);
    if (el.tagName === 'META' && el.hasAttribute('http-equiv')) found.push('META http-equiv');
  }
  for (const el of document.querySelectorAll('a[href], area[href], form[action]')) {
    const url = new URL(el.getAttribute('href') || el.getAttribute('action'), location.href);
    if (!['http:', 'https:'].includes(url.protocol)) found.push(el.tagName + ' to ' + url.protocol);
  }
  return found;
}"""
# (name, path) of every page that shows hostile text; ids are the world's.
PAGES = {
    "overview": lambda ids: "/?period=365d",
    "region": lambda ids: f"/regions/{ZHAMBYL}?period=365d",
    "alerts": lambda ids: "/alerts",
    "alert": lambda ids: f"/alerts/{ids['alert']}",
    "incidents": lambda ids: "/incidents",
    "incident": lambda ids: f"/incidents/{ids['incident']}",
    "stories": lambda ids: "/stories",
    "story": lambda ids: f"/stories/{ids['story']}",
    "document": lambda ids: f"/documents/{ids['docs'][0]}",
    "entity": lambda ids: "/entities/" + quote(f"PER:Ерлан {PAYLOAD}", safe=""),
    "search-echo": lambda ids: "/search?q=" + quote(PAYLOAD[:500], safe=""),
    "search-hits": lambda ids: "/search?q=" + quote("дружбы", safe=""),
    "sources": lambda ids: "/sources",
    "report-html": lambda ids: f"/reports/{ZHAMBYL}?from=2024-01-01&to=2024-03-31&format=html",
    "not-found": lambda ids: "/documents/999999",
    "twin-json": lambda ids: f"/api/documents/{ids['docs'][0]}",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "kelisim.db"
    return db, world.build(db)


@pytest.fixture(scope="module")
def base(built) -> Iterator[str]:
    with serving(world.settings(built[0])) as url:  # one server for the module: it is read-only
        yield url


@pytest.fixture(scope="module")
def admin_cookies(base) -> list[dict]:
    answer = httpx.post(f"{base}/login", data={"username": "admin", "password": PASSWORD},
                        follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return [{"name": c.name, "value": c.value, "url": base} for c in answer.cookies.jar]


@pytest.fixture()
def watched(context: BrowserContext):
    """A page whose dialogs, page errors and console messages are recorded."""
    context.add_init_script(WATCH)
    page = context.new_page()
    seen = {"dialogs": [], "errors": [], "console": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: seen["console"].append(message.text))
    return page, seen


def injected(page: Page, seen: dict) -> list[str]:
    """Whatever hostile text made the browser do, on the page as it stands."""
    found = page.evaluate(INJECTED)
    found += [f"dialog: {m}" for m in seen["dialogs"]]
    found += [f"page error: {e}" for e in seen["errors"]]
    found += [f"console: {m}" for m in seen["console"] if "Content Security Policy" in m]
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_hostile_text_runs_nowhere(name, watched, context, admin_cookies, base, built):
    page, seen = watched
    context.add_cookies(admin_cookies)
    page.goto(base + PAGES[name](built[1]))
    page.wait_for_load_state("load")
    assert injected(page, seen) == []
    if name not in ("not-found", "twin-json", "search-hits"):
        assert "window.__pwned=1" in page.content(), "the hostile words should show, as text"


def test_javascript_urls_are_never_links(watched, context, admin_cookies, base, built):
    page, seen = watched
    context.add_cookies(admin_cookies)
    for doc in built[1]["docs"]:
        page.goto(f"{base}/documents/{doc}")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        assert hrefs and all(h.startswith(base) for h in hrefs), hrefs
        expect(page.locator("p.subtitle")).to_contain_text("window.__pwned=1")  # shown as text
        assert injected(page, seen) == []
    page.goto(f"{base}/sources")
    expect(page.locator("table")).to_contain_text("https://***@feeds.example.kz")
    assert injected(page, seen) == []


def test_a_hostile_user_name_logs_in_and_shows_as_text(watched, context, base, built):
    page, seen = watched
    page.goto(f"{base}/login")
    page.fill("input[name=username]", HOSTILE_USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header.top .right")).to_contain_text("onerror")
    page.goto(f"{base}/alerts/{built[1]['alert']}")
    expect(page.locator(".trail").last).to_contain_text("window.__pwned=1")
    assert injected(page, seen) == []
    shot(page, "hostile-user")


def test_the_login_next_stays_inert_and_on_this_site(watched, base):
    page, seen = watched
    page.goto(f"{base}/login?next={quote(HOSTILE_NEXT, safe='')}")
    assert injected(page, seen) == []
    assert page.input_value("input[name=next]") == HOSTILE_NEXT
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.startswith(base + "/")  # the path is this site's: a 404 page, shown inert
    assert injected(page, seen) == []


def test_error_pages_that_echo_input_stay_inert(watched, context, admin_cookies, base,
                                                 built):
    page, seen = watched
    context.add_cookies(admin_cookies)
    page.goto(f"{base}/alerts/{built[1]['alert']}")
    move = page.locator("#alert-actions button").first  # its value becomes the hostile action
    move.evaluate("(b, v) => b.value = v", PAYLOAD)
    move.click()
    expect(page.locator("p.muted").first).to_contain_text("unknown alert action")
    assert "window.__pwned=1" in page.content()  # the error names the action, as text
    assert injected(page, seen) == []
    shot(page, "error-409")
    page.goto(f"{base}/documents/{built[1]['doc']}")
    form = page.locator("#corrections form").first
    form.locator("select[name=value]").evaluate(
        "(s, v) => { s.options[0].value = v; s.selectedIndex = 0; }", PAYLOAD)
    form.locator("button[type=submit]").click()
    expect(page.locator("p.muted").first).to_contain_text("unknown event type")
    assert "window.__pwned=1" in page.content()
    assert injected(page, seen) == []
    shot(page, "error-422")


@pytest.mark.parametrize("policy", [True, False])
def test_the_watch_sees_an_injection(policy, watched, context, base):
    """The checks above can fail: a page that writes the payload unescaped is caught, with the
    app's Content-Security-Policy (violations reported) and without it (the payload runs)."""
    page, seen = watched
    headers = {"content-type": "text/html; charset=utf-8"}
    if policy:
        from kelisim.web.app import SECURITY_HEADERS
        headers["content-security-policy"] = SECURITY_HEADERS["Content-Security-Policy"]
    body = f"<!doctype html><title>x</title><p>{PAYLOAD}</p><a href='javascript:{RUN}'>x</a>"
    page.route(f"{base}/__unescaped", lambda route: route.fulfill(status=200, headers=headers,
                                                                    body=body))
    page.goto(f"{base}/__unescaped")
    page.wait_for_load_state("load")
    found = injected(page, seen)
    assert any("with onerror" in f for f in found) and any("to javascript:" in f for f in found)
    if policy:
        assert any(f.startswith("CSP violation") for f in found)
        assert not any(f.startswith("window.__pwned") for f in found)
    else:
        assert "window.__pwned is set" in found and any(f.startswith("dialog") for f in found)
