"""Alerts reach people: queued once per channel, sent with retries to a real SMTP server and a
real webhook receiver on 127.0.0.1, never sent twice, failures kept for a later round."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest

from kelisim.store import Store
from kelisim.warning.outbox import alert_json, send_due
from kelisim.warning.rules import parse_rules

if __package__:
    from .httpserver import HttpServer
    from .mailserver import free_port, mailbox, smtp_server  # noqa: F401
else:
    from httpserver import HttpServer
    from mailserver import free_port, mailbox, smtp_server  # noqa: F401

AT = datetime(2024, 3, 14, 18, 59, 59, tzinfo=timezone.utc)


def rules_for(smtp_port: int, hook_url: str, **delivery):
    settings = {"retries": 1, "backoff_seconds": 0, "max_attempts": 4} | delivery
    text = f"""
[channel.duty]
kind = "email"
host = "127.0.0.1"
port = {smtp_port}
sender = "kelisim@example.kz"
to = ["duty@example.kz"]
timeout = 2

[channel.hook]
kind = "webhook"
url = "{hook_url}"
timeout = 2
allow_private = true

[delivery]
retries = {settings['retries']}
backoff_seconds = {settings['backoff_seconds']}
max_attempts = {settings['max_attempts']}
"""
    return parse_rules(text, {}, "test rules")


def fire(store: Store, key: str = "spike:hostile:310000000:hostile:2024-03-14") -> int:
    alert_id, _ = store.warning.upsert_alert({
        "key": key, "kind": "spike", "rule": "hostile", "signal": "hostile",
        "unit_kato": "310000000", "unit_level": "region", "region_kato": "310000000",
        "day": date(2024, 3, 14), "fired_at": AT, "observed": 6.0, "expected": 0.9,
        "p_value": 2e-5, "summary": "Всплеск враждебных публикаций: Жамбылская область",
        "data": {"unit": {"kato": "310000000", "name": "Жамбылская область", "level": "region"},
                 "documents": [], "evidence": []}})
    for channel in ("duty", "hook"):
        store.warning.queue_delivery(alert_id, channel)
    return alert_id


@pytest.fixture
def hook() -> Iterator[HttpServer]:
    server = HttpServer().start()
    yield server
    server.stop()


def test_an_alert_reaches_mail_and_webhook_once(store, smtp_server, mailbox, hook):
    hook.static("/hook", "", status=204)
    rules = rules_for(smtp_server.port, hook.url("/hook"))
    alert_id = fire(store)
    report = send_due(store, rules, AT, sleep=lambda s: None)
    assert (report.sent, report.failed, report.pending) == (2, 0, 0)
    assert len(mailbox.accepted) == 1
    mail = message_from_bytes(mailbox.accepted[0][2], policy=policy.default)
    assert "Жамбылская область" in mail["Subject"]
    (body,) = hook.bodies("/hook")
    assert json.loads(body)["key"] == alert_json(store.warning.alert(alert_id))["key"]
    # A second round, and the same alert raised again, send nothing more.
    fire(store)
    again = send_due(store, rules, AT + timedelta(hours=1), sleep=lambda s: None)
    assert (again.sent, again.failed, again.pending) == (0, 0, 0)
    assert len(mailbox.accepted) == 1 and len(hook.bodies("/hook")) == 1
    assert {d.status for d in store.warning.deliveries(alert_id)} == {"sent"}


def test_a_receiver_that_fails_is_retried_in_later_rounds_until_it_takes_it(store, smtp_server,
                                                                            mailbox, hook):
    hook.flaky("/hook", "ok", failures=3, status=503)
    rules = rules_for(smtp_server.port, hook.url("/hook"))  # 2 tries a round
    alert_id = fire(store)
    first = send_due(store, rules, AT, sleep=lambda s: None)
    assert (first.sent, first.pending) == (1, 1)  # mail went, the hook failed twice
    (waiting,) = [d for d in store.warning.deliveries(alert_id) if d.channel == "hook"]
    assert waiting.status == "pending" and waiting.attempts == 2 and "503" in waiting.last_error
    assert send_due(store, rules, AT, sleep=lambda s: None).sent == 0  # not due yet
    second = send_due(store, rules, waiting.next_attempt_at, sleep=lambda s: None)
    assert second.sent == 1
    assert len(hook.bodies("/hook")) == 4 and len(mailbox.accepted) == 1
    assert {d.status for d in store.warning.deliveries(alert_id)} == {"sent"}


def test_a_receiver_that_never_answers_fails_for_good_after_max_attempts(store, hook):
    rules = rules_for(free_port(), f"http://127.0.0.1:{free_port()}/hook", max_attempts=3)
    alert_id = fire(store)
    moment = AT
    for _ in range(3):
        send_due(store, rules, moment, sleep=lambda s: None)
        moment += timedelta(days=1)
    statuses = {d.channel: (d.status, d.attempts) for d in store.warning.deliveries(alert_id)}
    assert statuses == {"duty": ("failed", 4), "hook": ("failed", 4)}
    assert send_due(store, rules, moment, sleep=lambda s: None).sent == 0


def test_a_channel_removed_from_the_rules_fails_its_deliveries_with_the_reason(store):
    rules = parse_rules("", {}, "empty rules")
    alert_id = fire(store)
    report = send_due(store, rules, AT, sleep=lambda s: None)
    assert report.failed == 2
    assert all("not defined in empty rules" in d.last_error for d in store.warning.deliveries(alert_id))
