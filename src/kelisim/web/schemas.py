"""What the API returns: pydantic models of its own, never table rows or pipeline records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, Field

from kelisim.warning.units import unit_name

T = TypeVar("T")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not hold a NUL character")
    return value


# Text a user sends that will be stored: PostgreSQL refuses NUL in text, so it is refused here.
Text = Annotated[str, AfterValidator(_no_nul)]


class Page(BaseModel, Generic[T]):
    """One page of a list and how many there are in all."""

    total: int
    limit: int
    offset: int
    items: list[T]


class Unit(BaseModel):
    """A region or district of Kazakhstan."""

    kato: str
    name: str
    level: Literal["region", "district"]

    @classmethod
    def of(cls, kato: str | None, level: str) -> Unit | None:
        """The unit of a code, or None."""
        return cls(kato=kato, name=unit_name(kato), level=level) if kato else None


class Story(BaseModel):
    """A story: the documents about one event."""

    id: int
    title: str | None
    first_at: datetime
    last_at: datetime
    documents: int
    reprints: int
    outlets: int
    event_type: str | None
    region: Unit | None
    district: Unit | None
    groups: list[str]
    hostile: int
    last_24h: int
    breaking: bool

    @classmethod
    def of(cls, view) -> Story:
        """From the store's StoryView."""
        return cls(id=view.id, title=view.title, first_at=view.first_at, last_at=view.last_at,
                   documents=view.documents, reprints=view.reprints, outlets=view.outlets,
                   event_type=view.event_type, region=Unit.of(view.region_kato, "region"),
                   district=Unit.of(view.district_kato, "district"), groups=list(view.groups),
                   hostile=view.hostile, last_24h=view.last_24h, breaking=view.breaking)


class StoryDocument(BaseModel):
    """One document of a story."""

    document_id: int
    at: datetime
    title: str | None
    url: str | None
    source: str | None
    reprints: int
    event_type: str | None
    hostile: bool | None
    similarity: float


class StoryDetail(Story):
    """A story with its documents."""

    items: list[StoryDocument]


class Action(BaseModel):
    """One entry of an audit trail."""

    at: datetime
    author: str
    action: str
    from_status: str | None
    to_status: str | None
    comment: str | None
    changes: dict[str, Any] | None = None


class Incident(BaseModel):
    """An incident of the registry (ACLED-like coding)."""

    id: int
    story_id: int | None
    type: str
    subtype: str | None
    groups: list[str]
    region: Unit | None
    district: Unit | None
    settlement_kato: str | None
    geo_precision: int
    date: date
    time_precision: int
    killed: int | None
    injured: int | None
    detained: int | None
    status: str
    edited: list[str]
    evidence: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view) -> Incident:
        """From the store's IncidentView."""
        fields = {name: getattr(view, name) for name in cls.model_fields
                  if name not in ("region", "district")}
        return cls(**fields, region=Unit.of(view.region_kato, "region"),
                   district=Unit.of(view.district_kato, "district"))


class IncidentDetail(Incident):
    """An incident with its trail."""

    actions: list[Action]


class Alert(BaseModel):
    """An alert as channels receive it."""

    id: int
    key: str
    kind: str
    rule: str
    signal: str | None
    unit: dict[str, Any] | None
    day: date | None
    fired_at: datetime
    status: str
    observed: float | None
    expected: float | None
    p_value: float | None
    summary: str
    source: dict[str, Any] | None
    story: dict[str, Any] | None
    factors: dict[str, float] | None
    documents: list[int]
    evidence: list[dict[str, Any]]


class AlertDetail(Alert):
    """An alert with its trail."""

    actions: list[Action]


class Move(BaseModel):
    """An analyst's move of an alert or an incident through its life cycle."""

    action: Text = Field(description="alerts: acknowledge, resolve, false_alarm, reopen; "
                                     "incidents: verify, close, reopen")
    comment: Text | None = Field(default=None, max_length=2000)


class Component(BaseModel):
    """One part of an index value, with what is behind it."""

    name: str
    points: float
    documents: list[int]
    stories: list[int]


class IndexValue(BaseModel):
    """The tension index of a unit over a period."""

    kato: str
    level: str
    name: str
    period: str
    start: date
    end: date
    value: float
    raw: float
    volume: int
    components: list[Component]
    documents: list[int]

    @classmethod
    def of(cls, value) -> IndexValue:
        """From kelisim.warning.index.IndexValue."""
        return cls(kato=value.kato, level=value.level, name=value.name, period=value.period,
                   start=value.start, end=value.end, value=value.value, raw=value.raw,
                   volume=value.volume, documents=list(value.documents),
                   components=[Component(name=c.name, points=c.points, documents=list(c.documents),
                                         stories=list(c.stories)) for c in value.components])


class Document(BaseModel):
    """A stored document with its reading (decisions, mentions, evidence spans)."""

    id: int
    title: str | None
    url: str | None
    source: str | None
    published_at: datetime | None
    lang: str
    text: str
    reprints: int
    region: Unit | None
    reading: dict[str, Any] | None


class SearchHit(BaseModel):
    """A document found by a search, with a snippet."""

    document_id: int
    title: str | None
    url: str | None
    lang: str
    published_at: datetime | None
    source: str | None
    snippet: str
    reprints: int
