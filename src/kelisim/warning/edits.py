"""An analyst's edit of an incident, checked before it is stored."""

from __future__ import annotations

from datetime import date
from typing import Any

from kelisim.places.gazetteer import Gazetteer
from kelisim.understanding.taxonomy import event_type
from kelisim.warning.incidents import GEO_PRECISION


def incident_changes(*, type_: str | None = None, place: str | None = None,
                     day: date | None = None, killed: int | None = None,
                     injured: int | None = None, detained: int | None = None) -> dict[str, Any]:
    """The incident fields an edit sets (a place sets region, district, settlement and the
    precision; a date sets precision 1); ValueError names a bad type or place."""
    changes: dict[str, Any] = {}
    if type_ is not None:
        event_type(type_)  # KeyError names the known types
        changes["type"] = type_
    if place is not None:
        changes.update(_place(place))
    if day is not None:
        changes.update(date=day, time_precision=1)
    for key, value in (("killed", killed), ("injured", injured), ("detained", detained)):
        if value is not None:
            if value < 0:
                raise ValueError(f"{key} cannot be negative")
            changes[key] = value
    return changes


def _place(code: str) -> dict[str, Any]:
    gazetteer = Gazetteer.load()
    unit = gazetteer.get(code)
    if unit is None:
        raise ValueError(f"unknown KATO code {code!r}")
    district = gazetteer.district_of(code)
    level = "city" if unit.level == "settlement" else unit.level
    return {"region_kato": unit.region_code or unit.code,
            "district_kato": district.code if district and unit.level != "region" else None,
            "settlement_kato": code if GEO_PRECISION.get(level) == 1 else None,
            "geo_precision": GEO_PRECISION.get(unit.level, 3)}
