"""The dashboard in Debian's Chromium, as an analyst uses it: log in, click a region on the map,
open a document and see its highlights, acknowledge an alert, make a report. Screenshots of
each step are kept in build/test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import dashboard_world as world
from tests.browser import shot
from tests.dashboard_world import PASSWORD, ZHAMBYL


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "kelisim.db"
    return db, world.build(db)


@pytest.fixture()
def base(built, live_server) -> str:
    return live_server(world.settings(built[0]))


def log_in(page: Page, base: str, name: str = "admin", target: str = "/") -> None:
    page.goto(f"{base}{target}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_log_in_and_click_a_region_on_the_map(page: Page, base: str):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    log_in(page, base, target="/?period=365d")
    expect(page.locator("h1")).to_have_text("Обстановка по регионам")
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    shot(page, "overview")
    page.locator(f"path.region-{ZHAMBYL}").click()
    expect(page).to_have_url(re.compile(f"/regions/{ZHAMBYL}"))
    expect(page.locator("h1")).to_have_text("Жамбылская область")
    expect(page.locator("#trend")).to_have_attribute("data-ready", "1")
    shot(page, "region")
    assert asked and all(url.startswith(base) for url in asked)  # no CDN, no tile server


def test_a_document_shows_its_highlights(page: Page, base: str, built):
    _db, ids = built
    log_in(page, base, target=f"/documents/{ids['markup']}")
    text = page.locator("#document-text")
    expect(text.locator("mark.hl-ethnic").first).to_be_visible()
    expect(text.locator("mark.hl-place").first).to_be_visible()
    expect(text.locator("mark.hl-quote").first).to_be_visible()
    groups = text.locator("mark.hl-ethnic").all_inner_texts()
    assert any(word.startswith("казах") for word in groups)
    assert any(word.startswith("дунган") for word in groups)
    # the script in the text is shown as text and never ran
    expect(text).to_contain_text("<script>alert('xss')</script>")
    assert page.evaluate("document.querySelectorAll('#document-text script').length") == 0
    shot(page, "document")


def test_acknowledge_an_alert(page: Page, base: str, built):
    _db, ids = built
    log_in(page, base, name="aigerim", target=f"/alerts/{ids['alert_z']}")
    page.fill("textarea[name=comment]", "Беру в работу, проверяю источники")
    page.click("button[value=acknowledge]")
    expect(page.locator(".notice")).to_have_text("Оповещение принято в работу.")
    expect(page.locator(".subtitle .badge")).to_have_text("принято")
    expect(page.locator(".trail").last).to_contain_text("Беру в работу, проверяю источники")
    shot(page, "alert-acknowledged")


def test_make_a_report(page: Page, base: str):
    log_in(page, base, target="/reports")
    page.select_option("select[name=region]", ZHAMBYL)
    page.fill("input[name=from]", "2024-01-01")
    page.fill("input[name=to]", "2024-03-31")
    page.click("#report-form button[type=submit]")
    expect(page).to_have_url(re.compile(f"/reports/{ZHAMBYL}\\?from=2024-01-01"))
    expect(page.locator("h1").first).to_contain_text("Жамбылская область")
    shot(page, "report")
    page.goto(f"{base}/reports?region={ZHAMBYL}&from=2024-01-01&to=2024-03-31")
    page.select_option("select[name=lang]", "kk")
    page.select_option("select[name=format]", "pdf")
    with page.expect_download() as download:
        page.click("#report-form button[type=submit]")
    assert download.value.suggested_filename == f"kelisim-{ZHAMBYL}-2024-01-01-2024-03-31-kk.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
