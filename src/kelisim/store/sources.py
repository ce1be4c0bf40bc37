"""Sources and their health, and the HTTP validators of conditional requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kelisim.store.db import is_postgres
from kelisim.store.errors import DuplicateSourceError, InvalidValueError, UnknownSourceError
from kelisim.store.schema import SOURCE_KINDS, http_validators, now, sources
from kelisim.store.views import SourceView


def add_source(
    conn: sa.Connection, name: str, kind: str, location: str, options: dict[str, Any] | None
) -> SourceView:
    """Insert a source; its name must be new and its kind one of SOURCE_KINDS."""
    if kind not in SOURCE_KINDS:
        kinds = ", ".join(SOURCE_KINDS)
        raise InvalidValueError(f"unknown source kind {kind!r}: use one of {kinds}")
    if not name.strip():
        raise InvalidValueError("a source needs a name")
    if find_source_id(conn, name) is not None:
        raise DuplicateSourceError(f"a source named {name!r} already exists")
    values = {
        "name": name,
        "kind": kind,
        "location": location,
        "options": options or {},
        "enabled": True,
        "created_at": now(),
        "consecutive_errors": 0,
        "items_total": 0,
    }
    source_id = conn.execute(sources.insert().values(values).returning(sources.c.id)).scalar_one()
    return _require(conn, source_id)


def list_sources(conn: sa.Connection) -> list[SourceView]:
    """Every source, by name."""
    rows = conn.execute(sa.select(sources).order_by(sources.c.name))
    return [_view(row) for row in rows.mappings()]


def get_source(conn: sa.Connection, name_or_id: str | int) -> SourceView | None:
    """The source with this name (a str) or id (an int), if any."""
    source_id = find_source_id(conn, name_or_id)
    return None if source_id is None else _require(conn, source_id)


def find_source_id(conn: sa.Connection, name_or_id: str | int) -> int | None:
    """The id of the source with this name (a str) or id (an int), if any."""
    column = sources.c.id if isinstance(name_or_id, int) else sources.c.name
    return conn.scalar(sa.select(sources.c.id).where(column == name_or_id))


def remove_source(conn: sa.Connection, name_or_id: str | int) -> bool:
    """Delete a source; its documents and reprints stay, with no source. False if unknown."""
    source_id = find_source_id(conn, name_or_id)
    if source_id is not None:
        conn.execute(sources.delete().where(sources.c.id == source_id))
    return source_id is not None


def set_enabled(conn: sa.Connection, name_or_id: str | int, enabled: bool) -> bool:
    """Enable or disable a source for polling. False if unknown."""
    source_id = find_source_id(conn, name_or_id)
    if source_id is not None:
        conn.execute(sources.update().where(sources.c.id == source_id).values(enabled=enabled))
    return source_id is not None


def record_poll(
    conn: sa.Connection,
    source_id: int,
    *,
    ok: bool,
    error: str | None,
    new_items: int,
    at: datetime,
) -> None:
    """Update a source's health after one poll (see :meth:`kelisim.store.Store.record_poll`)."""
    c = sources.c
    values: dict[str, Any] = {"last_polled_at": at, "items_total": c.items_total + new_items}
    if ok:
        values |= {"last_ok_at": at, "last_error": None, "consecutive_errors": 0}
    else:
        failures = c.consecutive_errors + 1
        values |= {"last_error": error or "unknown error", "consecutive_errors": failures}
    if new_items > 0:
        values["last_item_at"] = at
    if conn.execute(sources.update().where(c.id == source_id).values(values)).rowcount == 0:
        raise UnknownSourceError(f"no source with id {source_id}")


def get_validators(conn: sa.Connection, url: str) -> tuple[str | None, str | None] | None:
    """The (etag, last_modified) last seen for a URL, if any."""
    c = http_validators.c
    row = conn.execute(sa.select(c.etag, c.last_modified).where(c.url == url)).first()
    return None if row is None else (row.etag, row.last_modified)


def put_validators(
    conn: sa.Connection, url: str, etag: str | None, last_modified: str | None
) -> None:
    """Remember (etag, last_modified) for a URL, replacing what was there."""
    insert = (postgresql if is_postgres(conn) else sqlite).insert(http_validators)
    values = {"etag": etag, "last_modified": last_modified, "updated_at": now()}
    conn.execute(
        insert.values(url=url, **values).on_conflict_do_update(
            index_elements=[http_validators.c.url], set_=values
        )
    )


def _require(conn: sa.Connection, source_id: int) -> SourceView:
    row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).mappings().one()
    return _view(row)


def _view(row: sa.RowMapping) -> SourceView:
    return SourceView(**{name: row[name] for name in SourceView.__dataclass_fields__})
