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
