"""The outlet a text credits: every cue form in Russian and Kazakh, the seeds, and the data."""

import csv
import io
from importlib import resources

import pytest

from kelisim.reading.attribution import TLDS, find_attribution, outlets, speech_verbs
from kelisim.reading.document import TextView

if __package__:  # tests/ is a package
    from tests.shared_data import read_seed
else:
    from shared_data import read_seed


def credits(text: str) -> list[tuple[str, str, str | None]]:
    """(span text, outlet, kb_id) of every credit, each span checked against the text."""
    view = TextView.of(text)
    found = find_attribution(view)
    for credit in found:
        assert view.text[credit.start:credit.end] == credit.text
    return [(c.text, c.outlet, c.kb_id) for c in found]


@pytest.mark.parametrize("text, expected", [
    ("В столице начался круглый стол, сообщает КазИнформ.",
     ("сообщает КазИнформ", "Казинформ", "outlet:kazinform")),
    ("Токаев выступил на сессии, передает Liter.kz.",
     ("передает Liter.kz", "Liter.kz", "outlet:liter")),
    ("Об этом пишет Tengrinews.kz.", ("пишет Tengrinews.kz", "Tengrinews", "outlet:tengrinews")),
    ("По данным Kazinform, сессия пройдет в мае.",
     ("По данным Kazinform", "Казинформ", "outlet:kazinform")),
    ("Президент поручил обеспечить реализацию плана, сообщила пресс-служба Акорды.",
     ("сообщила пресс-служба Акорды", "Пресс-служба Акорды", "outlet:akorda")),
    ("Об этом сообщили в пресс-службе Президента РК.",
     ("сообщили в пресс-службе Президента РК", "Пресс-служба Акорды", "outlet:akorda")),
    ("Источник: Zakon.kz", ("Источник: Zakon.kz", "Zakon.kz", "outlet:zakon")),
    ("В Таразе прошла конференция — Kazinform.kz", ("— Kazinform.kz", "Казинформ", "outlet:kazinform")),
    ("Об этом сообщает корреспондент МИА «Казинформ».",
     ("сообщает корреспондент МИА «Казинформ»", "Казинформ", "outlet:kazinform")),
    ("По данным Казахстанской правды, съезд открылся.",
     ("По данным Казахстанской правды", "Казахстанская правда", "outlet:kazpravda")),
    ("Как сообщает Хабар 24, заседание началось.", ("сообщает Хабар 24", "Хабар 24", "outlet:khabar24")),
    ("Как передает Sputnik Казахстан, встреча прошла в Алматы.",
     ("передает Sputnik Казахстан", "Sputnik Казахстан", "outlet:sputnik-kz")),
    ("Бұл туралы хабарлайды ҚазАқпарат.", ("хабарлайды ҚазАқпарат", "Казинформ", "outlet:kazinform")),
    ("Жиын Астанада өтті, деп хабарлайды Kazinform.",
     ("хабарлайды Kazinform", "Казинформ", "outlet:kazinform")),
    ("Бұл туралы ҚазАқпарат тілшісі хабарлайды.",
     ("ҚазАқпарат тілшісі хабарлайды", "Казинформ", "outlet:kazinform")),
    ("Бұл туралы Ақорданың баспасөз қызметі хабарлады.",
     ("Ақорданың баспасөз қызметі хабарлады", "Пресс-служба Акорды", "outlet:akorda")),
    ("ҚазАқпараттың хабарлауынша, жиын өтті.",
     ("ҚазАқпараттың хабарлауынша", "Казинформ", "outlet:kazinform")),
])
def test_each_credit_form(text, expected):
    assert credits(text) == [expected]


def test_two_credits_in_one_sentence():
    assert credits("Сессия пройдет в мае, пишет Курсив со ссылкой на РИА «Новости».") == [
        ("пишет Курсив", "Курсив", "outlet:kursiv"),
        ("со ссылкой на РИА «Новости»", "РИА Новости", "outlet:ria")]


def test_offsets_index_the_text():
    text = "Сессия открылась в Астане.\nКак сообщает Tengrinews.kz, зал был полон."
    (credit,) = find_attribution(TextView.of(text))
    assert (credit.start, credit.end) == (text.index("сообщает"), text.index(", зал"))


