"""The load that bench/api_load.py puts on the JSON API: analysts at the desk, reading the inbox,
stories, the index, documents, search and the facets. Requests are named by route, so the
statistics are per route. The plan (token, ids, regions, dates) is a JSON file named by the
KELISIM_BENCH_PLAN environment variable; KELISIM_BENCH_WAIT is the mean think time in seconds
(0: each user sends its next request as soon as the last one is answered)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, constant, task

PLAN = json.loads(Path(os.environ["KELISIM_BENCH_PLAN"]).read_text(encoding="utf-8"))
WAIT = float(os.environ.get("KELISIM_BENCH_WAIT", "0"))


def pick(name: str):
    """A random value of one of the plan's lists."""
    return random.choice(PLAN[name])


class Analyst(FastHttpUser):
    """One analyst: a mix of reads weighted as the dashboard's pages make them."""

    wait_time = between(WAIT / 2, WAIT * 1.5) if WAIT else constant(0)

    def on_start(self) -> None:
        """Every request carries the API token."""
        self.headers = {"Authorization": f"Bearer {PLAN['token']}"}

    def _get(self, path: str, name: str, **params) -> None:
        given = {key: value for key, value in params.items() if value is not None}
        self.client.get(path, params=given, headers=self.headers, name=name)

    @task(3)
    def alerts(self) -> None:
        self._get("/api/alerts", "/api/alerts", limit=20)

    @task(1)
    def alert(self) -> None:
        self._get(f"/api/alerts/{pick('alerts')}", "/api/alerts/{id}")

    @task(2)
    def incidents(self) -> None:
        self._get("/api/incidents", "/api/incidents", limit=20)

    @task(3)
    def stories(self) -> None:
        self._get("/api/stories", "/api/stories", limit=20, order=random.choice(("last", "size")))

    @task(1)
    def story(self) -> None:
        self._get(f"/api/stories/{pick('stories')}", "/api/stories/{id}")

    @task(2)
    def index_table(self) -> None:
        self._get("/api/index", "/api/index", **{"from": PLAN["month_from"], "to": PLAN["to"]})

    @task(2)
    def index_series(self) -> None:
        self._get(f"/api/index/{pick('regions')}", "/api/index/{kato}", period="week",
                  **{"from": PLAN["from"], "to": PLAN["to"]})

    @task(3)
    def document(self) -> None:
        self._get(f"/api/documents/{pick('documents')}", "/api/documents/{id}")

    @task(3)
    def search(self) -> None:
        self._get("/api/search", "/api/search", q=pick("queries"), limit=20)

    @task(2)
    def entities(self) -> None:
        self._get("/api/entities", "/api/entities", label=random.choice(("PER", "ORG", None)),
                  limit=20)

    @task(1)
    def entity(self) -> None:
        self._get(f"/api/entities/{pick('entities')}", "/api/entities/{ref}")

    @task(2)
    def groups(self) -> None:
        self._get("/api/groups", "/api/groups", region=random.choice(PLAN["regions"] + [None]))

    @task(2)
    def quotes(self) -> None:
        self._get("/api/quotes", "/api/quotes", limit=20,
                  officials=random.choice(("true", None)))

    @task(1)
    def places(self) -> None:
        self._get("/api/places", "/api/places", region=pick("regions"))

    @task(1)
    def sources(self) -> None:
        self._get("/api/sources", "/api/sources")
