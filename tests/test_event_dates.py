"""Dates of events in running text: kelisim.understanding.dates.find_dates."""

from datetime import date

import pytest

from kelisim.reading.document import TextView
from kelisim.understanding.dates import find_dates

if __package__:  # tests/ is a package
    from tests.shared_data import factru_texts, seed_texts
else:
    from shared_data import factru_texts, seed_texts

PUBLISHED = date(2021, 11, 10)  # a Wednesday


def dates(text: str, published: date | None = PUBLISHED, language: str = "ru") -> list[tuple[str, str, str]]:
    """(text, value, precision) of every date found, checking each offset against the text."""
    view = TextView.of(text, language, published)
    found = find_dates(view)
    for item in found:
        assert view.text[item.start:item.end] == item.text
    return [(d.text, d.value, d.precision) for d in found]


@pytest.mark.parametrize("text, expected", [
    ("Это случилось 7 февраля 2020 года в селе.", [("7 февраля 2020 года", "2020-02-07", "day")]),
    ("Драка произошла в феврале 2020 года.", [("феврале 2020 года", "2020-02", "month")]),
    ("В 2020 году в районе было спокойно.", [("2020 году", "2020", "year")]),
    ("Конференция прошла 14-15 октября 2021 года в Таразе.",
     [("14-15 октября 2021 года", "2021-10-14", "day")]),
    ("С 14 – 15 октября 2021 г. шла работа.", [("14 – 15 октября 2021 г.", "2021-10-14", "day")]),
    ("Протокол от 07.02.2020 г. подписан.", [("07.02.2020 г.", "2020-02-07", "day")]),
    ("План на 2022 – 2025 годы принят.", [("2022 – 2025 годы", "2022", "year")]),
    ("Это было в 2020-м году.", [("2020-м году", "2020", "year")]),
])
def test_absolute_dates(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Вчера в селе прошёл сход.", [("Вчера", "2021-11-09", "day")]),
    ("Позавчера был митинг.", [("Позавчера", "2021-11-08", "day")]),
    ("В минувшую субботу прошёл фестиваль.", [("В минувшую субботу", "2021-11-06", "day")]),
    ("Встреча прошла в среду.", [("в среду", "2021-11-10", "day")]),
    ("В прошлом году квоту увеличили.", [("прошлом году", "2020", "year")]),
    ("В марте прошёл Наурыз.", [("марте", "2021-03", "month")]),
    ("Оқиға кеше болды.", [("кеше", "2021-11-09", "day")]),
])
def test_relative_words_resolve_against_the_publication_date(text, expected):
    assert dates(text) == expected


def test_a_day_without_a_year_takes_the_year_of_publication():
    assert dates("5 ноября прошла встреча.") == [("5 ноября", "2021-11-05", "day")]
    # more than a month after publication: last year's 5 November, not an announcement
    assert dates("5 ноября прошла встреча.", date(2021, 9, 1)) == [("5 ноября", "2020-11-05", "day")]
    # within a month after publication: an announcement of this year's day
    assert dates("Встреча состоится 5 ноября.", date(2021, 10, 20)) == [("5 ноября", "2021-11-05", "day")]


def test_words_that_need_the_publication_date_are_skipped_without_it():
    assert dates("Вчера, 5 ноября, в субботу прошёл митинг.", published=None) == []
    assert dates("Вчера, 5 ноября 2021 года, прошёл митинг.", published=None) == \
        [("5 ноября 2021 года", "2021-11-05", "day")]


@pytest.mark.parametrize("text, expected", [
    ("Оқиға 2020 жылғы 7 ақпанда болды.", [("2020 жылғы 7 ақпанда", "2020-02-07", "day")]),
    ("2020 жылғы ақпанда төбелес болды.", [("2020 жылғы ақпанда", "2020-02", "month")]),
    ("Жиын 7 ақпанда өтті.", [("7 ақпанда", "2021-02-07", "day")]),
    ("Ақпан айында жиын өтті.", [("Ақпан айында", "2021-02", "month")]),
    ("2020 жылы кездесу өтті.", [("2020 жылы", "2020", "year")]),
])
def test_kazakh_dates(text, expected):
    assert dates(text, language="kk") == expected


@pytest.mark.parametrize("text", [
    "Письмо за 2350 подписей отправили президенту.",  # a number is not a year without «год»
    "Эксперты в среде этнологов спорят.",  # «в среде» is not Wednesday
    "Накануне выборов прошёл митинг.",  # the eve of something, not the day before
    "Это было 31 февраля.",  # no such day
    "Казань и Тараз — города-побратимы.",  # a month-like name needs a number, «в» or «айы»
])
def test_not_dates(text):
    assert dates(text) == []


def first_day(value: str) -> date:
    """The first day an ISO value of any precision names («2020» → 2020-01-01)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(*parts[:3])


def test_every_date_in_real_news_indexes_the_text():
    for text in seed_texts() + factru_texts()[:40]:
        view = TextView.of(text, "ru", date(2021, 11, 10))
        for found in find_dates(view):
            assert text[found.start:found.end] == found.text
            assert first_day(found.value).year >= 1800


def test_the_conference_date_of_seed_003():
    (text,) = [t for t in seed_texts() if "Межэтническое согласие на современном этапе" in t]
    found = find_dates(TextView.of(text, "ru"))
    assert (found[0].text, found[0].value) == ("14-15 октября 2021 года", "2021-10-14")
