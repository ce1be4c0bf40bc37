"""The incident registry, on the ACLED model: stories that report a conflict-type event are
flagged as incidents by the machine, coded with a type and sub-type, the groups involved, the
place with a precision code, the date with a precision code, the casualties the texts report,
and their sources; an analyst verifies, edits and closes them (``Store.warning``).

Precision codes follow ACLED's: a place is 1 (a settlement or city named), 2 (a district), 3 (a
region); a date is 1 (the day is known), 2 (within a week: the text gives no date, the reports'
date stands for it), 3 (within a month: the text gives the month only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from kelisim.reading.document import TextView
from kelisim.store.views import StoryMember, StoryView
from kelisim.understanding.casualties import find_casualties
from kelisim.warning.subtypes import subtype
from kelisim.warning.units import local_day

# Conflict-type stories that are always incidents; hate speech becomes one when it spread.
INCIDENT_TYPES = ("violent_clash", "threat_incitement", "protest_rally", "discrimination_complaint",
                  "law_enforcement", "language_dispute", "disinformation_provocation")
SPREAD_TYPES = ("hate_speech",)
READ_AT_MOST = 20  # documents of a story read to code its incident
GEO_PRECISION = {"settlement": 1, "rural_district": 1, "city": 1, "district": 2, "region": 3}
TIME_PRECISION = {"day": 1, "month": 3}


def is_incident(story: StoryView) -> bool:
    """Whether a story is flagged as an incident."""
    if story.event_type in INCIDENT_TYPES:
        return True
    spread = story.documents >= 2 or story.outlets >= 2 or story.reprints >= 1
    return story.event_type in SPREAD_TYPES and spread


def update_incidents(store, stories: Mapping[int, Sequence[StoryMember]]) -> tuple[int, int]:
    """Flag the stories (id -> their documents) that became incidents and refresh those
    already flagged; returns (flagged, refreshed)."""
    flagged = refreshed = 0
    for story_id, members in stories.items():
        story = store.warning.story(story_id)
        if story is None or not is_incident(story):
            continue
        fields = code(story, members, _readings(store, members))
        existing = store.warning.incident_of_story(story_id)
        if existing is None:
            store.warning.flag_incident(fields)
            flagged += 1
        elif store.warning.refresh_incident(existing, fields):
            refreshed += 1
    return flagged, refreshed


def _readings(store, members: Sequence[StoryMember]) -> list[dict[str, Any]]:
    chosen = [m for m in members if m.relevant][:READ_AT_MOST]
    return [r for r in (store.get_reading(m.document_id) for m in chosen) if r]


def code(story: StoryView, members: Sequence[StoryMember],
         readings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An incident's fields from its story, the story's documents and their readings."""
    kind = story.event_type or "other"
    typed = [r for r in readings if (r.get("event") or {}).get("type") == kind] or list(readings)
    place = _place(story, readings)
    day, time_precision = _date(story, readings)
    return {"story_id": story.id, "type": kind,
            "subtype": next((s for s in (subtype(kind, r) for r in typed) if s), None),
            "groups": list(story.groups), **place, "date": day, "time_precision": time_precision,
            **_casualties(readings),
            "evidence": _evidence(members, typed)}


def _place(story: StoryView, readings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    places = [(r.get("event") or {}).get("place") for r in readings]
    places = [p for p in places if p and p.get("kato") and (p.get("region_kato") or p.get("level") == "region")]
    if places:
        counts = Counter(p["kato"] for p in places)
        best = next(p for p in places if p["kato"] == max(counts, key=lambda k: (counts[k], k)))
        level = best.get("level") or "region"
        region = best.get("region_kato") or best["kato"]
        settlement = best["kato"] if GEO_PRECISION.get(level) == 1 else None
        return {"region_kato": region, "district_kato": best.get("district_kato"),
                "settlement_kato": settlement, "geo_precision": GEO_PRECISION.get(level, 3)}
    return {"region_kato": story.region_kato, "district_kato": story.district_kato,
            "settlement_kato": None, "geo_precision": 2 if story.district_kato else 3}


def _date(story: StoryView, readings: Sequence[Mapping[str, Any]]) -> tuple[date, int]:
    dates = [(r.get("event") or {}).get("date") for r in readings]
    days = sorted(d["value"] for d in dates if d and d.get("precision") == "day")
    if days:
        return date.fromisoformat(days[0]), 1
    months = sorted(d["value"] for d in dates if d and d.get("precision") == "month")
    if months:
        return date.fromisoformat(months[0] + "-01"), 3
    return local_day(story.first_at), 2


def _casualties(readings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The largest count of each kind any report states (reports update upward)."""
    found: dict[str, int | None] = {"killed": None, "injured": None, "detained": None}
    for reading in readings:
        stated = find_casualties(TextView.of(reading["text"], reading.get("language") or "ru", None))
        for kind in found:
            value = getattr(stated, kind)
            if value is not None and (found[kind] is None or value > found[kind]):
                found[kind] = value
    return found


def _evidence(members: Sequence[StoryMember], typed: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    spans = [{"document_id": int(r["id"]), "start": e["start"], "end": e["end"], "text": e["text"],
              "kind": e.get("kind")}
             for r in typed[:5] for e in ((r.get("event") or {}).get("evidence") or [])[:3]
             if e.get("weight")]
    sources = sorted({m.source for m in members if m.source})
    return {"documents": [m.document_id for m in members], "sources": sources, "spans": spans}
