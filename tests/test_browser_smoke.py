"""The browser chain end to end: Debian's Chromium starts, loads a page from the app on a live
server, runs its script against the JSON API, takes a click, and leaves a screenshot; a failed
browser test leaves screenshots of its open pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from playwright.sync_api import expect

import tests.browser
from kelisim.config import Settings
from kelisim.web.app import create_app
from tests.browser import ARTIFACTS_ENV, require_chromium, serving, shot

REPO = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Not a product page: the least that proves the chain (a script, a fetch, a click, Kazakh text).
SMOKE_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Проверка браузера</title></head>
<body>
  <h1>Келісім: проверка браузера</h1>
  <p>Өңірлер: Қызылорда, Түркістан, Ұлытау, Маңғыстау</p>
  <p>API: <span id="api">загрузка…</span></p>
  <button id="press" type="button">Нажать</button>
  <p id="pressed">Нажатий: 0</p>
  <script src="/smoke.js"></script>
</body></html>
"""

SMOKE_SCRIPT = """\
fetch("/openapi.json").then(r => r.json()).then(spec => {
  const paths = Object.keys(spec.paths).filter(p => p.startsWith("/api/")).length;
  document.getElementById("api").textContent = spec.info.title + ", путей: " + paths;
});
let pressed = 0;
document.getElementById("press").addEventListener("click", () => {
  pressed += 1;
  document.getElementById("pressed").textContent = "Нажатий: " + pressed;
});
"""

FAILING_TEST = '''
def test_fails_with_a_page_open(page):
    page.set_content("<h1>Сбой: өңір табылмады</h1>")
    assert page.inner_text("h1") == "Всё хорошо"


def test_passes_with_a_page_open(page):
    page.set_content("<h1>Всё хорошо</h1>")
    assert page.inner_text("h1") == "Всё хорошо"
'''


def app_with_smoke_page(db_url: str) -> FastAPI:
    """Kelisim's app over ``db_url``, with the smoke page at /smoke and its script."""
    app = create_app(Settings(db_url=db_url))

    @app.get("/smoke", response_class=HTMLResponse, include_in_schema=False)
    def smoke() -> str:
        return SMOKE_PAGE

    # A script file, not an inline one: the app's Content-Security-Policy allows only 'self'.
    @app.get("/smoke.js", include_in_schema=False)
    def smoke_script() -> Response:
        return Response(SMOKE_SCRIPT, media_type="text/javascript")

    return app


def test_chromium_loads_a_page_runs_its_script_takes_a_click_and_a_screenshot(
        page, live_server, tmp_path):
    base = live_server(app_with_smoke_page(f"sqlite:///{tmp_path / 'k.db'}"))
    api_paths = sum(p.startswith("/api/") for p in httpx.get(f"{base}/openapi.json").json()["paths"])
    page.goto(f"{base}/smoke")
    assert page.title() == "Проверка браузера"
    # A locator assertion, not wait_for_function: polling a string predicate needs eval, which the
    # app's Content-Security-Policy forbids once the first check comes too early.
    expect(page.locator("#api")).to_have_text(re.compile(r"^Kelisim"))
    assert page.inner_text("#api") == f"Kelisim, путей: {api_paths}" and api_paths > 0
    page.click("#press")
    page.get_by_role("button", name="Нажать").click()
    assert page.inner_text("#pressed") == "Нажатий: 2"
    path = shot(page, "smoke")
    assert path.name == ("test_chromium_loads_a_page_runs_its_script_takes_a_click_and_a_"
                         "screenshot-smoke.png")
    assert path.read_bytes().startswith(PNG_MAGIC) and path.stat().st_size > 1000


def test_the_live_server_serves_the_app_over_either_store(live_server, store_url):
    base = live_server(store_url)
    spec = httpx.get(f"{base}/openapi.json").json()
    assert spec["info"]["title"] == "Kelisim" and "/api/alerts" in spec["paths"]


def test_serving_takes_settings_and_stops_when_left(tmp_path):
    with serving(Settings(db_url=f"sqlite:///{tmp_path / 'k.db'}")) as base:
        assert httpx.get(f"{base}/openapi.json").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/openapi.json", timeout=2)


def test_a_failed_browser_test_leaves_a_screenshot_of_each_open_page(tmp_path):
    (tmp_path / "test_inner.py").write_text(FAILING_TEST, encoding="utf-8")
    artefacts = tmp_path / "artefacts"
    env = {**os.environ, ARTIFACTS_ENV: str(artefacts),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.browser", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-q", "test_inner.py"],
        check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout
    saved = sorted(p.name for p in artefacts.iterdir())
    assert saved == ["test_fails_with_a_page_open-failure-1.png"]
    assert (artefacts / saved[0]).read_bytes().startswith(PNG_MAGIC)
    assert str(artefacts / saved[0]) in run.stdout  # the report names it


def test_a_missing_chromium_fails_the_test_and_names_the_command_that_installs_it(
        monkeypatch, tmp_path):
    monkeypatch.setattr(tests.browser, "CHROMIUM", tmp_path / "chromium")
    with pytest.raises(pytest.fail.Exception, match=r"`make system-deps`"):
        require_chromium()
