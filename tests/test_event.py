"""The event classifier: what a document reports, where, when, and the past it refers to."""

from datetime import date

import pytest

from kelisim.datafiles import package_rows
from kelisim.reading.document import TextView
from kelisim.reading.reader import Reader, TextInput
from kelisim.understanding.event import EventClassifier
from kelisim.understanding.model import Event
from kelisim.understanding.taxonomy import event_types

if __package__:  # tests/ is a package
    from tests.shared_data import read_seed
else:
    from shared_data import read_seed

KORDAI_DISTRICT = "314800000"


@pytest.fixture(scope="module")
def classify():
    """Read a text with the real Reader, then type it."""
    reader, classifier = Reader.load(), EventClassifier.load()

    def run(text: str, published: date | None = None, language: str = "ru") -> Event:
        reading = reader.read(TextInput("t", text, language, published))
        event = classifier.classify(TextView.of(text, language, published), reading)
        check_offsets(event, text)
        return event
    return run


def check_offsets(event: Event, text: str) -> None:
    """Every span of the event indexes the text it was read from."""
    spans = list(event.evidence) + list(event.references_past)
    spans += [x for x in [event.place, event.date] + [r.place for r in event.references_past]
              + [r.date for r in event.references_past] if x is not None]
    for span in spans:
        assert text[span.start:span.end] == span.text, span
    for cue in event.evidence:
        if cue.context_start is not None:
            assert 0 <= cue.context_start < cue.context_end <= len(text)


def test_load_is_cached():
    assert EventClassifier.load() is EventClassifier.load()


def test_every_cue_type_is_in_the_taxonomy_or_a_frame():
    known = {t.id for t in event_types()} - {"other"}
    rows = package_rows("kelisim.understanding", "data/event_cues.tsv", ("cue", "type", "weight", "note"))
    assert {row["type"] for row in rows} == known | {"incident", "past", "call"}
    assert all(float(row["weight"]) >= 0 for row in rows)


@pytest.mark.parametrize("prefix, kind", [("000", "meeting_conference"), ("001", "official_statement"),
                                          ("002", "official_statement"), ("003", "meeting_conference"),
                                          ("004", "meeting_conference")])
def test_seeds_are_meetings_and_statements_not_clashes(classify, prefix, kind):
    event = classify(read_seed(prefix))
    assert event.type == kind and event.types[0] == kind
    assert "violent_clash" not in event.types


def test_seed_000_refers_to_the_kordai_events_with_their_place(classify):
    event = classify(read_seed("000"))
    (kordai,) = event.references_past
    assert kordai.text == "трагические события в Кордайском районе"
    assert kordai.place.place.kato == KORDAI_DISTRICT
    assert kordai.place.place.region == "Жамбылская область"
    assert event.place is None  # «в столице» is not read as a place; Kordai is the past
    past = [c for c in event.evidence if c.context == "past"]
    assert [(c.text, c.weight) for c in past] == [("трагические события", 0.0)]
    assert read_seed("000")[past[0].context_start:past[0].context_end] == "недавние"


def test_seed_003_took_place_in_taraz_on_14_october_2021(classify):
    event = classify(read_seed("003"))
    assert event.place.text == "Таразе" and event.place.place.kato == "311000000"
    assert (event.date.text, event.date.value, event.date.precision) == \
        ("14-15 октября 2021 года", "2021-10-14", "day")


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_a_country_in_a_name_is_not_the_place_of_the_event(classify, prefix):
    # «Ассамблеи народа Казахстана», «Президент Казахстана»
    assert classify(read_seed(prefix)).place is None


def test_a_cue_in_the_headline_counts_twice(classify):
    event = classify("В Таразе прошёл фестиваль.\nНа фестивале выступили ансамбли.\nБыло весело.\n"
                     "Выступил ансамбль.")
    weights = [(c.text, c.weight) for c in event.evidence]
    assert weights[0] == ("фестиваль", 6.0)  # 3 in the headline
    assert ("фестивале", 4.5) in weights and ("ансамбль", 2.0) in weights  # in the lead, in the body


@pytest.mark.parametrize("text, kind", [
    ("В столице прошёл круглый стол по вопросам этнополитики.", "meeting_conference"),
    ("Президент поручил усилить работу Ассамблеи.", "official_statement"),
    ("В селе произошла массовая драка, есть пострадавшие.", "violent_clash"),
    ("Возбуждено уголовное дело по статье 174 УК РК.", "law_enforcement"),
    ("Жители вышли на митинг у здания акимата.", "protest_rally"),
    ("В область переселились 500 семей кандасов.", "migration_resettlement"),
    ("В Таразе прошёл фестиваль, посвящённый Дню единства народа Казахстана.", "cultural_unity"),
    ("Аксакалы двух сёл провели встречу примирения.", "mediation_reconciliation"),
    ("Видео языкового патруля вызвало скандал.", "language_dispute"),
    ("Полиция опровергла сообщения о массовой драке в Шымкенте.", "disinformation_provocation"),
    ("Мне отказали в работе, это дискриминация.", "discrimination_complaint"),
    ("Надо выгнать их из села.", "threat_incitement"),
    ("Тараз қаласында Наурыз мерекесі тойланды.", "cultural_unity"),
    ("Сегодня хорошая погода.", "other"),
])
def test_cues_of_each_type(classify, text, kind):
    language = "kk" if "қ" in text else "ru"
    assert classify(text, language=language).type == kind


