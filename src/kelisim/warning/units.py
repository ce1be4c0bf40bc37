"""Where and when a document counts for the warning stage: one region (and its district when
the text says), on one day of Kazakhstan's calendar.

A document counts in the region where its event happens; a text that reports no placed event
counts in the region it names most (the first named on a tie). It counts nowhere when it names
no place in Kazakhstan. Counting a text once keeps a national round-up that lists five regions
from raising the volume, and so lowering the index, of all five.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from kelisim.places.gazetteer import Gazetteer
from kelisim.places.history import unit_name as full_name

TIME_ZONE = ZoneInfo("Asia/Almaty")  # UTC+6 until 1 March 2024, UTC+5 since: zoneinfo knows


@dataclass(frozen=True)
class Unit:
    """A region or district by KATO code."""

    kato: str
    level: str  # "region" | "district"


def local_day(moment: datetime) -> date:
    """The day in Kazakhstan at this instant (a naive datetime is taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TIME_ZONE).date()


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The first instant of day ``start`` and the first instant after day ``end`` in
    Kazakhstan, in UTC."""
    first = datetime.combine(start, time(), TIME_ZONE)
    after = datetime.combine(end + timedelta(days=1), time(), TIME_ZONE)
    return first.astimezone(timezone.utc), after.astimezone(timezone.utc)


def end_of_day(day: date) -> datetime:
    """The last instant of a day in Kazakhstan, in UTC (alerts of that day fire at it)."""
    local = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=TIME_ZONE)
    return local.astimezone(timezone.utc)


def units_of(reading: Mapping[str, Any]) -> tuple[Unit, ...]:
    """The region, and the district when known, in which a reading counts; () when none."""
    place = _event_place(reading)
    if place is not None:
        return _units(place.get("region_kato") or _own_region(place), place.get("district_kato"))
    places = [p for p in reading.get("places") or () if p.get("region_kato") or _own_region(p)]
    if not places:
        return ()
    regions = Counter(p.get("region_kato") or _own_region(p) for p in places)
    region = max(regions, key=lambda kato: (regions[kato], -_first(places, kato)))
    districts = Counter(p["district_kato"] for p in places
                        if p.get("district_kato") and _region(p) == region)
    district = max(districts, key=lambda kato: districts[kato]) if districts else None
    return _units(region, district)


def _event_place(reading: Mapping[str, Any]) -> Mapping[str, Any] | None:
    event = reading.get("event") or {}
    place = event.get("place")
    return place if place and (place.get("region_kato") or _own_region(place)) else None


def _own_region(place: Mapping[str, Any]) -> str | None:
    return place.get("kato") if place.get("level") == "region" else None


def _region(place: Mapping[str, Any]) -> str | None:
    return place.get("region_kato") or _own_region(place)


def _first(places: list[Mapping[str, Any]], region: str) -> int:
    return next(p["start"] for p in places if _region(p) == region)


def _units(region: str | None, district: str | None) -> tuple[Unit, ...]:
    if not region:
        return ()
    units = [Unit(region, "region")]
    if district and district != region:
        units.append(Unit(district, "district"))
    return tuple(units)


@lru_cache(maxsize=4096)
def unit_name(kato: str, lang: str = "ru") -> str:
    """The name of a region or district («Жамбылская область», «Кордайский район»)."""
    place = Gazetteer.load().get(kato)
    if place is None:
        return kato
    return f"{place.name_kk} {_KK_KIND.get(place.kind_ru, '')}".strip() if lang == "kk" \
        else full_name(place)


_KK_KIND = {"область": "облысы", "район": "ауданы"}


def region_of(kato: str) -> str:
    """The KATO code of the region containing a unit."""
    place = Gazetteer.load().get(kato)
    return place.region_code if place is not None and place.region_code else kato


def find_unit(value: str, levels: tuple[str, ...] = ("region",)) -> str | None:
    """The KATO code of a unit of one of ``levels`` given by its code or by its Russian or
    Kazakh name, with or without its kind word («Жамбылская область», «Жамбыл облысы»,
    «Кордайский район»); None when none, or more than one, is meant."""
    gazetteer = Gazetteer.load()
    place = gazetteer.get(value)
    if place is not None:
        return place.code if place.level in levels else None
    words = value.split()
    kinds = {_KIND_WORDS.get(w.casefold()) for w in words[:1] + words[-1:]} - {None}
    levels = tuple(level for level in levels if not kinds or level in kinds)
    for lang in ("ru", "kk"):
        for name in (value, " ".join(words[:-1]), " ".join(words[1:])):
            found = {p.code for p in gazetteer.by_name(name, lang) if p.level in levels} if name else set()
            if len(found) == 1:
                return found.pop()
    return None


_KIND_WORDS = {"область": "region", "облысы": "region", "район": "district", "ауданы": "district"}
NOT_A_REGION = "is not one of the 20 regions of Kazakhstan (give its KATO code or its name)"


def regions() -> list[Unit]:
    """The 20 top-level units of Kazakhstan."""
    return [Unit(place.code, "region") for place in Gazetteer.load().regions()]
