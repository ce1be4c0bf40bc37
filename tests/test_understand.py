"""The understanding stage as the reader runs it: every decision present, every evidence span
indexing the text, on real texts and on generated ones; extraction alone leaves them out."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelisim.reading.output import to_json
from kelisim.reading.reader import Reader, TextInput
from tests.shared_data import read_seed

WORDS = ("казахи", "узбеки", "чурки", "надо", "выгнать", "не", "драка", "в", "селе", "Масанчи",
         "круглый", "стол", "по", "профилактике", "межэтнических", "конфликтов", "Кордайском",
         "районе", "вчера", "7", "февраля", "2020", "года", "осудил", "призывы", "к", "насилию",
         "дружба", "народов", "қазақтар", "мен", "орыстар", "достық", "«", "»", "—", ".", ",", "\n")


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


def spans(reading: dict):
    """Every span a decision points at."""
    for name in ("relevance", "event", "hostility", "tension"):
        for cue in reading[name]["evidence"]:
            yield cue
            if cue["context_start"] is not None:
                yield {"start": cue["context_start"], "end": cue["context_end"], "text": None}
    event = reading["event"]
    for part in (event["place"], event["date"]):
        if part:
            yield part
    for ref in event["references_past"]:
        yield ref
        yield from (part for part in (ref["place"], ref["date"]) if part)


def check_spans(reading: dict) -> None:
    text = reading["text"]
    for span in spans(reading):
        assert 0 <= span["start"] <= span["end"] <= len(text)
        if span["text"] is not None:
            assert text[span["start"]:span["end"]] == span["text"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from(["ru", "kk", "mixed"]))
def test_generated_texts_get_every_decision_with_spans_that_index_them(reader, words, language):
    reading = to_json(reader.read(TextInput("g", " ".join(words), language)))
    check_spans(reading)
    assert 0 <= reading["relevance"]["score"] <= 1 and 0 <= reading["hostility"]["score"] <= 1
    assert -1 <= reading["tension"]["score"] <= 1
    assert reading["event"]["type"] == reading["event"]["types"][0]


def test_a_hostile_post_is_relevant_because_it_is_hostile(reader):
    reading = to_json(reader.read(TextInput("p", "Чурки опять понаехали, надо их всех выгнать из села.")))
    assert reading["hostility"]["hostile"]
    assert {"slur", "expulsion_call"} <= set(reading["hostility"]["kinds"])
    assert reading["relevance"]["relevant"]
    assert "hostility" in {cue["kind"] for cue in reading["relevance"]["evidence"]}
    check_spans(reading)


def test_a_condemnation_is_not_hostile(reader):
    reading = to_json(reader.read(TextInput(
        "c", "Аким района осудил призывы выгнать узбеков из села и поручил полиции найти авторов.")))
    assert not reading["hostility"]["hostile"]
    assert reading["hostility"]["evidence"] and all(
        cue["weight"] == 0 and cue["context"] == "reported" for cue in reading["hostility"]["evidence"])


def test_a_long_news_text_gets_an_attitude_from_the_sentences_about_each_group(reader):
    text = read_seed("003")
    reading = to_json(reader.read(TextInput("s", text)))
    groups = {g["group"]: g for g in reading["ethnic_groups"]}
    assert groups["украинец"]["attitude"] in (-1, 0, 1) and 0 < groups["украинец"]["attitude_p"] <= 1
    check_spans(reading)


def test_extraction_alone_leaves_the_decisions_out(reader):
    (reading,) = reader.read_batch([TextInput("e", read_seed("000"))], understand=False)
    assert (reading.relevance, reading.event, reading.hostility, reading.tension) == (None,) * 4
    assert reading.attitudes == {} and reading.places


def test_a_negative_attitude_names_the_words_that_drove_it(reader):
    text = "Узбеки — воры и бездельники, житья от них нет. Казахи у нас хорошие соседи."
    reading = to_json(reader.read(TextInput("a", text)))
    groups = {g["group"]: g for g in reading["ethnic_groups"]}
    uzbeks = groups["узбек"]
    assert uzbeks["attitude"] == -1
    assert 0 < len(uzbeks["attitude_evidence"]) <= 3
    for cue in uzbeks["attitude_evidence"]:
        assert text[cue["start"]:cue["end"]] == cue["text"] and cue["weight"] > 0
        assert cue["kind"] == "attitude" and "Узбеки" not in cue["text"]
    weights = [cue["weight"] for cue in uzbeks["attitude_evidence"]]
    assert weights == sorted(weights, reverse=True)


def test_attitude_evidence_of_a_long_text_points_into_the_document(reader):
    filler = "Погода в Астане была ясной, на улицах шла обычная жизнь. " * 40
    text = filler + "Таджики — грязные дикари, их надо гнать отсюда. " + filler
    reading = to_json(reader.read(TextInput("l", text)))
    (group,) = [g for g in reading["ethnic_groups"] if g["group"] == "таджик"]
    assert group["attitude"] == -1 and group["attitude_evidence"]
    for cue in group["attitude_evidence"]:
        assert text[cue["start"]:cue["end"]] == cue["text"]
        assert len(filler) <= cue["start"] < len(filler) + 50
