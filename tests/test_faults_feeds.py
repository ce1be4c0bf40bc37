"""Bad sources beside a good one, at the level of `collect` and `watch`: a feed that answers
500, one that hangs, one that sends an endless body, one that redirects in a loop, and a
gigabyte page streamed lazily by the server. The good source's items are stored, each bad one is
recorded with its reason in the source's health, the run's exit code says some failed, memory
stays flat, and the watcher keeps going."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import psutil

from kelisim.core import Kelisim

if __package__:
    from .conftest_http import http_server  # noqa: F401 (fixture)
    from .faults_support import page, serve_feed, settings_for
    from .test_sources_net import rss
    from .test_warning_stage import CLASH
else:
    from conftest_http import http_server  # noqa: F401 (fixture)
    from faults_support import page, serve_feed, settings_for
    from test_sources_net import rss
    from test_warning_stage import CLASH

ROOT = Path(__file__).resolve().parents[1]
GIB = 1 << 30
MIB = 1 << 20
# source name -> the reason its health must name
BAD = {"failing": "http_status", "hanging": "timeout", "endless": "timeout",
       "looping": "too_many_redirects", "gigabyte": "too_large"}


def _serve_bad(server) -> dict[str, tuple[str, str]]:
    """The bad sources: name -> (location, kind)."""
    server.flaky("/failing", "never", failures=10**6)
    server.hang("/hanging", seconds=30)
    server.trickle("/endless", every=0.01)
    server.redirect("/loop/a", "/loop/b")
    server.redirect("/loop/b", "/loop/a")
    server.huge("/gigabyte", GIB)
    return {"failing": ("/failing", "rss"), "hanging": ("/hanging", "rss"),
            "endless": ("/endless", "rss"), "looping": ("/loop/a", "rss"),
            "gigabyte": ("/gigabyte", "web")}


def _add_sources(kelisim: Kelisim, server, bad: dict[str, tuple[str, str]]) -> None:
    kelisim.add_source(server.url("/rss"), name="good", interval_minutes=0)
    for name, (path, kind) in bad.items():
        kelisim.add_source(server.url(path), kind=kind, name=name, interval_minutes=0)


class PeakMemory:
    """The largest resident set size of this process while it runs, sampled every 5 ms."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.before = self._process.memory_info().rss
        self.peak = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_bad_sources_are_recorded_with_their_reasons_and_the_good_one_is_stored(tmp_path,
                                                                                http_server):
    origins = serve_feed(http_server, texts=list(CLASH))
    bad = _serve_bad(http_server)
    with Kelisim(settings_for(f"sqlite:///{tmp_path / 'k.db'}", retries=1)) as kelisim:
        _add_sources(kelisim, http_server, bad)
        with PeakMemory() as memory:
            report = kelisim.collect()
        stored = sorted(d.origin for d in kelisim.store.iter_documents())
        health = {s.name: s for s in kelisim.store.list_sources()}
    assert sorted(r.name for r in report.failed) == sorted(BAD)
    assert stored == sorted(origins)
    assert health["good"].items_total == len(CLASH) and health["good"].last_error is None
    for name, reason in BAD.items():
        assert health[name].consecutive_errors == 1, name
        error = health[name].last_error
        assert f"[{reason}]" in error and http_server.url() in error
    # The gigabyte page was cut at the 10 MiB cap: the server made little of it, memory stayed flat.
    assert http_server.sent["/gigabyte"] < 64 * MIB
    assert memory.peak - memory.before < 128 * MIB
    print(f"\nmemory before {memory.before / MIB:.0f} MiB, peak {memory.peak / MIB:.0f} MiB; "
          f"the gigabyte page sent {http_server.sent['/gigabyte'] / MIB:.1f} MiB")


def test_the_command_says_which_sources_failed_and_lists_their_health(tmp_path, http_server):
    serve_feed(http_server, texts=list(CLASH))
    bad = {name: where for name, where in _serve_bad(http_server).items()
           if name in ("looping", "gigabyte")}  # the others take the default timeouts' minutes
    db = tmp_path / "k.db"
    with Kelisim(settings_for(f"sqlite:///{db}")) as kelisim:
        _add_sources(kelisim, http_server, bad)
    kelisim_cli = [sys.executable, "-m", "kelisim.cli", "--db", str(db), "--allow-private",
                   "--workers", "1"]
    run = subprocess.run([*kelisim_cli, "collect"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    for name, reason in (("looping", "too_many_redirects"), ("gigabyte", "too_large")):
        line = next(line for line in run.stdout.splitlines() if f"✗ {name}" in line)
        assert f"[{reason}]" in line
    listed = subprocess.run([*kelisim_cli, "sources", "list", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    health = {s["name"]: s for s in json.loads(listed.stdout)}
    assert health["good"]["items_total"] == len(CLASH) and health["good"]["last_error"] is None
    assert "[too_large]" in health["gigabyte"]["last_error"]
    assert "[too_many_redirects]" in health["looping"]["last_error"]


def test_watch_keeps_polling_beside_bad_sources(tmp_path, http_server):
    serve_feed(http_server, texts=list(CLASH))
    bad = _serve_bad(http_server)
    cycles: list = []
    stop = threading.Event()
    with Kelisim(settings_for(f"sqlite:///{tmp_path / 'k.db'}", retries=0)) as kelisim:
        _add_sources(kelisim, http_server, bad)

        def counted(report) -> None:
            cycles.append(report)
            if len(cycles) == 1:  # a new item appears in the good feed between two cycles
                texts = list(CLASH) + [(None, "В Таразе открылся новый дом дружбы народов.")]
                serve_feed(http_server, texts=texts, etag='"feed-2"')
            if len(cycles) == 2:
                stop.set()

        kelisim.watch(stop, 0.0, on_cycle=counted, tick_seconds=0.05)
        health = {s.name: s for s in kelisim.store.list_sources()}
        assert kelisim.store.stats().documents == len(CLASH) + 1
    assert [sorted(r.name for r in c.failed) for c in cycles] == [sorted(BAD)] * 2
    assert all(health[name].consecutive_errors == 2 for name in BAD)
    assert health["good"].items_total == len(CLASH) + 1 and health["good"].consecutive_errors == 0


def test_a_page_that_failed_once_is_fetched_again_even_if_the_feed_has_not_changed(tmp_path,
                                                                                  http_server):
    http_server.flaky("/news/0", page("Драка в Сортобе", CLASH[0][1]), failures=2)
    http_server.static("/news/1", page("В Сортобе подрались", CLASH[1][1]))
    items = [{"title": "Драка", "link": http_server.url(f"/news/{n}"),
              "date": "Wed, 06 Mar 2024 20:00:00 +0500"} for n in range(2)]
    http_server.conditional("/rss", rss(items), etag='"feed-1"', content_type="application/rss+xml")
    with Kelisim(settings_for(f"sqlite:///{tmp_path / 'k.db'}", retries=1)) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="feed")
        first = kelisim.collect().results[0].summary
        assert (first.added, first.skipped["http_status"]) == (1, 1)
        second = kelisim.collect().results[0].summary
        assert second.added == 1  # not "304, nothing new": the failed page was tried again
        third = kelisim.collect().results[0].summary
        assert third.processed == 0  # now the feed's ETag is kept: 304
    polls = [r.headers.get("if-none-match") for r in http_server.received("/rss")]
    assert polls == [None, None, '"feed-1"']
