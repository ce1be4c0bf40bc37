"""Quotes and their speakers: every form in Russian and Kazakh, what is not a quote, the seeds.

The entities passed in are built by hand for each text, as the entity stage hands them over:
linked mentions share ``normal`` and ``kb_id``, office phrases are PER entities.
"""

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.reading.attribution import find_attribution
from kelisim.reading.document import TextView
from kelisim.reading.model import Entity
from kelisim.reading.quotes import find_quotes

if __package__:  # tests/ is a package
    from tests.shared_data import read_seed
else:
    from shared_data import read_seed

TOKAYEV = ("Касым-Жомарт Токаев", "per:tokayev")
ASHIMBAYEV = ("Маулен Ашимбаев", "per:ashimbayev")
APK = ("Ассамблея народа Казахстана", "org:apk")


def entities(text: str, *specs: tuple) -> list[Entity]:
    """Every whole-word occurrence of each (surface, type, normal, kb_id), longest first, none
    overlapping another: the linked entities of ``text``."""
    found: list[Entity] = []
    for surface, kind, normal, kb_id in sorted(specs, key=lambda s: -len(s[0])):
        for match in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if not any(e.start < match.end() and match.start() < e.end for e in found):
                found.append(Entity(kind, match.start(), match.end(), surface, normal, kb_id))
    return sorted(found, key=lambda e: e.start)


def quotes(text: str, *specs: tuple) -> list[tuple]:
    """(text, direct, speaker, speaker mention) of each quote, offsets checked on the way."""
    view = TextView.of(text)
    found = find_quotes(view, entities(text, *specs))
    for quote in found:
        assert view.text[quote.start:quote.end] == quote.text
    return [(q.text, q.direct, q.speaker, None if q.speaker_start is None else text[q.speaker_start:q.speaker_end])
            for q in found]


def person(surface: str, normal: str | None = None, kb_id: str | None = None) -> tuple:
    return (surface, "PER", normal or surface, kb_id)


# Direct speech ------------------------------------------------------------------------------


def test_quote_then_speech_clause_with_exact_offsets():
    text = "Аким встретился с жителями.\n«Мы готовы к диалогу», — сказал Бердибек Сапарбаев на встрече."
    (quote,) = find_quotes(TextView.of(text), entities(text, person("Бердибек Сапарбаев")))
    assert (quote.start, quote.end) == (text.index("Мы"), text.index("»"))
    assert quote.text == "Мы готовы к диалогу" and quote.direct
    assert (quote.speaker_start, quote.speaker_end) == (text.index("Бердибек"), text.index(" на встрече"))


def test_speaker_and_colon_before_the_quote():
    text = "Токаев заявил: «Межэтнический мир — наше главное достояние»."
    assert quotes(text, person("Токаев", *TOKAYEV)) == [
        ("Межэтнический мир — наше главное достояние", True, "Касым-Жомарт Токаев", "Токаев")]


def test_office_phrase_speaker_and_nested_guillemets():
    text = "«Это концепция «Слышащее государство» в действии», — отметил глава государства."
    assert quotes(text, person("глава государства", *TOKAYEV)) == [
        ("Это концепция «Слышащее государство» в действии", True, "Касым-Жомарт Токаев", "глава государства")]


def test_low_quotes_nested_in_guillemets():
    text = "«Мы называем это „новой этнополитикой“ и гордимся ею», — добавила Наталья Дементьева."
    assert quotes(text, person("Наталья Дементьева")) == [
        ("Мы называем это „новой этнополитикой“ и гордимся ею", True, "Наталья Дементьева", "Наталья Дементьева")]


@pytest.mark.parametrize("opening, closing", [('"', '"'), ("“", "”"), ("«", "»")])
def test_every_kind_of_quotation_mark(opening, closing):
    text = f"{opening}Работа продолжается{closing}, — пояснила Дементьева."
    assert quotes(text, person("Дементьева", "Наталья Дементьева")) == [
        ("Работа продолжается", True, "Наталья Дементьева", "Дементьева")]


def test_according_to_before_a_quote():
    text = "По словам Маулена Ашимбаева, «ситуация в Кордайском районе под контролем»."
    assert quotes(text, person("Маулена Ашимбаева", *ASHIMBAYEV)) == [
        ("ситуация в Кордайском районе под контролем", True, "Маулен Ашимбаев", "Маулена Ашимбаева")]


