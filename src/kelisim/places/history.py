"""What KATO lacks: old and alternative names, the 1997, 2018 and 2022 border changes, places abroad.

The facts are hand-curated in ``data/aliases.tsv``, ``data/changes.tsv`` and ``data/foreign.tsv``
(sources in ``data/SOURCE.md``). ``History.then(ref, day)`` says what one of today's units was on
a past date: its name then (Нур-Султан in 2020) and the region it belonged to (a 2020 Талдыкорган
was in the Almaty region, a 2017 Шымкент in the South Kazakhstan region).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from kelisim.datafiles import package_rows
from kelisim.places.gazetteer import Gazetteer, Place
from kelisim.reading.model import PlaceRef

ALIAS_COLUMNS = ("kato", "name", "lang", "how", "bare", "valid_from", "valid_to", "note")
CHANGE_COLUMNS = ("code", "valid_from", "valid_to", "kato", "name", "level", "region_kato", "region", "note")
FOREIGN_COLUMNS = ("canonical", "level", "country", "name", "lang", "needs")
ALIAS_HOWS = frozenset({"old", "alt", "short"})
STOP_HOWS = frozenset({"never", "common"})
_ADJECTIVE_ENDINGS = ("ский", "цкий", "ская", "цкая")


@dataclass(frozen=True, slots=True)
class Alias:
    """A name KATO lacks for one of today's units, with the dates it was official (if known)."""

    kato: str
    name: str
    lang: str
    how: str  # old | alt | short
    bare: bool  # counts without a kind word («Нур-Султан»), or only with one («Семипалатинская область»)
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        """True when the name was in official use on ``day`` (an open end is unbounded)."""
        return _covers(self.valid_from, self.valid_to, day)


@dataclass(frozen=True, slots=True)
class Change:
    """What a unit (``code``, or every unit of a region for ``NN*``) was during a period."""

    code: str
    valid_from: date | None
    valid_to: date | None
    kato: str | None
    name: str
    level: str
    region_kato: str | None
    region: str

    def covers(self, day: date) -> bool:
        """True when ``day`` falls in the period (start included, end excluded)."""
        return _covers(self.valid_from, self.valid_to, day)


@dataclass(frozen=True, slots=True)
class ForeignName:
    """One name of a country or a region abroad."""

    canonical: str
    level: str  # country | foreign_region
    country: str
    name: str
    lang: str
    needs: str  # '' when the name counts alone, else the kind word it needs (область, край)


