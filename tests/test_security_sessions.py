"""Sessions, CSRF and the limits on guessing, as several server processes over one store see
them: failed logins and failed API tokens are counted in the store (two app instances share
the count), a login always starts a new session, a logout ends every copy of its cookie, and
every route that changes something needs the form's token or a bearer token.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from kelisim.store import Store
from kelisim.users import Accounts
from kelisim.web import deps
from kelisim.web.app import create_app
from kelisim.web.limits import FailureLimiter, login_keys
from kelisim.web.session import COOKIE
from tests import security_world as world
from tests.route_table import app_routes, dependencies
from tests.security_world import PASSWORD, ZHAMBYL
from tests.store_fixtures import build_doc
from tests.test_api import _document

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Every route that changes something, with a request that would change it.
CHANGES = {
    ("POST", "/api/alerts/{alert_id}/actions"): ("/api/alerts/{alert}/actions",
                                                 {"action": "acknowledge"}),
    ("POST", "/api/incidents/{incident_id}/actions"): ("/api/incidents/{incident}/actions",
                                                       {"action": "verify"}),
    ("POST", "/api/documents/{document_id}/corrections"): (
        "/api/documents/{doc}/corrections", {"field": "relevant", "value": True}),
    ("POST", "/alerts/{alert_id}"): ("/alerts/{alert}", {"action": "comment", "comment": "да"}),
    ("POST", "/incidents/{incident_id}"): ("/incidents/{incident}", {"action": "comment",
                                                                     "comment": "да"}),
    ("POST", "/documents/{document_id}"): ("/documents/{doc}", {"field": "relevant",
                                                                 "value": "yes"}),
    ("POST", "/logout"): ("/logout", {}),
    ("POST", "/login"): ("/login", {"username": "admin", "password": PASSWORD}),
}
NO_SESSION_YET = {("POST", "/login")}  # guarded by Sec-Fetch-Site and the guessing limit


def fill(store_url: str) -> tuple[str, dict, dict]:
    """A store with the world's users (and their tokens), an alert, an incident, a document."""
    with Store.open(store_url) as store:
        tokens = world._users(store, hostile=False)["tokens"]
        doc = _document(store, build_doc, "Тараз. Встреча в акимате.", ZHAMBYL)
        ids = {"alert": world._alert(store, "z", ZHAMBYL, "Всплеск", [doc], []),
               "incident": world._incident(store, ZHAMBYL, "драка", doc), "doc": doc}
    return store_url, tokens, ids


@pytest.fixture()
def url(store_url):
    """The filled store on each backend: for what the store itself keeps (counts, sessions)."""
    return fill(store_url)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The filled store on SQLite, for what the web layer alone decides; shared by the module's
    tests, which use users, addresses and moves that do not get in each other's way."""
    return fill(f"sqlite:///{tmp_path_factory.mktemp('sessions') / 'kelisim.db'}")


def client(store_url: str, address: str = "198.51.100.1", **web) -> TestClient:
    """A client of a new app instance over the store, as if from ``address``."""
    return TestClient(create_app(world.settings(store_url, **web)), client=(address, 50000),
                      follow_redirects=False)


def log_in(http: TestClient, name: str = "admin", password: str = PASSWORD):
    return http.post("/login", data={"username": name, "password": password})


