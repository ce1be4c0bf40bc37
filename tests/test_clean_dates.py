from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from kelisim.clean import find_date_in_text, parse_date
if __package__:  # tests/ is a package
    from tests.shared_data import read_seed
else:
    from shared_data import read_seed

REF = datetime(2023, 12, 12, 9, 30)


@pytest.mark.parametrize("value, expected", [
    ("2021-10-14", date(2021, 10, 14)),
    ("2021-10-14T10:00:00+06:00", date(2021, 10, 14)),
    ("2021-10-14T23:59:59Z", date(2021, 10, 14)),
    ("2021-10-14 10:00", date(2021, 10, 14)),
    ("Tue, 14 Oct 2021 10:00:00 +0600", date(2021, 10, 14)),
    ("14 Oct 2021 10:00:00 GMT", date(2021, 10, 14)),
    ("14.10.2021", date(2021, 10, 14)),
    ("14.10.2021 10:15", date(2021, 10, 14)),
    ("4.3.2021", date(2021, 3, 4)),
    ("14.10.21", date(2021, 10, 14)),
    ("14/10/2021", date(2021, 10, 14)),
    ("14 октября 2021", date(2021, 10, 14)),
    ("14 октября 2021 г.", date(2021, 10, 14)),
    ("14 октября 2021 года, 10:15", date(2021, 10, 14)),
    ("14 окт. 2021", date(2021, 10, 14)),
    ("1 Января 2022", date(2022, 1, 1)),
    ("2021 жылғы 14 қазан", date(2021, 10, 14)),
    ("2021 ж. 14 қазан", date(2021, 10, 14)),
    ("14 қазан 2021 ж.", date(2021, 10, 14)),
    ("14 қазан 2021 жыл", date(2021, 10, 14)),
    ("October 14, 2021", date(2021, 10, 14)),
    ("14 October 2021", date(2021, 10, 14)),
    ("  2022-02-28  ", date(2022, 2, 28)),
])
def test_parse_date_formats(value, expected):
    assert parse_date(value, REF) == expected


@pytest.mark.parametrize("value", [
    "", "   ", "мусор", "31.02.2021", "31 февраля 2021", "2021-02-30", "30 ақпан 2020 ж.",
    "2030-01-01", "14.12.2023", "1970-01-01T00:00:00Z", "Tue, 99 Oct 2021 10:00:00 +0600",
    "32.10.2021", "14.13.2021",
])
def test_parse_date_rejects(value):
    assert parse_date(value, REF) is None


def test_parse_date_allows_one_day_ahead_of_the_reference():
    assert parse_date("13.12.2023", REF) == date(2023, 12, 13)
    assert parse_date("14.12.2023", REF) is None


def test_parse_date_with_an_aware_reference():
    aware = datetime(2023, 12, 12, 3, 0, tzinfo=timezone.utc)
    assert parse_date("2023-12-12T08:00:00+05:00", aware) == date(2023, 12, 12)


def test_seed_003_head():
    assert find_date_in_text(read_seed("003"), REF) == date(2021, 10, 14)


