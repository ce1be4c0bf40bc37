"""What understanding a document decides: plain records whose evidence points into the text.

Every decision keeps the phrases that drove it as :class:`Cue` spans, so that an analyst can
check it (docs/method.md). ``start``/``end`` index the document text, as everywhere in Kelisim.
"""

from __future__ import annotations

from dataclasses import dataclass

from kelisim.reading.model import PlaceMention


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase that counted toward a decision: where it is, the dictionary entry it matched,
    what it is evidence of, and the weight it counted with.

    ``context`` says why a cue counted differently from its own weight (``prevention``,
    ``negation``, ``reported``, ``past`` …), and ``context_start``/``context_end`` locate the
    word that turned it.
    """

    start: int
    end: int
    text: str
    cue: str
    kind: str
    weight: float
    context: str | None = None
    context_start: int | None = None
    context_end: int | None = None


@dataclass(frozen=True, slots=True)
class Tension:
    """A document's tension score (−1 cooperation … +1 violence), its label and the evidence."""

    score: float
    label: str
    evidence: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class Relevance:
    """Whether a document is about interethnic relations: a score in [0, 1] and the decision."""

    score: float
    relevant: bool
    evidence: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class Hostility:
    """Hostile language toward a group in the text itself: a score in [0, 1], the decision and
    the kinds found (``slur``, ``dehumanising``, ``violence_call``, ``expulsion_call``,
    ``collective_blame``). Reports about such language («осудил призывы к насилию») are kept
    as evidence with ``context="reported"`` and weight 0."""

    score: float
    hostile: bool
    kinds: tuple[str, ...]
    evidence: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class EventDate:
    """A date the text gives: ``value`` is ISO (YYYY-MM-DD, YYYY-MM or YYYY) to its precision."""

    start: int
    end: int
    text: str
    value: str
    precision: str  # day | month | year


@dataclass(frozen=True, slots=True)
class PastReference:
    """A past incident the text refers to («трагические события в Кордайском районе»)."""

    start: int
    end: int
    text: str
    place: PlaceMention | None = None
    date: EventDate | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """What the document reports: a primary type, every type found (primary first), where and
    when it happened when the text says, the past incidents it refers to, and the evidence."""

    type: str
    types: tuple[str, ...]
    place: PlaceMention | None
    date: EventDate | None
    references_past: tuple[PastReference, ...]
    evidence: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class GroupAttitude:
    """The text's attitude toward one group: −1, 0 or +1, its probability, and for −1 or +1 the
    words that pushed the model most toward it."""

    group: str
    attitude: int
    p: float
    evidence: tuple[Cue, ...] = ()
