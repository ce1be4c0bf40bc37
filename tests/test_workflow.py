"""Incidents and alerts in the store: life cycles, audit trails, no duplicate alerts or sends."""

from datetime import date, datetime, timedelta, timezone

import pytest

from kelisim.store.errors import InvalidValueError, StoreError
from kelisim.store.workflow import TransitionError

AT = datetime(2024, 3, 14, 18, 59, 59, tzinfo=timezone.utc)


def alert_fields(key="spike:r:310000000:hostile:2024-03-14", observed=5.0):
    return {"key": key, "kind": "spike", "rule": "r", "signal": "hostile",
            "unit_kato": "310000000", "unit_level": "region", "region_kato": "310000000",
            "day": date(2024, 3, 14), "fired_at": AT, "observed": observed, "expected": 0.8,
            "p_value": 1e-5, "summary": "Всплеск враждебных публикаций",
            "data": {"evidence": [], "documents": [1, 2]}}


def incident_fields():
    return {"story_id": None, "type": "violent_clash", "subtype": "mob_violence",
            "groups": ["казах", "дунганин"], "region_kato": "310000000",
            "district_kato": "314800000", "settlement_kato": None, "geo_precision": 2,
            "date": date(2020, 2, 7), "time_precision": 1, "killed": 11, "injured": None,
            "detained": None, "evidence": {"documents": [1]}}


def test_an_alert_is_stored_once_per_key_and_its_evidence_refreshed(store):
    first, created = store.warning.upsert_alert(alert_fields())
    again, created_again = store.warning.upsert_alert(alert_fields(observed=7.0))
    assert created and not created_again and first == again
    alert = store.warning.alert(first)
    assert alert.observed == 7.0 and alert.status == "new" and alert.fired_at == AT
    assert [a.action for a in store.warning.alert_actions(first)] == ["fire"]


def test_the_alert_life_cycle_is_enforced_and_audited(store):
    alert_id, _ = store.warning.upsert_alert(alert_fields())
    assert store.warning.move_alert(alert_id, "acknowledge", "aigerim") == "acknowledged"
    with pytest.raises(TransitionError, match="is 'acknowledged': cannot acknowledge"):
        store.warning.move_alert(alert_id, "acknowledge", "aigerim")
    assert store.warning.move_alert(alert_id, "false_alarm", "daulet", "a football match") == "false_alarm"
    assert store.warning.move_alert(alert_id, "reopen", "aigerim") == "acknowledged"
    assert store.warning.move_alert(alert_id, "resolve", "aigerim") == "resolved"
    store.warning.comment_alert(alert_id, "daulet", "the akimat was told")
    trail = store.warning.alert_actions(alert_id)
    assert [(a.action, a.author, a.to_status) for a in trail] == [
        ("fire", "kelisim", "new"), ("acknowledge", "aigerim", "acknowledged"),
        ("false_alarm", "daulet", "false_alarm"), ("reopen", "aigerim", "acknowledged"),
        ("resolve", "aigerim", "resolved"), ("comment", "daulet", None)]
    assert trail[2].comment == "a football match"
    with pytest.raises(InvalidValueError, match="must be named"):
        store.warning.move_alert(alert_id, "reopen", "  ")
    with pytest.raises(TransitionError, match="no alert with id 999"):
        store.warning.move_alert(999, "acknowledge", "aigerim")


def test_the_incident_life_cycle_and_analyst_edits(store):
    incident_id = store.warning.flag_incident(incident_fields())
    incident = store.warning.incident(incident_id)
    assert incident.status == "flagged" and incident.killed == 11
    edited = store.warning.edit_incident(incident_id, {"injured": 192}, "aigerim", "from the MVD")
    assert edited.injured == 192 and edited.edited == ["injured"]
    # The machine's refresh leaves the analyst's field alone and takes the others.
    changed = store.warning.refresh_incident(edited, {"injured": 40, "killed": 12})
    after = store.warning.incident(incident_id)
    assert changed and after.injured == 192 and after.killed == 12
    assert store.warning.move_incident(incident_id, "verify", "aigerim") == "verified"
    assert store.warning.move_incident(incident_id, "close", "aigerim", "mediation held") == "closed"
    assert not store.warning.refresh_incident(store.warning.incident(incident_id), {"killed": 13})
    with pytest.raises(TransitionError, match="cannot verify"):
        store.warning.move_incident(incident_id, "verify", "aigerim")
    trail = store.warning.incident_actions(incident_id)
    assert [a.action for a in trail] == ["flag", "edit", "verify", "close"]
    assert trail[1].changes == {"before": {"injured": None}, "after": {"injured": 192}}
    with pytest.raises(InvalidValueError, match="cannot edit status"):
        store.warning.edit_incident(incident_id, {"status": "flagged"}, "aigerim")


def test_a_delivery_is_queued_once_and_marked_sent_once(store):
    alert_id, _ = store.warning.upsert_alert(alert_fields())
    assert store.warning.queue_delivery(alert_id, "duty")
    assert not store.warning.queue_delivery(alert_id, "duty")
    (due,) = store.warning.due_deliveries(AT)
    later = AT + timedelta(minutes=4)
    store.warning.record_delivery(due.id, status="pending", attempts=4, error="timeout",
                                  next_attempt_at=later)
    assert store.warning.due_deliveries(AT) == []
    (due,) = store.warning.due_deliveries(later)
    store.warning.record_delivery(due.id, status="sent", attempts=5, error=None, next_attempt_at=None)
    assert store.warning.due_deliveries(later + timedelta(days=1)) == []
    with pytest.raises(StoreError, match="no longer pending"):
        store.warning.record_delivery(due.id, status="sent", attempts=6, error=None,
                                      next_attempt_at=None)
    (sent,) = store.warning.deliveries(alert_id)
    assert sent.status == "sent" and sent.attempts == 5 and sent.sent_at is not None
