"""The shipped region shapes: 20 features, one per KATO region, each holding its own cities."""

from __future__ import annotations

from importlib import resources

import pytest

from kelisim.places.shapes import neighbours, region_at, region_feature, regions_geojson
from kelisim.warning.units import regions

# (lon, lat) of a city of each region, from public maps; Aktau's coast is too fine for the
# simplified shape, so Mangystau is checked at Zhanaozen.
CITIES = {
    "100000000": ("Семей", 80.23, 50.41),
    "110000000": ("Кокшетау", 69.39, 53.28),
    "150000000": ("Актобе", 57.17, 50.28),
    "190000000": ("Конаев", 77.07, 43.87),
    "230000000": ("Атырау", 51.92, 47.11),
    "270000000": ("Уральск", 51.37, 51.23),
    "310000000": ("Тараз", 71.37, 42.90),
    "330000000": ("Талдыкорган", 78.37, 45.02),
    "350000000": ("Караганда", 73.10, 49.81),
    "390000000": ("Костанай", 63.62, 53.21),
    "430000000": ("Кызылорда", 65.51, 44.85),
    "470000000": ("Жанаозен", 52.80, 43.34),
    "550000000": ("Павлодар", 76.95, 52.29),
    "590000000": ("Петропавловск", 69.15, 54.87),
    "610000000": ("Туркестан", 68.25, 43.30),
    "620000000": ("Жезказган", 67.71, 47.80),
    "630000000": ("Усть-Каменогорск", 82.61, 49.95),
    "710000000": ("Астана", 71.45, 51.16),
    "750000000": ("Алматы", 76.93, 43.25),
    "790000000": ("Шымкент", 69.60, 42.32),
}


def test_twenty_features_whose_codes_are_the_gazetteers_regions():
    features = regions_geojson()["features"]
    codes = [f["properties"]["kato"] for f in features]
    assert len(features) == 20 and len(set(codes)) == 20
    assert set(codes) == {unit.kato for unit in regions()} == set(CITIES)


def test_names_in_three_languages():
    zhambyl = region_feature("310000000")["properties"]
    assert (zhambyl["name_ru"], zhambyl["name_kk"], zhambyl["name_en"]) == \
        ("Жамбылская область", "Жамбыл облысы", "Jambyl Region")
    assert region_feature("620000000")["properties"]["name_kk"] == "Ұлытау облысы"


@pytest.mark.parametrize("kato", sorted(CITIES))
def test_each_region_holds_its_city_and_no_other_region_does(kato):
    name, lon, lat = CITIES[kato]
    assert region_at(lon, lat) == kato, name


def test_cities_of_republican_status_are_holes_in_the_region_around_them():
    # Almaty city lies inside Almaty region's outline: the region must not claim it.
    assert region_at(76.93, 43.25) == "750000000"
    assert region_at(71.45, 51.16) == "710000000"
    assert region_at(60.0, 60.0) is None  # Russia


def test_neighbours_are_symmetric_and_real():
    for feature in regions_geojson()["features"]:
        kato = feature["properties"]["kato"]
        for other in neighbours(kato):
            assert kato in neighbours(other)
    assert set(neighbours("310000000")) == {"190000000", "350000000", "610000000", "620000000"}
    assert neighbours("750000000") == ("190000000",)
    assert "630000000" not in neighbours("310000000")


def test_the_file_is_small_and_coordinates_are_rounded():
    blob = resources.files("kelisim.places").joinpath("data", "regions.geojson").read_bytes()
    assert 60_000 < len(blob) < 250_000
    ring = region_feature("550000000")["geometry"]["coordinates"][0]
    assert all(len(repr(value).split(".")[-1]) <= 3 for point in ring for value in point)


def test_callers_get_a_copy():
    first = regions_geojson()
    first["features"].clear()
    assert len(regions_geojson()["features"]) == 20
