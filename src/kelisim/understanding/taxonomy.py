"""The event taxonomy: what a document reports, with Russian and English labels, a definition,
an example, and a weight on a conflict-cooperation scale in the spirit of the Goldstein scale
(−10 most conflictual, +10 most cooperative). Shipped as ``data/event_types.tsv``; explained in
docs/method.md."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kelisim.datafiles import package_rows

COLUMNS = ("id", "ru", "en", "kk", "goldstein", "definition", "example")


class TaxonomyError(ValueError):
    """The shipped event taxonomy is malformed."""


@dataclass(frozen=True, slots=True)
class EventType:
    """One type of event: its id, labels, definition, example and conflict-cooperation weight."""

    id: str
    ru: str
    en: str
    kk: str
    goldstein: int
    definition: str
    example: str


@lru_cache(maxsize=1)
def event_types() -> tuple[EventType, ...]:
    """The taxonomy in its documented order, read once per process."""
    types = []
    for row in package_rows("kelisim.understanding", "data/event_types.tsv", COLUMNS, TaxonomyError):
        weight = int(row["goldstein"])
        if not -10 <= weight <= 10:
            raise TaxonomyError(f"{row['id']}: weight {weight} is outside −10…+10")
        types.append(EventType(row["id"], row["ru"], row["en"], row["kk"], weight, row["definition"],
                               row["example"]))
    if len({t.id for t in types}) != len(types):
        raise TaxonomyError("event type ids repeat")
    return tuple(types)


def event_type(type_id: str) -> EventType:
    """The event type with this id; KeyError names the known ids otherwise."""
    for kind in event_types():
        if kind.id == type_id:
            return kind
    raise KeyError(f"unknown event type {type_id!r}; known: {', '.join(t.id for t in event_types())}")