@pytest.mark.parametrize("text, expected", [
    ("14-15 октября 2021 года г. Тараз", date(2021, 10, 14)),
    ("14 – 15 октября 2021 года", date(2021, 10, 14)),
    ("Встреча 11 декабря в Таразе", date(2023, 12, 11)),
    ("Встреча 13 декабря в Таразе", date(2022, 12, 13)),
    ("Форум 29 февраля в Астане", date(2020, 2, 29)),
    ("Вчера в Астане прошёл форум", date(2023, 12, 11)),
    ("Сегодня в Астане прошёл форум", date(2023, 12, 12)),
    ("Позавчера в Астане", date(2023, 12, 10)),
    ("Кеше Астанада жиын өтті", date(2023, 12, 11)),
    ("Бүгін Астанада жиын өтті", date(2023, 12, 12)),
    ("Вчера, 10 декабря, в Астане", date(2023, 12, 10)),
    ("2021 жылғы 14 қазан күні Таразда", date(2021, 10, 14)),
    ("2021 жылдың 14 қазанында Таразда", date(2021, 10, 14)),
    ("Президент 14 қазанда сөз сөйледі", date(2023, 10, 14)),
    ("Жиын 5 желтоқсаннан басталды", date(2023, 12, 5)),
    ("Жиын 3 наурызда өтеді", date(2023, 3, 3)),
    ("Жиын 10 қыркүйекте өтті", date(2023, 9, 10)),
    ("Форум прошёл 5 мая", date(2023, 5, 5)),
    ("Форум прошёл в мае, 5 мая 2021", date(2021, 5, 5)),
    ("Опубликовано 14 окт. 2021", date(2021, 10, 14)),
    ("3 сент. 2021 года", date(2021, 9, 3)),
    ("10 нояб. 2021 г.", date(2021, 11, 10)),
    ("Декабрь 2021. 5 декабря 2021 года в Таразе", date(2021, 12, 5)),
    ("31 февраля 2021 года, а на деле 1 марта 2021 года", date(2021, 3, 1)),
    ("Дата: 14.10.2021. Позже 15.10.2021", date(2021, 10, 14)),
])
def test_find_date_in_text(text, expected):
    assert find_date_in_text(text, REF) == expected


@pytest.mark.parametrize("month, number", [
    ("января", 1), ("январе", 1), ("янв.", 1), ("февраля", 2), ("фев", 2), ("марта", 3),
    ("апреля", 4), ("мая", 5), ("июня", 6), ("июн", 6), ("июля", 7), ("августа", 8),
    ("авг.", 8), ("сентября", 9), ("сен.", 9), ("октября", 10), ("октябрь", 10),
    ("ноября", 11), ("декабря", 12), ("дек.", 12),
])
def test_every_russian_month_form(month, number):
    assert find_date_in_text(f"Это было 3 {month} 2020 года.", REF) == date(2020, number, 3)


@pytest.mark.parametrize("month, number", [
    ("қаңтар", 1), ("ақпан", 2), ("наурыз", 3), ("сәуір", 4), ("мамыр", 5), ("маусым", 6),
    ("шілде", 7), ("тамыз", 8), ("қыркүйек", 9), ("қазан", 10), ("қараша", 11),
    ("желтоқсан", 12),
])
def test_every_kazakh_month(month, number):
    assert find_date_in_text(f"2020 жылғы 3 {month}", REF) == date(2020, number, 3)
    assert find_date_in_text(f"3 {month}да 2020 жылы", REF) == date(2020, number, 3)


@pytest.mark.parametrize("text", [
    "Без даты вообще.",
    "В Казани прошёл форум.",
    "Қазан қаласында жиын өтті",
    "Мар­афон 12 км",
    "Телефон 8 701 123 45 67",
    "Версия 2.10",
    "В 1986 году 16 декабря 1986 года",
    "Форум 31 февраля",
    "Форум 20 декабря 2024 года",
])
def test_no_date(text):
    assert find_date_in_text(text, REF) is None


def test_only_the_head_is_searched():
    text = "А" * 700 + " 14 октября 2021 года"
    assert find_date_in_text(text, REF) is None
    assert find_date_in_text(text, REF, head_chars=800) == date(2021, 10, 14)


@settings(max_examples=500)
@given(st.text(), st.datetimes())
def test_never_raises_on_arbitrary_text(text, reference):
    found = find_date_in_text(text, reference)
    assert found is None or isinstance(found, date)
    parsed = parse_date(text, reference)
    assert parsed is None or isinstance(parsed, date)


@settings(max_examples=500)
@given(st.from_regex(r"\d{1,4}[ .\-/]\d{1,2}[ .\-/]\d{1,4}( (октября|қазан|мая|жылғы))?",
                     fullmatch=True), st.datetimes(max_value=datetime(9998, 12, 31)))
def test_never_raises_on_date_like_text(text, reference):
    for found in (find_date_in_text(text, reference), parse_date(text, reference)):
        assert found is None or found <= reference.date() + timedelta(days=1)
