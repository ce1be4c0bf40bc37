"""The tables as SQLAlchemy Core metadata: the one description of the schema that queries use.

The migrations in ``migrations/versions`` create these tables; ``tests/test_store_migrations.py``
checks that both agree. The search index differs per backend and lives outside ``metadata``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

SOURCE_KINDS = ("folder", "file", "rss", "web", "sitemap", "telegram")
REPRINT_KINDS = ("exact", "near")
PUBLISHED_FROM = ("metadata", "text")
MENTION_KINDS = ("entity", "place", "ethnic", "quote", "attribution")


def utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(timezone.utc)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert to UTC before storing."""
        return None if value is None else utc(value)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        """Attach UTC to what the database returns."""
        return None if value is None else utc(value)


Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# Plain JSON on both backends (not JSONB): the data come back with their keys in order.
JsonText = sa.JSON()


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("options", Json, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_polled_at", UtcDateTime),
    sa.Column("last_ok_at", UtcDateTime),
    sa.Column("last_item_at", UtcDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("consecutive_errors", sa.Integer, nullable=False),
    sa.Column("items_total", sa.BigInteger, nullable=False),
    sa.CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("source_id", Id, sa.ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    sa.Column("origin", sa.Text, nullable=False, unique=True),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("published_at", UtcDateTime, index=True),
    sa.Column("published_from", sa.String(8)),
    sa.Column("fetched_at", UtcDateTime),
    sa.Column("ingested_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime),
    sa.Column("lang", sa.String(8), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.String(128), nullable=False, unique=True),
    sa.Column("raw_hash", sa.String(64)),  # of the bytes as delivered: unchanged input is skipped
    sa.Column("signature", sa.LargeBinary, nullable=False),
    sa.Column("cleaning", Json, nullable=False),
    sa.Column("meta", Json, nullable=False),
    sa.CheckConstraint(_in("published_from", PUBLISHED_FROM), name="published_from"),
)

# The date filters use: when the document was published, else fetched, else ingested.
document_date = sa.func.coalesce(
    documents.c.published_at, documents.c.fetched_at, documents.c.ingested_at
)
sa.Index("ix_documents_date", document_date)

reprints = sa.Table(
    "reprints",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column(
        "document_id",
        Id,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("source_id", Id, sa.ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    sa.Column("origin", sa.Text, nullable=False, unique=True),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published_at", UtcDateTime),
    sa.Column("fetched_at", UtcDateTime),
    sa.Column("ingested_at", UtcDateTime, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Column("content_hash", sa.String(128), nullable=False, index=True),
    sa.Column("raw_hash", sa.String(64)),
    sa.Column("text", sa.Text),  # NULL when identical to the canonical text (same hash)
    sa.CheckConstraint(_in("kind", REPRINT_KINDS), name="kind"),
    sa.CheckConstraint("similarity >= 0 AND similarity <= 1", name="similarity"),
)

# … and of a reprint, the same way.
reprint_date = sa.func.coalesce(reprints.c.published_at, reprints.c.fetched_at,
                               reprints.c.ingested_at, type_=UtcDateTime)

http_validators = sa.Table(
    "http_validators",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("command", sa.String(200), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime),
    sa.Column("counts", Json, nullable=False),
)

skips = sa.Table(
    "skips",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("run_id", Id, sa.ForeignKey("runs.id", ondelete="CASCADE"), index=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("reason", sa.String(64), nullable=False, index=True),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)

# What reading a document found: one row per document read …
readings = sa.Table(
    "readings",
    metadata,
    sa.Column(
        "document_id",
        Id,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("reader_version", sa.String(32), nullable=False),
    sa.Column("read_at", UtcDateTime, nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("data", JsonText, nullable=False),  # the reading's other fields (schema_version…)
    # The decisions, to query by; an analyst's correction overrides the machine's here.
    sa.Column("relevance", sa.Float),
    sa.Column("relevant", sa.Boolean, index=True),
    sa.Column("event_type", sa.String(32), index=True),
    sa.Column("tension", sa.Float),
    sa.Column("tension_label", sa.String(16)),
    sa.Column("hostility", sa.Float),
    sa.Column("hostile", sa.Boolean),
)

# … and one row per mention; ``data`` keeps the whole sub-object of the reading's JSON.
mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column(
        "document_id",
        Id,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
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
    sa.CheckConstraint(_in("kind", MENTION_KINDS), name="kind"),
    sa.CheckConstraint('start >= 0 AND "end" >= start', name="span"),
)
# Most mentions have no region and no reference, and every query on these columns asks for a
# value: the indexes hold only the rows that have one (cheaper to write with every reading).
_HAS_REGION, _HAS_REF = mentions.c.region_kato.is_not(None), mentions.c.ref.is_not(None)
sa.Index("ix_mentions_region_kato", mentions.c.region_kato,
         sqlite_where=_HAS_REGION, postgresql_where=_HAS_REGION)
sa.Index("ix_mentions_kind_ref", mentions.c.kind, mentions.c.ref,
         sqlite_where=_HAS_REF, postgresql_where=_HAS_REF)
sa.Index("ix_mentions_kind_value", mentions.c.kind, mentions.c.value)

# Analysts' corrections of a reading's decisions: who, when, what the machine had said.
CORRECTION_FIELDS = ("relevant", "event_type", "attitude", "hostile", "tension_label")
corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column(
        "document_id",
        Id,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("field", sa.String(32), nullable=False, index=True),
    sa.Column("target", sa.String(128), nullable=False),  # the group for attitude, else ""
    sa.Column("value", JsonText, nullable=False),
    sa.Column("machine", JsonText),
    sa.Column("author", sa.String(128), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.CheckConstraint(_in("field", CORRECTION_FIELDS), name="field"),
)

# Early warning. Where and when each read document counts: its day in Kazakhstan's time and
# its region and district (see kelisim.warning.units), from the reading of ``read_at``.
document_days = sa.Table(
    "document_days",
    metadata,
    sa.Column("document_id", Id, sa.ForeignKey("documents.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("region_kato", sa.String(16)),
    sa.Column("district_kato", sa.String(16)),
    sa.Column("read_at", UtcDateTime, nullable=False),
)
sa.Index("ix_document_days_region_kato_day", document_days.c.region_kato, document_days.c.day)
sa.Index("ix_document_days_district_kato_day", document_days.c.district_kato, document_days.c.day)

# Stories are the event table: the documents about one event, across outlets and days …
stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("first_at", UtcDateTime, nullable=False, index=True),
    sa.Column("last_at", UtcDateTime, nullable=False, index=True),
    sa.Column("documents", sa.Integer, nullable=False),
    sa.Column("reprints", sa.Integer, nullable=False),
    sa.Column("outlets", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(32), index=True),
    sa.Column("region_kato", sa.String(16), index=True),
    sa.Column("district_kato", sa.String(16)),
    sa.Column("groups", JsonText, nullable=False),
    sa.Column("relevant", sa.Boolean, nullable=False),
    sa.Column("hostile", sa.Integer, nullable=False),  # hostile documents in the story
    sa.Column("last_24h", sa.Integer, nullable=False),
    sa.Column("breaking", sa.Boolean, nullable=False),
    sa.Column("centroid", JsonText, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

# … and this is the mention table: every document of a story (reprints ride with theirs).
story_documents = sa.Table(
    "story_documents",
    metadata,
    sa.Column("document_id", Id, sa.ForeignKey("documents.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("story_id", Id, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("added_at", UtcDateTime, nullable=False),
)

INCIDENT_STATUSES = ("flagged", "verified", "closed")
incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("story_id", Id, sa.ForeignKey("stories.id", ondelete="SET NULL"), unique=True),
    sa.Column("type", sa.String(32), nullable=False, index=True),
    sa.Column("subtype", sa.String(48)),
    sa.Column("groups", JsonText, nullable=False),
    sa.Column("region_kato", sa.String(16), index=True),
    sa.Column("district_kato", sa.String(16)),
    sa.Column("settlement_kato", sa.String(16)),
    sa.Column("geo_precision", sa.Integer, nullable=False),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("time_precision", sa.Integer, nullable=False),
    sa.Column("killed", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("detained", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("edited", JsonText, nullable=False),  # fields an analyst set: the machine leaves them
    sa.Column("evidence", JsonText, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.CheckConstraint(_in("status", INCIDENT_STATUSES), name="status"),
    sa.CheckConstraint("geo_precision BETWEEN 1 AND 3", name="geo_precision"),
    sa.CheckConstraint("time_precision BETWEEN 1 AND 3", name="time_precision"),
)

incident_actions = sa.Table(
    "incident_actions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("incident_id", Id, sa.ForeignKey("incidents.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("from_status", sa.String(16)),
    sa.Column("to_status", sa.String(16)),
    sa.Column("changes", JsonText),
    sa.Column("author", sa.String(128), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("at", UtcDateTime, nullable=False),
)

ALERT_KINDS = ("spike", "search", "silence", "story")
ALERT_STATUSES = ("new", "acknowledged", "resolved", "false_alarm")
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False, index=True),
    sa.Column("rule", sa.String(128), nullable=False),
    sa.Column("signal", sa.String(16)),
    sa.Column("unit_kato", sa.String(16), index=True),
    sa.Column("unit_level", sa.String(8)),
    sa.Column("region_kato", sa.String(16), index=True),  # scoping: the region it belongs to
    sa.Column("day", sa.Date, index=True),
    sa.Column("fired_at", UtcDateTime, nullable=False, index=True),
    sa.Column("observed", sa.Float),
    sa.Column("expected", sa.Float),
    sa.Column("p_value", sa.Float),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("data", JsonText, nullable=False),  # evidence, factors, source, story
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.CheckConstraint(_in("kind", ALERT_KINDS), name="kind"),
    sa.CheckConstraint(_in("status", ALERT_STATUSES), name="status"),
)

alert_actions = sa.Table(
    "alert_actions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("alert_id", Id, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("from_status", sa.String(16)),
    sa.Column("to_status", sa.String(16)),
    sa.Column("author", sa.String(128), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("at", UtcDateTime, nullable=False),
)

DELIVERY_STATUSES = ("pending", "sent", "failed")
deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("alert_id", Id, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("channel", sa.String(128), nullable=False),
    sa.Column("status", sa.String(8), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("next_attempt_at", UtcDateTime),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("alert_id", "channel"),
    sa.CheckConstraint(_in("status", DELIVERY_STATUSES), name="status"),
)

# Small facts the warning stage keeps between runs (the last day it evaluated, …).
warning_state = sa.Table(
    "warning_state",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", JsonText, nullable=False),
)

# Users of the dashboard and the API: a role, and the regions an analyst is limited to
# (empty: all). Passwords and tokens are stored as hashes only.
ROLES = ("admin", "analyst", "viewer")
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(128), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("regions", JsonText, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.CheckConstraint(_in("role", ROLES), name="role"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("label", sa.String(128), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime),
)

# What users did: one row per analyst action (kept by name: a removed user's actions stay).
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_name", sa.String(128), nullable=False, index=True),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(128), nullable=False),
    sa.Column("detail", JsonText),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
)

# Failed logins and failed API tokens, one row per failure under a key (``login-ip:ADDRESS``,
# ``login-user:NAME``, ``token-ip:ADDRESS``), so that every server process counts the same
# failures; rows older than the window are pruned.
auth_failures = sa.Table(
    "auth_failures",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
    sa.Index("ix_auth_failures_key_at", "key", "at"),
)

# Live dashboard sessions: a login adds one, a logout removes it, so that a copied cookie dies
# with its session. Only a hash of the session's id is kept.
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_name", sa.String(128), nullable=False, index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
)

# The search index: on SQLite an FTS5 table whose rowid is the document id …
fts = sa.table("search_index", sa.column("rowid", Id), sa.column("title"), sa.column("body"))
FTS_TABLE = sa.literal_column("search_index")

# … on PostgreSQL a table with a weighted tsvector (title A, body B) and a GIN index.
tsv = sa.Table(
    "search_index",
    sa.MetaData(),
    sa.Column("document_id", Id, primary_key=True),
    sa.Column("vector", postgresql.TSVECTOR, nullable=False),
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For Alembic autogenerate: leave the backend-specific search index to the migrations."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not str(table).startswith("search_index")