@pytest.mark.parametrize("text, expected", [
    ("Об этом сообщает Uralsk Today.", ("сообщает Uralsk Today", "Uralsk Today")),
    ("Об этом сообщает газета «Новое поколение».", ("сообщает газета «Новое поколение»", "Новое поколение")),
    ("Об этом передает Example.kz.", ("передает Example.kz", "Example.kz")),
    ("Об этом сообщили в пресс-службе акимата Жамбылской области.",
     ("сообщили в пресс-службе акимата Жамбылской области", "Пресс-служба акимата Жамбылской области")),
])
def test_an_unlisted_outlet_is_recorded_without_kb_id(text, expected):
    assert credits(text) == [(*expected, None)]


@pytest.mark.parametrize("text", [
    "Об этом сообщает Токаев.",  # a person is no outlet
    "Об этом сообщил Ашимбаев.",
    "По данным МВД, задержаны трое.",  # a source of data, not an outlet the text credits
    "Он передает привет землякам.",
    "Жамбыл облысының тұрғындары жиналды.",
    "Казахстан – 2050",
])
def test_not_a_credit(text):
    assert credits(text) == []


def test_the_seeds_credit_their_outlets():
    assert credits(read_seed("000")) == [("сообщает КазИнформ", "Казинформ", "outlet:kazinform")]
    assert credits(read_seed("001")) == [("передает Liter.kz", "Liter.kz", "outlet:liter")]
    assert credits(read_seed("002")) == [
        ("сообщила пресс-служба Акорды", "Пресс-служба Акорды", "outlet:akorda")]
    assert credits(read_seed("003")) == []
    assert credits(read_seed("004")) == []


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("kelisim.reading").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_outlet_data_is_well_formed():
    rows = _rows("outlets.tsv")
    ids = [row["id"] for row in rows]
    assert len(rows) >= 40 and len(ids) == len(set(ids))
    for row in rows:
        assert row["id"].startswith("outlet:") and row["name"] and None not in row.values()
        for domain in filter(None, row["domains"].split("|")):
            assert domain == domain.lower() and domain.rsplit(".", 1)[1] in TLDS, domain
        assert row["kind"] != "press_service" or row["owners"]


@pytest.mark.parametrize("row", _rows("outlets.tsv"), ids=lambda row: row["id"])
def test_every_listed_alias_and_domain_is_found(row):
    names = [n for n in (row["aliases"] + "|" + row["domains"]).split("|") if n]
    for name in names:
        text = f"Об этом сообщает {name[0].upper()}{name[1:]}."
        found = credits(text)
        assert found and found[0][2] == row["id"], (name, found)


def test_speech_verb_data_is_well_formed():
    rows = _rows("speech_verbs.tsv")
    assert {row["lang"] for row in rows} == {"ru", "kk"}
    for row in rows:
        assert row["match"] in ("lemma", "form") and row["words"] and None not in row.values()
        assert set(row["roles"].split("|")) <= {"speech", "impersonal", "after_dep", "attribution"}
    table = speech_verbs()
    for lemma_row in (r for r in rows if r["match"] == "lemma"):
        first = lemma_row["words"].split()[0]
        assert any(first[:4] in word for word in table.first), lemma_row  # forms were generated


def test_russian_verbs_match_in_every_form():
    table = speech_verbs()
    for word in ("сказал", "сказала", "сказали", "отметила", "подчеркнули", "заявил", "считает",
                 "говорит", "отмечает", "пояснила", "уточнил", "рассказал", "напомнила",
                 "добавили", "сообщила", "отметив", "подчеркнув", "отмечалось"):
        assert table.at([word], 0), word
    assert table.at(["обратил", "внимание"], 0).end == 2
    assert table.at(["атап", "өтті"], 0).end == 2
    for word in ("сказать", "скажу", "считаю", "отмеченный"):  # infinitive, first person, participle
        assert table.at([word], 0) is None, word


def test_outlets_load_once():
    assert outlets() is outlets() and speech_verbs() is speech_verbs()
