"""Incidents and alerts: the registry rows, their life cycle and its audit trail.

A status changes only through :func:`transition`, which refuses a move the life cycle does not
allow and writes who made it, when and why in the subject's actions table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from kelisim.store.db import page
from kelisim.store.errors import InvalidValueError, StoreError
from kelisim.store.schema import (
    alert_actions,
    alerts,
    deliveries,
    incident_actions,
    incidents,
    now,
)
from kelisim.store.views import ActionView, AlertView, DeliveryView, IncidentView

AUTHOR_MAX = 128
MACHINE = "kelisim"  # the author of what the machine does


class TransitionError(InvalidValueError):
    """A status change the life cycle does not allow (or of an unknown subject)."""


@dataclass(frozen=True)
class Registry:
    """One kind of subject with a life cycle: its table, its actions table and its moves."""

    name: str
    table: sa.Table
    actions: sa.Table
    subject: str  # the actions' foreign key column
    moves: Mapping[str, tuple[tuple[str, ...], str]]  # action -> (from statuses, to status)


INCIDENTS = Registry("incident", incidents, incident_actions, "incident_id", {
    "verify": (("flagged",), "verified"),
    "close": (("flagged", "verified"), "closed"),
    "reopen": (("closed",), "flagged"),
})
ALERTS = Registry("alert", alerts, alert_actions, "alert_id", {
    "acknowledge": (("new",), "acknowledged"),
    "resolve": (("new", "acknowledged"), "resolved"),
    "false_alarm": (("new", "acknowledged"), "false_alarm"),
    "reopen": (("resolved", "false_alarm"), "acknowledged"),
})


def check_author(author: str) -> str:
    """The author, stripped; refused when empty or too long."""
    if not isinstance(author, str) or not author.strip() or len(author.strip()) > AUTHOR_MAX:
        raise InvalidValueError(f"who acts must be named (1 to {AUTHOR_MAX} characters)")
    return author.strip()


def transition(conn: sa.Connection, registry: Registry, subject_id: int, action: str,
               author: str, comment: str | None = None) -> str:
    """Move a subject through its life cycle and record the move; returns the new status."""
    author = check_author(author)
    if action not in registry.moves:
        raise TransitionError(f"unknown {registry.name} action {action!r}; "
                              f"choose one of {', '.join(registry.moves)}")
    current = conn.scalar(sa.select(registry.table.c.status)
                          .where(registry.table.c.id == subject_id))
    if current is None:
        raise TransitionError(f"no {registry.name} with id {subject_id}")
    allowed, target = registry.moves[action]
    if current not in allowed:
        raise TransitionError(f"{registry.name} {subject_id} is {current!r}: cannot {action} "
                              f"it (only from {', '.join(allowed)})")
    stamp = now()
    moved = conn.execute(registry.table.update()
                         .where(registry.table.c.id == subject_id,
                                registry.table.c.status == current)
                         .values(status=target, updated_at=stamp)).rowcount
    if moved != 1:  # another analyst moved it in between
        raise TransitionError(f"{registry.name} {subject_id} changed meanwhile; try again")
    record(conn, registry, subject_id, action, author, comment, current, target, at=stamp)
    return target


def record(conn: sa.Connection, registry: Registry, subject_id: int, action: str, author: str,
           comment: str | None = None, from_status: str | None = None,
           to_status: str | None = None, changes: dict | None = None,
           at: datetime | None = None) -> None:
    """Write one entry of the audit trail."""
    row = {registry.subject: subject_id, "action": action, "from_status": from_status,
           "to_status": to_status, "author": author, "comment": comment or None,
           "at": at or now()}
    if registry is INCIDENTS:
        row["changes"] = changes
    conn.execute(registry.actions.insert(), row)


def comment(conn: sa.Connection, registry: Registry, subject_id: int, author: str,
            text: str) -> None:
    """Add a comment to a subject's trail."""
    exists = conn.scalar(sa.select(registry.table.c.id).where(registry.table.c.id == subject_id))
    if exists is None:
        raise TransitionError(f"no {registry.name} with id {subject_id}")
    record(conn, registry, subject_id, "comment", check_author(author), text)


def actions(conn: sa.Connection, registry: Registry, subject_id: int) -> list[ActionView]:
    """The audit trail of a subject, oldest first."""
    table = registry.actions
    columns = [table.c.id, table.c[registry.subject], table.c.action, table.c.from_status,
               table.c.to_status, table.c.author, table.c.comment, table.c.at]
    if registry is INCIDENTS:
        columns.append(table.c.changes)
    rows = conn.execute(sa.select(*columns).where(table.c[registry.subject] == subject_id)
                        .order_by(table.c.id))
    return [ActionView(*row) for row in rows]


