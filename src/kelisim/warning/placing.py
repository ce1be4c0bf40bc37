"""The first step of the warning stage: every read document gets its day and unit, and every
relevant one joins a story (or starts one), in publication order, a chunk per transaction, so
an interrupted run resumes where it stopped."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kelisim.store.schema import now
from kelisim.store.views import StoryMember, ToPlace
from kelisim.warning import stories
from kelisim.warning.severity import severity
from kelisim.warning.units import local_day, units_of

CHUNK = 200
TITLE_CHARS = 80


@dataclass
class PlaceReport:
    """What placing and clustering did."""

    placed: int = 0
    clustered: int = 0
    stories_started: int = 0
    touched: set[int] = field(default_factory=set)


def place_documents(store, as_of: datetime,
                    progress: Callable[[PlaceReport], None] | None = None) -> PlaceReport:
    """Place and cluster every read document dated up to ``as_of`` not done yet."""
    report = PlaceReport()
    while batch := store.warning.to_place(as_of, CHUNK):
        _place_chunk(store, batch, report)
        if progress:
            progress(report)
    return report


def _place_chunk(store, batch: list[ToPlace], report: PlaceReport) -> None:
    since = batch[0].at - timedelta(days=stories.WINDOW_DAYS + 1)
    open_stories = stories.OpenStories((sid, stories.Centroid.from_json(c))
                                       for sid, c in store.warning.open_stories(since))
    temp_ids = itertools.count(-1, -1)
    placements, members, created = [], [], {}
    touched: set[int] = set()
    found = store.get_readings([doc.id for doc in batch])
    for doc in batch:
        reading = found.get(doc.id) or {}
        placements.append(_placement(doc, reading))
        if doc.story_id is not None or not (reading.get("relevance") or {}).get("relevant"):
            continue
        story_doc = stories.story_doc(doc.id, doc.at, doc.title, reading)
        story_id, score = open_stories.assign(story_doc)
        if story_id is None:
            story_id, score = next(temp_ids), 1.0
            open_stories.put(story_id, stories.Centroid.of(story_doc))
            created[story_id] = _new_story(doc, reading)
        else:
            open_stories.add(story_id, story_doc)
        touched.add(story_id)
        members.append({"document_id": doc.id, "story_id": story_id, "similarity": round(score, 4),
                        "at": doc.at, "added_at": now()})
    updated = {sid: {"centroid": open_stories.centroids[sid].to_json(),
                     "last_at": open_stories.centroids[sid].last_at} for sid in touched}
    ids = store.warning.save_chunk(placements, list(created.items()), updated, members)
    report.placed += len(placements)
    report.clustered += len(members)
    report.stories_started += len(created)
    report.touched |= {ids.get(sid, sid) for sid in touched}


def _placement(doc: ToPlace, reading: Mapping[str, Any]) -> dict[str, Any]:
    units = {unit.level: unit.kato for unit in units_of(reading)}
    return {"document_id": doc.id, "day": local_day(doc.at), "region_kato": units.get("region"),
            "district_kato": units.get("district"), "read_at": doc.read_at}


def _new_story(doc: ToPlace, reading: Mapping[str, Any]) -> dict[str, Any]:
    return {"title": doc.title or opening(reading.get("text") or ""), "first_at": doc.at, "last_at": doc.at, "documents": 0,
            "reprints": 0, "outlets": 0, "event_type": None, "region_kato": None,
            "district_kato": None, "groups": [], "relevant": True, "hostile": 0, "last_24h": 0,
            "breaking": False, "centroid": {}, "updated_at": now()}


def opening(text: str, limit: int = TITLE_CHARS) -> str | None:
    """The first words of a text, for a story of untitled posts."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words or None
    return words[:limit].rsplit(" ", 1)[0] + "…"


def story_fields(members: list[StoryMember], centroid: Mapping[str, Any] | None,
                 as_of: datetime, title: str | None = None) -> dict[str, Any]:
    """What a story says of itself, from its documents: size, reach, type, place, groups,
    growth; ``title`` stands when no document has one."""
    outlets = {m.source_id for m in members if m.source_id is not None}
    outlets |= {s for m in members for s in m.reprint_sources}
    times = [m.at for m in members]
    grown = stories.growth(times + [at for m in members for at in m.reprint_times], as_of)
    return {
        "title": next((m.title for m in members if m.title), title),
        "first_at": min(times), "last_at": max(times), "documents": len(members),
        "reprints": sum(m.reprints for m in members), "outlets": len(outlets),
        "event_type": story_type(members),
        "region_kato": _most_common(m.region_kato for m in members),
        "district_kato": _most_common(m.district_kato for m in members),
        "groups": _groups(centroid), "relevant": any(m.relevant for m in members),
        "hostile": sum(1 for m in members if m.hostile), "last_24h": grown.last_24h,
        "breaking": grown.breaking, "updated_at": now(),
    }


def story_type(members: Iterable[StoryMember]) -> str | None:
    """The event a story reports: its documents' most frequent type (not «other»), the more
    severe on a tie."""
    counts = Counter(m.event_type for m in members
                     if m.relevant and m.event_type and m.event_type != "other")
    if not counts:
        return "other" if any(m.relevant for m in members) else None
    return max(counts, key=lambda kind: (counts[kind], severity(kind), kind))


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: (counts[v], v)) if counts else None


def _groups(centroid: Mapping[str, Any] | None) -> list[str]:
    terms = (centroid or {}).get("terms") or {}
    groups = [(weight, key[2:]) for key, weight in terms.items() if key.startswith("g:")]
    return [group for _weight, group in sorted(groups, reverse=True)]
