"""Reading canonical documents back: one with its reprints, or all of them streamed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from kelisim.store.schema import document_date, document_days, documents, reprints, sources, utc
from kelisim.store.views import DocumentView, ReprintView

EXPORT_BATCH = 500
_DOCUMENT_FIELDS = [
    name for name in DocumentView.__dataclass_fields__ if name not in ("source", "reprints")
]
_REPRINT_FIELDS = [name for name in ReprintView.__dataclass_fields__ if name != "source"]


def filter_clauses(
    *,
    source: str | int | None = None,
    lang: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    regions: Sequence[str] | None = None,
) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses on documents: source (name or id), language, date range, and (``regions``)
    only documents that count in one of these regions.

    The date is published_at, else fetched_at, else ingested_at. ``date_from`` is inclusive and
    ``date_to`` exclusive; a plain ``date`` means midnight UTC, and as ``date_to`` it includes
    the whole day.
    """
    clauses: list[sa.ColumnElement[bool]] = []
    if source is not None:
        column = sources.c.id if isinstance(source, int) else sources.c.name
        source_id = sa.select(sources.c.id).where(column == source).scalar_subquery()
        clauses.append(documents.c.source_id == source_id)
    if lang is not None:
        clauses.append(documents.c.lang == lang)
    if date_from is not None:
        clauses.append(document_date >= _instant(date_from, end=False))
    if date_to is not None:
        clauses.append(document_date < _instant(date_to, end=True))
    if regions is not None:
        placed = sa.select(document_days.c.document_id).where(
            document_days.c.region_kato.in_(list(regions)))
        clauses.append(documents.c.id.in_(placed))
    return clauses


def _instant(value: date, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return utc(value)
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def get_document(conn: sa.Connection, doc_id: int) -> DocumentView | None:
    """The canonical document with this id, with its reprints, if any."""
    rows = conn.execute(_documents_query().where(documents.c.id == doc_id)).mappings().all()
    return _with_reprints(conn, rows)[0] if rows else None


def iter_documents(
    engine: sa.Engine, clauses: list[sa.ColumnElement[bool]]
) -> Iterator[DocumentView]:
    """Every canonical document that passes the clauses, in id order, read in batches."""
    last = 0
    while True:
        query = (
            _documents_query()
            .where(*clauses, documents.c.id > last)
            .order_by(documents.c.id)
            .limit(EXPORT_BATCH)
        )
        with engine.connect() as conn:
            views = _with_reprints(conn, conn.execute(query).mappings().all())
        yield from views
        if len(views) < EXPORT_BATCH:
            return
        last = views[-1].id


def _documents_query() -> sa.Select:
    columns = [documents.c[name] for name in _DOCUMENT_FIELDS]
    return sa.select(*columns, sources.c.name.label("source")).select_from(
        documents.outerjoin(sources, documents.c.source_id == sources.c.id)
    )


def _with_reprints(conn: sa.Connection, rows: Sequence[sa.RowMapping]) -> list[DocumentView]:
    texts = {row["id"]: row["text"] for row in rows}
    found: dict[int, list[ReprintView]] = {doc_id: [] for doc_id in texts}
    query = (
        sa.select(*[reprints.c[name] for name in _REPRINT_FIELDS], sources.c.name.label("source"))
        .select_from(reprints.outerjoin(sources, reprints.c.source_id == sources.c.id))
        .where(reprints.c.document_id.in_(list(texts)))
        .order_by(reprints.c.id)
    )
    for row in conn.execute(query).mappings():
        fields = dict(row)
        fields["text"] = fields["text"] if fields["text"] is not None else texts[row["document_id"]]
        found[row["document_id"]].append(ReprintView(**fields))
    return [DocumentView(**row, reprints=tuple(found[row["id"]])) for row in rows]
