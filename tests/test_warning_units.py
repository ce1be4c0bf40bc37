"""Where and when a document counts for the warning stage."""

from datetime import date, datetime, timezone

from kelisim.warning.units import end_of_day, local_day, unit_name, units_of, Unit


def place(start, kato, level, region, district=None):
    return {"start": start, "kato": kato, "level": level, "region_kato": region,
            "district_kato": district}


def test_the_event_place_decides():
    reading = {"event": {"place": place(5, "314800000", "district", "310000000", "314800000")},
               "places": [place(0, "750000000", "region", None), place(9, "750000000", "region", None)]}
    assert units_of(reading) == (Unit("310000000", "region"), Unit("314800000", "district"))


def test_else_the_region_named_most_then_first():
    reading = {"places": [place(0, "750000000", "region", None),
                          place(10, "314800000", "district", "310000000", "314800000"),
                          place(20, "310000000", "region", "310000000")]}
    assert units_of(reading)[0] == Unit("310000000", "region")
    assert units_of(reading)[1] == Unit("314800000", "district")
    tie = {"places": [place(0, "750000000", "region", None), place(5, "310000000", "region", None)]}
    assert units_of(tie) == (Unit("750000000", "region"),)


def test_a_text_that_names_no_place_in_kazakhstan_counts_nowhere():
    assert units_of({"places": [{"start": 0, "kato": None, "level": "country"}]}) == ()
    assert units_of({}) == ()


def test_days_are_kazakhstan_days():
    # 20:30 UTC on 13 March 2024 is already the 14th in Kazakhstan (UTC+5 since 1 March 2024).
    assert local_day(datetime(2024, 3, 13, 20, 30, tzinfo=timezone.utc)) == date(2024, 3, 14)
    assert local_day(datetime(2024, 2, 13, 18, 30, tzinfo=timezone.utc)) == date(2024, 2, 14)  # UTC+6
    assert end_of_day(date(2024, 3, 14)).hour == 18


def test_units_have_russian_and_kazakh_names():
    assert unit_name("314800000") == "Кордайский район"
    assert unit_name("310000000") == "Жамбылская область"
    assert unit_name("314800000", "kk") == "Қордай ауданы"
