"""Runs of commands and the inputs they skipped, and the store's statistics."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kelisim.store.errors import StoreError
from kelisim.store.schema import document_date, documents, now, reprints, runs, skips, sources
from kelisim.store.views import RunView, StoreStats


def start_run(conn: sa.Connection, command: str) -> int:
    """Record the start of a run; returns its id."""
    values = {"command": command, "started_at": now(), "counts": {}}
    return conn.execute(runs.insert().values(values).returning(runs.c.id)).scalar_one()


def finish_run(conn: sa.Connection, run_id: int, counts: dict[str, Any]) -> None:
    """Record the end of a run and what it counted."""
    query = runs.update().where(runs.c.id == run_id).values(finished_at=now(), counts=counts)
    if conn.execute(query).rowcount == 0:
        raise StoreError(f"no run with id {run_id}")


def last_run(conn: sa.Connection) -> RunView | None:
    """The run started last, if any."""
    row = conn.execute(sa.select(runs).order_by(runs.c.id.desc()).limit(1)).mappings().first()
    return None if row is None else RunView(**row)


def stats(conn: sa.Connection, url: str) -> StoreStats:
    """Counts of documents, reprints, languages, sources and skips, and the date range."""
    run = last_run(conn)
    dates = sa.select(sa.func.min(document_date), sa.func.max(document_date))
    first, last = conn.execute(dates).one()
    reprint_kinds = _counts(conn, reprints.c.kind, reprints)
    with_source = documents.outerjoin(sources, documents.c.source_id == sources.c.id)
    last_skips = _counts(conn, skips.c.reason, skips, skips.c.run_id == run.id) if run else {}
    return StoreStats(
        url=url,
        documents=conn.scalar(sa.select(sa.func.count()).select_from(documents)) or 0,
        reprints_exact=reprint_kinds.get("exact", 0),
        reprints_near=reprint_kinds.get("near", 0),
        sources=conn.scalar(sa.select(sa.func.count()).select_from(sources)) or 0,
        by_lang=_counts(conn, documents.c.lang, documents),
        by_source=_counts(conn, sources.c.name, with_source),
        skips_last_run=last_skips,
        skips_total=_counts(conn, skips.c.reason, skips),
        first_date=first,
        last_date=last,
        last_run=run,
    )


def _counts(
    conn: sa.Connection,
    key: sa.ColumnElement[Any],
    source: sa.FromClause,
    *where: sa.ColumnElement[bool],
) -> dict[Any, int]:
    query = sa.select(key, sa.func.count()).select_from(source).where(*where).group_by(key)
    rows = conn.execute(query.order_by(sa.func.count().desc(), key))
    return {value: count for value, count in rows}
