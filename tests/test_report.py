"""The regional report: a real store (news and a post through the whole pipeline, an incident
and an alert added as the API tests do) gathered, rendered as HTML and PDF in Russian and
Kazakh, refused outside a user's scope, and written on its schedule once per period."""

from __future__ import annotations

import ctypes
import json
import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kelisim.cli import app
from kelisim.config import Settings
from kelisim.core import Kelisim
from kelisim.records import RawItem
from kelisim.report.build import ReportNotFound, build_report, cited, previous_period
from kelisim.report.render import css_string, html, pdf, web_url
from kelisim.report.schedule import STATE_KEY, due_reports, period_of, write_due
from kelisim.report.texts import Texts, catalog
from kelisim.warning.rules import ReportSchedule, RulesError, parse_rules

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "build" / "test-artifacts" / "report"
ZHAMBYL, ALMATY_REGION, ALMATY = "310000000", "190000000", "750000000"
START, END = date(2024, 3, 1), date(2024, 4, 30)
AS_OF = datetime(2024, 5, 2, tzinfo=timezone.utc)
BASE = "https://kelisim.example.kz"


def _at(month: int, day: int, hour: int = 8) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=timezone.utc)


# (origin, published, url, text): news of Zhambyl region around a clash in Masanchi, a hostile
# post, the region's de-escalation work, one item of the period before, one of another region.
NEWS = [
    ("t:clash", _at(3, 5), "https://zhambyl.example.kz/news/1",
     "В Кордайском районе произошла массовая драка\n"
     "В селе Масанчи Кордайского района Жамбылской области вечером 4 марта произошла массовая "
     "драка между жителями. По данным полиции, пострадали три человека, двое задержаны. Поводом "
     "стал бытовой конфликт у магазина, однако в социальных сетях его стали представлять как "
     "столкновение казахов и дунган. Полиция возбудила уголовное дело по статье о хулиганстве."),
    ("t:again", _at(3, 5, 11), "https://news.example.kz/2",
     "Массовая драка в Масанчи: трое пострадавших\n"
     "В селе Масанчи Кордайского района произошла массовая драка, сообщает полиция Жамбылской "
     "области. Пострадали три человека, двое задержаны. Поводом для драки стал бытовой "
     "конфликт у магазина, но в соцсетях драку выдают за столкновение казахов и дунган."),
    ("t:post", _at(3, 6, 15), None,
     "Опять дунгане в селе Масанчи Кордайского района устроили беспредел. Понаехали, живут по "
     "своим законам, пора гнать их отсюда, пока они не захватили весь район."),
    ("t:akim", _at(3, 7), "https://zhambyl.example.kz/news/3",
     "Аким Жамбылской области встретился с аксакалами Кордайского района\n"
     "Аким Жамбылской области Ербол Карашукеев провёл встречу с аксакалами и представителями "
     "этнокультурных объединений Кордайского района. «Мы не допустим, чтобы бытовой конфликт "
     "превратили в межнациональный. Все виновные понесут ответственность по закону, независимо "
     "от национальности», — заявил аким Жамбылской области Ербол Карашукеев. Этномедиаторы "
     "Ассамблеи народа Казахстана провели примирительную встречу семей пострадавших."),
    ("t:nauryz", _at(3, 22), "https://zhambyl.example.kz/news/4",
     "В Таразе отметили Наурыз всем миром\n"
     "В Таразе прошёл праздник Наурыз, в котором приняли участие этнокультурные центры казахов, "
     "русских, дунган, турков и корейцев. Праздник дружбы и единства народа Казахстана собрал "
     "более пяти тысяч жителей."),
    ("t:table", _at(4, 10), "https://zhambyl.example.kz/news/5",
     "В Таразе прошёл круглый стол по межэтническому согласию\n"
     "В Таразе состоялся круглый стол, посвящённый укреплению межэтнического согласия в "
     "Жамбылской области. «Профилактика конфликтов — наша общая задача, и работа этномедиаторов "
     "в сёлах будет продолжена», — сказал заместитель акима области Нурлан Сейтжанов."),
    ("t:before", _at(2, 12), "https://zhambyl.example.kz/news/6",
     "В Жамбылской области открылся дом дружбы\n"
     "В Таразе после ремонта открылся Дом дружбы, где будут работать этнокультурные объединения "
     "Жамбылской области."),
    ("t:almaty", _at(3, 15), "https://almaty-obl.example.kz/7",
     "В Алматинской области прошёл фестиваль национальных культур\n"
     "В Конаеве Алматинской области прошёл фестиваль национальных культур, в нём участвовали "
     "уйгурский, русский и казахский этнокультурные центры."),
]


