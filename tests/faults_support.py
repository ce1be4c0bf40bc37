"""What the fault tests share: a feed of real news on a local server, runs killed with SIGKILL at
a chosen SQL statement, and what a store holds, summed up so that two stores can be compared.

A run is killed from inside, just before a statement that matches a pattern
(``faults_runner.kill_before``): the kill then lands at an exact point (after a commit, inside
a transaction) instead of wherever a timer happens to fall. It is a real SIGKILL: no cleanup,
no ``finally``.
"""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest
import sqlalchemy as sa

from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from kelisim.store import db
from kelisim.warning.incidents import is_incident
from kelisim.warning.rules import Rules, parse_rules

if __package__:
    from .conftest_http import fast_options
    from .faults_runner import kill_before
    from .httpserver import HttpServer
    from .pg import _FAST, PORT, Cluster, _as_postgres, server_binaries, start_cluster, stop_cluster
    from .shared_data import factru_texts
    from .test_sources_net import rss
    from .test_warning_stage import CLASH, HOSTILE
else:
    from conftest_http import fast_options
    from faults_runner import kill_before
    from httpserver import HttpServer
    from pg import _FAST, PORT, Cluster, _as_postgres, server_binaries, start_cluster, stop_cluster
    from shared_data import factru_texts
    from test_sources_net import rss
    from test_warning_stage import CLASH, HOSTILE

NEWS = 4  # background news texts (factRuEval) in the feed, beside the clash and the posts


def feed_texts() -> list[tuple[str | None, str]]:
    """(title, text) of the feed's items: news, three reports of a clash, three hostile posts."""
    news = [(text.strip().splitlines()[0][:80], text) for text in factru_texts()[:NEWS]]
    return news + list(CLASH) + [(None, post) for post in HOSTILE[:3]]


def page(title: str | None, text: str) -> str:
    """An article page."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    head = f"<head><title>{escape(title or '')}</title></head>"
    return f"<html>{head}<body>{paragraphs}</body></html>"


def serve_feed(server: HttpServer, path: str = "/rss", etag: str = '"feed-1"',
               texts: list[tuple[str | None, str]] | None = None) -> list[str]:
    """Serve an RSS feed of ``texts`` (default :func:`feed_texts`) and their pages, dated in the
    last hours so that the warning stage counts them today; returns the items' origins."""
    now = datetime.now(timezone.utc)
    items = []
    for n, (title, text) in enumerate(feed_texts() if texts is None else texts):
        server.static(f"/news/{n}", page(title, text))
        items.append({"title": title or "", "link": server.url(f"/news/{n}"),
                      "date": format_datetime(now - timedelta(minutes=120 - 5 * n))})
    server.conditional(path, rss(items), etag=etag, content_type="application/rss+xml")
    return [f"url:{item['link']}" for item in items]


def rules_for(hook_url: str) -> Rules:
    """Two saved searches that fire on the clash, stories on, alerts sent to a webhook."""
    return parse_rules(rules_text(hook_url), {}, "fault test rules")


def rules_text(hook_url: str) -> str:
    """The TOML of :func:`rules_for`."""
    return f"""
[[search]]
name = "sortobe"
query = "Сортобе"
channels = ["hook"]

[[search]]
name = "dungan"
query = "дунгане"
channels = ["hook"]

[stories]
enabled = true

[channel.hook]
kind = "webhook"
url = "{hook_url}"
timeout = 2
allow_private = true

[delivery]
retries = 0
backoff_seconds = 0
"""


def settings_for(url: str, batch_size: int = 200, **fetch: object) -> Settings:
    """One process, fast fetching on loopback, ``batch_size`` documents per transaction."""
    return Settings(db_url=url, fetch=fast_options(**fetch),
                    ingest=IngestOptions(workers=1, batch_size=batch_size))


def watch_cycles(kelisim: Kelisim, cycles: int = 1) -> None:
    """Run ``kelisim.watch`` (every source due at once) for ``cycles`` cycles."""
    stop, done = threading.Event(), []

    def counted(_report) -> None:
        done.append(1)
        if len(done) >= cycles:
            stop.set()

    kelisim.watch(stop, 0.0, on_cycle=counted, tick_seconds=0.05)


def _watch_killed(settings: Settings, rules: Rules, pattern: str, nth: int) -> None:
    kill_before(pattern, nth)
    with Kelisim(settings, rules=rules) as kelisim:
        watch_cycles(kelisim)


def run_killed(settings: Settings, rules: Rules, pattern: str, nth: int = 1,
               target: Callable[..., None] = _watch_killed) -> int:
    """Run one watch cycle in a forked child that SIGKILLs itself before the ``nth``
    statement matching ``pattern``; returns the child's exit code (-9 when killed)."""
    child = multiprocessing.get_context("fork").Process(
        target=target, args=(settings, rules, pattern, nth), daemon=True)
    child.start()
    child.join(timeout=180)
    if child.is_alive():
        child.kill()
        child.join()
    return child.exitcode


TABLES = ("documents", "reprints", "readings", "mentions", "document_days", "stories",
          "story_documents", "incidents", "alerts", "deliveries", "skips")