def test_a_quoted_sentence_goes_on_after_the_speech_clause():
    text = "«Мы работаем», — сказал Ашимбаев. «Государство слышит каждого гражданина»."
    assert quotes(text, person("Ашимбаев", *ASHIMBAYEV)) == [
        ("Мы работаем", True, "Маулен Ашимбаев", "Ашимбаев"),
        ("Государство слышит каждого гражданина", True, "Маулен Ашимбаев", "Ашимбаев")]


def test_dash_dialogue_resumes_after_the_speech_clause():
    text = ("Аким Бердибек Сапарбаев встретился с жителями Масанчи.\n"
            "— Межэтнический мир нужно беречь, — сказал он. — Это задача каждого из нас.")
    found = find_quotes(TextView.of(text), entities(text, person("Бердибек Сапарбаев")))
    assert [(q.text, q.direct, q.speaker) for q in found] == [
        ("Межэтнический мир нужно беречь", True, "Бердибек Сапарбаев"),
        ("Это задача каждого из нас", True, "Бердибек Сапарбаев")]
    assert {text[q.speaker_start:q.speaker_end] for q in found} == {"он"}  # the pronoun is the mention
    assert found[0].speaker_start == text.index(" он.") + 1


def test_a_dash_line_after_a_colon():
    text = "Токаев заявил:\n— Мы не допустим розни между народами."
    assert quotes(text, person("Токаев", *TOKAYEV)) == [
        ("Мы не допустим розни между народами", True, "Касым-Жомарт Токаев", "Токаев")]


def test_unmarked_speech_runs_back_to_its_introduction():
    text = ("Ашимбаев открыл заседание.\nНа заседании президент отметил, что работа идет.\n"
            "Ассамблея должна стать сильнее. Нужно работать в регионах.\n"
            "Главы регионов обязаны присутствовать на мероприятиях, – сказал глава государства.")
    found = quotes(text, person("Ашимбаев", *ASHIMBAYEV), person("президент", *TOKAYEV),
                   person("глава государства", *TOKAYEV))
    assert found == [
        ("работа идет", False, "Касым-Жомарт Токаев", "президент"),
        (("Ассамблея должна стать сильнее. Нужно работать в регионах.\n"
          "Главы регионов обязаны присутствовать на мероприятиях"), True, "Касым-Жомарт Токаев", "глава государства")]


def test_unmarked_speech_without_introduction_keeps_to_its_paragraph():
    text = "Конференция прошла в Таразе.\nМы видим сбалансированную политику, – сказал Андрей Манойло."
    assert quotes(text, person("Андрей Манойло")) == [
        ("Мы видим сбалансированную политику", True, "Андрей Манойло", "Андрей Манойло")]


def test_speech_clause_after_a_comma():
    text = "Особенно это касается районов компактного проживания этносов, добавил глава государства."
    assert quotes(text, person("глава государства", *TOKAYEV)) == [
        ("Особенно это касается районов компактного проживания этносов", False, "Касым-Жомарт Токаев",
         "глава государства")]


# Indirect speech ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, said, mention", [
    ("Ашимбаев подчеркнул, что диалог важен для всех.", "диалог важен для всех", "Ашимбаев"),
    ("Дементьева отметила, что ассамблея работает с 1995 года.", "ассамблея работает с 1995 года", "Дементьева"),
    ("Как сообщил Токаев, работа будет продолжена.", "работа будет продолжена", "Токаев"),
    ("По словам Ашимбаева, жители Масанчи получат помощь.", "жители Масанчи получат помощь", "Ашимбаева"),
    ("По мнению Дементьевой, конфликт исчерпан.", "конфликт исчерпан", "Дементьевой"),
    ("Токаев считает, что молодежь способна придать импульс.", "молодежь способна придать импульс", "Токаев"),
    ("Ашимбаев выразил уверенность, что конфликт не повторится.", "конфликт не повторится", "Ашимбаев"),
    ("Дементьева обратила внимание на то, что школы открыты.", "школы открыты", "Дементьева"),
    ("Ситуация стабильна, по словам Ашимбаева.", "Ситуация стабильна", "Ашимбаева"),
])
def test_indirect_speech(text, said, mention):
    specs = [person("Ашимбаев", *ASHIMBAYEV), person("Ашимбаева", *ASHIMBAYEV), person("Токаев", *TOKAYEV),
             person("Дементьева", "Наталья Дементьева"), person("Дементьевой", "Наталья Дементьева")]
    ((quote, direct, _, found_mention),) = quotes(text, *specs)
    assert (quote, direct, found_mention) == (said, False, mention)