def fill(core: Kelisim) -> dict[str, int]:
    """The news read and warned as of 2 May 2024, plus an analyst's incident and an alert as
    the API tests add them; the ids by origin (and of the added incident and alert)."""
    core.ingest_items(RawItem(origin=o, body=t, url=u, published=p, fetched_at=p)
                      for o, p, u, t in NEWS)
    core.read_pending()
    core.warn(AS_OF, send=False)
    ids = {o: core.store.document_id_by_origin(o) for o, *_ in NEWS}
    ids["incident"] = core.store.warning.flag_incident({
        "story_id": None, "type": "protest_rally", "subtype": None, "groups": ["дунганин"],
        "region_kato": ZHAMBYL, "district_kato": "314800000", "settlement_kato": None,
        "geo_precision": 2, "date": date(2024, 3, 9), "time_precision": 1, "killed": None,
        "injured": None, "detained": None, "evidence": {"documents": [ids["t:post"]]}})
    core.store.warning.move_incident(ids["incident"], "verify", "aigerim", "проверено")
    ids["incident_elsewhere"] = core.store.warning.flag_incident({
        "story_id": None, "type": "violent_clash", "subtype": None, "groups": ["уйгур"],
        "region_kato": ALMATY_REGION, "district_kato": None, "settlement_kato": None,
        "geo_precision": 3, "date": date(2024, 3, 16), "time_precision": 1, "killed": 1,
        "injured": None, "detained": None, "evidence": {"documents": [ids["t:almaty"]]}})
    ids["alert"], _ = core.store.warning.upsert_alert({
        "key": "report-test", "kind": "spike", "rule": "hostile-region", "signal": "hostile",
        "unit_kato": ZHAMBYL, "unit_level": "region", "region_kato": ZHAMBYL,
        "day": date(2024, 3, 6), "fired_at": datetime(2024, 3, 6, 18, 59, 59, tzinfo=timezone.utc),
        "observed": 3.0, "expected": 0.2, "p_value": 1e-4, "summary": "всплеск враждебности",
        "data": {"documents": [ids["t:post"]], "evidence": []}})
    return ids


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A Kelisim over a filled SQLite store, and the ids of what it holds."""
    folder = tmp_path_factory.mktemp("report")
    with Kelisim(Settings(db_url=f"sqlite:///{folder / 'kelisim.db'}")) as core:
        yield core, fill(core)


@pytest.fixture(scope="module")
def russian(world):
    core, _ids = world
    return build_report(core, "Жамбылская область", START, END, "ru")


@pytest.fixture(scope="module")
def kazakh(world):
    core, _ids = world
    return build_report(core, "Жамбыл облысы", START, END, "kk")


def save(name: str, content: bytes | str) -> Path:
    """Keep a rendered report as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_the_report_holds_the_regions_period_and_nothing_else(world, russian):
    _core, ids = world
    report = russian
    assert (report.kato, report.region, report.start, report.end) == (ZHAMBYL, "Жамбылская область",
                                                                     START, END)
    assert (report.previous_start, report.previous_end) == (date(2024, 1, 1), date(2024, 2, 29))
    assert report.index.volume == 6 and report.index.previous_volume == 1
    assert report.index.value > report.index.previous and report.index.rank == 1
    assert ids["t:post"] in report.index.documents
    kinds = {i.id: i for i in report.incidents}
    assert ids["incident"] in kinds and ids["incident_elsewhere"] not in kinds
    clash = next(i for i in report.incidents if i.type == "violent_clash")
    assert (clash.place, clash.injured, clash.detained) == ("Кордайский район", 3, 2)
    assert report.incidents[0].type == "violent_clash"  # the gravest first
    assert kinds[ids["incident"]].status_label == "подтверждён"
    speakers = {s.speaker: s for s in report.statements}
    assert {"Ербол Карашукеев", "Нурлан Сейтжанов"} <= set(speakers)
    assert speakers["Ербол Карашукеев"].document_id == ids["t:akim"]
    assert "Мы не допустим" in speakers["Ербол Карашукеев"].text
    calm = {s.type for s in report.deescalation}
    assert calm <= {"meeting_conference", "cultural_unity", "mediation_reconciliation"} and calm
    groups = {g.group: g for g in report.groups}
    assert groups["дунганин"].name == "дунгане" and groups["дунганин"].hostile >= 1
    assert ids["t:almaty"] not in cited(report) and ids["t:before"] not in cited(report)
    assert {d.id for d in report.documents} == set(cited(report))
    assert [(s.name, s.documents) for s in report.sources] == [("zhambyl.example.kz", 4),
                                                               ("news.example.kz", 1)]


