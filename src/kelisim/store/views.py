"""What the store returns: frozen records of its own, never table rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SourceView:
    """A source (an outlet, a channel, a folder) and its health."""

    id: int
    name: str
    kind: str
    location: str
    options: dict[str, Any]
    enabled: bool
    created_at: datetime
    last_polled_at: datetime | None
    last_ok_at: datetime | None
    last_item_at: datetime | None
    last_error: str | None
    consecutive_errors: int
    items_total: int


@dataclass(frozen=True)
class ReprintView:
    """A mention of a canonical document: the same text, exactly or nearly, at another origin."""

    id: int
    document_id: int
    origin: str
    url: str | None
    title: str | None
    source_id: int | None
    source: str | None
    published_at: datetime | None
    fetched_at: datetime | None
    ingested_at: datetime
    kind: str
    similarity: float
    content_hash: str
    text: str


@dataclass(frozen=True)
class DocumentView:
    """A canonical document with its reprints and its source's name."""

    id: int
    origin: str
    url: str | None
    title: str | None
    author: str | None
    source_id: int | None
    source: str | None
    published_at: datetime | None
    published_from: str | None
    fetched_at: datetime | None
    ingested_at: datetime
    updated_at: datetime | None
    lang: str
    text: str
    chars: int
    content_hash: str
    cleaning: dict[str, Any]
    meta: dict[str, Any]
    reprints: tuple[ReprintView, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One document found by a search, with a snippet around the first matching word."""

    document_id: int
    title: str | None
    url: str | None
    lang: str
    published_at: datetime | None
    source: str | None
    snippet: str
    rank: float
    reprints: int


@dataclass(frozen=True)
class SearchPage:
    """One page of search hits and the number of documents that match in all."""

    total: int
    hits: list[SearchHit] = field(default_factory=list)


@dataclass(frozen=True)
class RunView:
    """One run of a command (ingest, poll…) and what it counted."""

    id: int
    command: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, Any]


@dataclass(frozen=True)
class StoreStats:
    """What the store holds, counted."""

    url: str
    documents: int
    reprints_exact: int
    reprints_near: int
    sources: int
    by_lang: dict[str, int]
    by_source: dict[str | None, int]
    skips_last_run: dict[str, int]
    skips_total: dict[str, int]
    first_date: datetime | None
    last_date: datetime | None
    last_run: RunView | None
    documents_read: int = 0  # documents with a stored reading (of any reader version)


@dataclass(frozen=True)
class UnreadDocument:
    """A canonical document still to be read: no reading yet, or one of another version."""

    id: int
    text: str
    lang: str
    published: date | None  # the UTC date of published_at


@dataclass(frozen=True)
class GroupCount:
    """How often an ethnic group (or category) is mentioned across the stored readings."""

    group: str
    kind: str | None
    mentions: int
    documents: int
    slurs: int


@dataclass(frozen=True)
class RegionCount:
    """How often places in one region of Kazakhstan (today's borders) are mentioned."""

    region_kato: str
    region: str | None
    mentions: int
    documents: int


@dataclass(frozen=True)
class ReadingStats:
    """What the stored readings hold, counted."""

    documents_read: int
    documents_unread: int  # canonical documents with no reading at all
    by_version: dict[str, int]
    mentions: dict[str, int]  # by kind: entity, place, ethnic, quote, attribution
    ethnic_groups: list[GroupCount] = field(default_factory=list)
    regions: list[RegionCount] = field(default_factory=list)


@dataclass(frozen=True)
class CorrectionView:
    """An analyst's correction of one decision of a reading."""

    id: int
    document_id: int
    field: str  # relevant | event_type | attitude | hostile | tension_label
    target: str  # the group for an attitude, "" otherwise
    value: Any
    machine: Any  # what the machine had decided when the correction was made
    author: str
    comment: str | None
    created_at: datetime


@dataclass(frozen=True)
class ToPlace:
    """A read document the warning stage has not placed yet (or whose reading changed)."""

    id: int
    at: datetime  # published, else fetched, else ingested
    title: str | None
    source_id: int | None
    read_at: datetime
    story_id: int | None  # the story it already belongs to


@dataclass(frozen=True)
class StoryView:
    """A story: the documents about one event (Kelisim's event table)."""

    id: int
    title: str | None
    first_at: datetime
    last_at: datetime
    documents: int
    reprints: int
    outlets: int
    event_type: str | None
    region_kato: str | None
    district_kato: str | None
    groups: list[str]
    relevant: bool
    hostile: int
    last_24h: int
    breaking: bool
    updated_at: datetime


@dataclass(frozen=True)
class StoryMember:
    """One document of a story, with what the warning stage needs of its reading."""

    document_id: int
    story_id: int
    at: datetime
    similarity: float
    title: str | None
    url: str | None
    source_id: int | None
    source: str | None
    reprints: int
    reprint_sources: tuple[int, ...]
    reprint_times: tuple[datetime, ...]
    relevant: bool | None
    event_type: str | None
    hostile: bool | None
    region_kato: str | None
    district_kato: str | None


@dataclass(frozen=True)
class IncidentView:
    """An incident of the registry (ACLED-like), with its place, date and casualties."""

    id: int
    story_id: int | None
    type: str
    subtype: str | None
    groups: list[str]
    region_kato: str | None
    district_kato: str | None
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


@dataclass(frozen=True)
class ActionView:
    """One entry of an audit trail: who did what to an incident or an alert, and when."""

    id: int
    subject_id: int
    action: str
    from_status: str | None
    to_status: str | None
    author: str
    comment: str | None
    at: datetime
    changes: dict[str, Any] | None = None


@dataclass(frozen=True)
class AlertView:
    """An alert with its evidence and life-cycle status."""

    id: int
    key: str
    kind: str
    rule: str
    signal: str | None
    unit_kato: str | None
    unit_level: str | None
    region_kato: str | None
    day: date | None
    fired_at: datetime
    observed: float | None
    expected: float | None
    p_value: float | None
    summary: str
    data: dict[str, Any]
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DeliveryView:
    """One alert to send to one channel, and how sending went."""

    id: int
    alert_id: int
    channel: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class UnitDay:
    """What one unit's documents of one day count, per signal."""

    kato: str
    day: date
    volume: int
    conflict: int
    hostile: int
    attention: int


@dataclass(frozen=True)
class UnitDocument:
    """A document counted in a unit on a day, with what the tension index weighs."""

    document_id: int
    kato: str
    day: date
    relevant: bool
    event_type: str | None
    hostile: bool
    story_id: int | None
    story_type: str | None
    story_relevant: bool
    reprints: int


@dataclass(frozen=True)
class UserView:
    """A user of the dashboard and the API (never with the password's hash)."""

    id: int
    name: str
    role: str  # admin | analyst | viewer
    regions: list[str]  # KATO codes an analyst is limited to; [] = every region
    enabled: bool
    created_at: datetime


@dataclass(frozen=True)
class TokenView:
    """An API token of a user (the token itself is shown once, when it is made)."""

    id: int
    user_id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    """One action of a user."""

    id: int
    user_name: str
    action: str
    subject: str
    detail: dict[str, Any] | None
    at: datetime
