"""Readings of documents: one row per document read, one row per mention it found.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the types in kelisim.store.schema: a migration must not change later.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)
# Plain JSON on both backends (not JSONB): the data come back with their keys in order.
JsonText = sa.JSON()


def upgrade() -> None:
    """Create ``readings`` and ``mentions`` with the indexes later stages query by."""
    _readings()
    _mentions()


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("mentions")
    op.drop_table("readings")


def _readings() -> None:
    op.create_table(
        "readings",
        sa.Column("document_id", Id, nullable=False, autoincrement=False),
        sa.Column("reader_version", sa.String(32), nullable=False),
        sa.Column("read_at", Stamp, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("data", JsonText, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_readings_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name="pk_readings"),
    )


def _mentions() -> None:
    op.create_table(
        "mentions",
        sa.Column("id", Id, nullable=False),
        sa.Column("document_id", Id, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(32)),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("value", sa.String(512)),
        sa.Column("ref", sa.String(128)),
        sa.Column("region_kato", sa.String(16)),
        sa.Column("flag", sa.Boolean, nullable=False),
        sa.Column("data", JsonText, nullable=False),
        sa.CheckConstraint(
            "kind IN ('entity', 'place', 'ethnic', 'quote', 'attribution')",
            name="ck_mentions_kind",
        ),
        sa.CheckConstraint('start >= 0 AND "end" >= start', name="ck_mentions_span"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_mentions_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
    )
    op.create_index("ix_mentions_document_id", "mentions", ["document_id"])
    op.create_index("ix_mentions_kind_ref", "mentions", ["kind", "ref"])
    op.create_index("ix_mentions_kind_value", "mentions", ["kind", "value"])
    op.create_index("ix_mentions_region_kato", "mentions", ["region_kato"])
