"""Mentions' region and reference indexes hold only the rows that have one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

Most mentions have no region (99%) and no knowledge-base or gazetteer reference (82%); their
index entries were never looked up (every query on these columns asks for a value) but were
written with every reading stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Rebuild ix_mentions_region_kato and ix_mentions_kind_ref as partial indexes."""
    op.drop_index("ix_mentions_region_kato", table_name="mentions")
    op.drop_index("ix_mentions_kind_ref", table_name="mentions")
    region, ref = sa.text("region_kato IS NOT NULL"), sa.text("ref IS NOT NULL")
    op.create_index("ix_mentions_region_kato", "mentions", ["region_kato"],
                    sqlite_where=region, postgresql_where=region)
    op.create_index("ix_mentions_kind_ref", "mentions", ["kind", "ref"],
                    sqlite_where=ref, postgresql_where=ref)


def downgrade() -> None:
    """Rebuild them over every row again."""
    op.drop_index("ix_mentions_region_kato", table_name="mentions")
    op.drop_index("ix_mentions_kind_ref", table_name="mentions")
    op.create_index("ix_mentions_region_kato", "mentions", ["region_kato"])
    op.create_index("ix_mentions_kind_ref", "mentions", ["kind", "ref"])
