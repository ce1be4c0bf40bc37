"""Freshness of `watch`: how long from a new item in a feed to its document counted in the
tension index.

A local HTTP server (127.0.0.1, so fetching runs with ``allow_private``) serves an RSS feed and
the pages it links to. ``Kelisim.watch`` runs in a thread over a fresh SQLite store, as
``kelisim watch`` runs it: each cycle polls the due sources, stores what is new, reads it, runs
the warning stage (placing, stories, alerts) and writes due reports. The bench adds one item at
a time to the feed (real text: paragraphs of the seed articles about Zhambyl region mixed with
factRuEval news, so each one is new and is placed in a region) and asks the store, every 50 ms,
for the index of the item's region on its day, until the item's document counts in it.

Each delay is split in two: the wait for the next poll (set by the source's interval: a news
site is polled every few minutes, so this wait is on average half of it) and the processing
(from the poll that saw the item to the document counted: fetching the feed and the page, with
the fetcher's one second between two requests to a host, cleaning, storing, reading, placing).

Run: ``.venv/bin/python bench/freshness.py [--items 20] [--interval 5]``; figures go to
bench/out/freshness.json and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import corpus  # noqa: E402
from httpserver import HttpServer  # noqa: E402

from kelisim.config import Settings  # noqa: E402
from kelisim.core import Kelisim  # noqa: E402
from kelisim.warning.units import local_day  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


class Feed:
    """An RSS feed whose items the bench adds while `watch` runs."""

    def __init__(self, server: HttpServer) -> None:
        self.server, self.items = server, []
        server.route("/rss", lambda _: self._reply(self._rss()))

    def add(self, number: int, text: str) -> None:
        """Publish a new item now, with its page."""
        now = datetime.now(timezone.utc)
        title = text.splitlines()[0][:90]
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.splitlines())
        page = (f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{html.escape(title)}'
                f'</title><meta property="article:published_time" content="{now.isoformat()}"></head>'
                f"<body><article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>")
        self.server.static(f"/news/{number}", page)
        self.items.append((number, title, now))

    def _rss(self) -> bytes:
        entries = "".join(
            f"<item><title>{html.escape(title)}</title><link>{self.server.url(f'/news/{n}')}</link>"
            f"<guid>news-{n}</guid><pubDate>{format_datetime(at)}</pubDate></item>"
            for n, title, at in reversed(self.items))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Bench</title><link>{self.server.url('/')}</link>{entries}</channel></rss>"
                ).encode("utf-8")

    @staticmethod
    def _reply(body: bytes):
        from httpserver import Reply

        return Reply(200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})


def texts(count: int, seed: int = 3) -> list[str]:
    """New texts about Zhambyl region: two paragraphs of the seeds about it, four of the news."""
    rng = random.Random(seed)
    zhambyl = [p for t in corpus.seed_texts() for p in corpus._paragraphs(t)
               if "Жамбыл" in p or "Тараз" in p or "Кордай" in p]
    news = [p for t in corpus.factru_texts() for p in corpus._paragraphs(t)]
    return ["\n".join([*rng.sample(zhambyl, 2), *rng.sample(news, 4)]) for _ in range(count)]


def counted(kelisim: Kelisim, day, volume: int) -> bool:
    """True once the regions' index of ``day`` counts more than ``volume`` documents."""
    return _volume(kelisim, day) > volume


def _volume(kelisim: Kelisim, day) -> int:
    """Documents the index of ``day`` counts, over all regions."""
    return sum(value.volume for value in kelisim.index_table("region", day, day))


def polls(server: HttpServer) -> list[float]:
    """When the feed was requested (monotonic seconds)."""
    return [r.at for r in server.received("/rss")]


def measure(items: int, interval_s: float, tick_s: float) -> list[dict]:
    """Publish ``items`` one by one and time each until counted."""
    server = HttpServer().start()
    feed = Feed(server)
    folder = Path(tempfile.mkdtemp(prefix="kelisim-fresh-"))
    settings = Settings(db_url=f"sqlite:///{folder / 'fresh.db'}")
    settings = dataclasses.replace(settings, fetch=dataclasses.replace(settings.fetch, allow_private=True))
    watcher, probe = Kelisim(settings), Kelisim(settings)
    watcher.add_source(server.url("/rss"), kind="rss", name="bench", interval_minutes=interval_s / 60)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.watch, args=(stop, interval_s / 60),
                              kwargs={"tick_seconds": tick_s}, daemon=True)
    bodies = texts(items + 1)
    try:
        feed.add(0, bodies[0])  # the first cycle loads the models: not measured
        thread.start()
        _wait(lambda: counted(probe, local_day(datetime.now(timezone.utc)), 0), 300)
        return [_one(feed, probe, server, n, bodies[n]) for n in range(1, items + 1)]
    finally:
        stop.set()
        thread.join(60)
        server.stop()
        watcher.close()
        probe.close()


def _one(feed: Feed, probe: Kelisim, server: HttpServer, number: int, text: str) -> dict:
    day = local_day(datetime.now(timezone.utc))
    before = _volume(probe, day)
    published = time.monotonic()
    feed.add(number, text)
    _wait(lambda: counted(probe, day, before), 120)
    done = time.monotonic()
    seen = min(at for at in polls(server) if at >= published)
    row = {"item": number, "delay_s": round(done - published, 2),
           "poll_wait_s": round(seen - published, 2), "processing_s": round(done - seen, 2)}
    print(json.dumps(row), flush=True)
    return row


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the item was not counted in time")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls.")
    parser.add_argument("--tick", type=float, default=0.5, help="Seconds between watch cycles.")
    args = parser.parse_args()
    rows = measure(args.items, args.interval, args.tick)
    summary = {key: {"median": statistics.median(r[key] for r in rows),
                     "max": max(r[key] for r in rows)}
               for key in ("delay_s", "poll_wait_s", "processing_s")}
    OUT.mkdir(exist_ok=True)
    (OUT / "freshness.json").write_text(json.dumps({"args": vars(args), "rows": rows,
                                                    "summary": summary}, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
