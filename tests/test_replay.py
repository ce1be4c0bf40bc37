"""`kelisim replay` on a small simulated corpus: the planted episode is found within the delay
docs/method.md states, with few false alarms, and a replay run again adds nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from kelisim.cli import app
from kelisim.warning.units import end_of_day
from tests.replay_support import load_script
from tests.shared_data import shared_path

START, DAYS, PER_DAY, SEED = date(2024, 1, 1), 100, 8.0, 11
# docs/method.md, "Replay": days from the episode's start (its first days hold one post a day,
# which looks like background), and from the first day with three planted posts.
MAX_DELAY_DAYS, MAX_DELAY_AFTER_DETECTABLE = 6, 2
MAX_FALSE_ALARMS_PER_MONTH = 1.0


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """The corpus built, replayed through the CLI into its own store, and the report."""
    folder = tmp_path_factory.mktemp("replay")
    corpus = folder / "corpus"
    manifest = load_script().build(shared_path("data"), shared_path("seeds"), corpus,
                                   start=START, days=DAYS, per_day=PER_DAY, seed=SEED)
    db, out = folder / "replay.db", folder / "alerts.jsonl"
    result = CliRunner().invoke(app, ["--db", str(db), "replay", str(corpus), "--out", str(out),
                                      "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    alerts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return manifest, report, alerts, db, corpus


def test_the_planted_episode_is_detected_in_its_district_within_the_stated_delay(replayed):
    manifest, report, _alerts, _db, _corpus = replayed
    (planted,) = manifest["episodes"]
    (episode,) = report["episodes"]
    assert episode["name"] == planted["name"]
    assert episode["detected"] is not None
    assert 0 <= episode["delay_days"] <= MAX_DELAY_DAYS
    assert 0 <= episode["delay_after_detectable"] <= MAX_DELAY_AFTER_DETECTABLE
    first = episode["first_alert"]
    assert first["unit"]["kato"] in (planted["district_kato"], planted["region_kato"])
    assert first["evidence"] and all(item["spans"] for item in first["evidence"])


def test_few_false_alarms_and_the_silent_outlet_is_found(replayed):
    manifest, report, _alerts, _db, _corpus = replayed
    months = report["false_alarms"]
    assert sum(months.values()) / len(months) <= MAX_FALSE_ALARMS_PER_MONTH
    silent = {s["outlet"] for s in manifest["silences"]}
    assert silent <= set(report["silences_found"])


def test_alerts_are_written_in_the_order_they_fired_each_with_its_time(replayed):
    _manifest, report, alerts, _db, _corpus = replayed
    assert len(alerts) == report["alert_count"]
    assert [a["fired_at"] for a in alerts] == sorted(a["fired_at"] for a in alerts)
    for alert in alerts:  # each fired at the end of its day in Kazakhstan, as the replay stood
        assert alert["fired_at"] == end_of_day(date.fromisoformat(alert["day"])).isoformat()


def test_replaying_again_adds_nothing(replayed):
    _manifest, report, _alerts, db, corpus = replayed
    result = CliRunner().invoke(app, ["--db", str(db), "replay", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout)
    assert again["alert_count"] == report["alert_count"] and again["documents"] == 0


def test_a_folder_that_is_no_corpus_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "r.db"), "replay", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a replay corpus" in " ".join(result.output.split())
