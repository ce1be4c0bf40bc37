"""Casualty counts: each rule pinned with a short sentence (digits, words, Kazakh, zero, one,
approximate, the largest of several), the numbers that are not casualties (years, money, ages,
percentages, phone numbers, dates, things), spans that index the text, real sentences of the
shared data, and the seeds, which report none."""

import pytest

from kelisim.clean.pipeline import clean_text
from kelisim.reading.document import TextView
from kelisim.understanding.casualties import KINDS, Casualties, Count, find_casualties
from tests.shared_data import factru_texts, read_seed, seed_texts


def find(text: str, language: str = "ru") -> Casualties:
    return find_casualties(TextView.of(text, language))


def values(text: str, language: str = "ru") -> tuple:
    """(killed, injured, detained) of a text."""
    found = find(text, language)
    return found.killed, found.injured, found.detained


# -- numbers in digits and words, before and after the casualty word --

@pytest.mark.parametrize("text, expected", [
    ("11 человек погибли", (11, None, None)),
    ("Погибли 11 человек.", (11, None, None)),
    ("192 человека получили ранения", (None, 192, None)),
    ("Задержаны 47 человек.", (None, None, 47)),
    ("Полиция задержала 12 участников акции.", (None, None, 12)),
    ("Есть двое погибших.", (2, None, None)),
    ("Трое пострадавших доставлены в больницу.", (None, 3, None)),
    ("Десять человек задержаны.", (None, None, 10)),
    ("Один человек погиб.", (1, None, None)),
    ("Погибли четырнадцать астронавтов.", (14, None, None)),
    ("Сто девяносто два человека ранены.", (None, 192, None)),
    ("Задержаны 2 000 человек.", (None, None, 2000)),
    ("Погибло 2,3 тысячи человек.", (2300, None, None)),
    ("Более 5 тысяч человек были арестованы.", (None, None, 5000)),
    ("Гибель 11 человек потрясла всех.", (11, None, None)),
])
def test_a_number_tied_to_a_casualty_word(text, expected):
    assert values(text) == expected


def test_two_kinds_in_one_sentence_each_take_their_own_number():
    assert values("Погибли 11 человек, 192 человека получили ранения.") == (11, 192, None)
    assert values("Число жертв достигло 25 человек, более 200 человек ранены.") == (25, 200, None)


def test_numbers_joined_by_and_add_up():
    assert values("В ДТП погибли 3 полицейских и 2 мирных жителя.") == (5, None, None)
    assert values("Борттағы он алты жолаушы мен бес экипаж мүшесі қайтыс болды.", "kk") == (21, None, None)


def test_a_tally_takes_the_number_after_its_verb():
    text = "Число жертв столкновений в городе за последние три дня достигло 25 человек."
    assert values(text) == (25, None, None)


@pytest.mark.parametrize("text, value", [
    ("Пострадали более 170 человек.", 170),
    ("Пострадали около 40 человек.", 40),
    ("По меньшей мере 73 мигранта пострадали.", 73),
    ("Пострадали десятки человек.", 10),
    ("Пострадали сотни человек.", 100),
    ("Пострадали несколько человек.", 3),
])
def test_approximate_counts_keep_the_stated_figure(text, value):
    (count,) = find(text).counts
    assert (count.kind, count.value, count.approximate) == ("injured", value, True)


def test_an_exact_count_is_not_approximate():
    (count,) = find("Пострадали 4 человека.").counts
    assert not count.approximate


# -- Kazakh --

@pytest.mark.parametrize("text, expected", [
    ("11 адам қаза тапты.", (11, None, None)),
    ("Он екі адам , өкінішке орай , қаза тапты .", (12, None, None)),
    ("Салдарынан жүз сексен үш адам қаза тапты .", (183, None, None)),
    ("Қытайда екі мың екі жүз қырық жеті адам қайтыс болды .", (2247, None, None)),
    ("Осылайша 413 адам жарақат алды .", (None, 413, None)),
    ("Акция кезінде 300-ден астам полиция қызметкері түрлі жарақат алды .", (None, 300, None)),
    ("Бес күн ішінде 4000-ға жуық адам ұсталды .", (None, None, 4000)),
    ("Үш адам қамауға алынды .", (None, None, 3)),
    ("Нәтижесінде 33 адам ауыр жарақат алып , жеті азамат ажал құшты .", (7, 33, None)),
    ("Иранда 245 адам науқастанып , 26-сы көз жұмды .", (26, None, None)),
    ("Қос ойыншы жарақат алған .", (None, 2, None)),
])
def test_kazakh_counts(text, expected):
    assert values(text, "kk") == expected


def test_kazakh_approximate_endings():
    (count,) = find("Кеше 30 шақты адам ауруханаға түсті .", "kk").counts
    assert (count.kind, count.value, count.approximate) == ("injured", 30, True)


def test_a_kazakh_clause_final_verb_without_a_plural_subject_is_one():
    assert values("Апат кезінде отағасы қаза тапты .", "kk") == (1, None, None)
    assert values("Күдікті тергеу изоляторына қамалды .", "kk") == (None, None, 1)


def test_a_kazakh_subjects_number_may_stand_far_before_its_verb():
    text = "Соңғы 50 жылда 2 азамат заңсыз шырша кескен браконьерлердің қолынан қаза тапқан екен ."
    assert values(text, "kk") == (2, None, None)


def test_kazakh_words_are_not_read_as_russian_numerals():
    assert values("Сот шешімімен ол қамауға алынды .", "kk") == (None, None, 1)  # «сот»: court, not «сотня»


def test_a_kazakh_plural_subject_or_a_thing_gives_no_count():
    assert values("Қашып кеткен қылмыскерлер ұсталып , қамауға алынды .", "kk") == (None, None, None)
    assert values("15 үй зардап шеккен .", "kk") == (None, None, None)


