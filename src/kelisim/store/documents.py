"""Writing canonical documents and reprints, and the look-ups that ingestion needs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from kelisim.records import CleanDocument, Skip
from kelisim.store import search
from kelisim.store.errors import (
    DuplicateContentError,
    DuplicateOriginError,
    InvalidValueError,
    UnknownDocumentError,
)
from kelisim.store.schema import REPRINT_KINDS, documents, now, reprints, skips

CHUNK = 500  # origins per IN (…) query: far below SQLite's and PostgreSQL's parameter limits
SIGNATURE_BATCH = 5_000

# Built once: the writer runs these per document, and building a statement costs more than
# running it on SQLite.
_HASHES_BY_ORIGIN = [
    sa.select(table.c.origin, table.c.content_hash).where(
        table.c.origin.in_(sa.bindparam("origins", expanding=True))
    )
    for table in (documents, reprints)
]
_HAS_ORIGIN = sa.select(
    sa.or_(
        sa.exists().where(documents.c.origin == sa.bindparam("origin")),
        sa.exists().where(reprints.c.origin == sa.bindparam("origin")),
    )
)
_ID_BY_HASH = sa.select(documents.c.id).where(documents.c.content_hash == sa.bindparam("hash"))
_ID_BY_ORIGIN = sa.select(documents.c.id).where(documents.c.origin == sa.bindparam("origin"))
_INSERT_DOCUMENT = documents.insert().returning(documents.c.id)
_INSERT_REPRINT = reprints.insert().returning(reprints.c.id)
_INSERT_SKIP = skips.insert().returning(skips.c.id)


def known_origins(conn: sa.Connection, origins: Iterable[str]) -> dict[str, str]:
    """origin → content_hash for the given origins already stored as documents or reprints."""
    found: dict[str, str] = {}
    for chunk in _chunks(list(dict.fromkeys(origins)), CHUNK):
        for query in _HASHES_BY_ORIGIN:
            rows = conn.execute(query, {"origins": chunk})
            found.update((origin, content_hash) for origin, content_hash in rows)
    return found


def has_origin(conn: sa.Connection, origin: str) -> bool:
    """Whether a document or a reprint has this origin."""
    return bool(conn.scalar(_HAS_ORIGIN, {"origin": origin}))


def document_id_by_hash(conn: sa.Connection, content_hash: str) -> int | None:
    """The id of the canonical document with this content hash, if any."""
    return conn.scalar(_ID_BY_HASH, {"hash": content_hash})


def document_id_by_origin(conn: sa.Connection, origin: str) -> int | None:
    """The id of the canonical document stored from this origin, if any (not reprints)."""
    return conn.scalar(_ID_BY_ORIGIN, {"origin": origin})


def iter_signatures(engine: sa.Engine) -> Iterator[tuple[int, bytes]]:
    """(document id, MinHash signature) of every canonical document, in id order, in batches."""
    last = 0
    while True:
        query = (
            sa.select(documents.c.id, documents.c.signature)
            .where(documents.c.id > last)
            .order_by(documents.c.id)
            .limit(SIGNATURE_BATCH)
        )
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        for doc_id, signature in rows:
            yield doc_id, bytes(signature)
        if len(rows) < SIGNATURE_BATCH:
            return
        last = rows[-1][0]


class Writer:
    """One write transaction: documents, reprints and skips go in together or not at all.

    Its look-ups (``known_origins``, ``has_origin``, ``document_id_by_hash``,
    ``document_id_by_origin``) see what this transaction has written so far.
    """

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def add_document(self, doc: CleanDocument) -> int:
        """Store a canonical document and its search-index row; returns its id.

        Raises DuplicateOriginError if the origin is stored (as a document or a reprint) and
        DuplicateContentError if a document has the same content hash.
        """
        _check_storable(doc)
        self._check_new_origin(doc.origin)
        self._check_new_hash(doc.content_hash)
        values = _document_values(doc) | {"origin": doc.origin, "ingested_at": now()}
        doc_id = self._conn.execute(_INSERT_DOCUMENT, values).scalar_one()
        search.index_document(self._conn, doc_id, doc.title, doc.index_terms)
        return doc_id

    def add_reprint(
        self, doc: CleanDocument, canonical_id: int, kind: str, similarity: float
    ) -> int:
        """Store a mention of canonical document ``canonical_id`` (kind 'exact' or 'near')."""
        if kind not in REPRINT_KINDS:
            raise InvalidValueError(f"unknown reprint kind {kind!r}: use 'exact' or 'near'")
        if not 0.0 <= similarity <= 1.0:
            raise InvalidValueError(f"similarity {similarity} is outside [0, 1]")
        _check_storable(doc)
        canonical_hash = self._canonical_hash(canonical_id)
        self._check_new_origin(doc.origin)
        values = {
            "document_id": canonical_id,
            "source_id": doc.source_id,
            "origin": doc.origin,
            "url": doc.url,
            "title": doc.title,
            "published_at": doc.published,
            "fetched_at": doc.fetched_at,
            "ingested_at": now(),
            "kind": kind,
            "similarity": similarity,
            "content_hash": doc.content_hash,
            "text": None if doc.content_hash == canonical_hash else doc.text,
        }
        return self._conn.execute(_INSERT_REPRINT, values).scalar_one()

    def update_document(self, doc_id: int, doc: CleanDocument) -> None:
        """Replace a document whose text changed at the same origin: text, hash, index…"""
        _check_storable(doc)
        old_hash = self._canonical_hash(doc_id)
        origin = self._conn.scalar(sa.select(documents.c.origin).where(documents.c.id == doc_id))
        if origin != doc.origin:
            raise InvalidValueError(f"document {doc_id} has origin {origin!r}, not {doc.origin!r}")
        if doc.content_hash != old_hash:
            self._check_new_hash(doc.content_hash)
            self._keep_reprint_texts(doc_id)
        values = _document_values(doc) | {"updated_at": now()}
        self._conn.execute(documents.update().where(documents.c.id == doc_id).values(values))
        search.reindex_document(self._conn, doc_id, doc.title, doc.index_terms)

    def record_skip(self, run_id: int | None, skip: Skip) -> int:
        """Record an input that was not stored, for the run's report."""
        values = {"run_id": run_id, "origin": skip.origin, "reason": skip.reason,
                  "message": skip.message, "at": now()}
        return self._conn.execute(_INSERT_SKIP, values).scalar_one()

    def known_origins(self, origins: Iterable[str]) -> dict[str, str]:
        """origin → content_hash of the given origins stored, this transaction included."""
        return known_origins(self._conn, origins)

    def has_origin(self, origin: str) -> bool:
        """Whether a document or reprint has this origin (this transaction included)."""
        return has_origin(self._conn, origin)

    def document_id_by_hash(self, content_hash: str) -> int | None:
        """The canonical document with this content hash (this transaction included)."""
        return document_id_by_hash(self._conn, content_hash)

    def document_id_by_origin(self, origin: str) -> int | None:
        """The canonical document at this origin (this transaction included)."""
        return document_id_by_origin(self._conn, origin)

    def _check_new_origin(self, origin: str) -> None:
        if has_origin(self._conn, origin):
            raise DuplicateOriginError(f"origin {origin!r} is already stored")

    def _check_new_hash(self, content_hash: str) -> None:
        existing = document_id_by_hash(self._conn, content_hash)
        if existing is not None:
            raise DuplicateContentError(f"document {existing} already has this content hash")

    def _canonical_hash(self, doc_id: int) -> str:
        query = sa.select(documents.c.content_hash).where(documents.c.id == doc_id)
        content_hash = self._conn.scalar(query)
        if content_hash is None:
            raise UnknownDocumentError(f"no document with id {doc_id}")
        return content_hash

    def _keep_reprint_texts(self, doc_id: int) -> None:
        # Exact reprints store no text of their own; give them the text they were a copy of.
        old_text = sa.select(documents.c.text).where(documents.c.id == doc_id).scalar_subquery()
        query = (
            reprints.update()
            .where(reprints.c.document_id == doc_id, reprints.c.text.is_(None))
            .values(text=old_text)
        )
        self._conn.execute(query)


def _check_storable(doc: CleanDocument) -> None:
    # PostgreSQL cannot store NUL in text; refuse it on both backends alike.
    for name in ("origin", "text", "title", "author", "url"):
        if "\x00" in (getattr(doc, name) or ""):
            raise InvalidValueError(f"the {name} of {doc.origin!r} contains a NUL character")


def _document_values(doc: CleanDocument) -> dict[str, Any]:
    return {
        "source_id": doc.source_id,
        "url": doc.url,
        "title": doc.title,
        "author": doc.author,
        "published_at": doc.published,
        "published_from": doc.published_from,
        "fetched_at": doc.fetched_at,
        "lang": doc.lang,
        "text": doc.text,
        "chars": len(doc.text),
        "content_hash": doc.content_hash,
        "signature": doc.signature,
        "cleaning": dataclasses.asdict(doc.cleaning),
        "meta": doc.meta,
    }


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