# Incidents

_INCIDENT_COLUMNS = tuple(incidents.c)
EDITABLE = ("type", "subtype", "groups", "region_kato", "district_kato", "settlement_kato",
            "geo_precision", "date", "time_precision", "killed", "injured", "detained")


def incident_of_story(conn: sa.Connection, story_id: int) -> IncidentView | None:
    """The incident flagged from a story, if any."""
    row = conn.execute(sa.select(*_INCIDENT_COLUMNS).where(incidents.c.story_id == story_id)).first()
    return IncidentView(*row) if row else None


def get_incident(conn: sa.Connection, incident_id: int) -> IncidentView | None:
    """One incident, if any."""
    row = conn.execute(sa.select(*_INCIDENT_COLUMNS).where(incidents.c.id == incident_id)).first()
    return IncidentView(*row) if row else None


def flag_incident(conn: sa.Connection, fields: Mapping[str, Any]) -> int:
    """Create an incident flagged by the machine; returns its id."""
    stamp = now()
    row = {**fields, "status": "flagged", "edited": [], "created_at": stamp, "updated_at": stamp}
    incident_id = conn.execute(incidents.insert().returning(incidents.c.id), row).scalar_one()
    record(conn, INCIDENTS, incident_id, "flag", MACHINE, None, None, "flagged", at=stamp)
    return incident_id


def refresh_incident(conn: sa.Connection, incident: IncidentView, fields: Mapping[str, Any]) -> bool:
    """Update what the machine knows of an incident (its story grew), leaving alone the fields
    an analyst set and a closed incident; True when something changed."""
    if incident.status == "closed":
        return False
    changes = {key: value for key, value in fields.items()
               if key not in incident.edited and getattr(incident, key) != value}
    if not changes:
        return False
    conn.execute(incidents.update().where(incidents.c.id == incident.id)
                 .values(**changes, updated_at=now()))
    return True


def edit_incident(conn: sa.Connection, incident_id: int, changes: Mapping[str, Any], author: str,
                  comment: str | None = None) -> IncidentView:
    """An analyst's change of an incident's coding; the machine leaves those fields alone."""
    author = check_author(author)
    incident = get_incident(conn, incident_id)
    if incident is None:
        raise TransitionError(f"no incident with id {incident_id}")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidValueError(f"cannot edit {', '.join(sorted(unknown))}; "
                                f"editable: {', '.join(EDITABLE)}")
    before = {key: _json(getattr(incident, key)) for key in changes}
    edited = sorted(set(incident.edited) | set(changes))
    conn.execute(incidents.update().where(incidents.c.id == incident_id)
                 .values(**changes, edited=edited, updated_at=now()))
    after = {key: _json(value) for key, value in changes.items()}
    record(conn, INCIDENTS, incident_id, "edit", author, comment,
           changes={"before": before, "after": after})
    return get_incident(conn, incident_id)  # type: ignore[return-value]


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def list_incidents(conn: sa.Connection, *, status: str | None = None, region: str | None = None,
                   type_: str | None = None, day_from: date | None = None,
                   day_to: date | None = None, limit: int = 50, offset: int = 0,
                   regions: Sequence[str] | None = None) -> tuple[int, list[IncidentView]]:
    """Incidents, latest first, filtered (``regions``: only in these); returns (total, page)."""
    query = sa.select(*_INCIDENT_COLUMNS)
    if regions is not None:
        query = query.where(incidents.c.region_kato.in_(list(regions)))
    for column, value in ((incidents.c.status, status), (incidents.c.region_kato, region),
                          (incidents.c.type, type_)):
        if value is not None:
            query = query.where(column == value)
    if day_from:
        query = query.where(incidents.c.date >= day_from)
    if day_to:
        query = query.where(incidents.c.date <= day_to)
    total, rows = page(conn, query, (incidents.c.date.desc(), incidents.c.id.desc()), limit, offset)
    return total, [IncidentView(*row) for row in rows]


# Alerts

_ALERT_COLUMNS = tuple(alerts.c)
_ALERT_UPDATES = ("observed", "expected", "p_value", "summary", "data")


