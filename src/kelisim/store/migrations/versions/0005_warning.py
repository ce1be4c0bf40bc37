"""Early warning: document days, stories and their documents, incidents, alerts, deliveries.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the types in kelisim.store.schema: a migration must not change later.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)
JsonText = sa.JSON()


def _fk(column: str, table: str, name: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=name, ondelete=ondelete)


def upgrade() -> None:
    """Create the tables of the warning stage."""
    op.create_table(
        "document_days",
        sa.Column("document_id", Id, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("region_kato", sa.String(16)),
        sa.Column("district_kato", sa.String(16)),
        sa.Column("read_at", Stamp, nullable=False),
        _fk("document_id", "documents", "fk_document_days_document_id_documents", "CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_days"),
    )
    for column in ("region_kato", "district_kato"):
        op.create_index(f"ix_document_days_{column}_day", "document_days", [column, "day"])
    op.create_table(
        "stories",
        sa.Column("id", Id, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("first_at", Stamp, nullable=False),
        sa.Column("last_at", Stamp, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("reprints", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(32)),
        sa.Column("region_kato", sa.String(16)),
        sa.Column("district_kato", sa.String(16)),
        sa.Column("groups", JsonText, nullable=False),
        sa.Column("relevant", sa.Boolean, nullable=False),
        sa.Column("hostile", sa.Integer, nullable=False),
        sa.Column("last_24h", sa.Integer, nullable=False),
        sa.Column("breaking", sa.Boolean, nullable=False),
        sa.Column("centroid", JsonText, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    for column in ("first_at", "last_at", "event_type", "region_kato"):
        op.create_index(f"ix_stories_{column}", "stories", [column])
    op.create_table(
        "story_documents",
        sa.Column("document_id", Id, nullable=False),
        sa.Column("story_id", Id, nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("added_at", Stamp, nullable=False),
        _fk("document_id", "documents", "fk_story_documents_document_id_documents", "CASCADE"),
        _fk("story_id", "stories", "fk_story_documents_story_id_stories", "CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name="pk_story_documents"),
    )
    op.create_index("ix_story_documents_story_id", "story_documents", ["story_id"])
    _incidents()
    _alerts()
    op.create_table(
        "warning_state",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", JsonText, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_warning_state"),
    )


def _incidents() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", Id, nullable=False),
        sa.Column("story_id", Id),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("subtype", sa.String(48)),
        sa.Column("groups", JsonText, nullable=False),
        sa.Column("region_kato", sa.String(16)),
        sa.Column("district_kato", sa.String(16)),
        sa.Column("settlement_kato", sa.String(16)),
        sa.Column("geo_precision", sa.Integer, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("time_precision", sa.Integer, nullable=False),
        sa.Column("killed", sa.Integer),
        sa.Column("injured", sa.Integer),
        sa.Column("detained", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("edited", JsonText, nullable=False),
        sa.Column("evidence", JsonText, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.CheckConstraint("status IN ('flagged', 'verified', 'closed')",
                           name="ck_incidents_status"),
        sa.CheckConstraint("geo_precision BETWEEN 1 AND 3", name="ck_incidents_geo_precision"),
        sa.CheckConstraint("time_precision BETWEEN 1 AND 3", name="ck_incidents_time_precision"),
        _fk("story_id", "stories", "fk_incidents_story_id_stories", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.UniqueConstraint("story_id", name="uq_incidents_story_id"),
    )
    for column in ("type", "region_kato", "date", "status"):
        op.create_index(f"ix_incidents_{column}", "incidents", [column])
    op.create_table(
        "incident_actions",
        sa.Column("id", Id, nullable=False),
        sa.Column("incident_id", Id, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16)),
        sa.Column("changes", JsonText),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("at", Stamp, nullable=False),
        _fk("incident_id", "incidents", "fk_incident_actions_incident_id_incidents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_incident_actions"),
    )
    op.create_index("ix_incident_actions_incident_id", "incident_actions", ["incident_id"])


def _alerts() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", Id, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(128), nullable=False),
        sa.Column("signal", sa.String(16)),
        sa.Column("unit_kato", sa.String(16)),
        sa.Column("unit_level", sa.String(8)),
        sa.Column("region_kato", sa.String(16)),
        sa.Column("day", sa.Date),
        sa.Column("fired_at", Stamp, nullable=False),
        sa.Column("observed", sa.Float),
        sa.Column("expected", sa.Float),
        sa.Column("p_value", sa.Float),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("data", JsonText, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.CheckConstraint("kind IN ('spike', 'search', 'silence', 'story')",
                           name="ck_alerts_kind"),
        sa.CheckConstraint("status IN ('new', 'acknowledged', 'resolved', 'false_alarm')",
                           name="ck_alerts_status"),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("key", name="uq_alerts_key"),
    )
    for column in ("kind", "unit_kato", "region_kato", "day", "fired_at", "status"):
        op.create_index(f"ix_alerts_{column}", "alerts", [column])
    op.create_table(
        "alert_actions",
        sa.Column("id", Id, nullable=False),
        sa.Column("alert_id", Id, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16)),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("at", Stamp, nullable=False),
        _fk("alert_id", "alerts", "fk_alert_actions_alert_id_alerts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_alert_actions"),
    )
    op.create_index("ix_alert_actions_alert_id", "alert_actions", ["alert_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", Id, nullable=False),
        sa.Column("alert_id", Id, nullable=False),
        sa.Column("channel", sa.String(128), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt_at", Stamp),
        sa.Column("sent_at", Stamp),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_deliveries_status"),
        _fk("alert_id", "alerts", "fk_deliveries_alert_id_alerts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("alert_id", "channel", name="uq_deliveries_alert_id_channel"),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status"])


def downgrade() -> None:
    """Drop the tables of the warning stage."""
    for table in ("warning_state", "deliveries", "alert_actions", "alerts", "incident_actions",
                  "incidents", "story_documents", "stories", "document_days"):
        op.drop_table(table)
