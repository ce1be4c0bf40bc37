"""The calendar the baselines know: holidays, elections and anniversaries on known dates."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from kelisim.datafiles import package_rows
from kelisim.warning.calendar import (
    ELECTION_COLUMNS,
    HOLIDAY_IDS,
    calendar_day,
    holiday_id,
    in_unit,
    label,
)

ZHAMBYL, KORDAI, ALMATY = "310000000", "314800000", "750000000"


@pytest.mark.parametrize("day", [date(2024, 3, 21), date(2024, 3, 22), date(2024, 3, 23)])
def test_nauryz_2024(day):
    assert "nauryz" in calendar_day(day).holidays
    assert "holiday:nauryz" in calendar_day(day).kinds()


def test_a_day_off_in_lieu_is_not_the_holiday_itself():
    # 23 March 2024 was a Saturday: Monday the 25th was given off for it.
    assert calendar_day(date(2024, 3, 25)).holidays == ("day_off",)
    assert calendar_day(date(2024, 3, 25)).day_off


def test_kurban_ait_and_independence_day():
    assert calendar_day(date(2024, 6, 16)).holidays == ("kurban_ait",)
    for year in (2022, 2024, 2025):
        assert "independence_day" in calendar_day(date(year, 12, 16)).holidays
    assert calendar_day(date(2024, 5, 1)).kinds() == ("holiday:unity_day",)


def test_an_ordinary_working_day_has_no_kinds():
    day = calendar_day(date(2024, 9, 11))
    assert (day.weekday, day.kinds(), day.day_off) == (2, (), False)


def test_weekend():
    assert calendar_day(date(2024, 9, 14)).kinds() == ("weekend",)


def test_election_days():
    assert calendar_day(date(2022, 11, 20)).elections == ("presidential",)
    assert calendar_day(date(2022, 11, 20)).kinds() == ("election:presidential", "weekend")
    assert calendar_day(date(2021, 1, 10)).elections == ("maslikhat", "parliamentary")
    assert calendar_day(date(2024, 10, 6)).elections == ("referendum",)
    assert calendar_day(date(2024, 10, 7)).elections == ()


def test_kordai_anniversary_is_in_zhambyl_and_kordai_not_in_almaty():
    day = calendar_day(date(2024, 2, 7))
    assert day.anniversaries == (("kordai-2020", KORDAI),)
    assert "anniversary:kordai-2020" in day.kinds(ZHAMBYL)
    assert "anniversary:kordai-2020" in day.kinds(KORDAI)
    assert "anniversary:kordai-2020" in day.kinds()
    assert day.kinds(ALMATY) == ()
    assert day.kinds("311000000") == ()  # Taraz, another district of the Zhambyl region


def test_the_anniversary_covers_the_next_day_but_not_the_year_of_the_incident():
    assert calendar_day(date(2023, 2, 8)).kinds(KORDAI) == ("anniversary:kordai-2020",)
    assert calendar_day(date(2023, 2, 9)).kinds(KORDAI) == ()
    assert calendar_day(date(2020, 2, 7)).anniversaries == ()


def test_in_unit():
    assert in_unit("314851100", ZHAMBYL) and in_unit("314851100", KORDAI)
    assert not in_unit("314851100", "311000000") and not in_unit("314851100", ALMATY)
    assert in_unit(None, ALMATY) and in_unit(KORDAI, None)


def test_labels():
    assert label("holiday:nauryz") == "Наурыз"
    assert label("holiday:kurban_ait") == "Курбан айт"
    assert label("election:presidential") == "выборы Президента"
    assert label("anniversary:kordai-2020") == "годовщина событий в Кордайском районе"
    assert label("weekend") == "выходной"
    assert label("holiday:nauryz", "en") == "Nauryz"
    with pytest.raises(ValueError, match="ru, en"):
        label("weekend", "de")


def test_every_holiday_of_the_package_has_a_stable_id_and_a_label():
    names = set()
    for year in range(2019, 2028):
        for joined in holidays.country_holidays("KZ", years=year, language="en_US").values():
            names.update(joined.split("; "))
    ids = {holiday_id(name) for name in names}
    assert ids <= set(HOLIDAY_IDS.values()) | {"day_off"}
    assert all(label(f"holiday:{i}") != f"holiday {i.replace('_', ' ')}" for i in ids)


def test_elections_file_rows_are_dated_sourced_and_labelled():
    rows = package_rows("kelisim.warning", "data/elections.tsv", ELECTION_COLUMNS)
    assert len(rows) >= 8
    for row in rows:
        day = date.fromisoformat(row["date"])
        assert day.year >= 2019 and row["name_ru"] and "CEC" in row["source"]
        assert label(f"election:{row['kind']}") != f"election {row['kind']}"
        assert row["kind"] in calendar_day(day).elections


def test_kinds_are_sorted_and_days_cached():
    start = date(2024, 1, 1)
    for offset in range(366):
        day = calendar_day(start + timedelta(days=offset))
        assert list(day.kinds()) == sorted(set(day.kinds()))
    assert calendar_day(start) is calendar_day(date(2024, 1, 1))
