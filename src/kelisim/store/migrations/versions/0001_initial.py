"""Initial schema: sources, documents, reprints, HTTP validators, runs, skips, search index.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the types in kelisim.store.schema: a migration must not change later.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table, then the search index of the backend."""
    _sources()
    _documents()
    _reprints()
    _bookkeeping()
    if op.get_context().dialect.name == "postgresql":
        _postgres_search()
    else:
        _sqlite_search()


def downgrade() -> None:
    """Drop everything."""
    if op.get_context().dialect.name != "postgresql":
        op.execute("DROP TRIGGER IF EXISTS documents_search_delete")
    for table in ("search_index", "skips", "runs", "http_validators", "reprints", "documents"):
        op.drop_table(table)
    op.drop_table("sources")


def _sources() -> None:
    op.create_table(
        "sources",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("options", Json, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("last_polled_at", Stamp),
        sa.Column("last_ok_at", Stamp),
        sa.Column("last_item_at", Stamp),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_errors", sa.Integer, nullable=False),
        sa.Column("items_total", sa.BigInteger, nullable=False),
        sa.CheckConstraint(
            "kind IN ('folder', 'file', 'rss', 'web', 'sitemap', 'telegram')",
            name="ck_sources_kind",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("name", name="uq_sources_name"),
    )


def _documents() -> None:
    op.create_table(
        "documents",
        sa.Column("id", Id, nullable=False),
        sa.Column("source_id", Id),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published_at", Stamp),
        sa.Column("published_from", sa.String(8)),
        sa.Column("fetched_at", Stamp),
        sa.Column("ingested_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("cleaning", Json, nullable=False),
        sa.Column("meta", Json, nullable=False),
        sa.CheckConstraint(
            "published_from IN ('metadata', 'text')", name="ck_documents_published_from"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_documents_source_id_sources",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("origin", name="uq_documents_origin"),
        sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    )
    op.create_index("ix_documents_source_id", "documents", ["source_id"])
    op.create_index("ix_documents_published_at", "documents", ["published_at"])
    op.create_index("ix_documents_lang", "documents", ["lang"])
    op.create_index(
        "ix_documents_date",
        "documents",
        [sa.text("coalesce(published_at, fetched_at, ingested_at)")],
    )


def _reprints() -> None:
    op.create_table(
        "reprints",
        sa.Column("id", Id, nullable=False),
        sa.Column("document_id", Id, nullable=False),
        sa.Column("source_id", Id),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published_at", Stamp),
        sa.Column("fetched_at", Stamp),
        sa.Column("ingested_at", Stamp, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("text", sa.Text),
        sa.CheckConstraint("kind IN ('exact', 'near')", name="ck_reprints_kind"),
        sa.CheckConstraint(
            "similarity >= 0 AND similarity <= 1", name="ck_reprints_similarity"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_reprints_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_reprints_source_id_sources",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reprints"),
        sa.UniqueConstraint("origin", name="uq_reprints_origin"),
    )
    op.create_index("ix_reprints_document_id", "reprints", ["document_id"])
    op.create_index("ix_reprints_source_id", "reprints", ["source_id"])
    op.create_index("ix_reprints_content_hash", "reprints", ["content_hash"])


def _bookkeeping() -> None:
    op.create_table(
        "http_validators",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_http_validators"),
    )
    op.create_table(
        "runs",
        sa.Column("id", Id, nullable=False),
        sa.Column("command", sa.String(200), nullable=False),
        sa.Column("started_at", Stamp, nullable=False),
        sa.Column("finished_at", Stamp),
        sa.Column("counts", Json, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_table(
        "skips",
        sa.Column("id", Id, nullable=False),
        sa.Column("run_id", Id),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_skips_run_id_runs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_skips"),
    )
    op.create_index("ix_skips_run_id", "skips", ["run_id"])
    op.create_index("ix_skips_reason", "skips", ["reason"])


def _sqlite_search() -> None:
    # unicode61 without diacritic folding: folding would merge «й» into «и», PostgreSQL not.
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 0')"
    )
    # FTS5 tables take no foreign keys: a trigger keeps the index free of deleted documents.
    op.execute(
        "CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN "
        "DELETE FROM search_index WHERE rowid = old.id; END"
    )


def _postgres_search() -> None:
    op.create_table(
        "search_index",
        sa.Column("document_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("vector", postgresql.TSVECTOR, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_search_index_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name="pk_search_index"),
    )
    op.create_index(
        "ix_search_index_vector", "search_index", ["vector"], postgresql_using="gin"
    )
