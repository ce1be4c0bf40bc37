"""Relevance: a group named in passing is not about interethnic relations; a clash, a round table
on unity, an insult to a group, kandas, a language patrol are; every decision shows its evidence,
and the evidence adds up to the score."""

import math

import pytest

from kelisim.datafiles import package_rows
from kelisim.ethnic import EthnicMatcher
from kelisim.kb import KnowledgeBase
from kelisim.reading.document import TextView
from kelisim.reading.model import Entity, Reading
from kelisim.understanding.model import Cue, Hostility
from kelisim.understanding.relevance import (
    BIAS,
    CAPS,
    CUE_COLUMNS,
    THRESHOLD,
    WEIGHTS,
    RelevanceScorer,
    relevance_score,
)
from kelisim.understanding.tension import TensionScorer
from tests.shared_data import read_seed


def read(text, language="ru", **extra):
    """What the reader finds that relevance uses, without the neural NER: ethnic groups, the
    knowledge base's entities and the tension evidence."""
    view = TextView.of(text, language)
    entities = [Entity(m.type, m.start, m.end, m.text, m.normal, m.kb_id) for m in KnowledgeBase.load().find(view)]
    reading = Reading(id="t", language=language, text=text, entities=entities,
                      ethnic=EthnicMatcher.load().find(view), tension=TensionScorer.load().score(view))
    for name, value in extra.items():
        setattr(reading, name, value)
    return view, reading


def relevance(text, language="ru", **extra):
    return RelevanceScorer.load().score(*read(text, language, **extra))


def kinds(result):
    return {cue.kind for cue in result.evidence if cue.weight}


@pytest.mark.parametrize("text", [
    ("Рецепт узбекского плова. Обжарьте баранину в казане, добавьте морковь и рис. "
     "Готовьте на медленном огне около часа."),
    ("Казах Бауыржан Исламхан перешёл в московский клуб. Сумма трансфера не раскрывается. "
     "Контракт рассчитан на два года."),
    "В школах ввели дополнительные уроки по русскому языку и математике.",
    "Российские чиновники обсудили с американскими коллегами поставки газа в Европу.",
    "Организация Объединённых Наций приняла резолюцию о защите лесов.",
    "Өзбек кәсіпкерлері бізден алған малды семіртіп , көп пайда табуда .",
])
def test_a_group_named_in_passing_is_not_relevant(text):
    result = relevance(text, "kk" if "ә" in text else "ru")
    assert not result.relevant and result.score < THRESHOLD, result


def test_groups_only_as_attributes_count_against():
    result = relevance("Рецепт узбекского плова: баранина, морковь, рис.")
    assert "passing" in kinds(result)
    (passing,) = [cue for cue in result.evidence if cue.kind == "passing"]
    assert passing.weight < 0 and passing.context == "attribute"


@pytest.mark.parametrize(("text", "language", "kind"), [
    ("В селе произошла массовая драка между казахами и дунганами.", "ru", "pair"),
    ("Межнациональный конфликт в Кордайском районе.", "ru", "topic"),
    ("В Таразе прошёл круглый стол, посвящённый единству народа Казахстана.", "ru", "topic"),
    ("В область переселились 500 семей кандасов.", "ru", "topic"),
    ("Видео «языкового патруля» вызвало скандал в соцсетях.", "ru", "topic"),
    ("Понаехали чурки, житья от них нет.", "ru", "slur"),
    ("Мои соболезнования армянскому народу.", "ru", "people"),
    ("Ұлтаралық келісім — біздің басты байлығымыз .", "kk", "topic"),
    ("Қазақстанда армян диаспорасының өкілдері тату-тәтті ғұмыр кешіп келеді .", "kk", "topic"),
])
def test_short_interethnic_texts_are_relevant(text, language, kind):
    result = relevance(text, language)
    assert result.relevant and result.score >= THRESHOLD, result
    assert kind in kinds(result)


def test_adjectives_of_people_are_attributes_but_nouns_are_actors():
    attribute = relevance("Узбекские строители отремонтировали дом за два месяца.")
    actors = relevance("Узбеки и таджики подрались с местными жителями у рынка.")
    assert not attribute.relevant and "passing" in kinds(attribute)
    assert actors.relevant and {"pair", "spread"} <= kinds(actors)


def test_the_titular_people_is_evidence_that_counts_nothing():
    titular = relevance("Қазақ халқы — ешқашан жетімін жылатпаған .", "kk")
    (people,) = [cue for cue in titular.evidence if cue.kind == "people"]
    assert people.context == "titular" and people.weight == 0 and not titular.relevant
    assert relevance("Армян халқы тату өмір сүреді .", "kk").relevant