def test_the_summary_speaks_plain_russian_and_cites_its_documents(world, russian):
    _core, ids = world
    text = {claim.text: claim for claim in russian.summary}
    assert "За период о регионе собрано 6 материалов; в предыдущем периоде — 1." in text
    index = next(c for c in russian.summary if c.text.startswith("Индекс напряжённости — "))
    assert "1-е место среди 20 регионов" in index.text and "Индекс вырос на" in index.text
    worst = next(c for c in russian.summary if c.text.startswith("Самый серьёзный — "))
    assert "столкновение с применением насилия (4 марта 2024 г., Кордайский район)" in worst.text
    assert worst.documents == [ids["t:clash"], ids["t:again"]]
    assert "Крупнейший сюжет — «В Кордайском районе произошла массовая драка»: 2 материала." in text
    assert any(c.text == "Враждебные высказывания найдены в 1 материале." and
               c.documents == [ids["t:post"]] for c in russian.summary)
    assert any(c.text.startswith("За период Kelisim подал 1 тревогу") for c in russian.summary)
    assert any(c.text == "Официальные лица высказывались 2 раза." for c in russian.summary)


def test_the_json_twin_round_trips(russian):
    data = json.loads(russian.model_dump_json())
    assert data["kato"] == ZHAMBYL and data["summary"][0]["text"] == russian.summary[0].text
    assert type(russian).model_validate(data) == russian


