"""Writing canonical documents and reprints, and the look-ups that ingestion needs."""

from __future__ import annotations

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
_RAW_HASHES_BY_ORIGIN = [
    sa.select(table.c.origin, table.c.raw_hash).where(
        table.c.origin.in_(sa.bindparam("origins", expanding=True)), table.c.raw_hash.is_not(None)
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
_IDS_BY_HASH = sa.select(documents.c.content_hash, documents.c.id).where(
    documents.c.content_hash.in_(sa.bindparam("hashes", expanding=True)))
_IDS_BY_ORIGIN = sa.select(documents.c.origin, documents.c.id).where(
    documents.c.origin.in_(sa.bindparam("origins", expanding=True)))
_HASHES_BY_ID = sa.select(documents.c.id, documents.c.content_hash).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)))
_ID_BY_ORIGIN = sa.select(documents.c.id).where(documents.c.origin == sa.bindparam("origin"))
# Many rows per statement; ids come back in the order of the rows given.
_INSERT_DOCUMENTS = documents.insert().returning(documents.c.id, sort_by_parameter_order=True)
_INSERT_REPRINTS = reprints.insert().returning(reprints.c.id, sort_by_parameter_order=True)
_INSERT_SKIPS = skips.insert().returning(skips.c.id, sort_by_parameter_order=True)


def known_origins(conn: sa.Connection, origins: Iterable[str]) -> dict[str, str]:
    """origin → content_hash for the given origins already stored as documents or reprints."""
    found: dict[str, str] = {}
    for chunk in _chunks(list(dict.fromkeys(origins)), CHUNK):
        for query in _HASHES_BY_ORIGIN:
            rows = conn.execute(query, {"origins": chunk})
            found.update((origin, content_hash) for origin, content_hash in rows)
    return found


def raw_hashes(conn: sa.Connection, origins: Iterable[str]) -> dict[str, str]:
    """origin → raw_hash for the given origins stored (with a raw hash) as documents or reprints."""
    found: dict[str, str] = {}
    for chunk in _chunks(list(dict.fromkeys(origins)), CHUNK):
        for query in _RAW_HASHES_BY_ORIGIN:
            found.update((origin, raw) for origin, raw in conn.execute(query, {"origins": chunk}))
    return found


def has_origin(conn: sa.Connection, origin: str) -> bool:
    """Whether a document or a reprint has this origin."""
    return bool(conn.scalar(_HAS_ORIGIN, {"origin": origin}))


def document_id_by_hash(conn: sa.Connection, content_hash: str) -> int | None:
    """The id of the canonical document with this content hash, if any."""
    return conn.scalar(_ID_BY_HASH, {"hash": content_hash})


def ids_by_hashes(conn: sa.Connection, hashes: Iterable[str]) -> dict[str, int]:
    """content_hash → id of the canonical documents with the given hashes."""
    found: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(hashes)), CHUNK):
        found.update((h, doc_id) for h, doc_id in conn.execute(_IDS_BY_HASH, {"hashes": chunk}))
    return found


