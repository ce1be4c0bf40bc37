"""Registered sources polled over real HTTP: collect once, watch on a schedule, survive failures."""

from __future__ import annotations

import threading
import time

from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from tests.conftest_http import fast_options, http_server  # noqa: F401 (fixture)
from tests.test_sources_net import two_item_rss
from tests.shared_data import SEEDS


def _kelisim(tmp_path, **fetch) -> Kelisim:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'k.db'}",
                        fetch=fast_options(**fetch), ingest=IngestOptions(workers=1))
    return Kelisim(settings)


def test_collect_feed_then_nothing_new_on_the_next_poll(tmp_path, http_server):
    http_server.conditional("/rss", two_item_rss(http_server), etag='"feed-1"')
    with _kelisim(tmp_path) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="kazinform")
        first = kelisim.collect()
        assert [r.error for r in first.results] == [None]
        assert first.results[0].summary.added == 2
        second = kelisim.collect()
        assert second.results[0].summary.processed == 0  # 304: the feed has not changed
        assert http_server.received("/rss")[-1].headers.get("if-none-match") == '"feed-1"'
        (source,) = kelisim.store.list_sources()
        assert source.items_total == 2 and source.consecutive_errors == 0
        page = kelisim.search("Ассамблея", source="kazinform")
        assert page.total >= 1


def test_a_dead_feed_is_recorded_and_the_other_sources_still_run(tmp_path, http_server):
    http_server.static("/dead", "gone", status=500)
    with _kelisim(tmp_path) as kelisim:
        kelisim.add_source(http_server.url("/dead"), kind="rss", name="dead")
        kelisim.add_source(str(SEEDS), name="seeds")
        report = kelisim.collect()
        assert [r.name for r in report.failed] == ["dead"]
        assert "500" in report.failed[0].error
        health = {s.name: s for s in kelisim.store.list_sources()}
        assert health["dead"].consecutive_errors == 1 and "500" in health["dead"].last_error
        assert health["seeds"].items_total == 5


def test_private_addresses_are_refused_unless_allowed(tmp_path, http_server):
    http_server.static("/rss", two_item_rss(http_server), content_type="application/rss+xml")
    with _kelisim(tmp_path, allow_private=False) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="local")
        report = kelisim.collect()
        assert "blocked_address" in report.failed[0].error
    assert http_server.received() == []


def test_watch_survives_a_failing_source_and_stops_cleanly(tmp_path, http_server):
    http_server.flaky("/rss", two_item_rss(http_server), failures=4)
    cycles = []
    with _kelisim(tmp_path, retries=0) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="flaky", interval_minutes=0)
        stop = threading.Event()
        thread = threading.Thread(target=kelisim.watch, args=(stop, 0.0),
                                  kwargs={"on_cycle": cycles.append, "tick_seconds": 0.05}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while kelisim.store.stats().documents < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert kelisim.store.stats().documents == 2
        assert any(r.failed for r in cycles) and any(not r.failed for r in cycles)
