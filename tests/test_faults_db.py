"""A database that is locked or gone for a while: a SQLite write lock held by another process
(shorter and longer than the busy timeout) and a PostgreSQL server stopped and started again
under a running watch. Runs wait or fail with a clear message, nothing is half-written, and
the watcher logs the outage in one line, keeps going and stores everything afterwards."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kelisim.core import Kelisim
from kelisim.store import db

if __package__:
    from .conftest_http import http_server  # noqa: F401 (fixture)
    from .faults_support import counts, own_cluster, pg_ctl, serve_feed, settings_for  # noqa: F401
    from .shared_data import factru_texts
    from .test_warning_stage import CLASH
else:
    from conftest_http import http_server  # noqa: F401 (fixture)
    from faults_support import counts, own_cluster, pg_ctl, serve_feed, settings_for  # noqa: F401
    from shared_data import factru_texts
    from test_warning_stage import CLASH

ROOT = Path(__file__).resolve().parents[1]
TEXTS = list(CLASH)
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO runs (command, started_at, counts) "
           "VALUES ('lock holder', '2024-01-01 00:00:00', '{}')")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


class LockHolder:
    """Another process holding the SQLite write lock until released."""

    def __init__(self, path: Path) -> None:
        self._process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], text=True,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        """Commit and end."""
        self._process.stdin.write("go\n")
        self._process.stdin.flush()
        assert self._process.wait(timeout=30) == 0


def _store(tmp_path: Path, timeout: float | None = None) -> tuple[Path, str]:
    path = tmp_path / "k.db"
    return path, f"sqlite:///{path}" + (f"?timeout={timeout:g}" if timeout is not None else "")


def _until(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds  # a safeguard, not a measurement
    while not condition():
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.05)


def _run_ids(url: str) -> list[tuple[int, str]]:
    engine = sa.create_engine(db.parse_url(url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, command FROM runs ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_a_lock_shorter_than_the_busy_timeout_is_waited_for(tmp_path, http_server):
    serve_feed(http_server, texts=TEXTS)
    path, url = _store(tmp_path)
    with Kelisim(settings_for(url)) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="feed")
        holder = LockHolder(path)
        done = []
        collecting = threading.Thread(target=lambda: done.append(kelisim.collect()))
        collecting.start()
        time.sleep(1.0)  # let the collect reach its first write and wait there
        assert http_server.received() == [] and collecting.is_alive()
        holder.release()
        collecting.join(timeout=120)
        (report,) = done
    assert report.failed == [] and report.results[0].summary.added == len(TEXTS)
    assert [command for _id, command in _run_ids(url)] == ["lock holder", "collect feed"]


def test_a_lock_held_too_long_is_a_clear_error_and_nothing_is_written(tmp_path, http_server):
    serve_feed(http_server, texts=TEXTS)
    path, url = _store(tmp_path, timeout=0.5)
    with Kelisim(settings_for(url)) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="feed")
    holder = LockHolder(path)
    try:
        run = subprocess.run([sys.executable, "-m", "kelisim.cli", "--db", url, "--allow-private",
                              "--workers", "1", "collect"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    finally:
        holder.release()
    message = " ".join(run.stderr.split())
    assert run.returncode == 1 and "Traceback" not in run.stderr + run.stdout
    assert "is locked by another process, which held its write lock for more than 0.5 s" in message
    assert counts(url)["documents"] == 0 and _run_ids(url) == [(1, "lock holder")]
    with Kelisim(settings_for(url)) as kelisim:
        report = kelisim.collect()  # the lock is gone: the same command now succeeds
        assert report.results[0].summary.added == len(TEXTS)


@pytest.fixture
def watching(http_server) -> Iterator[Callable[[str], tuple[Kelisim, threading.Event]]]:
    """Start ``Kelisim.watch`` over a feed in a thread (every source due at each tick), once
    ``ready`` has run."""
    serve_feed(http_server, texts=TEXTS)
    started: list[tuple[Kelisim, threading.Event, threading.Thread]] = []

    def start(url: str, ready: Callable[[], object] = lambda: None
              ) -> tuple[Kelisim, threading.Event]:
        kelisim = Kelisim(settings_for(url))
        kelisim.add_source(http_server.url("/rss"), name="feed")
        ready()
        stop = threading.Event()
        thread = threading.Thread(target=kelisim.watch, args=(stop, 0.0),
                                  kwargs={"tick_seconds": 0.1}, daemon=True)
        thread.start()
        started.append((kelisim, stop, thread))
        return kelisim, stop

    yield start
    for kelisim, stop, thread in started:
        stop.set()
        thread.join(timeout=60)
        assert not thread.is_alive(), "watch did not stop"
        kelisim.close()


def _failures(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("watch cycle failed")]


def _recovered(caplog) -> bool:
    return any(r.getMessage().startswith("watch cycle succeeded again") for r in caplog.records)


def test_watch_logs_a_held_lock_and_stores_everything_once_it_is_released(tmp_path, watching,
                                                                          caplog):
    path, url = _store(tmp_path, timeout=0.3)
    holders = []
    kelisim, _stop = watching(url, ready=lambda: holders.append(LockHolder(path)))
    (holder,) = holders
    _until(lambda: len(_failures(caplog)) >= 2, "logged the lock")
    holder.release()
    _until(lambda: _recovered(caplog), "succeeded again")
    assert counts(url)["readings"] == len(TEXTS)
    failure = _failures(caplog)[0]
    assert failure.levelname == "ERROR" and failure.exc_info is None  # one line, no traceback
    assert "is locked by another process" in failure.getMessage()
    (source,) = kelisim.store.list_sources()
    assert source.items_total == len(TEXTS) and source.consecutive_errors == 0


@pytest.mark.postgres
def test_watch_survives_postgresql_going_away_and_stores_what_came_meanwhile(
        own_cluster, watching, http_server, caplog):
    url = own_cluster.url("faults")
    kelisim, _stop = watching(url)
    _until(lambda: counts(url)["readings"] == len(TEXTS), "stored the first items")

    # New items; the watcher fetches the new feed, and PostgreSQL stops while it fetches a page.
    later = [(text.splitlines()[0][:80], text) for text in factru_texts()[:3]]
    origins = serve_feed(http_server, texts=TEXTS + later, etag='"feed-2"')
    fetching, go_on = http_server.hold("/news/3")
    _until(fetching.is_set, "fetched the new feed")
    stopped = pg_ctl(own_cluster, "stop")
    go_on.set()
    _until(lambda: len(_failures(caplog)) >= 3, "logged the outage")
    back = pg_ctl(own_cluster, "start")
    _until(lambda: counts(url)["documents"] == len(TEXTS) + len(later), "stored the rest")
    resumed = time.monotonic()
    polls = [r.headers.get("if-none-match") for r in http_server.received("/rss")]
    _until(lambda: _recovered(caplog), "succeeded again")

    failure = _failures(caplog)[0]
    assert failure.exc_info is None and "cannot reach the database" in failure.getMessage()
    assert sorted(d.origin for d in kelisim.store.iter_documents()) == sorted(origins)
    (source,) = kelisim.store.list_sources()
    assert source.items_total == len(origins) and source.consecutive_errors == 0
    # the new feed fetched during the outage was not taken as read: after it, it came in full
    assert '"feed-2"' not in polls and len(polls) >= 3
    print(f"\noutage {back - stopped:.1f} s, {len(_failures(caplog))} failed cycles; "
          f"stored {resumed - back:.1f} s after PostgreSQL was back")
