"""Engines and migrations: URLs, SQLite pragmas, the write lock, Alembic run from code."""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError

from kelisim.store.errors import (
    SchemaTooNewError,
    StoreDiskError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreOutageError,
    StoreUnavailableError,
)

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "kelisim_write"  # execution option: SQLite begins with BEGIN IMMEDIATE
_WRITE_LOCK_KEY = 0x6B656C69  # "keli": PostgreSQL advisory lock held by the one writer
WAL_CHECKPOINT_PAGES = 10_000  # ~40 MB of 4 KB pages between automatic checkpoints
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    # A checkpoint syncs the log and the file: at SQLite's default of 1,000 pages a reading run
    # checkpointed every few chunks, and storing took a sixth longer (wall clock).
    f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}",
)


def parse_url(url: str) -> sa.URL:
    """The SQLAlchemy URL of a store URL; ``postgresql://`` goes through psycopg 3."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database URL {redact(url)}: use sqlite:/// or postgresql://")
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StoreError("an in-memory SQLite store is not supported: give a file, sqlite:///PATH")
    return parsed


def redact(url: str) -> str:
    """The URL with its password hidden, for messages and stats."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<invalid URL>"


class JsonText:
    """A value of a JSON column already serialised by :func:`json_text`: it is stored as it is
    (the engines of :func:`make_engine` serialise values so), on both backends."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# SQLite's driver binds a JsonText as its text (attrgetter: no Python frame per value), so
# insert_rows may leave it unprocessed there (its ``ready`` columns).
sqlite3.register_adapter(JsonText, attrgetter("text"))

# json.dumps(value, ensure_ascii=False, default=str), the text of the store's JSON columns: the
# C encoder ``JSONEncoder.encode`` builds for every value, built once (``encode`` costs 1.5 times
# as much on the small values of mentions). No circular check (a circular value fails with a
# RecursionError): the encoder then keeps no state between calls, and threads may share it.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)
_C_ENCODE = json.encoder.c_make_encoder and json.encoder.c_make_encoder(
    None, _ENCODER.default, json.encoder.encode_basestring, None, _ENCODER.key_separator,
    _ENCODER.item_separator, False, False, True)


def json_text(value: Any) -> str:
    """``value`` as the store's JSON columns hold it: ``json.dumps(value, ensure_ascii=False,
    default=str)``."""
    return "".join(_C_ENCODE(value, 0)) if _C_ENCODE else _ENCODER.encode(value)


def json_object_text(**members: str) -> str:
    """The :func:`json_text` of an object whose member values are given as their JSON texts: a
    value shared by many objects is serialised once."""
    return "{" + ", ".join(f"{json_text(key)}: {text}" for key, text in members.items()) + "}"


def _serialize(value: Any) -> str:
    # The engines' json_serializer: SQLAlchemy calls it on SQLite, psycopg on PostgreSQL.
    return value.text if value.__class__ is JsonText else json_text(value)


def make_engine(url: str) -> sa.Engine:
    """An engine for a store URL; for SQLite, the file's directory is created.

    A SQLite URL may set the busy timeout in seconds (``sqlite:///k.db?timeout=5``; default 30).
    Errors that mean "not now" (a lock held too long, a server gone, a full disk) are raised as
    :class:`StoreOutageError` subclasses, with a message for people.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = sa.create_engine(parsed, pool_pre_ping=True, json_serializer=_serialize)
        sa.event.listen(engine, "handle_error", _outage)
        return engine
    Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    busy_ms = busy_timeout_ms(parsed)
    engine = sa.create_engine(parsed, json_serializer=_serialize)
    sa.event.listen(engine, "connect", functools.partial(_sqlite_connect, busy_ms=busy_ms))
    sa.event.listen(engine, "begin", _sqlite_begin)
    sa.event.listen(engine, "handle_error", _outage)
    return engine


def busy_timeout_ms(parsed: sa.URL) -> int:
    """How long a SQLite connection waits for another writer's lock, in milliseconds."""
    try:
        seconds = float(parsed.query.get("timeout", BUSY_TIMEOUT_MS / 1000))  # type: ignore[arg-type]
    except ValueError:
        raise StoreError(f"the timeout of {parsed.render_as_string()} must be seconds") from None
    return max(0, int(seconds * 1000))


def _sqlite_connect(dbapi_connection, _record, *, busy_ms: int) -> None:  # type: ignore[no-untyped-def]
    # Take transaction control away from sqlite3 so that BEGIN is ours (SQLAlchemy docs recipe).
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout={busy_ms}").fetchall()
    for pragma in _SQLITE_PRAGMAS:
        dbapi_connection.execute(pragma).fetchall()
    _use_wal(dbapi_connection, busy_ms)


def _use_wal(dbapi_connection, busy_ms: int) -> None:  # type: ignore[no-untyped-def]
    # Two connections switching a fresh file to WAL at once can get SQLITE_BUSY without the
    # busy handler being asked: retry for as long as busy_timeout would have waited.
    deadline = time.monotonic() + busy_ms / 1000
    delay = 0.005
    while dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL").fetchall()
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _outage(context: sa.engine.ExceptionContext) -> StoreOutageError | None:
    """The error to raise instead of a driver's when the database cannot be used for now."""
    if context.is_pre_ping or context.engine is None:
        return None  # the pool checks a connection and reconnects by itself
    error = context.original_exception
    # psycopg reports a connection that failed (server down, socket gone) as an
    # OperationalError with no SQLSTATE: the server never answered.
    unanswered = context.dialect.name == "postgresql" and not getattr(error, "sqlstate", None) \
        and isinstance(error, context.dialect.loaded_dbapi.OperationalError)
    url = context.engine.url.render_as_string(hide_password=True)
    return outage_error(error, url, context.is_disconnect or unanswered,
                        busy_timeout_ms(context.engine.url))


def outage_error(error: BaseException, url: str, disconnected: bool = False,
                 busy_ms: int = BUSY_TIMEOUT_MS) -> StoreOutageError | None:
    """A StoreOutageError for a driver's error that means "not now", else None."""
    sqlite_name = getattr(error, "sqlite_errorname", "") or ""
    state = getattr(error, "sqlstate", None) or ""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if sqlite_name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreLockedError(
            f"the database {url} is locked by another process, which held its write lock for "
            f"more than {busy_ms / 1000:g} s; nothing of this step was written: try again "
            "when that process is done")
    if sqlite_name == "SQLITE_FULL" or state == "53100":
        return StoreFullError(
            f"the store's disk is full ({url}): nothing of this step was written; free some "
            "space and run the command again")
    if sqlite_name.startswith("SQLITE_IOERR"):
        return StoreDiskError(
            f"the store cannot write to its disk ({url}: {detail}); nothing of this step was "
            "written: is the disk full or failing?")
    if disconnected or state.startswith(("08", "57P")):
        return StoreUnavailableError(f"cannot reach the database {url}: {detail}")
    return None


def _sqlite_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def page(conn: sa.Connection, query: sa.Select, order: tuple, limit: int,
         offset: int) -> tuple[int, list[sa.Row]]:
    """How many rows a query gives in all, and one page of them in ``order``."""
    total = conn.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    return total, conn.execute(query.order_by(*order).limit(limit).offset(offset)).all()


def is_postgres(conn: sa.Connection) -> bool:
    """Whether the connection is to PostgreSQL (else SQLite)."""
    return conn.dialect.name == "postgresql"


def insert_many(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all have the same keys, in the order given, as one executemany (see
    :func:`insert_rows`)."""
    if rows:
        keys = tuple(rows[0])
        insert_rows(conn, table, keys, [tuple([row[key] for key in keys]) for row in rows])


def insert_rows(conn: sa.Connection, table: sa.Table, columns: Sequence[str],
                rows: Sequence[tuple], ready: tuple[str, ...] = ()) -> None:
    """Insert rows given as tuples of the values of ``columns``, in the order given, as one
    executemany.

    The values are bound as ``conn.execute(table.insert(), rows)`` binds them (each column
    type's own bind processor), but the statement is compiled once per dialect and the rows go
    to the driver as they are: SQLAlchemy's parameter handling of every row costs more than
    SQLite's insert of it. A table whose insert needs more than the given columns (a default
    computed in Python) takes SQLAlchemy's own way. ``ready`` names columns whose every value
    is a bool or a :class:`JsonText`: SQLite's driver binds those as their processors would,
    so on SQLite they are not processed (a row with none left to process is not copied). A
    None would not do for a JSON column: its processor stores the text ``null``.
    """
    if not rows:
        return
    columns = tuple(columns)
    statement = _insert_statement(conn.dialect, table, columns,
                                  ready if conn.dialect.name == "sqlite" else ())
    if statement is None:
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
        return
    sql, positional, order, processors = statement
    if processors:
        rows = [_processed(row, processors) for row in rows]
    if positional:
        rows = rows if order is None else [tuple([row[i] for i in order]) for row in rows]
    else:
        rows = [dict(zip(columns, row)) for row in rows]
    conn.exec_driver_sql(sql, rows)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=64)
def _insert_statement(dialect: sa.Dialect, table: sa.Table, columns: tuple[str, ...],
                      unprocessed: tuple[str, ...] = ()):
    """How to insert tuples of ``columns`` with this dialect: the SQL, whether its parameters
    are positional, the positions in a tuple of the parameters in their order (None: as they
    are) and the bind processors (position, function) of the columns that have one, but the
    ``unprocessed`` ones; None when the insert binds other columns than these."""
    # inline: no RETURNING of the new ids, which PostgreSQL would send back for every row.
    compiled = table.insert().inline().compile(dialect=dialect, column_keys=list(columns))
    names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
    if sorted(names) != sorted(columns):
        return None
    order = None if names == columns else tuple(columns.index(name) for name in names)
    return compiled.string, compiled.positional, order, _processors(dialect, table, columns, unprocessed)


def _processors(dialect: sa.Dialect, table: sa.Table, names: Sequence[str],
                unprocessed: tuple[str, ...] = ()) -> tuple:
    found = ((i, _bind_processor(table.c[name].type, dialect)) for i, name in enumerate(names)
             if name not in unprocessed)
    return tuple((i, process) for i, process in found if process is not None)


def _processed(row: tuple, processors: tuple) -> tuple:
    values = list(row)
    for i, process in processors:
        values[i] = process(values[i])
    return tuple(values)


def _bind_processor(column_type: sa.types.TypeEngine, dialect: sa.Dialect):
    return column_type.dialect_impl(dialect).bind_processor(dialect)


@contextmanager
def write_transaction(engine: sa.Engine, *, exclusive: bool = False) -> Iterator[sa.Connection]:
    """A transaction that may write; ``exclusive`` also makes it the one writer on PostgreSQL.

    SQLite allows one writer at a time anyway: BEGIN IMMEDIATE takes its lock up front.
    """
    with engine.connect() as conn, begin_write(conn, exclusive=exclusive):
        yield conn


@contextmanager
def begin_write(conn: sa.Connection, *, exclusive: bool = False) -> Iterator[sa.Connection]:
    """Begin a write transaction on a connection (see :func:`write_transaction`)."""
    conn.execution_options(**{WRITE_OPTION: True})
    with conn.begin():
        if exclusive and is_postgres(conn):
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_WRITE_LOCK_KEY)))
        yield conn


def alembic_config(
    connection: sa.Connection | None = None, script_location: Path = MIGRATIONS
) -> Config:
    """An Alembic configuration built in code: no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head", script_location: Path = MIGRATIONS) -> None:
    """Migrate the schema up to a revision, refusing a database newer than the code.

    A database already at head is only read: opening it does not wait for a running writer.
    """
    script = ScriptDirectory.from_config(alembic_config(None, script_location))
    with engine.connect() as conn:
        heads = _known_heads(conn, script)
    if revision == "head" and heads == set(script.get_heads()):
        return
    with migration_connection(engine) as conn:
        _known_heads(conn, script)
        command.upgrade(alembic_config(conn, script_location), revision)
        _check_foreign_keys(conn)


def downgrade(engine: sa.Engine, revision: str, script_location: Path = MIGRATIONS) -> None:
    """Migrate the schema down to a revision (``base`` drops everything)."""
    with migration_connection(engine) as conn:
        command.downgrade(alembic_config(conn, script_location), revision)


@contextmanager
def migration_connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    """An exclusive write transaction to migrate in (SQLite: with foreign keys off)."""
    # SQLite rebuilds tables to alter them; with foreign keys on, dropping the old table would
    # cascade. Turn them off for the migration (only possible outside a transaction).
    with engine.connect() as conn:
        sqlite = not is_postgres(conn)
        if sqlite:
            _sqlite_pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            with begin_write(conn, exclusive=True):
                yield conn
        finally:
            if sqlite:
                _sqlite_pragma(conn, "PRAGMA foreign_keys=ON")


def _sqlite_pragma(conn: sa.Connection, pragma: str) -> None:
    conn.connection.dbapi_connection.execute(pragma).fetchall()  # type: ignore[union-attr]


def _known_heads(conn: sa.Connection, script: ScriptDirectory) -> set[str]:
    heads = set(MigrationContext.configure(conn).get_current_heads())
    for revision in heads:
        try:
            script.revision_map.get_revision(revision)
        except RevisionError:
            raise SchemaTooNewError(
                f"the database is at schema revision {revision!r}, which this version of Kelisim "
                f"does not know (it knows up to {script.get_current_head()!r}): "
                "the database was written by a newer Kelisim; upgrade Kelisim to open it"
            ) from None
    return heads


def _check_foreign_keys(conn: sa.Connection) -> None:
    if not is_postgres(conn) and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
        raise StoreError("a migration left rows that break foreign keys; nothing was changed")