def test_indirect_speech_stops_before_a_second_predicate():
    text = "Депутаты заявили, что закон будет принят, и предложили внести поправки."
    assert quotes(text) == [("закон будет принят", False, None, None)]


def test_pronouns_resolve_to_the_last_person_named_outside_quotes():
    text = ("Маулен Ашимбаев открыл круглый стол.\n"
            "«У Президента Касым-Жомарта Токаева есть поручения», — сказал он.\n"
            "По его словам, государственные органы работают.")
    found = quotes(text, person("Маулен Ашимбаев", *ASHIMBAYEV), person("Касым-Жомарта Токаева", *TOKAYEV))
    assert found == [("У Президента Касым-Жомарта Токаева есть поручения", True, "Маулен Ашимбаев", "он"),
                     ("государственные органы работают", False, "Маулен Ашимбаев", "его")]


def test_speaker_is_the_subject_not_a_name_in_an_aside():
    text = ("Врачи, лечащие Гиффордс, говорят, что она идет на поправку.\n"
            "Депутат Мажилиса А. Платонов, который выступал первым, отметил, что история искажается.")
    found = quotes(text, person("Гиффордс"), person("А. Платонов", "Алексей Платонов"),
                   ("Мажилиса", "ORG", "Мажилис", "org:mazhilis"))
    assert [(q[2], q[0]) for q in found] == [(None, "она идет на поправку"),
                                             ("Алексей Платонов", "история искажается")]


def test_unresolved_speaker_keeps_the_quote():
    assert quotes("“Мы ждём результатов”, — пояснил аким.\nОтмечалось, что конфликты сложны.") == [
        ("Мы ждём результатов", True, None, None), ("конфликты сложны", False, None, None)]


# Kazakh -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, said, direct, mention", [
    ("«Бейбітшілік пен келісім – басты құндылық», – деді Тоқаев.",
     "Бейбітшілік пен келісім – басты құндылық", True, "Тоқаев"),
    ("«Елде этносаралық келісім сақталуы тиіс» деп атап өтті Мемлекет басшысы.",
     "Елде этносаралық келісім сақталуы тиіс", True, "Мемлекет басшысы"),
    ("Тоқаев: «Біз бірлікті сақтаймыз» деді.", "Біз бірлікті сақтаймыз", True, "Тоқаев"),
    ("Тоқаев бұл мәселенің маңызды екенін атап өтті.", "бұл мәселенің маңызды екенін", False, "Тоқаев"),
    ("Тоқаевтың айтуынша, жағдай тұрақты.", "жағдай тұрақты", False, "Тоқаевтың"),
    ("Жастар белсенді болуы керек деп санайды Тоқаев.", "Жастар белсенді болуы керек", False, "Тоқаев"),
    ("Тоқаев сөз сөйледі.\nЖағдай бақылауда, – деп мәлімдеді ол.", "Жағдай бақылауда", True, "ол"),
])
def test_kazakh_speech(text, said, direct, mention):
    specs = [person("Тоқаев", *TOKAYEV), person("Тоқаевтың", *TOKAYEV), person("Мемлекет басшысы", *TOKAYEV)]
    assert quotes(text, *specs) == [(said, direct, "Касым-Жомарт Токаев", mention)]


# Not quotes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "В Кордае прошёл концерт партии «Нур Отан» и агентства «Казинформ».",
    "Фильм «Доспехи Бога» показали в Мангистау.",
    "Состоялся «круглый стол» с участием депутатов Мажилиса.",
    "Несколько избирателей в беседе с корреспондентом «Голоса Америки» отметили важность выборов.",
    "Токаев высказался о необходимости укрепления Ассамблеи, передает Liter.kz.",
    "Токаев сказал несколько слов.",
    "«Нұр Отан» деп аталатын партия жиналыс өткізді.",
    "Стоит отметить, что работа идет.",
])
def test_names_scare_quotes_and_bare_verbs_are_not_quotes(text):
    assert quotes(text, ("Нур Отан", "ORG", "Нур Отан", None), person("Токаев", *TOKAYEV)) == []


def test_a_quoted_name_inside_unmarked_speech_is_part_of_it():
    text = "Мы поддержим партию «Нур Отан», — сказал Ашимбаев."
    assert quotes(text, ("Нур Отан", "ORG", "Нур Отан", None), person("Ашимбаев", *ASHIMBAYEV)) == [
        ("Мы поддержим партию «Нур Отан»", True, "Маулен Ашимбаев", "Ашимбаев")]


def test_empty_and_quote_free_texts():
    assert quotes("") == [] and quotes("\n\n") == [] and quotes("Сессия прошла в Астане.") == []


