"""What the tension index and the alert baselines count: documents per unit and day.

A unit is a region or a district (``level``); the day and the unit of a document come from
``document_days``; the decisions from ``readings`` (analysts' corrections included).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from kelisim.store.schema import (
    document_date,
    document_days,
    documents,
    readings,
    reprint_date,
    reprints,
    stories,
    story_documents,
    warning_state,
)
from kelisim.store.views import UnitDay, UnitDocument

_LEVEL = {"region": document_days.c.region_kato, "district": document_days.c.district_kato}


def unit_column(level: str) -> sa.ColumnElement[str]:
    """The column holding a document's unit at this level."""
    try:
        return _LEVEL[level]
    except KeyError:
        raise ValueError(f"a unit level is 'region' or 'district', not {level!r}") from None


def _flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def daily_counts(conn: sa.Connection, level: str, day_from: date, day_to: date,
                 conflict_types: Iterable[str], katos: Iterable[str] | None = None) -> list[UnitDay]:
    """Per unit and day from ``day_from`` to ``day_to`` (inclusive), the documents counted in
    all (volume), those reporting a conflict-type event, the hostile ones, and the relevant ones
    (attention). Days with no document are absent."""
    unit = unit_column(level)
    relevant = readings.c.relevant.is_(True)
    conflict = sa.and_(relevant, readings.c.event_type.in_(list(conflict_types)))
    query = (
        sa.select(unit, document_days.c.day, sa.func.count(), _flag(conflict),
                  _flag(readings.c.hostile.is_(True)), _flag(relevant))
        .join(readings, readings.c.document_id == document_days.c.document_id)
        .where(unit.is_not(None), document_days.c.day.between(day_from, day_to))
        .group_by(unit, document_days.c.day)
    )
    if katos is not None:
        query = query.where(unit.in_(list(katos)))
    return [UnitDay(kato, day, int(n), int(c or 0), int(h or 0), int(a or 0))
            for kato, day, n, c, h, a in conn.execute(query)]


_REPRINTS = (sa.select(reprints.c.document_id, sa.func.count().label("n"))
             .group_by(reprints.c.document_id).subquery())


def unit_documents(conn: sa.Connection, level: str, day_from: date, day_to: date,
                   katos: Iterable[str] | None = None) -> list[UnitDocument]:
    """Every document counted in the units (all of the level by default) from ``day_from`` to
    ``day_to``, with its decisions, its story and its reprints: what the index is made of."""
    unit = unit_column(level)
    query = (
        sa.select(document_days.c.document_id, unit, document_days.c.day,
                  sa.func.coalesce(readings.c.relevant, False), readings.c.event_type,
                  sa.func.coalesce(readings.c.hostile, False), story_documents.c.story_id,
                  stories.c.event_type, sa.func.coalesce(stories.c.relevant, False),
                  sa.func.coalesce(_REPRINTS.c.n, 0))
        .join(readings, readings.c.document_id == document_days.c.document_id)
        .outerjoin(story_documents, story_documents.c.document_id == document_days.c.document_id)
        .outerjoin(stories, stories.c.id == story_documents.c.story_id)
        .outerjoin(_REPRINTS, _REPRINTS.c.document_id == document_days.c.document_id)
        .where(unit.is_not(None), document_days.c.day.between(day_from, day_to))
        .order_by(document_days.c.day, document_days.c.document_id)
    )
    if katos is not None:
        query = query.where(unit.in_(list(katos)))
    return [UnitDocument(doc, kato, day, bool(rel), event, bool(host), story, stype, bool(srel),
                         int(n)) for doc, kato, day, rel, event, host, story, stype, srel, n
            in conn.execute(query)]


def day_range(conn: sa.Connection) -> tuple[date | None, date | None]:
    """The first and last day any document counts on."""
    row = conn.execute(sa.select(sa.func.min(document_days.c.day),
                                 sa.func.max(document_days.c.day))).first()
    return (row[0], row[1]) if row else (None, None)


def get_state(conn: sa.Connection, key: str):
    """A value the warning stage kept between runs, or None."""
    return conn.scalar(sa.select(warning_state.c.value).where(warning_state.c.key == key))


def set_state(conn: sa.Connection, key: str, value) -> None:
    """Keep a value between runs of the warning stage."""
    conn.execute(warning_state.delete().where(warning_state.c.key == key))
    conn.execute(warning_state.insert(), {"key": key, "value": value})


def source_times(conn: sa.Connection, source_id: int, as_of, last: int) -> list:
    """The dates of a source's latest ``last`` items (documents and reprints) up to ``as_of``,
    newest first."""
    own = (sa.select(document_date.label("at")).where(documents.c.source_id == source_id,
                                                      document_date <= as_of))
    copies = (sa.select(reprint_date.label("at")).where(reprints.c.source_id == source_id,
                                                         reprint_date <= as_of))
    union = sa.union_all(own, copies).subquery()
    rows = conn.execute(sa.select(union.c.at).order_by(union.c.at.desc()).limit(last))
    return [at for (at,) in rows]


def regions_of(conn: sa.Connection, doc_ids: list[int]) -> dict[int, str | None]:
    """document id -> the region it counts in."""
    found: dict[int, str | None] = {}
    for start in range(0, len(doc_ids), 500):
        query = sa.select(document_days.c.document_id, document_days.c.region_kato).where(
            document_days.c.document_id.in_(doc_ids[start:start + 500]))
        found.update((doc_id, region) for doc_id, region in conn.execute(query))
    return found
