"""The KATO gazetteer: the shipped data rebuild from ../shared, the hierarchy, names, lookups."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from kelisim.places import Gazetteer, Place
from tests.shared_data import shared_path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = resources.files("kelisim.places").joinpath("data")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    """The shipped gazetteer."""
    return Gazetteer.load()


def test_shipped_file_rebuilds_identically(tmp_path: Path) -> None:
    kato = shared_path("data", "kato", "kato.csv")
    script = REPO / "scripts" / "build_gazetteer.py"
    subprocess.run(
        [sys.executable, str(script), str(kato), "--out-dir", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    # The unpacked table, not the gzip bytes: another zlib build may compress differently.
    rebuilt = gzip.decompress((tmp_path / "kato.tsv.gz").read_bytes())
    assert rebuilt == gzip.decompress(SHIPPED.joinpath("kato.tsv.gz").read_bytes())
    assert (tmp_path / "SOURCE.md").read_bytes() == SHIPPED.joinpath("SOURCE.md").read_bytes()


def test_shipped_data_is_small_and_documented() -> None:
    assert len(SHIPPED.joinpath("kato.tsv.gz").read_bytes()) < 1_000_000
    source = SHIPPED.joinpath("SOURCE.md").read_text(encoding="utf-8")
    for needle in (
        "NK RK 11-2025",
        "2026-07-17",
        "MIT License",
        "official state publication",
        "6a0300f254c070dabcbb4fb65569f73b0e36879ab3feaaa35286c0d77c0c6c22",
    ):
        assert needle in source


def test_build_fails_loudly_on_a_missing_parent(tmp_path: Path) -> None:
    kato = shared_path("data", "kato", "kato.csv")
    lines = kato.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "kato.csv"
    bad.write_text(
        "".join(line for line in lines if not line.startswith("314800000,")),
        encoding="utf-8",
    )
    for extra in ("kato.source.json", "LICENSE"):
        (tmp_path / extra).write_bytes((kato.parent / extra).read_bytes())
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_gazetteer.py"),
            str(bad),
            "--out-dir",
            str(tmp_path / "out"),
        ],
        check=False,
        capture_output=True,
    )
    assert result.returncode != 0
    assert b"expected" in result.stderr or b"does not exist" in result.stderr


def test_counts(gaz: Gazetteer) -> None:
    levels = Counter(gaz.get(code).level for code in gaz._by_code)
    assert len(gaz) == 15594
    assert len(gaz.regions()) == 20
    assert levels == {
        "region": 20,
        "district": 209,
        "rural_district": 2379,
        "settlement": 12986,
    }


def test_kordai_district_is_in_zhambyl(gaz: Gazetteer) -> None:
    kordai = gaz.get("314800000")
    assert kordai == Place(
        "314800000",
        "district",
        "Кордайский",
        "Қордай",
        "район",
        "314800000",
        "310000000",
    )
    assert gaz.region_of("314800000").name_ru == "Жамбылская"
    assert gaz.district_of("314830100") == kordai  # с.Кордай
    assert [p.code for p in gaz.by_name("Кордайский") if p.level == "district"] == [
        "314800000"
    ]


@pytest.mark.parametrize(
    ("city", "name"), [("71", "Астана"), ("75", "Алматы"), ("79", "Шымкент")]
)
def test_city_districts_sit_under_their_city(
    gaz: Gazetteer, city: str, name: str
) -> None:
    city_code = city + "0000000"
    assert gaz.get(city_code).name_ru == name
    districts = [
        gaz.get(c) for c in gaz._by_code if c.startswith(city) and c != city_code
    ]
    assert len(districts) >= 5
    for place in districts:
        assert place.district_code == city_code
        assert gaz.district_of(place.code).name_ru == name
        assert place.kind_ru == "район"


def test_every_unit_has_existing_region_and_district(gaz: Gazetteer) -> None:
    for code in list(gaz._by_code):
        place = gaz.get(code)
        assert gaz.region_of(code).level == "region"
        assert place.region_code == code[:2] + "0000000"
        assert place.name_ru and place.name_kk
        if place.level == "region":
            assert gaz.district_of(code) is None
        else:
            assert gaz.district_of(code).level in ("district", "region")


def test_region_names_and_word_order(gaz: Gazetteer) -> None:
    abai = gaz.get("100000000")
    assert (abai.name_ru, abai.name_kk, abai.kind_ru) == ("Абай", "Абай", "область")
    zhetisu = gaz.get("330000000")
    assert (zhetisu.name_ru, zhetisu.kind_ru) == ("Жетісу", "область")
    assert gaz.get("110000000").name_ru == "Акмолинская"
    assert [p.name_kk for p in gaz.regions()][-3:] == ["Астана", "Алматы", "Шымкент"]


@pytest.mark.parametrize(
    ("code", "name_ru", "kind_ru", "name_kk"),
    [
        ("101010000", "Семей", "город", "Семей"),  # г.Семей / Семей қ.
        (
            "101000000",
            "Семей",
            "городская администрация",
            "Семей",
        ),  # Семей Г.А. / Семей Қ.Ә.
        ("314830100", "Кордай", "село", "Қордай"),  # с.Кордай / Қордай а.
        (
            "314830000",
            "Кордайский",
            "сельский округ",
            "Қордай",
        ),  # Кордайский с.о. / Қордай а.о.
        (
            "356451100",
            "С.Сейфуллин",
            "посёлок",
            "С.Сейфуллин",
        ),  # п.С.Сейфуллин / С.Сейфуллин к.
        ("395431100", "Заречное", "село", "Заречный"),  # Заречное с. / Заречный а.
        ("103445202", "Акоба", "село", "Ақоба"),  # Kazakh "Ақоба а. а."
        ("711110000", "Алматы", "район", "Алматы"),  # район Алматы / Алматы ауданы
    ],
)
def test_name_cleaning(
    gaz: Gazetteer, code: str, name_ru: str, kind_ru: str, name_kk: str
) -> None:
    place = gaz.get(code)
    assert (place.name_ru, place.kind_ru, place.name_kk) == (name_ru, kind_ru, name_kk)


def test_by_name_returns_all_namesakes(gaz: Gazetteer) -> None:
    birlik = gaz.by_name("бирлик")
    assert len(birlik) >= 20
    assert len({p.region_code for p in birlik}) > 3
    assert gaz.by_name("БИРЛИК") == birlik
    assert len(gaz.by_name("Бірлік", lang="kk")) >= 20
    berezovsky = gaz.by_name("Березовский")  # "Березовский с.о." and "Берёзовский с.о."
    assert [p.code for p in berezovsky] == ["595037000", "634047000"]
    assert gaz.by_name("БЕРЁЗОВСКИЙ") == berezovsky
    assert len(gaz.by_name("Берёзовка")) == 8
    assert gaz.by_name("нет такого места") == []
    with pytest.raises(ValueError):
        gaz.by_name("Абай", lang="en")


def test_lookups_of_unknown_codes(gaz: Gazetteer) -> None:
    assert gaz.get("000000000") is None
    with pytest.raises(KeyError):
        gaz.region_of("000000000")


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()