def test_attribution_found_by_the_caller_gives_the_same_quotes():
    text = read_seed("002")
    view, found = TextView.of(text), entities(text, *SEED_ENTITIES["002"])
    assert find_quotes(view, found, find_attribution(view)) == find_quotes(view, found)


def test_an_outlet_is_never_a_speaker():
    text = "«Погода ухудшится», — сообщает Kazinform.\nСтроительство начнется в мае, сообщает Tengrinews.\n" \
           "Lenta.ru напоминает, что конкурс проводится в шестой раз."
    found = quotes(text, ("Kazinform", "ORG", "Казинформ", None), ("Tengrinews", "ORG", "Tengrinews", None),
                   ("Lenta.ru", "ORG", "Lenta.ru", None))
    assert found == [("Погода ухудшится", True, None, None),
                     ("конкурс проводится в шестой раз", False, None, None)]


# The seeds ----------------------------------------------------------------------------------

SEED_ENTITIES = {
    "000": [("КазИнформ", "ORG", "Казинформ", None), person("Маулена Ашимбаева", *ASHIMBAYEV),
            ("Администрации Президента РК", "ORG", "Администрация Президента Республики Казахстан", "org:ap"),
            ("Кордайском районе", "LOC", "Кордайский район", None), person("Касым-Жомарта Токаева", *TOKAYEV),
            person("М. Ашимбаев", *ASHIMBAYEV), ("Ассамблеи народа Казахстана", "ORG", *APK),
            person("Маулен Ашимбаев", *ASHIMBAYEV), person("Главы государства", *TOKAYEV),
            ("Администрация Президента", "ORG", "Администрация Президента Республики Казахстан", "org:ap")],
    "001": [person("Касым-Жомарт Токаев", *TOKAYEV), ("Ассамблеи народа Казахстана", "ORG", *APK),
            ("Liter.kz", "ORG", "Liter.kz", None), ("АНК", "ORG", *APK), person("президент", *TOKAYEV),
            ("Ассамблея", "ORG", *APK), ("Ассамблеи", "ORG", *APK), ("Парламента", "ORG", "Парламент", "org:parliament"),
            person("глава государства", *TOKAYEV), person("Токаев", *TOKAYEV),
            ("Алматинской", "LOC", "Алматинская область", None)],
    "002": [person("Касым-Жомарт Токаев", *TOKAYEV), ("Казахстана", "LOC", "Казахстан", None),
            ("Акорды", "ORG", "Акорда", "org:akorda"), person("глава государства", *TOKAYEV),
            person("президент", *TOKAYEV), ("Ассамблеи народа Казахстана", "ORG", *APK),
            ("ассамблеи", "ORG", *APK), person("Джеки Чаном", "Джеки Чан"), ("Астане", "LOC", "Астана", None)],
    "003": [person("С.Абдрахманов", "Сауытбек Абдрахманов", "per:abdrakhmanov"), person("И.Буларов", "Игорь Буларов"),
            ("Мажилиса", "ORG", "Мажилис", "org:mazhilis"), ("Казахстана", "LOC", "Казахстан", None),
            ("Московского государственного университета имени М.Ломоносова", "ORG",
             "Московский государственный университет имени М. В. Ломоносова", None),
            person("А.Манойло", "Андрей Манойло"), ("Ассамблея", "ORG", *APK), ("Российской Федерации", "LOC", "Россия", None),
            person("В.Щербина", "Виктор Щербина"), ("Ассамблея народа Казахстана", "ORG", *APK),
            ("Ассамблеи", "ORG", *APK), person("Б. Сапарбаев", "Бердибек Сапарбаев"), person("М. Азильханов", "Марат Азильханов")],
    "004": [("Ассамблеи народа Казахстана", "ORG", *APK), ("Мажилиса", "ORG", "Мажилис", "org:mazhilis"),
            person("С.Абдрахманов", "Сауытбек Абдрахманов", "per:abdrakhmanov"), person("Н.А.Назарбаевым", "Нурсултан Назарбаев"),
            person("А. Платонов", "Алексей Платонов"), ("Мажилисе", "ORG", "Мажилис", "org:mazhilis"),
            person("Л.Прокопенко", "Леонид Прокопенко"), person("М.Азильханов", "Марат Азильханов"),
            person("К.К. Токаева", *TOKAYEV), ("Ассамблеи", "ORG", *APK)],
}