class Links(HTMLParser):
    """The hrefs and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        if values.get("id"):
            self.ids.add(values["id"])


def test_html_has_every_section_and_links_each_claim_to_its_documents(world, russian):
    _core, ids = world
    page = html(russian, BASE + "/")
    save("report-ru.html", page)
    links = Links()
    links.feed(page)
    sections = {"summary", "index", "map", "incidents", "stories", "statements", "deescalation",
                "groups", "sources"}
    assert sections <= links.ids
    for doc in russian.documents:
        assert f"{BASE}/documents/{doc.id}" in links.hrefs
        assert f"doc-{doc.id}" in links.ids
        if doc.url:
            assert doc.url in links.hrefs
    summary = page[page.index('id="summary"'):page.index('id="index"')]
    assert f'href="{BASE}/documents/{ids["t:clash"]}"' in summary
    assert "https://zhambyl.example.kz/news/1" in summary
    assert f"{BASE}/incidents/{ids['incident']}" in links.hrefs
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert f'data-kato="{ZHAMBYL}"' in page and "<script" not in page
    assert "СИМУЛЯЦИЯ" not in page


KAZAKH_LETTERS = set("әғқңөұүһі")


def test_the_kazakh_version_is_written_in_kazakh(kazakh):
    page = html(kazakh, BASE)
    save("report-kk.html", page)
    assert '<html lang="kk">' in page
    for heading in ("Негізгі қорытындылар", "Шиеленіс индексі", "Инциденттер",
                    "Лауазымды тұлғалардың мәлімдемелері", "Этностық топтарға көзқарас",
                    "Дереккөздер"):
        assert f">{heading}</" in page
    for russian_word in ("Основные выводы", "Источники", "материалов", "Период:", "марта"):
        assert russian_word not in page
    assert kazakh.region == "Жамбыл облысы"
    assert kazakh.summary[0].text == ("Кезең ішінде өңір туралы 6 материал жиналды; "
                                      "алдыңғы кезеңде – 1.")
    for claim in kazakh.summary:  # every sentence is Kazakh (quoted titles aside)
        own_words = re.sub(r"«[^»]*»", "", claim.text)
        assert KAZAKH_LETTERS & set(own_words), claim.text
    assert {g.name for g in kazakh.groups} >= {"дүнген", "қазақ"}


def _pages(document: bytes, name: str) -> list:
    pages = pdfium.PdfDocument(document)
    images = []
    for number in range(len(pages)):
        image = pages[number].render(scale=100 / 72).to_pil().convert("RGB")
        image.save(ARTIFACTS / f"{name}-page-{number + 1}.png")
        images.append(image)
    return images


def _ink(image, box=None) -> float:
    """The share of pixels that are not near-white."""
    pixels = np.asarray((image.crop(box) if box else image).convert("L"))
    return float((pixels < 235).mean())


def _reds(image, box) -> int:
    """The pixels of the strong red the chart's line and the highest index are drawn in."""
    pixels = np.asarray(image.crop(box)).astype(int)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((red > 150) & (green < 90) & (blue < 90)).sum())


def _below(image, at: float, share: float) -> tuple[int, int, int, int]:
    """The box of the page from height share ``at`` down ``share`` of the page."""
    top = int(image.height * at)
    return 0, top, image.width, min(image.height, top + int(image.height * share))


def _find_page(document: bytes, text: str, first: int = 1) -> tuple[int, float]:
    """The page number (from 0) and the height share at which ``text`` first appears after the
    title page (whose contents name every section)."""
    pages = pdfium.PdfDocument(document)
    for number in range(first, len(pages)):
        found = pages[number].get_textpage().search(text).get_next()
        if found:
            index, _count = found
            _left, bottom, _right, _top = pages[number].get_textpage().get_charbox(index)
            return number, 1 - bottom / pages[number].get_height()
    raise AssertionError(f"{text!r} is on no page")


def _fonts(document: bytes, page: int = 0) -> set[str]:
    """The names of the fonts the text of a page is set in (subset prefixes dropped)."""
    text = pdfium.PdfDocument(document)[page].get_textpage()
    name, flags, found = ctypes.create_string_buffer(256), ctypes.c_int(), set()
    for index in range(text.count_chars()):
        pdfium_raw.FPDFText_GetFontInfo(text.raw, index, name, 256, ctypes.byref(flags))
        found.add(name.value.decode().split("+")[-1])
    return found


def test_the_pdf_has_its_pages_a_title_a_chart_and_a_map(russian):
    document = pdf(russian, BASE)
    save("report-ru.pdf", document)
    assert _fonts(document) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}  # Cyrillic, embedded
    images = _pages(document, "ru")
    assert len(images) >= 5
    assert all(image.width < image.height for image in images)  # A4, portrait
    assert 0.005 < _ink(images[0]) < 0.5  # a title page, neither blank nor a smear
    number, at = _find_page(document, "Индекс по неделям и число материалов")
    assert _reds(images[number], _below(images[number], at, 0.3)) > 300, "no chart line"
    assert _reds(images[number], _below(images[number], 0, at)) == 0  # none above it
    number, at = _find_page(document, "Регион и его соседи")
    box = _below(images[number], at, 0.4)
    assert _ink(images[number], box) > 0.1, "no map under its heading"
    assert _reds(images[number], box) > 2000  # the region, at the top of the scale


