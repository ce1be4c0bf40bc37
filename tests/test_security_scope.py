"""Regional scope on every route: an analyst limited to Zhambyl gets nothing of Almaty, through
the API (a token) and the pages (a session): a direct item answers 404, lists leave it out and
their totals do not count it, aggregates do not show it. Every route of the app must have an
entry in :data:`ROUTES` saying how it is checked; a new route without one fails the test.

The world is :mod:`tests.security_world`: everything of Almaty carries :data:`SECRET`, and the
same request made by the admin must show it, so that each check can fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from kelisim.web.app import create_app
from tests import security_world as world
from tests.route_table import app_routes
from tests.security_world import ALMATY, ALMATY_SOURCE, PASSWORD, SECRET, ZHAMBYL

SPAN = "from=2024-01-01&to=2024-03-31"


@dataclass(frozen=True)
class Item:
    """Direct items of Almaty: 404 for the analyst, shown (with ``marker``) to the admin."""

    paths: tuple[str, ...]
    marker: str = SECRET


@dataclass(frozen=True)
class Listing:
    """Lists and aggregates: the analyst's answer never holds ``marker`` (nor counts what it
    leaves out); the admin's does, unless ``admin_sees`` is off."""

    paths: tuple[str, ...]
    marker: str = SECRET
    admin_sees: bool = True


@dataclass(frozen=True)
class Action:
    """A change to an item of Almaty: 404 for the analyst; the admin's same (invalid) change is
    refused for what it is, not as unknown."""

    path: str
    body: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    """A list whose items are not regional but whose counts are: ``check(analyst, admin)``."""

    path: str
    check: str


@dataclass(frozen=True)
class Open:
    """No regional data behind it (why)."""

    why: str


ROUTES = {
    ("GET", "/api/alerts"): Listing(("/api/alerts", "/api/alerts?status=new")),
    ("GET", "/api/alerts/{alert_id}"): Item(("/api/alerts/{alert_a}", "/api/alerts/{alert_s}")),
    ("POST", "/api/alerts/{alert_id}/actions"): Action("/api/alerts/{alert_a}/actions",
                                                       {"action": "no-such-move"}),
    ("GET", "/api/incidents"): Listing(("/api/incidents", f"/api/incidents?{SPAN}")),
    ("GET", "/api/incidents/{incident_id}"): Item(("/api/incidents/{incident_a}",)),
    ("POST", "/api/incidents/{incident_id}/actions"): Action(
        "/api/incidents/{incident_a}/actions", {"action": "no-such-move"}),
    ("GET", "/api/stories"): Listing(("/api/stories", "/api/stories?order=size")),
    ("GET", "/api/stories/{story_id}"): Item(("/api/stories/{story_a}",)),
    ("GET", "/api/index"): Listing((f"/api/index?{SPAN}",), marker=f'"{ALMATY}"'),
    ("GET", "/api/index/{kato}"): Item((f"/api/index/{ALMATY}?{SPAN}",), marker=ALMATY),
    ("GET", "/api/documents/{document_id}"): Item(("/api/documents/{doc_a}",)),
    ("POST", "/api/documents/{document_id}/corrections"): Action(
        "/api/documents/{doc_a}/corrections", {"field": "event_type", "value": "no-such-type"}),
    ("GET", "/api/search"): Listing(("/api/search", f"/api/search?q={SECRET}")),
    ("GET", "/api/entities"): Listing(("/api/entities", f"/api/entities?region={ALMATY}",
                                       "/api/entities?label=PER")),
    ("GET", "/api/entities/{ref:path}"): Item(("/api/entities/per:dosayev",)),
    ("GET", "/api/places"): Listing(("/api/places", f"/api/places?region={ALMATY}"),
                                    marker="Медеу"),
    ("GET", "/api/groups"): Listing(("/api/groups", f"/api/groups?region={ALMATY}"),
                                    marker="уйгур"),
    ("GET", "/api/quotes"): Listing(("/api/quotes", "/api/quotes?officials=true",
                                     "/api/quotes?speaker=per:dosayev")),
    ("GET", "/api/sources"): Counts("/api/sources", "source_documents"),
    ("GET", "/api/overview"): Listing(("/api/overview?period=365d",)),
    ("GET", "/api/regions/{kato}"): Item((f"/api/regions/{ALMATY}?period=365d",)),
    ("GET", "/api/reports/{region}"): Item((f"/api/reports/{ALMATY}?{SPAN}",
                                            f"/api/reports/Алматы?{SPAN}")),
    ("GET", "/api/shapes/regions"): Open("the regions' outlines, the same for everyone"),
    ("GET", "/"): Listing(("/?period=365d",)),
    ("GET", "/regions/{kato}"): Item((f"/regions/{ALMATY}?period=365d",)),
    ("GET", "/alerts"): Listing(("/alerts", "/alerts?status=new")),
    ("GET", "/alerts/{alert_id}"): Item(("/alerts/{alert_a}", "/alerts/{alert_s}")),
    ("POST", "/alerts/{alert_id}"): Action("/alerts/{alert_a}", {"action": "no-such-move"}),
    ("GET", "/incidents"): Listing(("/incidents",)),
    ("GET", "/incidents/{incident_id}"): Item(("/incidents/{incident_a}",)),
    ("POST", "/incidents/{incident_id}"): Action("/incidents/{incident_a}",
                                                 {"action": "no-such-move"}),
    ("GET", "/stories"): Listing(("/stories", "/stories?order=size")),
    ("GET", "/stories/{story_id}"): Item(("/stories/{story_a}",)),
    ("GET", "/documents/{document_id}"): Item(("/documents/{doc_a}",)),
    ("POST", "/documents/{document_id}"): Action("/documents/{doc_a}",
                                                 {"field": "event_type", "value": "no-such"}),
    ("GET", "/search"): Listing(("/search?q=митинг",)),
    ("GET", "/entities/{ref:path}"): Item(("/entities/per:dosayev",)),
    ("GET", "/sources"): Listing(("/sources",), admin_sees=False),
    ("GET", "/reports"): Listing(("/reports",), marker=f'value="{ALMATY}"'),
    ("GET", "/reports/go"): Open("a redirect to /reports/{region}, which is checked"),
    ("GET", "/reports/{region}"): Item((f"/reports/{ALMATY}?{SPAN}&format=html",)),
    ("GET", "/login"): Open("the login form"),
    ("POST", "/login"): Open("logging in"),
    ("POST", "/logout"): Open("logging out"),
    ("GET", "/openapi.json"): Open("the API's schema"),
    ("GET", "/docs"): Open("the API's interactive page"),
    ("*", "/static"): Open("scripts, styles and the icon"),
}
# What the analyst sees of Zhambyl, where nothing of Almaty belongs either.
OWN_REGION = (f"/api/regions/{ZHAMBYL}?period=365d", f"/api/reports/{ZHAMBYL}?{SPAN}",
              f"/api/index/{ZHAMBYL}?{SPAN}", f"/regions/{ZHAMBYL}?period=365d",
              f"/reports/{ZHAMBYL}?{SPAN}&format=html", "/api/stories/{story}",
              "/stories/{story}", "/documents/{doc}", "/api/documents/{doc}")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = tmp_path_factory.mktemp("scope") / "kelisim.db"
    return db, world.build(db)


