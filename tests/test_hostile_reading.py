"""Hostile text for the readers of meaning: the gazetteer, ethnic and knowledge-base matchers,
quotes, dates of events and the whole Reader. Every span they return must index the text,
whatever the text; and writing a word with Latin look-alike letters must not hide it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.contracts import check_spans
from fuzz.t_reading import (
    ethnic,
    fuzz_ethnic,
    fuzz_event_dates,
    fuzz_kb,
    fuzz_places,
    fuzz_quotes,
    places,
)
from kelisim.clean import normalize_text
from kelisim.reading.document import TextView
from kelisim.reading.reader import Reader, TextInput

NEWS = ("7 февраля 2020 года в Кордайском районе Жамбылской области произошли массовые "
        "беспорядки. «Мы не допустим провокаций», — заявил глава государства. По словам акима "
        "области, казахи и дунгане вместе восстанавливают сёла Масанчи и Сортобе.")
PIECES = ("Кордай", "Жамбыл облысында", "казахи", "дунгане", "«", "»", "„", "“", " — ", "—",
          "сказал", "заявил:", "по словам", "деп атап өтті", ", что ", "Токаев", "глава государства",
          "7 февраля 2020 года", "вчера", "в минувшую субботу", "2020 жылғы 7 ақпанда", ". ", "\n",
          "\u202e", "\u200b", "Кa", "\ufffd", "г.", "ул.", "АНК", "-", "(", ")", "1", " ")
hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=40).map("".join)
matchers = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


@matchers
@given(st.integers(0, 255), hostile)
def test_place_mentions_index_the_text_and_do_not_overlap(option, text):
    fuzz_places(bytes([option]) + text.encode())


@matchers
@given(st.integers(0, 255), hostile)
def test_ethnic_mentions_index_the_text(option, text):
    fuzz_ethnic(bytes([option]) + text.encode())


@matchers
@given(st.integers(0, 255), hostile)
def test_knowledge_base_mentions_index_the_text(option, text):
    fuzz_kb(bytes([option]) + text.encode())


@matchers
@given(st.integers(0, 255), hostile)
def test_quotes_and_speakers_index_the_text(option, text):
    fuzz_quotes(bytes([option]) + text.encode())


@matchers
@given(st.integers(0, 255), hostile)
def test_dates_of_events_index_the_text_and_are_valid(option, text):
    fuzz_event_dates(bytes([option]) + text.encode())


HOSTILE_TEXTS = {
    "empty": "",
    "punctuation": "«»—,.:;!?()[]" * 200,
    "open quotes": "«" * 5000 + NEWS,
    "nested quotes": "«„" * 2000 + NEWS + "“»" * 2000,
    "dialogue dashes": "\n".join(["— " + NEWS] * 50),
    "no punctuation": " ".join(NEWS.replace(".", "").replace(",", "").split() * 200),
    "one letter words": "а " * 20_000,
    "bidi and zero width": "\u202e".join(NEWS) + "\u200b" * 1000,
    "mixed scripts": NEWS.replace("а", "a").replace("о", "o"),
    "kazakh and russian": "Жамбыл облысында " * 300 + NEWS,
}


def test_the_reader_reads_hostile_texts_in_one_batch_with_valid_spans(reader):
    texts = list(HOSTILE_TEXTS.values())
    readings = reader.read_batch([TextInput(name, text, "ru", date(2020, 2, 10))
                                  for name, text in HOSTILE_TEXTS.items()])
    for text, reading in zip(texts, readings, strict=True):
        for spans in (reading.entities, reading.places, reading.ethnic, reading.quotes,
                      reading.attribution):
            check_spans(text, spans)
        assert reading.tension is not None and -1 <= reading.tension.score <= 1
    news = readings[list(HOSTILE_TEXTS).index("dialogue dashes")]
    assert news.places and news.quotes


@settings(max_examples=12, deadline=None)
@given(hostile)
def test_the_reader_keeps_its_contract_on_generated_text(reader, text):
    (reading,) = reader.read_batch([TextInput("x", text, "ru", None)])
    for spans in (reading.entities, reading.places, reading.ethnic, reading.quotes):
        check_spans(text, spans)


def test_latin_look_alikes_do_not_hide_a_group_or_a_place_once_cleaned():
    # «Кордaй» and «дунгaне» with a Latin «a», as someone evading a monitor would write them.
    spoofed = "В Кордaйском районе дунгaне и кaзахи вместе."
    raw, clean = TextView.of(spoofed), TextView.of(normalize_text(spoofed))
    assert not places().find(raw) and not ethnic().find(raw)
    assert [m.text for m in places().find(clean)] == ["Кордайском районе"]
    assert {m.group for m in ethnic().find(clean)} == {"дунганин", "казах"}