def test_the_kazakh_pdf_prints_kazakh_letters(kazakh):
    document = pdf(kazakh, BASE)
    save("report-kk.pdf", document)
    images = _pages(document, "kk")
    assert len(images) >= 5
    text = "".join(pdfium.PdfDocument(document)[0].get_textpage().get_text_range())
    assert "Этносаралық ахуал: Жамбыл облысы" in text
    assert _fonts(document) <= {"DejaVu-Sans", "DejaVu-Sans-Bold"}  # no fallback for ә қ ү


def test_replayed_data_is_labelled_a_simulation(tmp_path):
    with Kelisim(Settings(db_url=f"sqlite:///{tmp_path / 'sim.db'}")) as core:
        core.store.warning.set_state("simulation", {"label": "replay corpus, seed 11"})
        report = build_report(core, ZHAMBYL, START, END, "ru")
        page = html(report, BASE)
    assert report.simulation == "replay corpus, seed 11"
    assert 'class="simulation"' in page and "СИМУЛЯЦИЯ" in page
    assert page.index('class="simulation"') < page.index("<h1>")  # above the title
    assert "replay corpus, seed 11" in page
    assert "@top-center" in page  # and on every printed page


def test_an_empty_period_says_so(world):
    core, _ids = world
    report = build_report(core, ZHAMBYL, date(2023, 1, 1), date(2023, 2, 28), "ru")
    assert report.summary[0].text == "За период о регионе не найдено ни одного материала."
    assert report.documents == [] and report.incidents == []
    assert "Нет данных для графика." not in html(report, BASE)  # weeks with 0 are still drawn


def test_a_limited_scope_gets_the_same_not_found_as_no_region(world):
    core, _ids = world
    with pytest.raises(ReportNotFound) as outside:
        build_report(core, ZHAMBYL, START, END, "ru", regions=[ALMATY])
    with pytest.raises(ReportNotFound) as nowhere:
        build_report(core, "Тараз", START, END, "ru", regions=[ALMATY])
    assert str(outside.value) == "no such region: '310000000'"
    assert str(nowhere.value) == "no such region: 'Тараз'"
    allowed = build_report(core, ZHAMBYL, START, END, "ru", regions=[ZHAMBYL, ALMATY])
    assert allowed.kato == ZHAMBYL


def test_the_schedule_writes_each_due_report_once(world, tmp_path):
    core, _ids = world
    schedule = ReportSchedule(regions=(ZHAMBYL,), formats=("html", "json"), langs=("ru",))
    first = write_due(core, schedule, out=tmp_path, now=AS_OF)
    assert sorted(p.name for p in first) == ["310000000_2024-03_2024-04_ru.html",
                                              "310000000_2024-03_2024-04_ru.json"]
    data = json.loads((tmp_path / "310000000_2024-03_2024-04_ru.json").read_text("utf-8"))
    assert (data["start"], data["end"]) == ("2024-03-01", "2024-04-30")
    assert write_due(core, schedule, out=tmp_path, now=AS_OF) == []
    later = datetime(2024, 7, 3, tzinfo=timezone.utc)
    second = write_due(core, schedule, out=tmp_path, now=later)
    assert sorted(p.name for p in second) == ["310000000_2024-05_2024-06_ru.html",
                                               "310000000_2024-05_2024-06_ru.json"]
    assert write_due(core, schedule, out=tmp_path, now=later) == []
    state = core.store.warning.state(STATE_KEY)
    assert state["since"] == "2024-03-01" and len(state["written"]) == 4
    core.store.warning.set_state(STATE_KEY, None)


def test_due_reports_catch_up_but_do_not_back_fill():
    schedule = ReportSchedule(regions=(ZHAMBYL, ALMATY), formats=("pdf",), langs=("ru", "kk"))
    due, state = due_reports(schedule, date(2024, 9, 15), None)
    assert state["since"] == "2024-07-01"
    assert {(d.start, d.end) for d in due} == {(date(2024, 7, 1), date(2024, 8, 31))}
    assert len(due) == 4
    written = {"written": {d.key: {} for d in due}}
    due, _state = due_reports(schedule, date(2025, 1, 2), state | written)
    assert sorted({(d.start, d.end) for d in due}) == [(date(2024, 9, 1), date(2024, 10, 31)),
                                                       (date(2024, 11, 1), date(2024, 12, 31))]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_periods_tile_the_calendar(day, every):
    start, end = period_of(day, every)
    assert start <= day <= end and start.day == 1 and (start.month - 1) % every == 0
    assert period_of(end, every) == (start, end)
    before = previous_period(start, end)
    assert period_of(before[0], every) == before and before[1].toordinal() + 1 == start.toordinal()