def counts(url: str) -> dict[str, int]:
    """Rows per table (none while the schema is being made)."""
    engine = sa.create_engine(db.parse_url(url))
    try:
        with engine.connect() as conn:
            return {t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in TABLES}
    except sa.exc.OperationalError:  # a table is missing, or the file is locked for a moment
        return dict.fromkeys(TABLES, 0)
    finally:
        engine.dispose()


def summary(kelisim: Kelisim) -> dict[str, object]:
    """What the store holds, in terms that do not depend on ids or times."""
    store = kelisim.store
    origins = sorted(d.origin for d in store.iter_documents())
    _n, stories = store.warning.stories(relevant_only=False, limit=1000)
    _n, incidents = store.warning.incidents(limit=1000)
    _n, alerts = store.warning.alerts(limit=1000)
    reading = store.reading_stats()
    by_story = {s.id: s.title for s in stories}
    return {
        "origins": origins,
        "read": (reading.documents_read, reading.documents_unread, dict(reading.mentions)),
        "stories": sorted((s.title, s.documents, s.event_type) for s in stories),
        "incidents": sorted((by_story.get(i.story_id), i.type, len(i.evidence["documents"]))
                            for i in incidents),
        "alerts": sorted(a.key for a in alerts),
        "deliveries": sorted((a.key, d.channel, d.status)
                             for a in alerts for d in store.warning.deliveries(a.id)),
    }


def assert_whole(kelisim: Kelisim) -> None:
    """Nothing half-written: the search index matches, every story counts its documents, every
    story of an incident type has its incident, every alert is queued for its channels."""
    store = kelisim.store
    assert store.integrity_problems() == []
    _n, stories = store.warning.stories(relevant_only=False, limit=1000)
    members = store.warning.members([s.id for s in stories])
    for story in stories:
        assert story.documents == sum(1 for m in members if m.story_id == story.id), story
    flagged = {i.story_id for i in store.warning.incidents(limit=1000)[1]}
    assert {s.id for s in stories if is_incident(s)} == flagged
    for alert in store.warning.alerts(limit=1000)[1]:
        routed = ["hook"] if alert.kind == "search" else []  # see rules_for
        assert [d.channel for d in store.warning.deliveries(alert.id)] == routed, alert.key


KILLED = -signal.SIGKILL


@pytest.fixture(scope="module")
def feed() -> Iterator[HttpServer]:
    """The news feed and its pages, the same for every test of a module."""
    server = HttpServer().start()
    serve_feed(server)
    yield server
    server.stop()


@pytest.fixture
def hook() -> Iterator[HttpServer]:
    """A webhook receiver that takes every alert."""
    server = HttpServer().start()
    server.static("/hook", "ok", content_type="text/plain")
    yield server
    server.stop()


def open_kelisim(url: str, hook: HttpServer, batch_size: int = 200) -> Kelisim:
    """Kelisim on a store, with the fault rules sending to ``hook``."""
    return Kelisim(settings_for(url, batch_size), rules=rules_for(hook.url("/hook")))


@pytest.fixture(scope="module")
def reference(feed, tmp_path_factory) -> dict:
    """What two uninterrupted watch cycles over the feed store (the summary)."""
    server = HttpServer().start()
    server.static("/hook", "ok", content_type="text/plain")
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'k.db'}"
    with open_kelisim(url, server) as kelisim:
        kelisim.add_source(feed.url("/rss"), name="feed")
        watch_cycles(kelisim, 2)
        assert_whole(kelisim)
        found = summary(kelisim)
    server.stop()
    assert len(found["origins"]) == 10 and found["incidents"] and found["alerts"]
    return found


def kill_then_resume(url: str, feed: HttpServer, hook: HttpServer, pattern: str, nth: int = 1,
                     batch_size: int = 200) -> tuple[dict, dict]:
    """Kill a first watch cycle before a statement, resume with two cycles; returns the rows
    per table at the kill and the summary of the store at the end."""
    with open_kelisim(url, hook) as kelisim:
        kelisim.add_source(feed.url("/rss"), name="feed")
    settings = settings_for(url, batch_size)
    assert run_killed(settings, rules_for(hook.url("/hook")), pattern, nth) == KILLED
    at_kill = counts(url)
    with open_kelisim(url, hook, batch_size) as kelisim:
        watch_cycles(kelisim, 2)
        assert_whole(kelisim)
        return at_kill, summary(kelisim)


def delivered(hook: HttpServer) -> list[str]:
    """The Idempotency-Key of every alert the webhook received, in order."""
    return [r.headers.get("idempotency-key") or "" for r in hook.received("/hook")]


def pg_ctl(cluster: Cluster, action: str) -> float:
    """Stop or start the cluster; returns when pg_ctl returned (time.monotonic)."""
    options = f"-k {cluster.root} -p {PORT} -c listen_addresses='' {_FAST}"
    command = [str(cluster.bindir / "pg_ctl"), "-D", str(cluster.root / "data"), "-w", action]
    if action == "start":
        command += ["-o", options, "-l", str(cluster.root / "log")]
    else:
        command += ["-m", "fast"]
    subprocess.run(_as_postgres(command), check=True, capture_output=True)
    return time.monotonic()


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster of one test alone, which it may stop and start, with an empty
    database ``faults``."""
    cluster = start_cluster(server_binaries())
    with cluster.admin() as conn:
        conn.execute('CREATE DATABASE "faults"')
    yield cluster
    stop_cluster(cluster)