def test_an_interethnic_institution_counts():
    text = "В Таразе прошла сессия Ассамблеи народа Казахстана."
    result = relevance(text)
    assert result.relevant and "institution" in kinds(result)
    (institution,) = [cue for cue in result.evidence if cue.kind == "institution"]
    assert institution.cue == "org:apk" and text[institution.start:institution.end] == institution.text


def test_other_institutions_do_not_count():
    result = relevance("Министерство иностранных дел провело брифинг.")
    assert "institution" not in kinds(result) and not result.relevant


def _hostility(view, hostile):
    start = view.text.index("выгнать")
    cue = Cue(start, start + len("выгнать"), "выгнать", "выгнать", "expulsion_call", 0.7)
    return Hostility(0.7 if hostile else 0.2, hostile, ("expulsion_call",) if hostile else (), (cue,))


def test_hostile_language_is_strong_evidence():
    text = "Их всех надо выгнать отсюда, пока не поздно. Соседи молчат. Так жить нельзя."
    view, reading = read(text)
    before = RelevanceScorer.load().score(view, reading)
    reading.hostility = _hostility(view, hostile=True)
    after = RelevanceScorer.load().score(view, reading)
    assert not before.relevant and after.relevant
    (evidence,) = [cue for cue in after.evidence if cue.kind == "hostility"]
    assert evidence.weight == WEIGHTS["hostility"] and evidence.context == "expulsion_call"
    assert text[evidence.start:evidence.end] == "выгнать"


def test_hostility_that_is_not_hostile_adds_nothing():
    text = "Их всех надо выгнать отсюда, пока не поздно. Соседи молчат. Так жить нельзя."
    view, reading = read(text)
    reading.hostility = _hostility(view, hostile=False)
    result = RelevanceScorer.load().score(view, reading)
    assert "hostility" not in kinds(result) and not result.relevant


def test_one_cue_in_a_long_text_is_an_aside():
    filler = " ".join(f"Предложение номер {n} о погоде и ценах." for n in range(8))
    short = relevance("Задержан за разжигание этнической ненависти.")
    long = relevance(f"{filler} Задержан за разжигание этнической ненависти. {filler}")
    assert "passing" in kinds(long) and long.score < short.score


SAMPLES = [
    ("В селе произошла массовая драка между казахами и дунганами. Полиция задержала зачинщиков.", "ru"),
    ("Мои соболезнования армянскому народу. Ублюдки есть в каждом народе.", "ru"),
    ("Қазақстанда армян диаспорасының өкілдері тату-тәтті ғұмыр кешіп келеді .", "kk"),
    ("Рецепт узбекского плова: баранина, морковь, рис.", "ru"),
]


@pytest.mark.parametrize(("text", "language"), SAMPLES)
def test_evidence_offsets_index_the_text(text, language):
    result = relevance(text, language)
    assert result.evidence
    for cue in result.evidence:
        assert text[cue.start:cue.end] == cue.text
        if cue.context_start is not None:
            assert 0 <= cue.context_start < cue.context_end <= len(text)


@pytest.mark.parametrize(("text", "language"), SAMPLES)
def test_the_evidence_adds_up_to_the_score(text, language):
    view, reading = read(text, language)
    scorer = RelevanceScorer.load()
    result, features = scorer.score(view, reading), scorer.features(view, reading)
    z = BIAS + sum(cue.weight for cue in result.evidence)
    assert result.score == pytest.approx(1 / (1 + math.exp(-z)), abs=0.001)
    assert result.score == relevance_score(features.values())
    assert all(value <= CAPS[name] for name, value in features.values().items())


def test_seed_002_is_relevant_from_its_vocabulary():
    result = relevance(read_seed("002"))
    assert result.relevant and result.score > 0.9
    assert {"topic", "institution"} <= kinds(result)


def test_the_scorer_is_loaded_once():
    assert RelevanceScorer.load() is RelevanceScorer.load()


def test_every_institution_of_the_cue_file_is_in_the_knowledge_base():
    rows = package_rows("kelisim.understanding", "data/relevance_cues.tsv", CUE_COLUMNS)
    institutions = [row["cue"] for row in rows if row["kind"] == "institution"]
    assert "org:apk" in institutions
    kb = KnowledgeBase.load()
    for kb_id in institutions:
        assert kb.get(kb_id).id == kb_id


def test_cue_kinds_and_languages_are_known():
    rows = package_rows("kelisim.understanding", "data/relevance_cues.tsv", CUE_COLUMNS)
    assert {row["kind"] for row in rows} == {"topic", "institution", "frame", "head", "titular"}
    assert {row["language"] for row in rows} <= {"ru", "kk", "kb"}
    assert all(float(row["weight"]) >= 0 for row in rows)
