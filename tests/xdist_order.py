"""The order in which pytest-xdist hands out test files (``-n 2 --dist loadfile
--no-loadscope-reorder``): the slowest files first, so that the run does not end with one long
file on one worker while the other has nothing left to do.

Each file runs whole on one worker, so its module fixtures (a trained model, a Dask cluster, a
replayed corpus) are built once. A plain serial run keeps pytest's own order.
"""

from __future__ import annotations

import pytest

# Seconds per file in a run of two workers on 2 cores (the mean of two runs), down to 15 s.
SLOWEST = (
    "test_hostile_fuzz.py",  # 120: libFuzzer over every target, two jobs
    "test_worker_kill.py",  # 65
    "test_crash_recovery.py",  # 60
    "test_attitude_gate.py",  # 60: trains and evaluates the attitude model
    "test_replay.py",  # 50
    "test_security_sessions.py",  # 45
    "test_cluster.py",  # 45: a Dask cluster and PostgreSQL
    "test_browser_security.py",  # 40
    "test_faults_feeds.py",  # 35
    "test_attitude.py",  # 30
    "test_faults_watch.py",  # 30
    "test_store_search.py",  # 25
    "test_store.py",  # 25
    "test_train.py",  # 25
    "test_faults_disk.py",  # 20
    "test_api_facets.py",  # 20
    "test_faults_disk_pg.py",  # 20
    "test_browser_dashboard.py",  # 20
    "test_faults_warn.py",  # 20
    "test_security_injection.py",  # 20
    "test_api.py",  # 20
    "test_stories_gate.py",  # 15
    "test_users.py",  # 15
    "test_browser_apidocs.py",  # 15
    "test_ner_gate.py",  # 15
    "test_faults_db.py",  # 15
    "test_dashboard.py",  # 15
    "test_browser_smoke.py",  # 15
)


def slowest_first(items: list[pytest.Item]) -> None:
    """Move the files of :data:`SLOWEST` to the front, in that order; a stable sort keeps the
    order of the tests inside each file and of every other file."""
    rank = {name: number for number, name in enumerate(SLOWEST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOWEST)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker (every worker sorts alike, as xdist requires), the slowest first."""
    if hasattr(config, "workerinput"):
        slowest_first(items)
