"""Understanding: the decisions of a reading as columns to query by, and analysts' corrections.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the types in kelisim.store.schema: a migration must not change later.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)
JsonText = sa.JSON()

_DECISIONS = (
    ("relevance", sa.Float),
    ("relevant", sa.Boolean),
    ("event_type", sa.String(32)),
    ("tension", sa.Float),
    ("tension_label", sa.String(16)),
    ("hostility", sa.Float),
    ("hostile", sa.Boolean),
)


def upgrade() -> None:
    """Add the decision columns to ``readings`` and create ``corrections``."""
    with op.batch_alter_table("readings") as batch:
        for name, kind in _DECISIONS:
            batch.add_column(sa.Column(name, kind))
    op.create_index("ix_readings_relevant", "readings", ["relevant"])
    op.create_index("ix_readings_event_type", "readings", ["event_type"])
    op.create_table(
        "corrections",
        sa.Column("id", Id, nullable=False),
        sa.Column("document_id", Id, nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("target", sa.String(128), nullable=False),
        sa.Column("value", JsonText, nullable=False),
        sa.Column("machine", JsonText),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint(
            "field IN ('relevant', 'event_type', 'attitude', 'hostile', 'tension_label')",
            name="ck_corrections_field",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_corrections_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_corrections"),
    )
    op.create_index("ix_corrections_document_id", "corrections", ["document_id"])
    op.create_index("ix_corrections_field", "corrections", ["field"])


def downgrade() -> None:
    """Drop ``corrections`` and the decision columns."""
    op.drop_table("corrections")
    op.drop_index("ix_readings_event_type", "readings")
    op.drop_index("ix_readings_relevant", "readings")
    with op.batch_alter_table("readings") as batch:
        for name, _kind in reversed(_DECISIONS):
            batch.drop_column(name)