def _covers(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of one shipped TSV, its header checked."""
    return package_rows("kelisim.places", f"data/{name}", columns)


@lru_cache(maxsize=1)
def load_aliases() -> tuple[Alias, ...]:
    """The shipped old, alternative and short names (data/aliases.tsv rows with a KATO code)."""
    aliases = []
    for row in _rows("aliases.tsv", ALIAS_COLUMNS):
        if row["how"] in STOP_HOWS and not row["kato"]:
            continue
        if row["how"] not in ALIAS_HOWS or row["bare"] not in ("yes", "no") or len(row["kato"]) != 9:
            raise ValueError(f"aliases.tsv: bad kato/how/bare in {row}")
        aliases.append(Alias(row["kato"], row["name"], row["lang"], row["how"], row["bare"] == "yes",
                             _date(row["valid_from"]), _date(row["valid_to"])))
    return tuple(aliases)


@lru_cache(maxsize=1)
def load_stopwords() -> dict[str, str]:
    """Words that look like names but seldom are, alone (data/aliases.tsv rows without a code):
    'never' (a person or a river: only with a kind word) or 'common' (a Kazakh word that is also
    a village name: never a village or town alone)."""
    return {row["name"]: row["how"] for row in _rows("aliases.tsv", ALIAS_COLUMNS)
            if row["how"] in STOP_HOWS and not row["kato"]}


@lru_cache(maxsize=1)
def load_changes() -> tuple[Change, ...]:
    """The shipped border and status changes (data/changes.tsv)."""
    return tuple(Change(row["code"], _date(row["valid_from"]), _date(row["valid_to"]), row["kato"] or None,
                        row["name"], row["level"], row["region_kato"] or None, row["region"])
                 for row in _rows("changes.tsv", CHANGE_COLUMNS))


@lru_cache(maxsize=1)
def load_foreign() -> tuple[ForeignName, ...]:
    """The shipped names of countries and regions abroad (data/foreign.tsv)."""
    return tuple(ForeignName(**row) for row in _rows("foreign.tsv", FOREIGN_COLUMNS))


def unit_name(place: Place, name: str | None = None) -> str:
    """The Russian name of a unit with its kind word: «Жамбылская область», «Кордайский район»,
    «область Абай», «Тараз» (a city administration is named as its city)."""
    name = name or place.name_ru
    kind = place.kind_ru
    if kind == "область":
        return f"{name} область" if name.endswith(_ADJECTIVE_ENDINGS) else f"область {name}"
    if kind == "район":
        return f"{name} район" if name.endswith(_ADJECTIVE_ENDINGS) else f"район {name}"
    if place.level == "settlement" or kind in ("город", "городская администрация", ""):
        return name
    return f"{name} {kind}"


def place_ref(place: Place, gazetteer: Gazetteer | None = None) -> PlaceRef:
    """Today's reference for a KATO unit, its district and region filled from the gazetteer."""
    gazetteer = gazetteer or Gazetteer.load()
    region = gazetteer.region_of(place.code)
    district = gazetteer.district_of(place.code)
    return PlaceRef(
        kato=place.code, name=unit_name(place), level=place.level,
        district_kato=district.code if district else None,
        district=unit_name(district) if district else None,
        region_kato=region.code, region=unit_name(region))


class History:
    """Names and borders of today's units on past dates; build it with ``History.load()``."""

    def __init__(self, gazetteer: Gazetteer, aliases: tuple[Alias, ...], changes: tuple[Change, ...]) -> None:
        """Index the dated old Russian names by unit and the changes by unit and region prefix."""
        self._gazetteer = gazetteer
        self._names: dict[str, list[Alias]] = defaultdict(list)
        for alias in aliases:
            if alias.how == "old" and alias.lang == "ru" and alias.valid_to:
                self._names[alias.kato].append(alias)
        self._changes: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            self._changes[change.code].append(change)

    @classmethod
    def load(cls) -> History:
        """The history built from the shipped data, once per process."""
        return _load_history()

    def name_on(self, place: Place, day: date) -> str:
        """The Russian name (with its kind word) the unit bore on ``day``."""
        old = next((a for a in self._names.get(place.code, ()) if a.valid_on(day)), None)
        return unit_name(place, old.name if old else None)

    def then(self, ref: PlaceRef, day: date | None) -> PlaceRef | None:
        """What today's unit ``ref`` was on ``day``, or None when nothing has changed since."""
        place = self._gazetteer.get(ref.kato) if ref.kato and day else None
        if place is None:
            return None
        exact = self._change(place.code, day)
        past = self._as_change(exact) if exact else self._renamed(ref, place, day)
        return None if past == ref else past

    def _change(self, key: str, day: date) -> Change | None:
        return next((c for c in self._changes.get(key, ()) if c.covers(day)), None)

    @staticmethod
    def _as_change(change: Change) -> PlaceRef:
        """A unit that was something else (a region before it was carved out, a city before 2018)."""
        is_district = change.level == "district"
        return PlaceRef(
            kato=change.kato, name=change.name, level=change.level,
            district_kato=change.kato if is_district else None,
            district=change.name if is_district else None,
            region_kato=change.region_kato, region=change.region)

    def _renamed(self, ref: PlaceRef, place: Place, day: date) -> PlaceRef:
        """``ref`` with the names of its day and the region it then belonged to."""
        moved = self._change(place.code[:2] + "*", day)
        region = self._gazetteer.region_of(place.code)
        district = self._gazetteer.district_of(place.code)
        return replace(
            ref,
            name=self.name_on(place, day),
            district=self.name_on(district, day) if district else None,
            region_kato=moved.region_kato if moved else ref.region_kato,
            region=moved.region if moved else self.name_on(region, day))


@lru_cache(maxsize=1)
def _load_history() -> History:
    return History(Gazetteer.load(), load_aliases(), load_changes())
