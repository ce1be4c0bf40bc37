"""Fuzz targets of reading: the gazetteer, ethnic and knowledge-base matchers, quotes, dates of
events, and the whole Reader on one text. Models load once per process, on first use."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from fuzz.contracts import check_spans, text_of
from kelisim.reading.attribution import find_attribution
from kelisim.reading.document import TextView
from kelisim.reading.model import Entity
from kelisim.reading.quotes import find_quotes
from kelisim.understanding.dates import MAX_YEAR, MIN_YEAR, find_dates

LANGUAGES = ("ru", "kk", "mixed", "en", "other")
_VALUE = {"day": re.compile(r"\d{4}-\d{2}-\d{2}"), "month": re.compile(r"\d{4}-\d{2}"),
          "year": re.compile(r"\d{4}")}


def view_of(data: bytes) -> TextView:
    """A text view from the input: the first byte picks the language and publication date."""
    option, payload = (data[0], data[1:]) if data else (0, b"")
    published = None if option & 8 else date(2000, 1, 1) + timedelta(days=option * 97)
    return TextView.of(text_of(payload), LANGUAGES[option % len(LANGUAGES)], published)


@lru_cache(maxsize=1)
def places():
    from kelisim.places.matcher import PlaceMatcher
    return PlaceMatcher.load()


@lru_cache(maxsize=1)
def ethnic():
    from kelisim.ethnic.matcher import EthnicMatcher
    return EthnicMatcher.load()


@lru_cache(maxsize=1)
def kb():
    from kelisim.kb import KnowledgeBase
    return KnowledgeBase.load()


@lru_cache(maxsize=1)
def reader():
    from kelisim.reading.reader import Reader
    return Reader.load()


def fuzz_places(data: bytes) -> None:
    """PlaceMatcher.find: non-overlapping mentions in text order that index the text."""
    view = view_of(data)
    found = places().find(view)
    check_spans(view.text, found, ordered=True, disjoint=True)
    assert all(m.place.name for m in found)


def fuzz_ethnic(data: bytes) -> None:
    """EthnicMatcher.find: mentions that index the text, each with a group."""
    view = view_of(data)
    found = ethnic().find(view)
    check_spans(view.text, found, ordered=True)
    assert all(m.group and m.kind in ("group", "collective", "social") for m in found)


def fuzz_kb(data: bytes) -> None:
    """KnowledgeBase.find: non-overlapping mentions that index the text."""
    view = view_of(data)
    check_spans(view.text, sorted(kb().find(view), key=lambda m: m.start), disjoint=True)


def fuzz_quotes(data: bytes) -> None:
    """find_quotes: quotes and their speakers index the text."""
    view = view_of(data)
    entities = [Entity(m.type, m.start, m.end, m.text, m.normal, m.kb_id) for m in kb().find(view)]
    attribution = find_attribution(view)
    check_spans(view.text, attribution)
    quotes = find_quotes(view, entities, attribution)
    check_spans(view.text, quotes, ordered=True)
    for quote in quotes:
        if quote.speaker_start is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(view.text)


def fuzz_event_dates(data: bytes) -> None:
    """find_dates: dates that index the text, ISO values to their precision, in range."""
    view = view_of(data)
    for found in find_dates(view):
        check_spans(view.text, [found])
        assert _VALUE[found.precision].fullmatch(found.value), found
        assert MIN_YEAR <= int(found.value[:4]) <= MAX_YEAR, found
        if found.precision == "day":
            date.fromisoformat(found.value)


def fuzz_reader(data: bytes) -> None:
    """Reader.read_batch on one text: every span of the reading indexes the text."""
    from kelisim.reading.reader import TextInput
    view = view_of(data)
    reading = reader().read_batch([TextInput("fuzz", view.text, view.language, view.published)])[0]
    for spans in (reading.entities, reading.places, reading.ethnic, reading.quotes,
                  reading.attribution):
        check_spans(view.text, spans)
    assert reading.tension is not None and -1 <= reading.tension.score <= 1
