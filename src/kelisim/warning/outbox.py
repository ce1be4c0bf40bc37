"""Sending alerts: every alert that a rule routes to a channel is queued once per channel
(a unique row), sent with retries, and marked sent in the store only after the channel took it.

No duplicates: an alert is queued for a channel at most once, and only a pending delivery can
be marked sent. The one gap is a crash between the channel's acceptance and that mark; the
retry then carries the same Message-ID / Idempotency-Key, so the receiver can drop it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kelisim.store.views import AlertView
from kelisim.warning.delivery import deliver, message_for
from kelisim.warning.rules import Rules

log = logging.getLogger(__name__)


@dataclass
class OutboxReport:
    """What a round of sending did."""

    sent: int = 0
    failed: int = 0
    pending: int = 0


def alert_json(alert: AlertView) -> dict[str, Any]:
    """The alert as JSON: what channels receive and the API returns."""
    data = dict(alert.data)
    return {
        "id": alert.id, "key": alert.key, "kind": alert.kind, "rule": alert.rule,
        "signal": alert.signal, "unit": data.get("unit"),
        "day": alert.day.isoformat() if alert.day else None,
        "fired_at": alert.fired_at.isoformat(), "status": alert.status,
        "observed": alert.observed, "expected": alert.expected, "p_value": alert.p_value,
        "summary": alert.summary, "source": data.get("source"), "story": data.get("story"),
        "factors": data.get("factors"), "documents": data.get("documents", []),
        "evidence": data.get("evidence", []),
    }


def send_due(store, rules: Rules, at: datetime,
             sleep: Callable[[float], None] = time.sleep) -> OutboxReport:
    """Send every pending delivery that is due, with the rules' retries; a delivery that still
    fails waits for a later round (doubling the wait) until ``max_attempts``."""
    report = OutboxReport()
    for delivery in store.warning.due_deliveries(at):
        alert = store.warning.alert(delivery.alert_id)
        channel = rules.channels.get(delivery.channel)
        if alert is None:
            continue
        if channel is None:
            _record(store, delivery.id, "failed", delivery.attempts,
                    f"the channel {delivery.channel!r} is not defined in {rules.origin}", None)
            report.failed += 1
            continue
        outcome = deliver(channel, message_for(alert_json(alert), rules.base_url),
                          retries=rules.retries, backoff=rules.backoff, sleep=sleep)
        attempts = delivery.attempts + outcome.attempts
        if outcome.ok:
            _record(store, delivery.id, "sent", attempts, None, None)
            report.sent += 1
        elif outcome.permanent or attempts >= rules.max_attempts:
            _record(store, delivery.id, "failed", attempts, outcome.error, None)
            log.warning("alert %s not delivered to %s: %s", alert.id, delivery.channel, outcome.error)
            report.failed += 1
        else:
            wait = timedelta(minutes=2 ** min(attempts, 10))
            _record(store, delivery.id, "pending", attempts, outcome.error, at + wait)
            report.pending += 1
    return report


def _record(store, delivery_id: int, status: str, attempts: int, error: str | None,
            next_at: datetime | None) -> None:
    store.warning.record_delivery(delivery_id, status=status, attempts=attempts, error=error,
                                  next_attempt_at=next_at)