# (speaker, mention, direct, how the quote starts, how it ends), checked by hand against the text
SEED_QUOTES = {
    "000": [("Маулен Ашимбаев", "Маулена Ашимбаева", False, "вопрос сохранения", "государственной политики"),
            ("Маулен Ашимбаев", "М. Ашимбаев", True, "В этом направлении", "работают в этих направлениях"),
            ("Маулен Ашимбаев", "он", True, "Какие факторы повлияли", "и как ее развивать дальше"),
            ("Маулен Ашимбаев", "М. Ашимбаев", True, "Эффективность государственной политики",
             "реализации этнополитики страны")],
    "001": [("Касым-Жомарт Токаев", "президент", False, "за последние годы она", "этнокультурных объединений"),
            ("Касым-Жомарт Токаев", "глава государства", True, "Ассамблея должна показывать",
             "маслихатов всех уровней"),
            ("Касым-Жомарт Токаев", "Он", False, "необходимо последовательно", "проводимых в стране реформ"),
            ("Касым-Жомарт Токаев", "Токаев", True, "Для этого нужно развивать",
             "государственного социального заказа"),
            ("Касым-Жомарт Токаев", "президент", False, "новый импульс работе АНК", "способна придать молодежь")],
    "002": [("Касым-Жомарт Токаев", "глава государства", True, "Следует принять", "необходимыми ресурсами"),
            ("Касым-Жомарт Токаев", "президент", True, "Важно уделить", "жителей отдаленных сёл"),
            ("Касым-Жомарт Токаев", "глава государства", False, "Особенно это касается", "проживания этносов"),
            ("Касым-Жомарт Токаев", "президент", True, "Нужно разъяснять", "её общественных структур"),
            ("Касым-Жомарт Токаев", "глава государства", True, "Следует принять", "необходимыми ресурсами")],
    "003": [(None, None, False, "опыт Казахстана в вопросах", "далеко за ее пределами"),
            (None, None, False, "современные этнополитические конфликты", "и трудно разрешимые"),
            ("Андрей Манойло", "А.Манойло", False, "Казахстан обладает уникальным", "конфликтов и их разрешения"),
            ("Андрей Манойло", "он", False, "В стране ведется большая работа", "этот опыт будет очень полезен"),
            ("Виктор Щербина", "В.Щербина", False, "Ассамблея народа Казахстана ведет", "на научной основе")],
    "004": [("Алексей Платонов", "А. Платонов", False, "на фоне пересечения", "уверенности в завтрашнем дне"),
            ("Сауытбек Абдрахманов", "С.Абдрахманов", False, "недопустимо, когда", "заниматься другое государство")],
}


@pytest.mark.parametrize("seed", sorted(SEED_QUOTES))
def test_the_seeds_quotes_and_speakers(seed):
    text = read_seed(seed)
    found = find_quotes(TextView.of(text), entities(text, *SEED_ENTITIES[seed]))
    got = [(q.speaker, None if q.speaker_start is None else text[q.speaker_start:q.speaker_end], q.direct,
            q.text[:len(start)], q.text[-len(end):]) for q, (*_, start, end) in zip(found, SEED_QUOTES[seed])]
    assert got == SEED_QUOTES[seed] and len(found) == len(SEED_QUOTES[seed])


def test_nothing_from_the_news_ticker_of_seed_002():
    text = read_seed("002")
    ticker = text.index("\n-\n1💣"), text.index("RUB:")
    found = find_quotes(TextView.of(text), entities(text, *SEED_ENTITIES["002"]))
    assert not any(ticker[0] <= q.start < ticker[1] for q in found)


# Invariants ---------------------------------------------------------------------------------

FRAGMENTS = ["«", "»", "„", "“", "”", '"', ", — ", " — ", "—", ":", ",", ".", "\n", "\n— ", " ",
             "сказал", "отметила", "заявил", "что", "по словам", "Как сообщил", "он", "Токаев", "деп",
             "атап өтті", "деді", "ол", "сообщает", "Kazinform", "мы готовы", "Ашимбаева", "«Нур Отан»"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_quotes_always_index_the_text(parts):
    text = " ".join(parts)
    found = find_quotes(TextView.of(text), entities(text, person("Токаев", *TOKAYEV),
                                                   person("Ашимбаева", *ASHIMBAYEV)))
    for quote in found:
        assert 0 <= quote.start < quote.end <= len(text) and text[quote.start:quote.end] == quote.text
        assert (quote.speaker is None) == (quote.speaker_start is None) == (quote.speaker_end is None)
        if quote.speaker_start is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
    spans = sorted((q.start, q.end) for q in found)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))  # quotes never overlap