def test_kazakh_conditional_and_possibility_count_nothing():
    assert values("Ал жалғыз қалған бала қаза тапса , ұзақ мерзімге түрмеге жабылуы мүмкін .", "kk") \
        == (None, None, None)
    assert values("Полицияға бағынбағандар 10 күнге қамалуы мүмкін .", "kk") == (None, None, None)


# -- without a number: zero, at least one, one --

@pytest.mark.parametrize("text, expected", [
    ("При пожаре никто не пострадал.", (None, 0, None)),
    ("Обошлось без жертв.", (0, None, None)),
    ("Погибших нет.", (0, None, None)),
    ("Абырой болғанда , ешкім зардап шеккен жоқ .", (None, 0, None)),
])
def test_zero_counts(text, expected):
    language = "kk" if "ешкім" in text else "ru"
    assert values(text, language) == expected


def test_there_are_dead_is_at_least_one_approximately():
    found = find("Есть погибшие и раненые.")
    assert [(c.kind, c.value, c.approximate) for c in found.counts] == \
        [("killed", 1, True), ("injured", 1, True)]


@pytest.mark.parametrize("text, expected", [
    ("Водитель погиб.", (1, None, None)),
    ("Он погиб.", (1, None, None)),  # «он» is ten only in Kazakh
    ("Она была госпитализирована.", (None, 1, None)),
    ("Виктор Бут был арестован в Бангкоке.", (None, None, 1)),
    ("В Алматы задержали восьмиклассника за угрозы школам.", (None, None, 1)),
    ("Рашидов убил сержанта полиции.", (1, None, None)),
    ("Актриса получила серьёзную травму.", (None, 1, None)),
])
def test_a_singular_past_predicate_is_one(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "Если бы этого не произошло, то космонавт бы погиб.",
    "Он может погибнуть.",
    "Угрожал убить двух человек.",
    "Он не пострадал.",
    "Сколько их погибло, никто не считал.",
    "Люди погибли.",
    "Никто не знает, кто погиб.",
    "Президент и первая леди задержались в Белом доме.",
])
def test_statements_of_no_count(text):
    assert values(text) == (None, None, None)


# -- numbers that are not casualties --

@pytest.mark.parametrize("text", [
    "Они погибли в 1941 году.",
    "Пострадавшим выплатят по 2 000 тенге.",
    "Погибли 60% жителей села.",
    "Телефон для пострадавших: 8 777 123 45 67.",
    "Пострадавшие звонили по номеру 8 777 123 45 67",
    "Журналисты арестованы в 24-х странах.",
    "В Абайской области больше 30 машин пострадали от непогоды.",
    "Погибло примерно нескольких тысяч взрослых рыб.",
    "Пострадавшие 22 марта получат помощь.",
    "Ему 11 лет, он пострадал.",
    "Задержан 5-й подозреваемый.",
])
def test_numbers_that_count_no_one(text):
    found = find(text)
    assert all(c.value in (0, 1) for c in found.counts), found.counts


def test_an_age_is_not_a_count_but_the_person_is_one():
    assert values("11-летний мальчик пострадал.") == (None, 1, None)
    assert values("Бұл жерде 42 жастағы азамат көз жұмды .", "kk") == (1, None, None)


def test_a_time_is_not_a_count():
    assert values("В результате аварии, которая произошла в 18:00, пострадали шесть человек") == (None, 6, None)


def test_a_date_is_not_a_count():
    assert values("Водитель был задержан 5 марта 2021 года.") == (None, None, 1)
    assert values("Жол инспекторлары 21-інші қаңтарда парамен ұсталған .", "kk") == (None, None, None)


# -- several statements, spans, evidence --

def test_the_largest_statement_of_a_kind_wins_and_all_are_kept():
    text = "Сначала сообщалось, что пострадали 160 человек. Позже число пострадавших достигло 225 человек."
    found = find(text)
    assert found.injured == 225
    assert sorted(c.value for c in found.counts if c.kind == "injured") == [160, 225]


def test_past_incidents_recalled_are_still_counted():
    assert values("В 2020 году в Кордайском районе погибли 11 человек.") == (11, None, None)


def test_spans_index_the_text():
    text = "Беспорядки в селе. Погибли 11 человек, 192 человека получили ранения; задержаны 47 человек."
    found = find(text)
    assert [c.text for c in found.counts] == ["Погибли 11 человек", "192 человека получили ранения",
                                              "задержаны 47 человек"]
    assert all(text[c.start:c.end] == c.text for c in found.counts)
    assert isinstance(found.counts[0], Count)


STEMS = ("погиб", "ранен", "пострада", "задерж", "арест", "убит")


def test_spans_index_real_news_texts():
    texts = [t for t in factru_texts() if any(stem in t for stem in STEMS)]  # the rest: no cue, no count
    found = [c for text in texts for c in _counts_of(text)]
    assert len(found) >= 10
    assert all(c.kind in KINDS and c.value >= 0 for c, _ in found)
    assert all(text[c.start:c.end] == c.text for c, text in found)


def _counts_of(text):
    return [(c, text) for c in find(text).counts]


def test_real_news_sentences():
    texts = factru_texts()
    london = next(t for t in texts if "число арестованных участников беспорядков" in t)
    assert find(london).detained == 225
    migrants = next(t for t in texts if "73 мигранта из Африки погибли" in t)
    assert find(migrants).killed == 73


def test_the_seeds_report_no_casualties():
    for raw in seed_texts():
        assert find(clean_text(raw, "text").text).counts == ()


def test_the_news_ticker_under_seed_002_does_report_some():
    ticker = find(read_seed("002"))
    assert (ticker.injured, ticker.detained) == (4, 1)
