"""The warning stage, run after reading: place and cluster new documents, refresh their stories
and incidents, decide the alerts of each day not yet final, queue and send them.

Everything is causal: a run ``as_of`` a moment uses only documents dated up to it, so a replay
that steps through the days fires the alerts as they would have fired."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kelisim.store.schema import now
from kelisim.warning.alerts import evaluate
from kelisim.warning.incidents import update_incidents
from kelisim.warning.outbox import OutboxReport, send_due
from kelisim.warning.placing import place_documents, story_fields
from kelisim.warning.rules import Rules
from kelisim.warning.units import end_of_day, local_day

EVALUATED = "evaluated_through"  # the last day whose alerts were decided
# When a run began placing documents whose stories and incidents are not refreshed yet; a run
# killed in between leaves it set, and the next run refreshes every story joined since.
UNFINISHED = "placing_since"
BACKFILL_DAYS = 2  # on a first run over an archive, days before today that are evaluated


@dataclass
class WarningReport:
    """What one run of the warning stage did."""

    as_of: datetime
    placed: int = 0
    clustered: int = 0
    stories_started: int = 0
    stories_updated: int = 0
    incidents_flagged: int = 0
    incidents_refreshed: int = 0
    days: list[date] = field(default_factory=list)
    alerts_new: list[int] = field(default_factory=list)
    alerts_refreshed: int = 0
    queued: int = 0
    outbox: OutboxReport = field(default_factory=OutboxReport)


def run(store, rules: Rules, as_of: datetime | None = None, *, send: bool = True,
        backfill_days: int = BACKFILL_DAYS, progress: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep) -> WarningReport:
    """Run the warning stage as of a moment (now by default).

    Args:
        store: the Store.
        rules: the alert rules.
        as_of: the moment the run stands at; documents dated later are left for later.
        send: send the queued deliveries (a replay does not).
        backfill_days: how many days before ``as_of`` a first run evaluates.
        progress: told what the stage is doing.
        sleep: how to wait between delivery retries.

    Returns:
        What was done.
    """
    as_of = as_of or now()
    report = WarningReport(as_of)
    _place_and_code(store, as_of, report, progress)
    for day in _days_to_evaluate(store, as_of, backfill_days):
        _say(progress, f"deciding the alerts of {day.isoformat()}")
        _decide(store, rules, day, min(as_of, end_of_day(day)), report)
        report.days.append(day)
    store.warning.set_state(EVALUATED, local_day(as_of).isoformat())
    if send and rules.channels:
        _say(progress, "sending alerts")
        report.outbox = send_due(store, rules, now(), sleep)
    return report


def _place_and_code(store, as_of: datetime, report: WarningReport,
                    progress: Callable[[str], None] | None) -> None:
    """Place and cluster new documents, refresh the stories they joined, code the incidents."""
    _say(progress, "placing and clustering documents")
    interrupted = _begin_placing(store)
    placed = place_documents(store, as_of)
    report.placed, report.clustered = placed.placed, placed.clustered
    report.stories_started = placed.stories_started
    left = store.warning.stories_joined_since(interrupted) if interrupted else []
    touched = sorted(placed.touched | set(left))
    members = _refresh_stories(store, touched, as_of)
    report.stories_updated = len(touched)
    _say(progress, "coding incidents")
    report.incidents_flagged, report.incidents_refreshed = update_incidents(store, members)
    store.warning.set_state(UNFINISHED, None)


def _begin_placing(store) -> datetime | None:
    """Mark placing as begun; returns when an interrupted run began, if one did."""
    mark = store.warning.state(UNFINISHED)
    if mark:
        return datetime.fromisoformat(mark)
    store.warning.set_state(UNFINISHED, now().isoformat())
    return None


def _say(progress: Callable[[str], None] | None, what: str) -> None:
    if progress:
        progress(what)


def _refresh_stories(store, story_ids: list[int], as_of: datetime) -> dict[int, list]:
    """Each touched story's facts from its documents; returns the documents by story."""
    by_story: dict[int, list] = {story_id: [] for story_id in story_ids}
    for member in store.warning.members(story_ids):
        by_story[member.story_id].append(member)
    for story_id, members in by_story.items():
        story = store.warning.story(story_id)
        if members and story is not None:
            centroid = store.warning.centroid(story_id)
            store.warning.update_story(story_id, story_fields(members, centroid, as_of, story.title))
    return by_story


def _days_to_evaluate(store, as_of: datetime, backfill_days: int) -> list[date]:
    today = local_day(as_of)
    last = store.warning.state(EVALUATED)
    first = date.fromisoformat(last) if last else today - timedelta(days=backfill_days)
    first = max(first, today - timedelta(days=max(backfill_days, 0) + 30))
    return [first + timedelta(days=i) for i in range((today - first).days + 1)]


def _decide(store, rules: Rules, day: date, at: datetime, report: WarningReport) -> None:
    for draft in evaluate(store, rules, day, at).drafts:
        # stored with its deliveries in one transaction: a kill cannot leave it unqueued
        alert_id, created, queued = store.warning.fire_alert(draft.fields, draft.channels)
        if created:
            report.alerts_new.append(alert_id)
            report.queued += queued
        else:
            report.alerts_refreshed += 1
