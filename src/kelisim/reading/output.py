"""A reading as the JSON object ``kelisim analyze`` prints and the store keeps.

The shape is documented as a JSON Schema in ``docs/analyze.schema.json``; tests validate every
object against it.
"""

from __future__ import annotations

from collections import defaultdict

from kelisim.reading.model import EthnicMention, PlaceMention, Reading
from kelisim.understanding.model import Event, GroupAttitude

SCHEMA_VERSION = 3  # 2: tension; 3: relevance, event, hostility, attitude, evidence «kind»


def to_json(reading: Reading) -> dict:
    """The JSON object of one reading."""
    return {
        "id": reading.id,
        "schema_version": SCHEMA_VERSION,
        "language": reading.language,
        "published": reading.published.isoformat() if reading.published else None,
        "text": reading.text,
        "entities": [_fields(entity) for entity in reading.entities],
        "places": [_place(mention) for mention in reading.places],
        "ethnic_groups": _groups(reading.ethnic, reading.attitudes),
        "quotes": [_fields(quote) for quote in reading.quotes],
        "attribution": [_fields(item) for item in reading.attribution],
        "relevance": _decision(reading.relevance),
        "event": _event(reading.event),
        "hostility": _decision(reading.hostility),
        "tension": _decision(reading.tension),
    }


def _place(mention: PlaceMention) -> dict:
    """A place mention flattened: today's unit, and the unit of the document's day as ``then``."""
    return {
        "start": mention.start, "end": mention.end, "text": mention.text,
        **_fields(mention.place),
        "then": _fields(mention.then) if mention.then else None,
        "how": mention.how,
    }


def _fields(record) -> dict:
    """A flat record as a dict, in field order (``dataclasses.asdict`` deep-copies: slower)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def _groups(mentions: list[EthnicMention], attitudes: dict[str, GroupAttitude]) -> list[dict]:
    """Mentions grouped by ethnic group, groups in order of first mention, with the attitude."""
    by_group: dict[str, list[EthnicMention]] = defaultdict(list)
    for mention in mentions:
        by_group[mention.group].append(mention)
    return [
        {
            "group": group,
            "kind": found[0].kind,
            "slur": any(m.slur for m in found),
            "as_people": any(m.person for m in found),
            **_attitude(attitudes.get(group)),
            "mentions": [{"start": m.start, "end": m.end, "text": m.text, "slur": m.slur,
                          "person": m.person} for m in found],
        }
        for group, found in by_group.items()
    ]


def _attitude(found: GroupAttitude | None) -> dict:
    """A group's attitude, its probability and the words that drove it (null when none)."""
    if found is None:
        return {"attitude": None, "attitude_p": None, "attitude_evidence": []}
    return {"attitude": found.attitude, "attitude_p": found.p,
            "attitude_evidence": [_fields(cue) for cue in found.evidence]}


def _decision(decision) -> dict | None:
    """A flat decision (relevance, hostility, tension) with its evidence spans."""
    if decision is None:
        return None
    found = _fields(decision)
    found["evidence"] = [_fields(item) for item in decision.evidence]
    if "kinds" in found:
        found["kinds"] = list(found["kinds"])
    return found


def _event(event: Event | None) -> dict | None:
    """The event with its place (a place mention), date and references to past incidents."""
    if event is None:
        return None
    return {
        "type": event.type,
        "types": list(event.types),
        "place": _place(event.place) if event.place else None,
        "date": _fields(event.date) if event.date else None,
        "references_past": [
            {"start": ref.start, "end": ref.end, "text": ref.text,
             "place": _place(ref.place) if ref.place else None,
             "date": _fields(ref.date) if ref.date else None}
            for ref in event.references_past
        ],
        "evidence": [_fields(item) for item in event.evidence],
    }