@pytest.fixture(scope="module")
def clients(built):
    """Logged-in clients (a session, for pages) and tokens (for the API) of both users."""
    db, ids = built
    app = create_app(world.settings(db))
    with (TestClient(app, follow_redirects=False) as analyst,
          TestClient(app, follow_redirects=False) as admin,
          TestClient(app, follow_redirects=False) as anonymous):
        for client, name in ((analyst, "aigerim"), (admin, "admin")):
            done = client.post("/login", data={"username": name, "password": PASSWORD})
            assert done.status_code == 303
        yield {"aigerim": analyst, "admin": admin, "anonymous": anonymous, "ids": ids}


def get(clients, user: str, path: str, method: str = "GET", body: dict | None = None):
    """A request as a user: the API with their token, a page with their session."""
    client, ids = clients[user], clients["ids"]
    path = path.format(**ids)
    if not path.startswith("/api/"):
        if method == "GET":
            return client.get(path)
        return client.post(path, data={**(body or {}), "csrf": _csrf(client)})
    headers = {"Authorization": f"Bearer {ids['tokens'][user]}"} if user in ids["tokens"] else {}
    return client.request(method, path, json=body, headers=headers)


def _csrf(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/search").text).group(1)


def test_every_route_has_a_scope_check(built):
    app = create_app(world.settings(built[0]))
    found = {(method, path) for method, path, _route in app_routes(app)}
    assert found - ROUTES.keys() == set(), "routes without a scope check: add them to ROUTES"
    assert ROUTES.keys() - found == set(), "ROUTES names routes the app no longer has"


@pytest.mark.parametrize("key", [k for k, v in ROUTES.items() if not isinstance(v, Open)],
                         ids=lambda key: f"{key[0]} {key[1]}")
def test_the_analyst_gets_nothing_of_another_region(key, clients):
    check = ROUTES[key]
    {Item: _item, Listing: _listing, Action: _action, Counts: _counts}[type(check)](clients, check)


def _item(clients, check: Item) -> None:
    for path in check.paths:
        shown = get(clients, "admin", path)
        assert shown.status_code == 200 and check.marker in shown.text, path
        assert get(clients, "aigerim", path).status_code == 404, path
        assert get(clients, "anonymous", path).status_code in (401, 303), path


def _listing(clients, check: Listing) -> None:
    for path in check.paths:
        seen = get(clients, "aigerim", path)
        assert seen.status_code == 200, path
        assert check.marker not in seen.text, f"{path} shows the analyst another region"
        if check.admin_sees:
            assert check.marker in get(clients, "admin", path).text, path
        if path.startswith("/api/") and isinstance(seen.json(), dict) and "total" in seen.json():
            page = seen.json()
            assert page["total"] == len(page["items"]), f"{path} counts what it does not show"
        assert get(clients, "anonymous", path).status_code in (401, 303), path


def _action(clients, check: Action) -> None:
    refused = get(clients, "admin", check.path, "POST", check.body)
    assert refused.status_code in (409, 422), refused.text  # seen, and the move is wrong
    assert get(clients, "aigerim", check.path, "POST", check.body).status_code == 404


def _counts(clients, check: Counts) -> None:
    def documents(user: str) -> int:
        sources = get(clients, user, check.path).json()
        return next(s["documents"] for s in sources if s["name"] == ALMATY_SOURCE)

    assert (documents("admin"), documents("aigerim")) == (1, 0)


@pytest.mark.parametrize("path", OWN_REGION)
def test_the_analysts_own_region_shows_nothing_of_another(path, clients):
    seen = get(clients, "aigerim", path)
    assert seen.status_code == 200, path
    assert SECRET not in seen.text