def csrf_of(http: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', http.get("/search").text).group(1)


def test_two_app_instances_share_the_count_of_failed_logins(url):
    store_url, _tokens, _ids = url
    with client(store_url) as first, client(store_url) as second:
        for http in (first, second, first, second, first):
            assert log_in(http, "guest", "неверный-пароль").status_code == 401
        for http in (first, second):  # even the right password now waits, in both processes
            refused = log_in(http, "guest")
            assert refused.status_code == 429 and COOKIE not in refused.headers.get("set-cookie", "")


def test_one_user_name_guessed_from_many_addresses_is_stopped(web):
    store_url, _tokens, _ids = web
    for number in range(5):
        with client(store_url, f"203.0.113.{number}") as http:
            assert log_in(http, "aigerim", "неверный-пароль").status_code == 401
    with client(store_url, "203.0.113.99") as http:
        assert log_in(http, "aigerim").status_code == 429
        assert log_in(http, "admin").status_code == 303  # another name from a new address


def test_the_window_passes_and_old_failures_are_pruned(store):
    moment = [datetime(2024, 3, 14, 12, tzinfo=timezone.utc)]
    limiter = FailureLimiter(3, 15, clock=lambda: moment[0])
    keys = login_keys("192.0.2.1", "Admin")
    for _ in range(3):
        limiter.failed(store, keys)
    assert limiter.wait(store, keys) == 15 * 60
    moment[0] += timedelta(minutes=10)
    assert limiter.wait(store, keys) == 5 * 60
    moment[0] += timedelta(minutes=5, seconds=1)
    assert limiter.wait(store, keys) == 0
    limiter.failed(store, keys)  # this failure's write forgets the three older ones
    ancient = moment[0] - timedelta(days=365)
    assert store.users.nth_latest_failure(keys[0], ancient, 1) == moment[0]
    assert store.users.nth_latest_failure(keys[0], ancient, 2) is None
    limiter.succeeded(store, keys)
    assert store.users.nth_latest_failure(keys[1], ancient, 1) is None


def test_wrong_api_tokens_are_limited_per_address_across_instances(url):
    store_url, tokens, _ids = url
    good = {"Authorization": f"Bearer {tokens['admin']}"}
    with client(store_url, token_attempts=3) as first, client(store_url, token_attempts=3) as second:
        for http in (first, second, first):
            assert http.get("/api/alerts", headers={"Authorization": "Bearer klsm_guess"}
                            ).status_code == 401
        for http in (first, second):
            refused = http.get("/api/alerts", headers=good)
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    with client(store_url, "198.51.100.2", token_attempts=3) as elsewhere:
        assert elsewhere.get("/api/alerts", headers=good).status_code == 200


def test_a_login_always_starts_a_new_session(web):
    store_url, _tokens, _ids = web
    with client(store_url) as http, client(store_url) as other, client(store_url) as planted:
        guest_cookie = log_in(http, "guest").cookies[COOKIE]
        guest_csrf = csrf_of(http)
        admin_cookie = log_in(http, "admin").cookies[COOKIE]
        assert admin_cookie != guest_cookie and csrf_of(http) != guest_csrf
        other.cookies.set(COOKIE, guest_cookie)  # the older session is still the guest's only
        assert "guest" in other.get("/").text and "admin" not in other.get("/").text
        planted.cookies.set(COOKIE, guest_cookie)  # a cookie set before a login is replaced
        assert log_in(planted, "admin").cookies[COOKIE] not in (guest_cookie, admin_cookie)


def test_a_logout_ends_every_copy_of_the_session(url):
    store_url, _tokens, _ids = url
    with client(store_url) as http, client(store_url) as thief:
        log_in(http)
        thief.cookies.set(COOKIE, http.cookies[COOKIE])
        assert thief.get("/").status_code == 200
        assert http.post("/logout", data={"csrf": csrf_of(http)}).status_code == 303
        assert thief.get("/").status_code == 303  # to the login page
        assert thief.get("/api/alerts").status_code == 401


def test_removing_a_user_ends_their_sessions(web):
    store_url, _tokens, _ids = web
    with Store.open(store_url) as store:
        Accounts(store).add("leaver", PASSWORD, "viewer")
    with client(store_url) as http:
        log_in(http, "leaver")
        assert http.get("/").status_code == 200
        with Store.open(store_url) as store:
            store.users.remove("leaver")
        assert http.get("/").status_code == 303


def test_cookie_flags_and_lifetime(web):
    store_url, _tokens, _ids = web
    with client(store_url, secure_cookies=True, session_hours=2) as http:
        cookie = log_in(http).headers["set-cookie"]
        assert "Max-Age=7200" in cookie and "Path=/" in cookie and "Secure" in cookie
        assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
        language = http.get("/login?lang=kk").headers["set-cookie"]
        assert "HttpOnly" in language and "samesite=lax" in language.lower()


def test_a_form_sent_from_another_site_is_refused(web):
    store_url, _tokens, _ids = web
    with client(store_url) as http:
        for site in ("cross-site", "same-site"):
            refused = http.post("/login", data={"username": "admin", "password": PASSWORD},
                                headers={"Sec-Fetch-Site": site})
            assert refused.status_code == 403 and "set-cookie" not in refused.headers
        assert http.post("/login", data={"username": "admin", "password": PASSWORD},
                         headers={"Sec-Fetch-Site": "same-origin"}).status_code == 303
        token = csrf_of(http)
        assert http.post("/logout", data={"csrf": token},
                         headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
        assert http.get("/").status_code == 200  # still logged in


def test_every_unsafe_route_is_listed_and_guarded(web):
    store_url, _tokens, _ids = web
    unsafe = {(m, p): route for m, p, route in app_routes(create_app(world.settings(store_url)))
              if m in UNSAFE}
    assert unsafe.keys() == CHANGES.keys(), "a route that changes things is not in CHANGES"
    for (method, path), route in unsafe.items():
        needs = dependencies(route)
        if (method, path) in NO_SESSION_YET:
            continue
        guard = deps.current_user if path.startswith("/api/") else deps.form
        assert guard in needs, f"{method} {path} does not check the CSRF token"


@pytest.mark.parametrize("key", [k for k in CHANGES if k not in NO_SESSION_YET],
                         ids=lambda key: f"{key[0]} {key[1]}")
def test_a_change_without_the_right_token_is_refused(key, web):
    store_url, tokens, ids = web
    path, body = CHANGES[key]
    path = path.format(**ids)
    with client(store_url) as http:
        log_in(http)
        token = csrf_of(http)
        for wrong in (None, "", "forged", token[:-1], "é" * len(token)):
            if path.startswith("/api/"):
                headers = {} if wrong is None else {"X-CSRF-Token": wrong.encode()}
                answer = http.post(path, json=body, headers=headers)
            else:
                answer = http.post(path, data=body if wrong is None else {**body, "csrf": wrong})
            assert answer.status_code == 403, (wrong, answer.text)
        if path.startswith("/api/"):  # a bearer token needs no CSRF token, a session does
            bearer = {"Authorization": f"Bearer {tokens['admin']}"}
            with client(store_url, "198.51.100.7") as api:
                assert api.post(path, json=body, headers=bearer).status_code == 200
            assert http.post(path, json=body, headers={"X-CSRF-Token": token}).status_code != 403
        else:
            assert http.post(path, data={**body, "csrf": token}).status_code == 303


def test_a_stolen_token_is_revoked(url):
    store_url, tokens, _ids = url
    with Store.open(store_url) as store:
        accounts = Accounts(store)
        spare = accounts.new_token("guest", "laptop")
        assert accounts.revoke_tokens("guest", "api") == 1  # the one the world made
    with client(store_url) as http:
        assert http.get("/api/alerts", headers={"Authorization": f"Bearer {tokens['guest']}"}
                        ).status_code == 401
        assert http.get("/api/alerts", headers={"Authorization": f"Bearer {spare}"}
                        ).status_code == 200