def test_the_rules_file_schedules_reports():
    rules = parse_rules('base_url = "https://k.example"\n[report]\n'
                        'regions = ["Жамбыл облысы", "Шымкент"]\nformats = ["pdf"]\n', {})
    assert rules.report == ReportSchedule(regions=(ZHAMBYL, "790000000"), formats=("pdf",))
    assert parse_rules("", {}).report is None
    with pytest.raises(RulesError, match="every_months must divide the year"):
        parse_rules('[report]\nregions = ["310000000"]\nevery_months = 5\n', {})


def test_the_cli_writes_a_report_and_refuses_a_wrong_region(world, tmp_path):
    core, _ids = world
    runner = CliRunner()
    db = core.settings.db_url.removeprefix("sqlite:///")
    out = tmp_path / "zhambyl.html"
    result = runner.invoke(app, ["--db", db, "report", "--region", "Жамбыл", "--from",
                                 "2024-03-01", "--to", "2024-04-30", "--out", str(out),
                                 "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert f'href="{BASE}/documents/' in out.read_text("utf-8")
    wrong = runner.invoke(app, ["--db", db, "report", "--region", "Атлантида", "--from",
                                "2024-03-01", "--to", "2024-04-30", "--out", str(out)])
    assert wrong.exit_code == 1 and "no such region" in wrong.output


def test_both_backends_give_the_same_report(store_url, world, russian):
    with Kelisim(Settings(db_url=store_url)) as core:
        ids = fill(core)
        report = build_report(core, ZHAMBYL, START, END, "ru", now=russian.generated_at)
    assert [c.text for c in report.summary] == [c.text for c in russian.summary]
    assert len(report.incidents) == len(russian.incidents) and ids["incident"]
    assert [s.speaker for s in report.statements] == [s.speaker for s in russian.statements]
    assert report.groups == russian.groups


def test_the_cli_writes_due_reports_once(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[report]\nregions = ["Шымкент"]\nformats = ["json"]\nlangs = ["kk"]\n'
                     f'out = "{tmp_path / "reports"}"\n', encoding="utf-8")
    command = ["--db", str(tmp_path / "k.db"), "--rules", str(rules), "report", "--due"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    (written,) = (tmp_path / "reports").iterdir()
    assert re.fullmatch(r"790000000_\d{4}-\d\d_\d{4}-\d\d_kk\.json", written.name)
    assert json.loads(written.read_text("utf-8"))["region"] == "Шымкент"
    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0 and "Wrote 0 scheduled report(s)" in again.output


def test_words_agree_with_their_numbers():
    russian, kazakh = Texts("ru"), Texts("kk")
    forms = [f"{n} {russian.plural(n, 'materials')}" for n in (1, 2, 5, 11, 12, 21, 22, 111)]
    assert forms == ["1 материал", "2 материала", "5 материалов", "11 материалов",
                     "12 материалов", "21 материал", "22 материала", "111 материалов"]
    assert russian.plural(1.5, "points") == "пункта" and kazakh.plural(5, "materials") == "материал"
    assert russian.number(3.456) == "3,46" and russian.number(2.0) == "2"
    assert russian.date(date(2024, 3, 4)) == "4 марта 2024 г."
    assert kazakh.date(date(2024, 3, 4)) == "2024 жылғы 4 наурыз"
    assert set(catalog()["ru"]) == set(catalog()["kk"])


def test_only_web_links_are_links():
    assert web_url("javascript:alert(1)") == "" and web_url(None) == ""
    assert web_url("https://zhambyl.example.kz/news/1") == "https://zhambyl.example.kz/news/1"
    assert css_string('a "b" \\ <c>') == 'a \\"b\\" \\\\ \\3c c>'
