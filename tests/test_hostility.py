"""Hostility: each rule pinned with a short sentence (hostile, reported, negated, no group to
anchor it), the score and the kinds, and every evidence offset checked against real texts."""

import html
import json
import re

import pytest

from kelisim.ethnic import EthnicMatcher
from kelisim.reading.document import TextView
from kelisim.understanding.hostility import (
    KINDS,
    THRESHOLD,
    HostilityDetector,
    hostility_of,
    hostility_score,
)
from kelisim.understanding.model import Cue
from tests.shared_data import seed_texts, shared_path


def detect(text, language="ru"):
    view = TextView.of(text, language)
    return HostilityDetector.load().detect(view, EthnicMatcher.load().find(view))


def counted(result):
    """(text, kind) of the cues that counted."""
    return [(e.text, e.kind) for e in result.evidence if e.weight > 0]


def turned(text, language="ru"):
    """(cue text, kind, context, context word) of the cues of ``text`` that did not count."""
    return [(e.text, e.kind, e.context, text[e.context_start:e.context_end])
            for e in detect(text, language).evidence if e.weight == 0]


run = detect


# -- slurs --

def test_a_slur_in_the_authors_voice_is_hostile():
    result = run("Опять эти чурки заняли весь двор.")
    assert result.hostile and result.kinds == ("slur",)
    assert counted(result) == [("чурки", "slur")]


def test_a_slur_in_a_report_of_an_insult_does_not_count():
    text = "Он назвал их чурками."
    assert not run(text).hostile and run(text).score == 0
    assert turned(text) == [("чурками", "slur", "reported", "назвал")]


def test_a_slur_in_quotation_marks_is_named_not_used():
    text = "Соседи слышали слово «хачи» в свой адрес."
    assert not run(text).hostile
    assert turned(text) == [("хачи", "slur", "reported", "«")]


def test_a_mild_slur_alone_is_not_enough():
    result = run("Западенцы опять шумят.")
    assert not result.hostile and result.kinds == ("slur",) and 0 < result.score < THRESHOLD


def test_a_slur_the_ethnic_lexicon_lacks_counts_from_the_cue_file():
    result = run("Опять русопеты набежали.")
    assert result.hostile and counted(result) == [("русопеты", "slur")]


# -- dehumanising: only with a group to anchor it --

def test_dehumanising_words_count_when_a_group_is_named():
    assert counted(run("Таджики — тараканы.")) == [("тараканы", "dehumanising")]
    assert run("Таджики приехали. Эти тараканы везде.").hostile  # anchored by the sentence before


def test_dehumanising_words_without_a_group_are_no_evidence():
    result = run("Эти тараканы везде.")
    assert not result.hostile and result.evidence == ()


def test_a_plural_pronoun_points_back_to_a_group():
    text = "Узбеки приехали в село. Работы стало меньше. Их надо выгнать."
    assert counted(run(text)) == [("выгнать", "expulsion_call")]
    too_far = "Узбеки приехали в село. Работы стало меньше. Цены выросли. Магазин закрылся. Их надо выгнать."
    assert run(too_far).evidence == ()


# -- calls to violence and expulsion: only in a call form --

@pytest.mark.parametrize(("text", "cue", "kind"), [
    ("Бей жидов!", "Бей жидов", "violence_call"),
    ("Смерть хачам!", "Смерть хачам", "violence_call"),
    ("Их надо убивать, этих хачей.", "убивать", "violence_call"),
    ("Давайте выгоним всех узбеков.", "выгоним", "expulsion_call"),
    ("Узбеков нужно депортировать.", "депортировать", "expulsion_call"),
    ("Цыгане, убирайтесь!", "убирайтесь", "expulsion_call"),
    ("Пусть хохлы убираются.", "убираются", "expulsion_call"),
    ("Чурки вон из России!", "Чурки вон", "expulsion_call"),
    ("Поможем братьям выгнать ляхов.", "выгнать", "expulsion_call"),
])
def test_calls(text, cue, kind):
    result = run(text)
    assert result.hostile and kind in result.kinds
    assert (cue, kind) in counted(result)


@pytest.mark.parametrize("text", [
    "Узбеки убили двоих.",  # a report of a deed, not a call
    "Смерть казаха в Кордае вызвала протесты.",  # «смерть» of someone, not «смерть кому»
    "После смерти казахов начались беспорядки.",
    "Надо выгнать мусор из подвала.",  # no group named
])
def test_no_call_form_or_no_group_is_no_evidence(text):
    assert run(text).evidence == ()


