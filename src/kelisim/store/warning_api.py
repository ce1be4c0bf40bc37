"""The warning stage's part of the Store: stories, incidents, alerts, deliveries, counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kelisim.store import signals, stories, workflow
from kelisim.store.views import (
    ActionView,
    AlertView,
    DeliveryView,
    IncidentView,
    StoryMember,
    StoryView,
    ToPlace,
    UnitDay,
    UnitDocument,
)

if TYPE_CHECKING:
    from kelisim.store.api import Store


class WarningStore:
    """Reads and writes of the warning stage, each in its own transaction."""

    def __init__(self, store: Store) -> None:
        """Bind to a store."""
        self._store = store

    # Placing and clustering

    def to_place(self, as_of: datetime, limit: int = 500) -> list[ToPlace]:
        """Read documents up to ``as_of`` not yet placed (or read again since), oldest first."""
        with self._store._read() as conn:
            return stories.to_place(conn, as_of, limit)

    def open_stories(self, since: datetime) -> list[tuple[int, dict]]:
        """(id, centroid JSON) of stories with a document at or after ``since``."""
        with self._store._read() as conn:
            return stories.open_stories(conn, since)

    def save_chunk(self, placements: Sequence[Mapping[str, Any]],
                   created: Sequence[tuple[int, Mapping[str, Any]]],
                   updated: Mapping[int, Mapping[str, Any]],
                   members: Sequence[Mapping[str, Any]]) -> dict[int, int]:
        """Store one chunk of placing and clustering in one transaction.

        Args:
            placements: rows of ``document_days``.
            created: (temporary negative id, fields) of new stories, in order.
            updated: story id (real or temporary) -> fields to change.
            members: rows of ``story_documents``; ``story_id`` may be a temporary id.

        Returns:
            temporary id -> the id the story got.
        """
        with self._store._write() as conn:
            stories.place(conn, placements)
            ids = {temp: stories.create_story(conn, fields) for temp, fields in created}
            for story_id, fields in updated.items():
                stories.update_story(conn, ids.get(story_id, story_id), fields)
            stories.add_members(conn, [{**row, "story_id": ids.get(row["story_id"], row["story_id"])}
                                       for row in members])
            return ids

    def stories_joined_since(self, moment: datetime) -> list[int]:
        """The stories a document joined at or after ``moment`` (to finish an interrupted run)."""
        with self._store._read() as conn:
            return stories.joined_since(conn, moment)

    def members(self, story_ids: Iterable[int]) -> list[StoryMember]:
        """The documents of stories, in date order."""
        with self._store._read() as conn:
            return stories.members(conn, story_ids)

    def update_story(self, story_id: int, fields: Mapping[str, Any]) -> None:
        """Change fields of a story."""
        with self._store._write() as conn:
            stories.update_story(conn, story_id, fields)

    def story(self, story_id: int) -> StoryView | None:
        """One story."""
        with self._store._read() as conn:
            return stories.get_story(conn, story_id)

    def stories(self, **filters: Any) -> tuple[int, list[StoryView]]:
        """Stories, filtered (see ``kelisim.store.stories.list_stories``): (total, page)."""
        with self._store._read() as conn:
            return stories.list_stories(conn, **filters)

    def story_of(self, doc_id: int) -> int | None:
        """The story a document belongs to."""
        with self._store._read() as conn:
            return stories.story_of(conn, doc_id)

    # Counting

    def daily_counts(self, level: str, day_from: date, day_to: date,
                     conflict_types: Iterable[str], katos: Iterable[str] | None = None) -> list[UnitDay]:
        """Per unit and day: volume, conflict, hostile and attention counts."""
        with self._store._read() as conn:
            return signals.daily_counts(conn, level, day_from, day_to, conflict_types, katos)

    def unit_documents(self, level: str, day_from: date, day_to: date,
                       katos: Iterable[str] | None = None) -> list[UnitDocument]:
        """The documents counted in units over days, with what the index weighs."""
        with self._store._read() as conn:
            return signals.unit_documents(conn, level, day_from, day_to, katos)

    def day_range(self) -> tuple[date | None, date | None]:
        """The first and last day documents count on."""
        with self._store._read() as conn:
            return signals.day_range(conn)

    def state(self, key: str) -> Any:
        """A value kept between runs."""
        with self._store._read() as conn:
            return signals.get_state(conn, key)

    def set_state(self, key: str, value: Any) -> None:
        """Keep a value between runs."""
        with self._store._write() as conn:
            signals.set_state(conn, key, value)

    # Incidents

    def incident_of_story(self, story_id: int) -> IncidentView | None:
        """The incident flagged from a story."""
        with self._store._read() as conn:
            return workflow.incident_of_story(conn, story_id)

    def flag_incident(self, fields: Mapping[str, Any]) -> int:
        """Create an incident flagged by the machine."""
        with self._store._write() as conn:
            return workflow.flag_incident(conn, fields)

    def refresh_incident(self, incident: IncidentView, fields: Mapping[str, Any]) -> bool:
        """Update the machine's fields of an incident (not an analyst's, not a closed one)."""
        with self._store._write() as conn:
            return workflow.refresh_incident(conn, incident, fields)

    def incident(self, incident_id: int) -> IncidentView | None:
        """One incident."""
        with self._store._read() as conn:
            return workflow.get_incident(conn, incident_id)

    def incidents(self, **filters: Any) -> tuple[int, list[IncidentView]]:
        """Incidents, filtered: (total, page)."""
        with self._store._read() as conn:
            return workflow.list_incidents(conn, **filters)

    def move_incident(self, incident_id: int, action: str, author: str,
                      comment: str | None = None) -> str:
        """verify, close or reopen an incident; returns its new status."""
        with self._store._write() as conn:
            return workflow.transition(conn, workflow.INCIDENTS, incident_id, action, author, comment)

    def edit_incident(self, incident_id: int, changes: Mapping[str, Any], author: str,
                      comment: str | None = None) -> IncidentView:
        """An analyst's change of an incident's coding."""
        with self._store._write() as conn:
            return workflow.edit_incident(conn, incident_id, changes, author, comment)

    def comment_incident(self, incident_id: int, author: str, comment: str) -> None:
        """Add a comment to an incident's trail."""
        with self._store._write() as conn:
            workflow.comment(conn, workflow.INCIDENTS, incident_id, author, comment)

    def incident_actions(self, incident_id: int) -> list[ActionView]:
        """The audit trail of an incident."""
        with self._store._read() as conn:
            return workflow.actions(conn, workflow.INCIDENTS, incident_id)

    # Alerts

    def upsert_alert(self, fields: Mapping[str, Any]) -> tuple[int, bool]:
        """Create an alert, or refresh the evidence of the one with the same key."""
        with self._store._write() as conn:
            return workflow.upsert_alert(conn, fields)

    def fire_alert(self, fields: Mapping[str, Any],
                   channels: Iterable[str]) -> tuple[int, bool, int]:
        """Create an alert and queue it for its channels in one transaction, or refresh the one
        with the same key; returns (id, created, deliveries queued)."""
        with self._store._write() as conn:
            alert_id, created = workflow.upsert_alert(conn, fields)
            if not created:
                return alert_id, False, 0
            return alert_id, True, sum(workflow.queue_delivery(conn, alert_id, channel)
                                       for channel in channels)

    def alert(self, alert_id: int) -> AlertView | None:
        """One alert."""
        with self._store._read() as conn:
            return workflow.get_alert(conn, alert_id)

    def alerts(self, **filters: Any) -> tuple[int, list[AlertView]]:
        """Alerts, filtered: (total, page)."""
        with self._store._read() as conn:
            return workflow.list_alerts(conn, **filters)

    def move_alert(self, alert_id: int, action: str, author: str, comment: str | None = None) -> str:
        """acknowledge, resolve, mark as false alarm or reopen an alert; returns its status."""
        with self._store._write() as conn:
            return workflow.transition(conn, workflow.ALERTS, alert_id, action, author, comment)

    def comment_alert(self, alert_id: int, author: str, comment: str) -> None:
        """Add a comment to an alert's trail."""
        with self._store._write() as conn:
            workflow.comment(conn, workflow.ALERTS, alert_id, author, comment)

    def alert_actions(self, alert_id: int) -> list[ActionView]:
        """The audit trail of an alert."""
        with self._store._read() as conn:
            return workflow.actions(conn, workflow.ALERTS, alert_id)

    # Deliveries

    def queue_delivery(self, alert_id: int, channel: str) -> bool:
        """Queue an alert for a channel unless it already is."""
        with self._store._write() as conn:
            return workflow.queue_delivery(conn, alert_id, channel)

    def due_deliveries(self, at: datetime) -> list[DeliveryView]:
        """Pending deliveries due now."""
        with self._store._read() as conn:
            return workflow.due_deliveries(conn, at)

    def record_delivery(self, delivery_id: int, **outcome: Any) -> None:
        """Record the outcome of sending one delivery."""
        with self._store._write() as conn:
            workflow.record_delivery(conn, delivery_id, **outcome)

    def deliveries(self, alert_id: int) -> list[DeliveryView]:
        """The deliveries of one alert."""
        with self._store._read() as conn:
            return workflow.deliveries_of(conn, alert_id)

    def source_times(self, source_id: int, as_of: datetime, last: int = 30) -> list[datetime]:
        """The dates of a source's latest items up to ``as_of``, newest first."""
        with self._store._read() as conn:
            return signals.source_times(conn, source_id, as_of, last)

    def regions_of(self, doc_ids: Iterable[int]) -> dict[int, str | None]:
        """The region each document counts in."""
        with self._store._read() as conn:
            return signals.regions_of(conn, list(doc_ids))

    def centroid(self, story_id: int) -> dict | None:
        """The stored centroid of a story."""
        with self._store._read() as conn:
            return stories.centroid(conn, story_id)
