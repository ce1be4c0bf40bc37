"""The dashboard as a browser without JavaScript sees it: logging in, sessions, CSRF, the login
rate limit, pages that render their JSON twins, workflows, corrections, scope and escaping."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kelisim.core import Kelisim
from kelisim.users import Accounts
from kelisim.web.app import create_app
from kelisim.web.session import COOKIE
from tests import dashboard_world as world
from tests.dashboard_world import ALMATY, PASSWORD, ZHAMBYL


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = tmp_path_factory.mktemp("dashboard") / "kelisim.db"
    return db, world.build(db)


@pytest.fixture()
def app(built):
    db, _ids = built
    return create_app(world.settings(db))


def login(client: TestClient, name: str, password: str = PASSWORD, follow: bool = False):
    return client.post("/login", data={"username": name, "password": password, "next": "/"},
                       follow_redirects=follow)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_a_page_needs_a_login_and_comes_back_after_it(app):
    with TestClient(app) as client:
        asked = client.get("/incidents?status=flagged", follow_redirects=False)
        assert asked.status_code == 303
        assert asked.headers["location"] == "/login?next=/incidents?status=flagged"
        form = client.get(asked.headers["location"])
        assert 'name="next" value="/incidents?status=flagged"' in form.text
        done = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                           "next": "/incidents?status=flagged"},
                           follow_redirects=False)
        assert done.headers["location"] == "/incidents?status=flagged"


def test_the_session_cookie_is_httponly_and_samesite(app):
    with TestClient(app) as client:
        response = login(client, "admin")
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower() and "Secure" not in cookie  # plain http here


def test_the_cookie_is_secure_over_https(built):
    db, _ids = built
    with TestClient(create_app(world.settings(db)), base_url="https://kelisim.test") as client:
        assert "Secure" in login(client, "admin").headers["set-cookie"]


def test_a_login_goes_only_to_this_site(app):
    with TestClient(app) as client:
        response = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                               "next": "//evil.example/x"}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_a_wrong_password_says_so_and_guessing_is_stopped(app, built):
    # The count is kept in the store: a user and an address of this test's own.
    with Kelisim(world.settings(built[0])) as kelisim:
        Accounts(kelisim.store).add("guessed", PASSWORD, "viewer")
    with TestClient(app, client=("203.0.113.7", 50000)) as client:
        for _ in range(5):
            wrong = login(client, "guessed", "неверный-пароль")
            assert wrong.status_code == 401 and "Неверное имя пользователя или пароль" in wrong.text
        blocked = login(client, "guessed")  # even the right password waits now
        assert blocked.status_code == 429 and "Слишком много неудачных попыток" in blocked.text
        assert COOKIE not in blocked.headers.get("set-cookie", "")


def test_a_forged_or_stale_session_is_refused(app, built):
    with TestClient(app) as client:
        client.cookies.set(COOKIE, "eyJ1c2VyIjoiYWRtaW4ifQ.forged.sig")
        assert client.get("/", follow_redirects=False).status_code == 303
        client.cookies.clear()
        with Kelisim(world.settings(built[0])) as kelisim:
            Accounts(kelisim.store).add("olzhas", PASSWORD, "viewer")
        login(client, "olzhas")
        assert client.get("/").status_code == 200
        with Kelisim(world.settings(built[0])) as kelisim:  # the same name, a new password
            kelisim.store.users.remove("olzhas")
            Accounts(kelisim.store).add("olzhas", PASSWORD + "-новый", "viewer")
        assert client.get("/", follow_redirects=False).status_code == 303


def test_logout_needs_the_csrf_token_and_ends_the_session(app):
    with TestClient(app) as client:
        login(client, "admin")
        page = client.get("/")
        assert client.post("/logout", data={}).status_code == 403
        assert client.post("/logout", data={"csrf": csrf_of(page.text)},
                           follow_redirects=False).status_code == 303
        assert client.get("/", follow_redirects=False).status_code == 303


def test_the_overview_renders_its_twin(app):
    with TestClient(app) as client:
        login(client, "admin")
        twin = client.get("/api/overview?period=365d").json()
        page = client.get("/?period=365d").text
        assert twin["alerts"]["total"] == 2
        for alert in twin["alerts"]["items"]:
            assert f'href="/alerts/{alert["id"]}"' in page
        placed = [r for r in twin["regions"] if r["volume"]]
        assert placed and all(f'/regions/{r["kato"]}' in page for r in placed)
        assert "Обстановка по регионам" in page and 'id="map"' in page
        assert 'href="/api/overview?period=365d"' in page  # the twin is linked


def test_the_region_page_shows_its_parts(app, built):
    _db, ids = built
    with TestClient(app) as client:
        login(client, "admin")
        twin = client.get(f"/api/regions/{ZHAMBYL}?period=365d").json()
        page = client.get(f"/regions/{ZHAMBYL}?period=365d").text
        assert twin["region"]["name"] == "Жамбылская область"
        assert [i["id"] for i in twin["incidents"]] == [ids["incident_z"]]
        assert [a["id"] for a in twin["alerts"]["items"]] == [ids["alert_z"]]
        assert f'href="/alerts/{ids["alert_z"]}"' in page
        assert f'href="/incidents/{ids["incident_z"]}"' in page
        assert twin["value"]["volume"] == sum(v["volume"] for v in twin["series"])
        for heading in ("Индекс и число публикаций", "Районы и города", "Этнические группы",
                        "Заявления официальных лиц", "Работа по деэскалации"):
            assert heading in page
        assert 'id="trend-data"' in page


def test_an_analyst_acknowledges_an_alert_with_a_comment(app, built):
    _db, ids = built
    alert = ids["alert_z"]
    with TestClient(app) as client:
        login(client, "aigerim")
        page = client.get(f"/alerts/{alert}")
        assert "Принять в работу" in page.text
        no_token = client.post(f"/alerts/{alert}", data={"action": "acknowledge"})
        assert no_token.status_code == 403
        done = client.post(f"/alerts/{alert}", data={"action": "acknowledge", "comment": "Проверяю",
                                                     "csrf": csrf_of(page.text)})
        assert done.status_code == 200 and "Оповещение принято в работу" in done.text
        twin = client.get(f"/api/alerts/{alert}").json()
        assert twin["status"] == "acknowledged"
        assert twin["actions"][-1]["author"] == "aigerim"
        assert twin["actions"][-1]["comment"] == "Проверяю"
        again = client.post(f"/alerts/{alert}", data={"action": "acknowledge",
                                                      "csrf": csrf_of(page.text)})
        assert again.status_code == 409


def test_the_api_through_a_session_needs_the_csrf_header_to_change_things(app, built):
    _db, ids = built
    with TestClient(app) as client:
        login(client, "admin")
        token = csrf_of(client.get("/").text)
        url = f"/api/incidents/{ids['incident_a']}/actions"
        assert client.post(url, json={"action": "verify"}).status_code == 403
        done = client.post(url, json={"action": "verify"}, headers={"X-CSRF-Token": token})
        assert done.status_code == 200 and done.json()["status"] == "verified"


def test_a_viewer_sees_no_moves_and_cannot_make_one(app, built):
    _db, ids = built
    with TestClient(app) as client:
        login(client, "guest")
        page = client.get(f"/incidents/{ids['incident_z']}")
        assert "Подтвердить" not in page.text and "нет прав на действия" in page.text
        refused = client.post(f"/incidents/{ids['incident_z']}",
                              data={"action": "verify", "csrf": csrf_of(page.text)})
        assert refused.status_code == 403


def test_a_regional_analyst_gets_nothing_of_another_region(app, built):
    _db, ids = built
    with TestClient(app) as client:
        login(client, "aigerim")
        for path in (f"/alerts/{ids['alert_a']}", f"/incidents/{ids['incident_a']}",
                     f"/regions/{ALMATY}", f"/api/regions/{ALMATY}"):
            assert client.get(path).status_code == 404, path
        overview = client.get("/api/overview?period=365d").json()
        assert {r["kato"] for r in overview["regions"]} == {ZHAMBYL}
        assert [a["id"] for a in overview["alerts"]["items"]] == [ids["alert_z"]]
        listed = client.get("/incidents").text
        assert f'/incidents/{ids["incident_a"]}"' not in listed
        assert f'/incidents/{ids["incident_z"]}"' in listed


def test_a_document_shows_its_reading_marked_and_escaped(app, built):
    _db, ids = built
    with TestClient(app) as client:
        login(client, "admin")
        page = client.get(f"/documents/{ids['markup']}").text
        twin = client.get(f"/api/documents/{ids['markup']}").json()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        groups = {g["group"] for g in twin["reading"]["ethnic_groups"]}
        assert {"казах", "дунганин"} <= groups
        for mention in twin["reading"]["ethnic_groups"][0]["mentions"]:
            assert f'data-start="{mention["start"]}"' in page
        assert "hl-place-district" in page


def test_a_correction_from_the_page_is_in_force_and_audited(app, built):
    _db, ids = built
    doc = ids["markup"]
    with TestClient(app) as client:
        login(client, "admin")
        page = client.get(f"/documents/{doc}").text
        done = client.post(f"/documents/{doc}", data={
            "field": "event_type", "value": "mediation_reconciliation", "comment": "Это примирение",
            "csrf": csrf_of(page)})
        assert "Исправление сохранено" in done.text
        reading = client.get(f"/api/documents/{doc}").json()["reading"]
        assert reading["event"]["type"] == "mediation_reconciliation"
        bad = client.post(f"/documents/{doc}", data={"field": "event_type", "value": "нет-такого",
                                                     "csrf": csrf_of(page)})
        assert bad.status_code == 422


def test_kazakh_and_english_are_a_click_away_and_remembered(app):
    with TestClient(app) as client:
        login(client, "admin")
        kazakh = client.get("/?lang=kk")
        assert "Өңірлердегі ахуал" in kazakh.text and '<html lang="kk">' in kazakh.text
        assert "Өңірлердегі ахуал" in client.get("/").text  # the cookie remembers it
        assert "Күш қолданылған қақтығыс" in client.get("/incidents").text  # the taxonomy's name
        assert "The regions at a glance" in client.get("/?lang=en").text


def test_pages_forbid_inline_scripts_and_framing(app):
    with TestClient(app) as client:
        response = client.get("/login")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"


def test_an_unknown_page_is_a_russian_404(app):
    with TestClient(app) as client:
        login(client, "admin")
        missing = client.get("/documents/999999")
        assert missing.status_code == 404 and "Страница не найдена" in missing.text
        assert client.get("/api/documents/999999").json() == {"detail": "no such document"}