def ids_by_origins(conn: sa.Connection, origins: Iterable[str]) -> dict[str, int]:
    """origin → id of the canonical documents stored from the given origins (not reprints)."""
    found: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(origins)), CHUNK):
        found.update((o, doc_id) for o, doc_id in conn.execute(_IDS_BY_ORIGIN, {"origins": chunk}))
    return found


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
        """Store a canonical document and its search-index row; returns its id."""
        return self.add_documents([doc])[0]

    def add_documents(self, docs: list[CleanDocument]) -> list[int]:
        """Store canonical documents and their search-index rows; returns their ids in order.

        Raises DuplicateOriginError if an origin is stored (as a document or a reprint) or given
        twice, and DuplicateContentError if a content hash is stored or given twice.
        """
        for doc in docs:
            _check_storable(doc)
        self._check_new_origins([doc.origin for doc in docs])
        self._check_new_hashes([doc.content_hash for doc in docs])
        if not docs:
            return []
        stamp = now()
        values = [_document_values(doc) | {"origin": doc.origin, "ingested_at": stamp}
                  for doc in docs]
        ids = list(self._conn.execute(_INSERT_DOCUMENTS, values).scalars())
        search.index_documents(self._conn, [(i, d.title, d.index_terms) for i, d in zip(ids, docs)])
        return ids

    def add_reprint(
        self, doc: CleanDocument, canonical_id: int, kind: str, similarity: float
    ) -> int:
        """Store a mention of canonical document ``canonical_id`` (kind 'exact' or 'near')."""
        return self.add_reprints([(doc, canonical_id, kind, similarity)])[0]

    def add_reprints(self, entries: list[tuple[CleanDocument, int, str, float]]) -> list[int]:
        """Store mentions: (reprint, canonical document id, 'exact' or 'near', similarity)."""
        for doc, _canonical, kind, similarity in entries:
            _check_reprint(doc, kind, similarity)
        hashes = self._canonical_hashes([canonical for _, canonical, _, _ in entries])
        self._check_new_origins([doc.origin for doc, *_ in entries])
        if not entries:
            return []
        stamp = now()
        values = [_reprint_values(doc, canonical, kind, similarity, hashes[canonical], stamp)
                  for doc, canonical, kind, similarity in entries]
        return list(self._conn.execute(_INSERT_REPRINTS, values).scalars())

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
        return self.record_skips(run_id, [skip])[0]

    def record_skips(self, run_id: int | None, skipped: list[Skip]) -> list[int]:
        """Record inputs that were not stored, for the run's report."""
        if not skipped:
            return []
        stamp = now()
        values = [{"run_id": run_id, "origin": skip.origin, "reason": skip.reason,
                   "message": skip.message, "at": stamp} for skip in skipped]
        return list(self._conn.execute(_INSERT_SKIPS, values).scalars())

    def ids_by_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        """content_hash → canonical document id, this transaction included."""
        return ids_by_hashes(self._conn, hashes)

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

    def ids_by_origins(self, origins: Iterable[str]) -> dict[str, int]:
        """origin → canonical document id, this transaction included."""
        return ids_by_origins(self._conn, origins)

    def _check_new_origins(self, origins: list[str]) -> None:
        stored = known_origins(self._conn, origins)
        repeated = _first_repeated(origins)
        if stored or repeated:
            origin = next(iter(stored), repeated)
            raise DuplicateOriginError(f"origin {origin!r} is already stored")

    def _check_new_hashes(self, hashes: list[str]) -> None:
        existing = ids_by_hashes(self._conn, hashes)
        if existing:
            raise DuplicateContentError(
                f"document {next(iter(existing.values()))} already has this content hash")
        if _first_repeated(hashes):
            raise DuplicateContentError("two documents of one batch have the same content hash")

    def _check_new_hash(self, content_hash: str) -> None:
        self._check_new_hashes([content_hash])

    def _canonical_hashes(self, doc_ids: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in _chunks(list(dict.fromkeys(doc_ids)), CHUNK):
            found.update((i, h) for i, h in self._conn.execute(_HASHES_BY_ID, {"ids": chunk}))
        missing = set(doc_ids) - set(found)
        if missing:
            raise UnknownDocumentError(f"no document with id {min(missing)}")
        return found

    def _canonical_hash(self, doc_id: int) -> str:
        return self._canonical_hashes([doc_id])[doc_id]

    def _keep_reprint_texts(self, doc_id: int) -> None:
        # Exact reprints store no text of their own; give them the text they were a copy of.
        old_text = sa.select(documents.c.text).where(documents.c.id == doc_id).scalar_subquery()
        query = (
            reprints.update()
            .where(reprints.c.document_id == doc_id, reprints.c.text.is_(None))
            .values(text=old_text)
        )
        self._conn.execute(query)


def _first_repeated(values: list[str]) -> str | None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def _check_reprint(doc: CleanDocument, kind: str, similarity: float) -> None:
    if kind not in REPRINT_KINDS:
        raise InvalidValueError(f"unknown reprint kind {kind!r}: use 'exact' or 'near'")
    if not 0.0 <= similarity <= 1.0:
        raise InvalidValueError(f"similarity {similarity} is outside [0, 1]")
    _check_storable(doc)


def _reprint_values(doc: CleanDocument, canonical_id: int, kind: str, similarity: float,
                    canonical_hash: str, stamp) -> dict[str, Any]:
    return {
        "document_id": canonical_id,
        "source_id": doc.source_id,
        "origin": doc.origin,
        "url": doc.url,
        "title": doc.title,
        "published_at": doc.published,
        "fetched_at": doc.fetched_at,
        "ingested_at": stamp,
        "kind": kind,
        "similarity": similarity,
        "content_hash": doc.content_hash,
        "raw_hash": doc.raw_hash,
        "text": None if doc.content_hash == canonical_hash else doc.text,
    }


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
        "raw_hash": doc.raw_hash,
        "signature": doc.signature,
        "cleaning": dict(vars(doc.cleaning)),  # asdict() deep-copies: 10x slower
        "meta": doc.meta,
    }


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
