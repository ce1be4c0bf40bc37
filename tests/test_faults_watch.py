"""The real ``kelisim watch`` over a local feed, killed with SIGKILL while collecting and in the
warning stage, restarted each time, then stopped with SIGTERM: every feed item is stored once,
every document read once, one story and one incident for the clash, each alert delivered once.

(Each start of the command costs seconds of imports and it paces its requests a second apart,
so this runs few kills; test_faults_kill.py and test_faults_warn.py kill a watch cycle at many
more points, on both backends.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kelisim.config import Settings
from kelisim.core import Kelisim

if __package__:
    from .conftest_http import http_server  # noqa: F401 (fixture)
    from .faults_support import (  # noqa: F401
        assert_whole,
        counts,
        delivered,
        hook,
        rules_text,
        serve_feed,
        summary,
    )
    from .test_warning_stage import CLASH
else:
    from conftest_http import http_server  # noqa: F401 (fixture)
    from faults_support import (  # noqa: F401
        assert_whole,
        counts,
        delivered,
        hook,
        rules_text,
        serve_feed,
        summary,
    )
    from test_warning_stage import CLASH

ROOT = Path(__file__).resolve().parents[1]
TEXTS = list(CLASH)  # three outlets report a clash


def _kelisim(db: Path, rules: Path, *args: str, runner: tuple[str, ...] = ()) -> subprocess.Popen:
    """The kelisim command (``runner``: through tests.faults_runner, which arms a kill)."""
    entry = ["-m", "tests.faults_runner", *runner, "--"] if runner else ["-m", "kelisim.cli"]
    command = [sys.executable, *entry, "--db", str(db), "--allow-private", "--workers", "1",
               "--rules", str(rules), *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _until(process: subprocess.Popen, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 120  # a safeguard, not a measurement
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"watch ended before {what}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"watch never reached {what}")
        time.sleep(0.02)


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def test_watch_killed_twice_then_stopped_loses_nothing_and_repeats_nothing(
        tmp_path, http_server, hook):
    origins = serve_feed(http_server, texts=TEXTS)
    rules = tmp_path / "rules.toml"
    rules.write_text(rules_text(hook.url("/hook")), encoding="utf-8")
    db, url = tmp_path / "k.db", f"sqlite:///{tmp_path / 'k.db'}"
    with Kelisim(Settings(db_url=url)) as kelisim:
        kelisim.add_source(http_server.url("/rss"), name="feed")

    # 1. While collecting: the feed and two of its pages fetched, nothing stored yet.
    watch = _kelisim(db, rules, "watch", "--interval", "0")
    pages = lambda: [r for r in http_server.received() if r.path.startswith("/news/")]  # noqa: E731
    _until(watch, lambda: len(pages()) >= 2, "the pages")
    _kill(watch)
    assert counts(url)["documents"] == 0

    # 2. In the warning stage: stored, read, placed, the story made, no incident flagged yet.
    watch = _kelisim(db, rules, "watch", "--interval", "0", runner=(r"^INSERT INTO incidents", "1"))
    assert watch.wait(timeout=180) == -signal.SIGKILL
    at_kill = counts(url)
    assert at_kill["readings"] == len(TEXTS) and at_kill["stories"] == 1
    assert at_kill["incidents"] == 0

    # 3. Restarted, it completes; SIGTERM stops it cleanly.
    watch = _kelisim(db, rules, "watch", "--interval", "0")
    _until(watch, lambda: len(delivered(hook)) >= 2, "sending the alerts")
    watch.send_signal(signal.SIGTERM)
    out, err = watch.communicate(timeout=120)
    assert watch.returncode == 0, err
    assert "Stopped." in out

    with Kelisim(Settings(db_url=url)) as kelisim:
        assert_whole(kelisim)
        found = summary(kelisim)
    assert found["origins"] == sorted(origins)
    assert found["read"][:2] == (len(TEXTS), 0)
    assert [(title[:14], size) for title, size, _type in found["stories"]] == [
        ("Массовая драка", 3)]
    assert len(found["incidents"]) == 1
    assert [status for _key, _channel, status in found["deliveries"]] == ["sent", "sent"]
    keys = delivered(hook)
    assert len(keys) == len(set(keys)) == 2
    feed_polls = http_server.received("/rss")
    assert feed_polls[-1].headers.get("if-none-match") == '"feed-1"'  # kept once stored
