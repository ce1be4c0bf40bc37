"""The Kazakhstan gazetteer: KATO units with clean Russian and Kazakh names.

The data ship as ``kelisim/places/data/kato.tsv.gz``, built by ``scripts/build_gazetteer.py``
(provenance and licence in ``data/SOURCE.md``).
"""

from __future__ import annotations

import gzip
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_FILE = "kato.tsv.gz"
LEVELS = ("region", "district", "rural_district", "settlement")


@dataclass(frozen=True, slots=True)
class Place:
    """One KATO unit: a region, district, rural district or settlement."""

    code: str
    level: str
    name_ru: str
    name_kk: str
    kind_ru: str
    district_code: str
    region_code: str


def normalize_name(name: str) -> str:
    """The lookup key of a name: case-folded, ё→е, whitespace collapsed."""
    return " ".join(name.casefold().replace("ё", "е").split())


def _read_rows() -> list[dict[str, str]]:
    """The rows of the shipped TSV as dicts keyed by its header."""
    blob = resources.files("kelisim.places").joinpath("data", DATA_FILE).read_bytes()
    with gzip.open(io.BytesIO(blob), "rt", encoding="utf-8") as text:
        header, *lines = text.read().splitlines()
    columns = header.split("\t")
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines]


class Gazetteer:
    """KATO units by code and by clean name; build it with ``Gazetteer.load()``."""

    def __init__(self, places: list[Place]) -> None:
        """Index the places by code and by normalised Russian and Kazakh name."""
        self._by_code = {place.code: place for place in places}
        self._by_name: dict[str, dict[str, list[Place]]] = {
            "ru": defaultdict(list),
            "kk": defaultdict(list),
        }
        for place in places:
            self._by_name["ru"][normalize_name(place.name_ru)].append(place)
            self._by_name["kk"][normalize_name(place.name_kk)].append(place)

    @classmethod
    def load(cls) -> Gazetteer:
        """The shipped gazetteer, read once per process."""
        return _load_shipped()

    def __len__(self) -> int:
        """The number of units."""
        return len(self._by_code)

    def __iter__(self):
        """Every unit, in code order."""
        return iter(self._by_code.values())

    def get(self, code: str) -> Place | None:
        """The unit with this 9-digit KATO code, or None."""
        return self._by_code.get(code)

    def region_of(self, code: str) -> Place:
        """The top-level unit (region or republic-level city) containing ``code``."""
        return self._by_code[self._require(code).region_code]

    def district_of(self, code: str) -> Place | None:
        """The district (or, for city districts, the city) of ``code``; None for a region."""
        district = self._require(code).district_code
        return self._by_code[district] if district else None

    def regions(self) -> list[Place]:
        """The 20 top-level units in code order."""
        return [place for place in self._by_code.values() if place.level == "region"]

    def by_name(self, name: str, lang: str = "ru") -> list[Place]:
        """Units whose clean name equals ``name`` (case-insensitive, ё=е), in code order."""
        if lang not in self._by_name:
            raise ValueError(f"lang must be 'ru' or 'kk', not {lang!r}")
        return list(self._by_name[lang].get(normalize_name(name), ()))

    def _require(self, code: str) -> Place:
        """The unit with this code; KeyError when there is none."""
        place = self._by_code.get(code)
        if place is None:
            raise KeyError(f"unknown KATO code {code!r}")
        return place


@lru_cache(maxsize=1)
def _load_shipped() -> Gazetteer:
    """Read the shipped TSV into a Gazetteer (cached)."""
    places = [
        Place(
            code=row["code"],
            level=row["level"],
            name_ru=row["name_ru"],
            name_kk=row["name_kk"],
            kind_ru=row["kind_ru"],
            district_code=row["district_code"],
            region_code=row["region_code"],
        )
        for row in _read_rows()
    ]
    return Gazetteer(places)
