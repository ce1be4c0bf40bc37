"""The records that flow through the pipeline: raw items, skips, clean documents.

Every stage turns third-party output into these at its edge; nothing else crosses stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

RawKind = Literal["text", "html", "markdown"]
Language = Literal["ru", "kk", "en", "mixed", "other"]


@dataclass(frozen=True)
class RawItem:
    """One text as a source delivered it, before cleaning.

    ``origin`` is the stable key of the item (``file:/abs/path``, ``file:/abs/path#12``,
    ``url:https://…``, ``tg:channel/123``, ``sample:000_x.txt``): ingesting the same origin
    twice adds nothing.
    """

    origin: str
    body: bytes | str
    kind: RawKind = "text"
    source_id: int | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    fetched_at: datetime | None = None
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Skip:
    """An input that was not stored, with a machine-readable reason and a message for people."""

    origin: str
    reason: str
    message: str


@dataclass
class CleaningReport:
    """What cleaning removed or changed, counted per kind."""

    encoding: str = "utf-8"
    removed_lines: int = 0
    removed_chars: int = 0
    duplicate_paragraphs: int = 0
    removed_by_kind: dict[str, int] = field(default_factory=dict)


@dataclass
class CleanDocument:
    """A cleaned document, ready to be de-duplicated and stored."""

    origin: str
    text: str
    lang: Language
    content_hash: str
    signature: bytes
    index_terms: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    source_id: int | None = None
    published: datetime | None = None
    published_from: Literal["metadata", "text"] | None = None
    fetched_at: datetime | None = None
    cleaning: CleaningReport = field(default_factory=CleaningReport)
    meta: dict = field(default_factory=dict)
    raw_hash: str | None = None
