"""The hash of each stored item's raw bytes, so that unchanged input is skipped before cleaning.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("documents", "reprints")


def upgrade() -> None:
    """Add a nullable raw_hash to documents and reprints (rows stored before stay NULL)."""
    for table in TABLES:
        op.add_column(table, sa.Column("raw_hash", sa.String(64)))


def downgrade() -> None:
    """Drop raw_hash again."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("raw_hash")