def upsert_alert(conn: sa.Connection, fields: Mapping[str, Any]) -> tuple[int, bool]:
    """Create the alert with this key, or refresh the evidence of the one that exists (its
    status and life cycle stay); returns (id, created)."""
    existing = conn.execute(sa.select(alerts.c.id, *(alerts.c[k] for k in _ALERT_UPDATES))
                            .where(alerts.c.key == fields["key"])).first()
    stamp = now()
    if existing is None:
        row = {**fields, "status": "new", "created_at": stamp, "updated_at": stamp}
        alert_id = conn.execute(alerts.insert().returning(alerts.c.id), row).scalar_one()
        record(conn, ALERTS, alert_id, "fire", MACHINE, None, None, "new", at=stamp)
        return alert_id, True
    changes = {k: fields[k] for k in _ALERT_UPDATES if k in fields and fields[k] != getattr(existing, k)}
    if changes:
        conn.execute(alerts.update().where(alerts.c.id == existing.id)
                     .values(**changes, updated_at=stamp))
    return existing.id, False


def get_alert(conn: sa.Connection, alert_id: int) -> AlertView | None:
    """One alert, if any."""
    row = conn.execute(sa.select(*_ALERT_COLUMNS).where(alerts.c.id == alert_id)).first()
    return AlertView(*row) if row else None


def list_alerts(conn: sa.Connection, *, status: str | None = None, kind: str | None = None,
                region: str | None = None, since: datetime | None = None,
                until: datetime | None = None, limit: int = 50, offset: int = 0,
                regions: Sequence[str] | None = None) -> tuple[int, list[AlertView]]:
    """Alerts, latest fired first, filtered (``regions``: only of these; an alert of no region
    is then left out); returns (total, page)."""
    query = sa.select(*_ALERT_COLUMNS)
    if regions is not None:
        query = query.where(alerts.c.region_kato.in_(list(regions)))
    for column, value in ((alerts.c.status, status), (alerts.c.kind, kind),
                          (alerts.c.region_kato, region)):
        if value is not None:
            query = query.where(column == value)
    if since:
        query = query.where(alerts.c.fired_at >= since)
    if until:
        query = query.where(alerts.c.fired_at < until)
    total, rows = page(conn, query, (alerts.c.fired_at.desc(), alerts.c.id.desc()), limit, offset)
    return total, [AlertView(*row) for row in rows]


# Deliveries

_DELIVERY_COLUMNS = tuple(deliveries.c)


def queue_delivery(conn: sa.Connection, alert_id: int, channel: str) -> bool:
    """Queue an alert for a channel unless it already is (sent or not); True when queued."""
    exists = conn.scalar(sa.select(deliveries.c.id).where(deliveries.c.alert_id == alert_id,
                                                          deliveries.c.channel == channel))
    if exists is not None:
        return False
    conn.execute(deliveries.insert(), {"alert_id": alert_id, "channel": channel,
                                       "status": "pending", "attempts": 0, "created_at": now()})
    return True


def due_deliveries(conn: sa.Connection, at: datetime) -> list[DeliveryView]:
    """Pending deliveries whose next attempt is due, oldest first."""
    query = (sa.select(*_DELIVERY_COLUMNS)
             .where(deliveries.c.status == "pending",
                    sa.or_(deliveries.c.next_attempt_at.is_(None),
                           deliveries.c.next_attempt_at <= at))
             .order_by(deliveries.c.id))
    return [DeliveryView(*row) for row in conn.execute(query)]


def record_delivery(conn: sa.Connection, delivery_id: int, *, status: str, attempts: int,
                    error: str | None, next_attempt_at: datetime | None) -> None:
    """Record the outcome of sending: sent, failed for good, or pending with its next try.
    Only a pending delivery is updated, so a delivery is marked sent once."""
    values: dict[str, Any] = {"status": status, "attempts": attempts, "last_error": error,
                              "next_attempt_at": next_attempt_at}
    if status == "sent":
        values["sent_at"] = now()
    changed = conn.execute(deliveries.update()
                           .where(deliveries.c.id == delivery_id, deliveries.c.status == "pending")
                           .values(**values)).rowcount
    if changed != 1:
        raise StoreError(f"delivery {delivery_id} is no longer pending")


def deliveries_of(conn: sa.Connection, alert_id: int) -> list[DeliveryView]:
    """The deliveries of one alert."""
    rows = conn.execute(sa.select(*_DELIVERY_COLUMNS).where(deliveries.c.alert_id == alert_id)
                        .order_by(deliveries.c.id))
    return [DeliveryView(*row) for row in rows]
