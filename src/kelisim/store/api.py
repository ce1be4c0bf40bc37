"""The Store: the one object through which Kelisim reads and writes its database."""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from kelisim.store import corrections, db, documents, reading, readings, runs, search, sources
from kelisim.store.documents import Writer
from kelisim.store.errors import StoreError
from kelisim.store.facets_api import Facets
from kelisim.store.users_api import UserStore
from kelisim.store.warning_api import WarningStore
from kelisim.store.views import (
    CorrectionView,
    DocumentView,
    ReadingStats,
    SearchPage,
    SourceView,
    StoreStats,
    UnreadDocument,
)


class Store:
    """A Kelisim database: SQLite (embedded, the default) or PostgreSQL, with the same behaviour.

    Open it with :meth:`Store.open`; use it as a context manager or call :meth:`close`.
    Writes of documents go through :meth:`writer`: one writer at a time.
    """

    def __init__(self, engine: sa.Engine, url: str) -> None:
        """Wrap an engine whose schema is already at head (use :meth:`open`)."""
        self._engine = engine
        self._url = url
        self._writer_thread: int | None = None
        self.validators = HttpValidators(self)
        self.warning = WarningStore(self)
        self.users = UserStore(self)

    @classmethod
    def open(cls, url: str) -> Store:
        """Open the database at ``url`` and upgrade its schema to the latest revision.

        Args:
            url: ``sqlite:///PATH`` (the file and its directory are created when missing) or
                ``postgresql://user:password@host/db`` (driven by psycopg 3).

        Returns:
            An open store.

        Raises:
            SchemaTooNewError: the database was written by a newer Kelisim.
            StoreError: the URL is not supported or the database cannot be reached.
        """
        engine = db.make_engine(url)
        try:
            db.upgrade(engine)
        except sa.exc.OperationalError as error:
            engine.dispose()
            raise StoreError(f"cannot open the database {db.redact(url)}: {error.orig}") from error
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, url)

    def close(self) -> None:
        """Close every connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL with its password hidden."""
        return db.redact(self._url)

    @property
    def facets(self) -> Facets:
        """Entities, quotes, ethnic groups, places and the sources' health (``facets_api``)."""
        return Facets(self)

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._engine.dialect.name

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, *, exclusive: bool = False) -> Iterator[sa.Connection]:
        if self._writer_thread == threading.get_ident():
            raise StoreError("this thread holds the writer: write through it, not the store")
        with db.write_transaction(self._engine, exclusive=exclusive) as conn:
            yield conn

    # Sources

    def add_source(
        self, name: str, kind: str, location: str, options: dict[str, Any] | None = None
    ) -> SourceView:
        """Add a source (kind: folder, file, rss, web, sitemap, telegram).

        Raises DuplicateSourceError if the name is taken, InvalidValueError for a bad kind.
        """
        with self._write() as conn:
            return sources.add_source(conn, name, kind, location, options)

    def list_sources(self) -> list[SourceView]:
        """Every source, by name."""
        with self._read() as conn:
            return sources.list_sources(conn)

    def get_source(self, name_or_id: str | int) -> SourceView | None:
        """The source with this name (str) or id (int), if any."""
        with self._read() as conn:
            return sources.get_source(conn, name_or_id)

    def remove_source(self, name_or_id: str | int) -> bool:
        """Remove a source; its documents and reprints stay, with no source. False if unknown."""
        with self._write() as conn:
            return sources.remove_source(conn, name_or_id)

    def set_source_enabled(self, name_or_id: str | int, enabled: bool) -> bool:
        """Enable or disable a source for polling. False if unknown."""
        with self._write() as conn:
            return sources.set_enabled(conn, name_or_id, enabled)

    def record_poll(
        self, source_id: int, *, ok: bool, error: str | None, new_items: int, at: datetime
    ) -> None:
        """Record one poll of a source: its time, success or error, and new items.

        A success clears last_error and consecutive_errors; a failure sets last_error and adds
        one to consecutive_errors. New items add to items_total and set last_item_at.
        Raises UnknownSourceError for an unknown id.
        """
        with self._write() as conn:
            sources.record_poll(conn, source_id, ok=ok, error=error, new_items=new_items, at=at)

    # Ingestion

    def known_origins(self, origins: Iterable[str]) -> dict[str, str]:
        """origin → content_hash for the given origins stored as documents or reprints."""
        with self._read() as conn:
            return documents.known_origins(conn, origins)

    def raw_hashes(self, origins: Iterable[str]) -> dict[str, str]:
        """origin → hash of the raw bytes stored for it (documents and reprints)."""
        with self._read() as conn:
            return documents.raw_hashes(conn, origins)

    def has_origin(self, origin: str) -> bool:
        """Whether a document or a reprint has this origin."""
        with self._read() as conn:
            return documents.has_origin(conn, origin)

    def document_id_by_hash(self, content_hash: str) -> int | None:
        """The id of the canonical document with this content hash, if any."""
        with self._read() as conn:
            return documents.document_id_by_hash(conn, content_hash)

    def document_id_by_origin(self, origin: str) -> int | None:
        """The id of the canonical document stored from this origin, if any."""
        with self._read() as conn:
            return documents.document_id_by_origin(conn, origin)

    def integrity_problems(self) -> list[str]:
        """What is inconsistent in the store (an empty list when all is well)."""
        with self._read() as conn:
            return search.index_problems(conn)

    def iter_signatures(self) -> Iterator[tuple[int, bytes]]:
        """(document id, MinHash signature) of every canonical document, streamed in id order."""
        return documents.iter_signatures(self._engine)

    @contextmanager
    def writer(self) -> Iterator[Writer]:
        """The one write transaction: commits on exit, rolls everything back on an exception.

        On SQLite it holds the database's write lock; on PostgreSQL an advisory lock, so that
        writers in other processes wait their turn on both backends.
        """
        if self._writer_thread == threading.get_ident():
            raise StoreError("this thread already holds the writer")
        with db.write_transaction(self._engine, exclusive=True) as conn:
            self._writer_thread = threading.get_ident()
            try:
                yield Writer(conn)
            finally:
                self._writer_thread = None

    def start_run(self, command: str) -> int:
        """Record the start of a run of a command; returns the run id."""
        with self._write() as conn:
            return runs.start_run(conn, command)

    def finish_run(self, run_id: int, counts: dict[str, Any]) -> None:
        """Record the end of a run and its counts (a JSON-able dict)."""
        with self._write() as conn:
            runs.finish_run(conn, run_id, counts)

    # Reading

    def get_document(self, doc_id: int) -> DocumentView | None:
        """The canonical document with this id, with its reprints and source name, if any."""
        with self._read() as conn:
            return reading.get_document(conn, doc_id)

    def iter_documents(
        self,
        *,
        source: str | int | None = None,
        lang: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> Iterator[DocumentView]:
        """Canonical documents with their reprints, streamed in id order (for export).

        Filters as in :meth:`search`.
        """
        clauses = reading.filter_clauses(
            source=source, lang=lang, date_from=date_from, date_to=date_to
        )
        return reading.iter_documents(self._engine, clauses)

    def search(
        self,
        terms: list[str],
        *,
        source: str | int | None = None,
        lang: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 20,
        offset: int = 0,
        regions: Sequence[str] | None = None,
    ) -> SearchPage:
        """Documents whose title or text contains every term, best first.

        Args:
            terms: lemmas, as ``kelisim.text.terms.query_terms`` makes them; no terms lists
                every document that passes the filters, newest first.
            source: a source name (or id).
            lang: a language code.
            date_from: first date (inclusive) of publication, else of fetching, else of ingestion.
            date_to: last date: a ``date`` includes that whole day (UTC), a ``datetime`` is
                exclusive.
            limit: hits per page.
            offset: hits to skip.
            regions: only documents that count in one of these regions (a scoped user).

        Returns:
            The page of hits and the total number of matching documents. Ranks are comparable
            within one backend only (bm25 on SQLite, ts_rank on PostgreSQL).
        """
        clauses = reading.filter_clauses(
            source=source, lang=lang, date_from=date_from, date_to=date_to, regions=regions
        )
        with self._read() as conn:
            return search.search(conn, terms, clauses, limit, offset)

    def stats(self) -> StoreStats:
        """What the store holds, counted, with its URL (password hidden)."""
        with self._read() as conn:
            counted = runs.stats(conn, self.url)
            return dataclasses.replace(counted, documents_read=readings.count_read(conn))

    # Readings

    def save_readings(
        self, items: Sequence[tuple[int, Mapping[str, Any]]], reader_version: str
    ) -> int:
        """Store the readings of documents, in one transaction, as rows of ``mentions``.

        Args:
            items: (document id, reading) pairs; a reading is the object
                ``kelisim.reading.output.to_json`` makes. An earlier reading of the same document
                is replaced; a document given twice keeps its last reading.
            reader_version: the version of the reader that made them (``unread_documents``
                offers documents read by another version again).

        Returns:
            The number of mentions stored.

        Raises:
            UnknownDocumentError: a document id is not stored.
            InvalidValueError: a reading whose offsets do not index the stored text (or is
                otherwise malformed); the message names the document and nothing of the call
                is written.
        """
        with self._write(exclusive=True) as conn:
            return readings.save(conn, items, reader_version)

    def unread_documents(
        self, reader_version: str, limit: int | None = None
    ) -> Iterator[UnreadDocument]:
        """Canonical documents to read: no reading yet, a reading of another reader version, or
        a text replaced after it was read; streamed in id order (200 per query), at most
        ``limit``."""
        return readings.iter_unread(self._engine, reader_version, limit)

    def unread_ids(self, reader_version: str, limit: int | None = None) -> Iterator[int]:
        """The ids of the documents :meth:`unread_documents` gives, without their texts,
        streamed in id order, at most ``limit``."""
        return readings.iter_unread_ids(self._engine, reader_version, limit)

    def unread_among(self, doc_ids: Sequence[int], reader_version: str) -> list[UnreadDocument]:
        """Those of these documents that are still unread by ``reader_version``, in id order
        (unknown ids are left out)."""
        with self._read() as conn:
            return readings.unread_among(conn, doc_ids, reader_version)

    def get_reading(self, doc_id: int) -> dict[str, Any] | None:
        """The stored reading of a document, shaped as ``to_json`` makes it (``id`` is the
        document id as a string, ``text`` the stored text), with the analysts' corrections in
        force applied and marked, and their history as ``corrections``; None if it has no
        reading that is current.
        """
        with self._read() as conn:
            found = readings.load(conn, doc_id)
            return None if found is None else corrections.overlay(found, corrections.history(conn, doc_id))

    def get_readings(self, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """:meth:`get_reading` of several documents in a few queries, by document id; those
        with no current reading are left out."""
        with self._read() as conn:
            found = readings.load_many(conn, doc_ids)
            history: dict[int, list] = defaultdict(list)
            for item in corrections.history(conn, list(found)) if found else ():
                history[item.document_id].append(item)
            return {doc_id: corrections.overlay(reading, history[doc_id]) for doc_id, reading in found.items()}

    # Corrections

    def add_correction(self, doc_id: int, field: str, value: Any, author: str, *,
                       target: str = "", comment: str | None = None) -> CorrectionView:
        """Record an analyst's correction of one decision of a document and put it in force.

        Args:
            doc_id: the document.
            field: ``relevant`` (bool), ``event_type`` (a type id), ``attitude`` (−1/0/1 toward
                ``target``, a group id), ``hostile`` (bool) or ``tension_label``.
            value: the analyst's value.
            author: who corrects (kept with the time).
            target: the group, for an attitude.
            comment: why, optionally.

        Raises:
            UnknownDocumentError: no such document.
            InvalidValueError: an unknown field, a value of the wrong kind, no author.
        """
        with self._write() as conn:
            return corrections.add(conn, doc_id, field, value, author, target, comment)

    def corrections(self, doc_id: int | None = None, field: str | None = None) -> list[CorrectionView]:
        """The corrections made, oldest first, of one document and/or one field, or all."""
        with self._read() as conn:
            return corrections.history(conn, doc_id, field)

    def reading_stats(self, top: int = 10) -> ReadingStats:
        """Documents read, mentions by kind, the ``top`` ethnic groups and regions by documents."""
        with self._read() as conn:
            return readings.stats(conn, top)


class HttpValidators:
    """ETag and Last-Modified per URL, for conditional requests."""

    def __init__(self, store: Store) -> None:
        """Bind to a store."""
        self._store = store

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) last seen for the URL, or None."""
        with self._store._read() as conn:
            return sources.get_validators(conn, url)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of a URL's last response."""
        with self._store._write() as conn:
            sources.put_validators(conn, url, etag, last_modified)