@pytest.mark.parametrize(("text", "word"), [
    ("Не надо выгонять дунган из села.", "Не"),
    ("Нельзя выгонять дунган.", "Нельзя"),
    ("Дунган не выгоняйте!", "не"),
])
def test_negated_calls_do_not_count(text, word):
    result = run(text)
    assert not result.hostile and result.score == 0
    assert [(context, w) for _, _, context, w in turned(text)] == [("negation", word)]


@pytest.mark.parametrize(("text", "word"), [
    ("Аким осудил призывы выгнать уйгуров из села.", "осудил"),
    ("Возбуждено дело по статье 174 за призывы убивать казахов.", "Возбуждено"),
    ("Депутат заявил, что мигрантов нужно депортировать.", "заявил"),
    ("В соцсетях появились оскорбления: казахов называли мамбетами.", "называли"),
])
def test_reports_about_hostile_language_do_not_count(text, word):
    result = run(text)
    assert not result.hostile and result.score == 0 and result.evidence
    assert {(context, w) for _, _, context, w in turned(text)} == {("reported", word)}


def test_the_author_naming_is_not_a_report():
    result = run("Мы называем их инородцами, а они нелюди.")
    assert result.hostile and ("нелюди", "dehumanising") in counted(result)


# -- collective blame --

@pytest.mark.parametrize("text", ["Все узбеки — воры.", "Цыгане все воры и бандиты.",
                                  "Воровство у них в крови, у этих цыган."])
def test_collective_blame(text):
    result = run(text)
    assert result.hostile and result.kinds == ("collective_blame",)


def test_a_group_and_a_crime_without_a_generalisation_is_not_blame():
    assert run("Грузинские воры в законе задержаны.").evidence == ()


# -- Kazakh --

@pytest.mark.parametrize(("text", "kind"), [("Орыстар кетсін!", "expulsion_call"),
                                            ("Қытайларды өлтіріңдер!", "violence_call"),
                                            ("Қытайлар келді. Олар хайуандар.", "dehumanising"),
                                            ("Қытайларды қуу керек.", "expulsion_call")])
def test_kazakh_cues(text, kind):
    result = run(text, "kk")
    assert result.hostile and result.kinds == (kind,)


@pytest.mark.parametrize(("text", "context", "word"), [("Қытайларды қуу керек емес.", "negation", "емес"),
                                                       ("Өзбектер кетсін деп айтты.", "reported", "деп")])
def test_kazakh_negation_and_report_come_after_the_words(text, context, word):
    assert not run(text, "kk").hostile and run(text, "kk").score == 0
    assert [(c, w) for _, _, c, w in turned(text, "kk")] == [(context, word)]


# -- score and kinds --

def cue(text, kind, weight, context=None):
    return Cue(0, len(text), text, text, kind, weight, context)


def test_score_is_one_minus_the_product_over_distinct_cues():
    assert hostility_score([]) == 0.0
    assert hostility_score([cue("чурка", "slur", 0.6)] * 3) == 0.6  # a word repeated does not add up
    assert hostility_score([cue("чурка", "slur", 0.6), cue("выгнать", "expulsion_call", 0.6)]) == 0.84
    assert hostility_score([cue("выгнать", "expulsion_call", 0.0, "negation")]) == 0.0


def test_kinds_follow_a_fixed_order_and_only_counted_cues_name_one():
    result = hostility_of([cue("выгнать", "expulsion_call", 0.6), cue("чурка", "slur", 0.6),
                           cue("бить", "violence_call", 0.0, "reported")])
    assert result.kinds == ("slur", "expulsion_call") and result.hostile
    assert KINDS == ("slur", "dehumanising", "violence_call", "expulsion_call", "collective_blame")


def test_load_is_cached():
    assert HostilityDetector.load() is HostilityDetector.load()


# -- real texts: every offset points at its words --

def _ruethnohate(limit=150):
    texts = {}
    with shared_path("data", "ruethnohate", "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = re.sub(r"<br\s*/?>", "\n", record["text"])
            texts.setdefault(record["text_id"], html.unescape(re.sub(r"<[^>]*>", "", text)))
            if len(texts) >= limit:
                break
    return list(texts.values())


def test_every_evidence_offset_matches_the_text():
    checked = 0
    for text in _ruethnohate() + seed_texts():
        result = detect(text)
        for e in result.evidence:
            assert text[e.start:e.end] == e.text and e.kind in KINDS
            assert 0 <= e.weight < 1
            assert (e.weight == 0) == (e.context is not None)
            if e.context is not None:
                assert e.context in ("reported", "negation") and text[e.context_start:e.context_end].strip()
            checked += 1
        assert result.hostile == (result.score >= THRESHOLD)
    assert checked > 40


def test_the_seeds_hold_no_counted_cue():
    for text in seed_texts():
        assert detect(text).score == 0
