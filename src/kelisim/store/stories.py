"""Stories and where documents count: the warning stage's first tables.

``document_days`` holds, per read document, the day and the region and district it counts in;
``stories`` is the event table and ``story_documents`` its mention table (see docs/storage.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kelisim.store.db import page
from kelisim.store.schema import (
    document_date,
    document_days,
    documents,
    readings,
    reprint_date,
    reprints,
    sources,
    stories,
    story_documents,
)
from kelisim.store.views import StoryMember, StoryView, ToPlace

_STORY_FIELDS = tuple(c.name for c in stories.c if c.name != "centroid")


def to_place(conn: sa.Connection, as_of: datetime, limit: int) -> list[ToPlace]:
    """Read documents dated up to ``as_of`` that are not placed, or were read again since, in
    date order."""
    day = document_days.c
    query = (
        sa.select(documents.c.id, document_date.label("at"), documents.c.title,
                  documents.c.source_id, readings.c.read_at, story_documents.c.story_id)
        .join(readings, readings.c.document_id == documents.c.id)
        .outerjoin(document_days, day.document_id == documents.c.id)
        .outerjoin(story_documents, story_documents.c.document_id == documents.c.id)
        .where(document_date <= as_of,
               sa.or_(day.document_id.is_(None), day.read_at != readings.c.read_at),
               # a text replaced since it was read waits for its new reading
               sa.or_(documents.c.updated_at.is_(None), documents.c.updated_at <= readings.c.read_at))
        .order_by(document_date, documents.c.id)
        .limit(limit)
    )
    return [ToPlace(*row) for row in conn.execute(query)]


def place(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Store (replace) the day, region and district of documents."""
    ids = [row["document_id"] for row in rows]
    if ids:
        conn.execute(document_days.delete().where(document_days.c.document_id.in_(ids)))
        conn.execute(document_days.insert(), list(rows))


def open_stories(conn: sa.Connection, since: datetime) -> list[tuple[int, dict]]:
    """(id, centroid JSON) of the stories with a document at or after ``since``."""
    query = sa.select(stories.c.id, stories.c.centroid).where(stories.c.last_at >= since)
    return [(story_id, centroid) for story_id, centroid in conn.execute(query.order_by(stories.c.id))]


def create_story(conn: sa.Connection, fields: Mapping[str, Any]) -> int:
    """Insert a story; returns its id."""
    return conn.execute(stories.insert().returning(stories.c.id), dict(fields)).scalar_one()


def update_story(conn: sa.Connection, story_id: int, fields: Mapping[str, Any]) -> None:
    """Change fields of a story."""
    conn.execute(stories.update().where(stories.c.id == story_id).values(**fields))


def add_members(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Put documents in stories (a document belongs to one story)."""
    if rows:
        conn.execute(story_documents.insert(), list(rows))


def joined_since(conn: sa.Connection, moment: datetime) -> list[int]:
    """The stories a document joined at or after ``moment``."""
    query = sa.select(story_documents.c.story_id).where(story_documents.c.added_at >= moment)
    return list(conn.scalars(query.distinct().order_by(story_documents.c.story_id)))


def members(conn: sa.Connection, story_ids: Iterable[int]) -> list[StoryMember]:
    """The documents of stories, in date order, with their decisions and places."""
    ids = list(story_ids)
    if not ids:
        return []
    query = (
        sa.select(story_documents.c.document_id, story_documents.c.story_id,
                  story_documents.c.at, story_documents.c.similarity, documents.c.title,
                  documents.c.url, documents.c.source_id, sources.c.name, readings.c.relevant,
                  readings.c.event_type, readings.c.hostile, document_days.c.region_kato,
                  document_days.c.district_kato)
        .join(documents, documents.c.id == story_documents.c.document_id)
        .outerjoin(sources, sources.c.id == documents.c.source_id)
        .outerjoin(readings, readings.c.document_id == documents.c.id)
        .outerjoin(document_days, document_days.c.document_id == documents.c.id)
        .where(story_documents.c.story_id.in_(ids))
        .order_by(story_documents.c.at, story_documents.c.document_id)
    )
    rows = conn.execute(query).all()
    outlets = _reprint_sources(conn, [row[0] for row in rows])
    members = []
    for row in rows:
        copies = outlets.get(row[0], [])
        members.append(StoryMember(*row[:8], len(copies),
                                   tuple(s for s, _at in copies if s is not None),
                                   tuple(at for _s, at in copies), *row[8:]))
    return members


def _reprint_sources(conn: sa.Connection, doc_ids: list[int]) -> dict[int, list[tuple[int | None, datetime]]]:
    """document id -> (source, time) of each of its reprints."""
    found: dict[int, list[tuple[int | None, datetime]]] = {}
    for start in range(0, len(doc_ids), 500):
        query = (sa.select(reprints.c.document_id, reprints.c.source_id, reprint_date.label("at"))
                 .where(reprints.c.document_id.in_(doc_ids[start:start + 500])))
        for doc_id, source_id, at in conn.execute(query):
            found.setdefault(doc_id, []).append((source_id, at))
    return found


def get_story(conn: sa.Connection, story_id: int) -> StoryView | None:
    """One story, if any."""
    row = conn.execute(sa.select(*(stories.c[name] for name in _STORY_FIELDS))
                       .where(stories.c.id == story_id)).first()
    return StoryView(*row) if row else None


def list_stories(conn: sa.Connection, *, region: str | None = None, since: datetime | None = None,
                 until: datetime | None = None, relevant_only: bool = True, limit: int = 50,
                 offset: int = 0, order: str = "last",
                 regions: Sequence[str] | None = None) -> tuple[int, list[StoryView]]:
    """Stories filtered by region and time (a story counts when it has a document in the
    period; ``regions``: only in these), biggest or latest first; returns (total, page)."""
    query = sa.select(*(stories.c[name] for name in _STORY_FIELDS))
    if regions is not None:
        query = query.where(stories.c.region_kato.in_(list(regions)))
    if region:
        query = query.where(stories.c.region_kato == region)
    if since:
        query = query.where(stories.c.last_at >= since)
    if until:
        query = query.where(stories.c.first_at < until)
    if relevant_only:
        query = query.where(stories.c.relevant.is_(True))
    key = (stories.c.documents.desc(), stories.c.last_at.desc()) if order == "size" \
        else (stories.c.last_at.desc(),)
    total, rows = page(conn, query, (*key, stories.c.id.desc()), limit, offset)
    return total, [StoryView(*row) for row in rows]


def story_of(conn: sa.Connection, doc_id: int) -> int | None:
    """The story a document belongs to, if any."""
    return conn.scalar(sa.select(story_documents.c.story_id)
                       .where(story_documents.c.document_id == doc_id))


def centroid(conn: sa.Connection, story_id: int) -> dict | None:
    """The centroid JSON of a story."""
    return conn.scalar(sa.select(stories.c.centroid).where(stories.c.id == story_id))
