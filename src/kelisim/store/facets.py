"""Facets of the stored readings: who and what is mentioned, who said what, which groups and
with what attitude, which places, and how the sources are doing.

Every count is of documents that count where ``document_days`` says (see docs/storage.md); the
filters keep documents by that day and region. ``Filters.regions`` is a user's scope: only
documents placed in one of these regions (a document placed nowhere is then left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from kelisim.store.corrections import in_force
from kelisim.store.db import page
from kelisim.store.schema import (
    alerts,
    corrections,
    document_date,
    document_days,
    documents,
    mentions,
    readings,
    sources,
)
from kelisim.store.views import CorrectionView

ATTITUDES = ("-1", "0", "1", "null")  # as the reading has them; null: named, no attitude read
OPEN_ALERT = ("new", "acknowledged")
WINDOW = 120  # characters before a speaker's name where their office may be written

_DAYS = document_days.c


@dataclass(frozen=True)
class Filters:
    """Which documents count: placed in ``region`` (a region, or a district), on days from
    ``day_from`` to ``day_to`` (inclusive), and only in ``regions`` (a user's scope)."""

    region: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    regions: Sequence[str] | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        """WHERE clauses on ``document_days``."""
        found: list[sa.ColumnElement[bool]] = []
        if self.regions is not None:
            found.append(_DAYS.region_kato.in_(list(self.regions)))
        if self.region:
            # A region code is never a district_kato, so one clause serves both levels.
            found.append(sa.or_(_DAYS.region_kato == self.region, _DAYS.district_kato == self.region))
        if self.day_from:
            found.append(_DAYS.day >= self.day_from)
        if self.day_to:
            found.append(_DAYS.day <= self.day_to)
        return found


@dataclass(frozen=True)
class EntityCount:
    """A person, organisation or place named in the documents: how often, and quoted how often."""

    ref: str  # the knowledge-base id, else LABEL:normal name («PER:Алексей Манойло»)
    name: str
    label: str
    documents: int
    mentions: int
    quotes: int


@dataclass(frozen=True)
class QuoteRow:
    """One quote: its span in the stored text, who said it, where and when it counts."""

    document_id: int
    start: int
    end: int
    text: str
    direct: bool
    speaker_name: str | None
    speaker_ref: str | None
    speaker_role: str | None
    official: bool
    day: date | None
    region_kato: str | None
    title: str | None
    source: str | None


@dataclass(frozen=True)
class QuoteCandidate:
    """What deciding whether a quote's speaker is an official needs (see ``facets_api``)."""

    mention_id: int
    speaker_kb_id: str | None
    before: str | None  # the text just before the speaker's mention
    day: date | None
    at: datetime | None


@dataclass(frozen=True)
class GroupCount:
    """An ethnic group (or category) across documents, with the attitude toward it."""

    group: str
    kind: str | None
    documents: int
    mentions: int
    attitude: dict[str, int]  # "-1", "0", "1", "null" -> documents; corrections applied
    hostile: int  # hostile documents that name the group
    slurs: int  # documents that name it by a slur


@dataclass(frozen=True)
class PlaceCount:
    """A place of Kazakhstan named in documents."""

    kato: str
    name: str
    level: str | None
    region_kato: str | None
    documents: int


@dataclass(frozen=True)
class SourceHealth:
    """A source's health: its items, polls, errors, and an open silence alert."""

    id: int
    name: str
    kind: str
    location: str
    enabled: bool
    documents: int
    last_item_at: datetime | None
    last_poll_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    failures: int
    silent: bool
    silence_alert_id: int | None


def _placed(query: sa.Select, doc_id: sa.ColumnElement[int], filters: Filters,
            join: bool = False) -> sa.Select:
    """The query kept to the documents the filters let through (joined to ``document_days``
    only when a filter, or ``join``, needs it)."""
    clauses = filters.clauses()
    if not clauses and not join:
        return query
    return query.outerjoin(document_days, _DAYS.document_id == doc_id).where(*clauses)


def _page(conn: sa.Connection, query: sa.Select, order: tuple, limit: int,
          offset: int) -> tuple[int, list[sa.Row]]:
    """Like ``db.page``, with the total counted in the same pass (a window over the groups)."""
    rows = conn.execute(query.add_columns(sa.func.count().over().label("total"))
                        .order_by(*order).limit(limit).offset(offset)).all()
    if rows or not offset:
        return (rows[0].total if rows else 0), [row[:-1] for row in rows]
    return page(conn, query, order, limit, offset)


# Entities

_ENTITY_KEY = sa.func.coalesce(mentions.c.ref, mentions.c.label + ":" + mentions.c.value)


def _is_kb_id(ref: str) -> bool:
    """Whether a ref is a knowledge-base id (per:tokayev), not a LABEL:name key."""
    head, colon, _ = ref.partition(":")
    return bool(colon) and head.isascii() and head.islower()


def _entity_rows(filters: Filters, label: str | None, ref: str | None) -> sa.Subquery:
    m = mentions.c
    query = (sa.select(_ENTITY_KEY.label("key"), m.label, m.value, m.document_id)
             .where(m.kind == "entity"))
    if label:
        query = query.where(m.label == label)
    if ref is not None and _is_kb_id(ref):
        query = query.where(m.ref == ref)
    elif ref is not None:
        kind, _, name = ref.partition(":")
        query = query.where(m.ref.is_(None), m.label == kind, m.value == name)
    return _placed(query, m.document_id, filters).subquery()


def entities(conn: sa.Connection, filters: Filters, *, label: str | None = None,
             ref: str | None = None, limit: int = 50,
             offset: int = 0) -> tuple[int, list[EntityCount]]:
    """Entities by mentions, most first: (total, page); ``ref`` keeps one entity."""
    rows = _entity_rows(filters, label, ref)
    count, docs = sa.func.count(), sa.func.count(sa.distinct(rows.c.document_id))
    query = (sa.select(rows.c.key, sa.func.max(rows.c.value), sa.func.max(rows.c.label), docs, count)
             .group_by(rows.c.key))
    total, found = _page(conn, query, (count.desc(), docs.desc(), rows.c.key), limit, offset)
    quoted = quote_counts(conn, filters, [row[0] for row in found])
    return total, [EntityCount(key, name, kind, int(d), int(n), quoted.get(key, 0))
                   for key, name, kind, d, n in found]


# Quotes

_QUOTE = mentions.c
_SPEAKER = mentions.alias("speaker")
_SPEAKER_START = _QUOTE.data["speaker_start"].as_integer()
_SPEAKER_END = _QUOTE.data["speaker_end"].as_integer()
# An unlinked speaker's key is that of the entity at the speaker's span (PER for a pronoun).
_SPEAKER_LABEL = (sa.select(sa.func.max(_SPEAKER.c.label))
                  .where(_SPEAKER.c.document_id == _QUOTE.document_id, _SPEAKER.c.kind == "entity",
                         _SPEAKER.c.start == _SPEAKER_START, _SPEAKER.c.end == _SPEAKER_END)
                  .scalar_subquery())
SPEAKER_KEY = sa.case(
    (_QUOTE.ref.is_not(None), _QUOTE.ref),
    (_QUOTE.value.is_not(None), sa.func.coalesce(_SPEAKER_LABEL, "PER") + ":" + _QUOTE.value),
    else_=None)
_BEFORE = sa.func.substr(documents.c.text,
                         sa.case((_SPEAKER_START > WINDOW, _SPEAKER_START - WINDOW + 1), else_=1),
                         sa.case((_SPEAKER_START > WINDOW, WINDOW), else_=_SPEAKER_START))
_QUOTE_ORDER = (document_date.desc(), _QUOTE.document_id.desc(), _QUOTE.start)


@dataclass(frozen=True)
class QuoteQuery:
    """The quotes to list: by one speaker (an entity's ref), only those with a speaker."""

    filters: Filters = field(default_factory=Filters)
    speaker: str | None = None
    with_speaker: bool = False


def _quotes(columns: Sequence[Any], ask: QuoteQuery) -> sa.Select:
    query = (sa.select(*columns).select_from(mentions)
             .join(documents, documents.c.id == _QUOTE.document_id)
             .where(_QUOTE.kind == "quote"))
    if ask.speaker is not None and _is_kb_id(ask.speaker):
        query = query.where(_QUOTE.ref == ask.speaker)
    elif ask.speaker is not None:
        name = ask.speaker.partition(":")[2]
        query = query.where(_QUOTE.ref.is_(None), _QUOTE.value == name, SPEAKER_KEY == ask.speaker)
    if ask.with_speaker:
        query = query.where(sa.or_(_QUOTE.ref.is_not(None), _SPEAKER_START.is_not(None)))
    return _placed(query, _QUOTE.document_id, ask.filters, join=True)


def quote_page(conn: sa.Connection, ask: QuoteQuery, limit: int,
               offset: int) -> tuple[int, list[tuple[QuoteRow, QuoteCandidate]]]:
    """A page of quotes, latest first, each with what the official decision needs."""
    total, rows = page(conn, _quotes(_QUOTE_COLUMNS, ask), _QUOTE_ORDER, limit, offset)
    return total, [_quote(row) for row in rows]


def quote_candidates(conn: sa.Connection, ask: QuoteQuery) -> list[QuoteCandidate]:
    """Every quote asked for, latest first, with what the official decision needs."""
    columns = (_QUOTE.id, _QUOTE.ref, _BEFORE, _DAYS.day, document_date)
    return [QuoteCandidate(*row) for row in conn.execute(_quotes(columns, ask).order_by(*_QUOTE_ORDER))]


def quotes_by_id(conn: sa.Connection, ids: Sequence[int]) -> list[tuple[QuoteRow, QuoteCandidate]]:
    """These quotes (mention ids), in the order given."""
    if not ids:
        return []
    query = _quotes(_QUOTE_COLUMNS, QuoteQuery()).where(_QUOTE.id.in_(list(ids)))
    found = {row.id: _quote(row) for row in conn.execute(query)}
    return [found[i] for i in ids if i in found]


_QUOTE_COLUMNS = (_QUOTE.id, _QUOTE.document_id, _QUOTE.start, _QUOTE.end, _QUOTE.text,
                  _QUOTE.label, _QUOTE.value, SPEAKER_KEY.label("key"), _QUOTE.ref,
                  _BEFORE.label("before"), _DAYS.day, _DAYS.region_kato, documents.c.title,
                  sa.select(sources.c.name).where(sources.c.id == documents.c.source_id)
                  .scalar_subquery().label("source"), document_date.label("at"))


def _quote(row: sa.Row) -> tuple[QuoteRow, QuoteCandidate]:
    quote = QuoteRow(row.document_id, row.start, row.end, row.text, row.label == "direct",
                     row.value, row.key, None, False, row.day, row.region_kato, row.title,
                     row.source)
    return quote, QuoteCandidate(row.id, row.ref, row.before, row.day, row.at)


def quote_counts(conn: sa.Connection, filters: Filters, keys: Sequence[str]) -> dict[str, int]:
    """How many quotes each speaker key has."""
    if not keys:
        return {}
    rows = _placed(sa.select(SPEAKER_KEY.label("key")).where(_QUOTE.kind == "quote"),
                   _QUOTE.document_id, filters).subquery()
    query = (sa.select(rows.c.key, sa.func.count()).where(rows.c.key.in_(list(keys)))
             .group_by(rows.c.key))
    return {key: int(n) for key, n in conn.execute(query)}


def quote_days(conn: sa.Connection, ask: QuoteQuery) -> list[tuple[date, int]]:
    """Quotes per day (placed quotes only), in day order."""
    query = _quotes((_DAYS.day, sa.func.count()), ask).where(_DAYS.day.is_not(None))
    return [(day, int(n)) for day, n in conn.execute(query.group_by(_DAYS.day).order_by(_DAYS.day))]


# Ethnic groups

_ATTITUDE = mentions.c.data[("group", "attitude")].as_integer()


def _pairs(filters: Filters) -> sa.Subquery:
    """One row per (document, group): its mentions, the machine's attitude, a slur."""
    m = mentions.c
    query = (sa.select(m.document_id, m.value.label("grp"), sa.func.max(m.label).label("kind"),
                       sa.func.count().label("n"), sa.func.max(_ATTITUDE).label("att"),
                       sa.func.max(sa.case((m.flag, 1), else_=0)).label("slur"))
             .where(m.kind == "ethnic").group_by(m.document_id, m.value))
    return _placed(query, m.document_id, filters).subquery()


def _docs_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def groups(conn: sa.Connection, filters: Filters) -> list[GroupCount]:
    """Ethnic groups by documents, most first, with attitude counts (corrections in force)."""
    pairs = _pairs(filters)
    att = pairs.c.att
    query = (sa.select(pairs.c.grp, sa.func.max(pairs.c.kind), sa.func.count(), sa.func.sum(pairs.c.n),
                       _docs_where(att == -1), _docs_where(att == 0), _docs_where(att == 1),
                       _docs_where(att.is_(None)), _docs_where(readings.c.hostile.is_(True)),
                       sa.func.sum(pairs.c.slur))
             .outerjoin(readings, readings.c.document_id == pairs.c.document_id)
             .group_by(pairs.c.grp))
    rows = conn.execute(query).all()
    counts = {row[0]: dict(zip(ATTITUDES, (int(v or 0) for v in row[4:8]))) for row in rows}
    _correct(conn, filters, counts)
    found = [GroupCount(row[0], row[1], int(row[2]), int(row[3] or 0), counts[row[0]],
                        int(row[8] or 0), int(row[9] or 0)) for row in rows]
    return sorted(found, key=lambda g: (-g.documents, -g.mentions, g.group))


def _correct(conn: sa.Connection, filters: Filters, counts: dict[str, dict[str, int]]) -> None:
    """Move each corrected (document, group) from the machine's attitude to the analyst's."""
    query = _placed(sa.select(corrections).where(corrections.c.field == "attitude"),
                    corrections.c.document_id, filters).order_by(corrections.c.id)
    fixed = in_force(CorrectionView(**row._mapping) for row in conn.execute(query))
    if not fixed:
        return
    docs = sorted({c.document_id for c in fixed})
    machine = {(doc, grp): att for doc, grp, att in conn.execute(
        sa.select(mentions.c.document_id, mentions.c.value, sa.func.max(_ATTITUDE))
        .where(mentions.c.kind == "ethnic", mentions.c.document_id.in_(docs))
        .group_by(mentions.c.document_id, mentions.c.value))}
    for item in fixed:
        pair = (item.document_id, item.target)
        if pair in machine and item.target in counts:
            counts[item.target][_label(machine[pair])] -= 1
            counts[item.target][_label(item.value)] += 1


def _label(attitude: int | None) -> str:
    return "null" if attitude is None else str(int(attitude))


# Places


def places(conn: sa.Connection, filters: Filters, *, level: str | None = None,
           limit: int = 100) -> list[PlaceCount]:
    """Places of Kazakhstan by documents, most first. With ``regions`` only places inside them;
    with ``region`` only places inside its region."""
    m = mentions.c
    docs = sa.func.count(sa.distinct(m.document_id))
    query = (sa.select(m.ref, sa.func.max(m.value), sa.func.max(m.label),
                       sa.func.max(m.region_kato), docs)
             .where(m.kind == "place", m.ref.is_not(None)).group_by(m.ref))
    if level:
        query = query.where(m.label == level)
    if filters.regions is not None:
        query = query.where(m.region_kato.in_(list(filters.regions)))
    if filters.region:
        query = query.where(m.region_kato == region_code(filters.region))
    query = _placed(query, m.document_id, filters).order_by(docs.desc(), m.ref).limit(limit)
    return [PlaceCount(kato, name, kind, region, int(n))
            for kato, name, kind, region, n in conn.execute(query)]


def region_code(kato: str) -> str:
    """The code of the region a KATO code lies in (its first two digits)."""
    return kato[:2] + "0" * (len(kato) - 2)


# Sources


def sources_health(conn: sa.Connection, as_of: datetime,
                   regions: Sequence[str] | None = None) -> list[SourceHealth]:
    """Every source by name with its health as of ``as_of``; documents counted in ``regions``."""
    counted = sa.select(documents.c.source_id, sa.func.count()).group_by(documents.c.source_id)
    counted = _placed(counted, documents.c.id, Filters(regions=regions))
    counts = {sid: int(n) for sid, n in conn.execute(counted)}
    latest = dict(conn.execute(sa.select(documents.c.source_id, sa.func.max(document_date))
                               .where(document_date <= as_of).group_by(documents.c.source_id)).all())
    silences = _open_silences(conn, as_of)
    return [SourceHealth(s.id, s.name, s.kind, s.location, s.enabled, counts.get(s.id, 0),
                         latest.get(s.id), s.last_polled_at, s.last_ok_at, s.last_error,
                         s.consecutive_errors, s.id in silences, silences.get(s.id))
            for s in conn.execute(sa.select(sources).order_by(sources.c.name))]


def _open_silences(conn: sa.Connection, as_of: datetime) -> dict[int, int]:
    """source id -> the latest silence alert about it that is still open."""
    query = (sa.select(alerts.c.id, alerts.c.data)
             .where(alerts.c.kind == "silence", alerts.c.status.in_(OPEN_ALERT),
                    alerts.c.fired_at <= as_of).order_by(alerts.c.id))
    return {data["source"]["id"]: alert_id for alert_id, data in conn.execute(query)
            if (data or {}).get("source", {}).get("id") is not None}