def test_no_cue_is_other_with_no_evidence(classify):
    event = classify("Сегодня хорошая погода.")
    assert (event.type, event.types, event.evidence, event.references_past) == ("other", ("other",), (), ())


def test_prevention_and_negation_count_nothing(classify):
    event = classify("Аким провёл совещание по профилактике межэтнических конфликтов и драк.")
    assert event.types == ("meeting_conference",)
    turned = [(c.text, c.weight, c.context) for c in event.evidence if c.kind == "violent_clash"]
    assert turned == [("межэтнических конфликтов", 0.0, "prevention"), ("драк", 0.0, "prevention")]
    event = classify("Встреча прошла без драки.")
    assert [(c.text, c.context) for c in event.evidence if c.weight == 0] == [("драки", "negation")]


def test_a_refuted_clash_is_not_a_clash(classify):
    event = classify("Полиция опровергла сообщения о массовой драке в Шымкенте.")
    assert "violent_clash" not in event.types
    assert [c.context for c in event.evidence if c.kind == "violent_clash"] == ["reported"]


@pytest.mark.parametrize("text", ["Надо выгнать их из села.", "Бей их!", "Призывают переселить их в гетто."])
def test_a_call_to_violence_or_expulsion_is_a_threat(classify, text):
    assert classify(text).type == "threat_incitement"


def test_a_quote_by_an_official_counts_for_a_statement(classify):
    event = classify("«Мы не допустим провокаций», — заявил Касым-Жомарт Токаев.")
    assert event.type == "official_statement"
    quote = [c for c in event.evidence if c.cue == "quote by an official"]
    assert [(c.text, c.weight) for c in quote] == [("Касым-Жомарт Токаев", 2.0)]
    # «не допустим провокаций» is prevention, not a provocation
    assert [c.context for c in event.evidence if c.kind == "disinformation_provocation"] == ["prevention"]


def test_a_past_incident_is_a_reference_not_the_event(classify):
    event = classify("После событий в Кордайском районе в Таразе прошёл фестиваль дружбы.")
    assert event.type == "cultural_unity" and event.place.text == "Таразе"
    (past,) = event.references_past
    assert past.text == "событий в Кордайском районе"
    assert past.place.place.kato == KORDAI_DISTRICT


def test_an_old_date_makes_a_clash_a_reference(classify):
    text = "В феврале 2020 года в селе Масанчи произошла массовая драка."
    years_later = classify(text, date(2023, 5, 1))
    assert years_later.type == "other" and years_later.date is None
    (past,) = years_later.references_past
    assert (past.text, past.date.value) == ("массовая драка", "2020-02")
    days_later = classify(text, date(2020, 2, 10))
    assert days_later.type == "violent_clash" and days_later.references_past == ()
    assert days_later.date.value == "2020-02"


def test_a_named_past_incident_is_a_reference(classify):
    text = "Кордайские события обсудили на встрече в Кордайском районе."
    event = classify(text, date(2021, 3, 1))
    assert event.type == "meeting_conference"
    (past,) = event.references_past
    assert past.text.startswith("Кордайские события") and past.place.place.kato == KORDAI_DISTRICT
    assert classify(text, date(2020, 2, 9)).references_past == ()  # news of its own days


def test_the_finest_kazakhstan_unit_is_the_place(classify):
    assert classify("В Кордайском районе Жамбылской области произошла массовая драка.").place.text \
        == "Кордайском районе"
    assert classify("В Москве и в Таразе прошли митинги.").place.text == "Таразе"


def test_the_date_is_resolved_against_the_publication_date(classify):
    event = classify("Вчера в Таразе прошёл фестиваль национальных культур.", date(2021, 11, 10))
    assert (event.date.text, event.date.value) == ("Вчера", "2021-11-09")
    assert event.place.text == "Таразе"


def test_the_date_in_the_strongest_cue_sentence_wins_over_the_lead(classify):
    text = ("Итоги года.\nВ Таразе 5 марта 2021 года подвели итоги.\n"
            "Массовая драка произошла 7 февраля 2021 года в Кордайском районе.")
    event = classify(text)
    assert event.type == "violent_clash"
    assert event.date.value == "2021-02-07" and event.place.text == "Кордайском районе"
