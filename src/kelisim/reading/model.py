"""What reading a document finds: plain records with offsets into the document text.

Every record here is Kelisim's own; no type of natasha, slovnet or pymorphy appears in them.
``start``/``end`` always index the text that was read (``text[start:end] == record.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # understanding builds on reading, not the other way round
    from kelisim.understanding.model import Event, GroupAttitude, Hostility, Relevance, Tension

ENTITY_TYPES = ("PER", "ORG", "LOC")


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or location named in the text."""

    type: str
    start: int
    end: int
    text: str
    normal: str
    kb_id: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A unit of Kazakhstan (by KATO code) as it stood on some date, or a place abroad."""

    kato: str | None
    name: str
    level: str
    district_kato: str | None = None
    district: str | None = None
    region_kato: str | None = None
    region: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the text: today's unit, and the unit of the document's day when the
    borders or the name have changed since (``then``)."""

    start: int
    end: int
    text: str
    place: PlaceRef
    then: PlaceRef | None = None
    how: str = "name"  # how the place was recognised (docs/places.md), e.g. name, alias, ambiguous


@dataclass(frozen=True, slots=True)
class EthnicMention:
    """A word naming an ethnic group or a collective or social category."""

    group: str
    start: int
    end: int
    text: str
    kind: str  # group | collective | social
    slur: bool = False
    person: bool = True  # False for «русский язык», «казахская кухня»: the group is not an actor


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct or indirect speech and who said it."""

    start: int
    end: int
    text: str
    direct: bool
    speaker: str | None = None
    speaker_kb_id: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """The outlet or press service a text credits («сообщает Kazinform»): a source, not an actor."""

    start: int
    end: int
    text: str
    outlet: str
    kb_id: str | None = None


@dataclass(slots=True)
class Reading:
    """Everything read from one document."""

    id: str
    language: str
    text: str
    published: date | None = None
    entities: list[Entity] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    ethnic: list[EthnicMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    attribution: list[Attribution] = field(default_factory=list)
    tension: Tension | None = None
    hostility: Hostility | None = None
    attitudes: dict[str, GroupAttitude] = field(default_factory=dict)  # by group id
    event: Event | None = None
    relevance: Relevance | None = None
