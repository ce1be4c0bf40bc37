"""A reading as the JSON object ``kelisim analyze`` prints and the store keeps.

The shape is documented as a JSON Schema in ``docs/analyze.schema.json``; tests validate every
object against it.
"""

from __future__ import annotations

from collections import defaultdict

from kelisim.reading.model import EthnicMention, PlaceMention, Reading

SCHEMA_VERSION = 2  # 2: tension


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
        "ethnic_groups": _groups(reading.ethnic),
        "quotes": [_fields(quote) for quote in reading.quotes],
        "attribution": [_fields(item) for item in reading.attribution],
        "tension": _tension(reading.tension),
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


def _groups(mentions: list[EthnicMention]) -> list[dict]:
    """Mentions grouped by ethnic group, groups in order of first mention."""
    by_group: dict[str, list[EthnicMention]] = defaultdict(list)
    for mention in mentions:
        by_group[mention.group].append(mention)
    return [
        {
            "group": group,
            "kind": found[0].kind,
            "slur": any(m.slur for m in found),
            "as_people": any(m.person for m in found),
            "mentions": [{"start": m.start, "end": m.end, "text": m.text, "slur": m.slur,
                          "person": m.person} for m in found],
        }
        for group, found in by_group.items()
    ]


def _tension(tension) -> dict | None:
    """The tension score, its label and its evidence spans."""
    if tension is None:
        return None
    return {"score": tension.score, "label": tension.label,
            "evidence": [_fields(item) for item in tension.evidence]}
