"""The JSON API under load: requests per second and p50/p95/p99 per route and overall.

Usage: .venv/bin/python bench/api_load.py [--db URL|PATH] [--days 270] [--per-day 24] [--seed 7]
       [--users 20] [--spawn-rate 10] [--seconds 60] [--wait 0] [--out bench/out/api_load.json]

Without --db it builds the replay simulation (scripts/build_replay.py, --days × --per-day) and
replays it into a fresh SQLite store (ingest, reading, the warning stage), so the archive has
stories, incidents, alerts and readings like a real one. It then makes an admin token, serves the
API on a free loopback port (`kelisim serve`; while the facet routes are not yet registered in
kelisim.web.app, the same app with them added, served the same way), and runs locust headless
(bench/locustfile.py) with --users users for --seconds seconds, each user waiting --wait seconds
on average between requests (0: none, the server's capacity). See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
QUERIES = ["казахи", "Ассамблея народа", "Алматы", "межэтнический", "полиция", "аким района",
           "школа", "дунгане", "уйгурский", "митинг"]
FACET_ROUTERS = ("entities", "quotes", "groups", "places", "sources")


def build_store(url: str, folder: Path, days: int, per_day: float, seed: int) -> None:
    """Build the replay corpus in ``folder`` and replay it into the store at ``url``."""
    from kelisim.config import IngestOptions, Settings
    from kelisim.core import Kelisim
    from kelisim.warning.replay import load_corpus

    sys.path.insert(0, str(ROOT / "tests"))
    from replay_support import load_script

    corpus = folder / "corpus"
    load_script().build(ROOT.parent / "shared" / "data", ROOT.parent / "shared" / "seeds", corpus,
                        start=date(2024, 1, 1), days=days, per_day=per_day, seed=seed)
    with Kelisim(Settings(db_url=url, ingest=IngestOptions(workers=2))) as kelisim:
        kelisim.replay(load_corpus(corpus))


def make_plan(url: str) -> dict:
    """A token and the ids, regions, dates and words the load picks from."""
    from kelisim.store import Store
    from kelisim.users import Accounts

    with Store.open(url) as store:
        accounts = Accounts(store)
        if store.users.get("bench") is None:
            accounts.add("bench", "bench-password-2024", "admin")
        first, last = store.warning.day_range()
        hits = store.search([], limit=500).hits
        plan = {
            "token": accounts.new_token("bench", "api load benchmark"),
            "from": first.isoformat(), "to": last.isoformat(),
            "month_from": max(first, last - timedelta(days=30)).isoformat(),
            "regions": [r.region_kato for r in store.reading_stats(top=5).regions],
            "documents": [h.document_id for h in hits],
            "stories": [s.id for s in store.warning.stories(limit=200)[1]],
            "alerts": [a.id for a in store.warning.alerts(limit=200)[1]],
            "entities": [e.ref for e in store.facets.entities(label="PER", limit=50)[1]],
            "queries": QUERIES,
            "archive": {"backend": store.backend, "documents": store.stats().documents,
                        "read": store.stats().documents_read},
        }
    if not all(plan[name] for name in ("regions", "documents", "stories", "alerts", "entities")):
        raise SystemExit(f"the store has too little in it for the load: {plan}")
    return plan


def _exists(url: str) -> bool:
    """Whether the store at ``url`` holds documents already."""
    from kelisim.store import Store
    from kelisim.store.db import parse_url

    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        return False
    with Store.open(url) as store:
        return store.stats().documents > 0


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def facets_registered() -> bool:
    """Whether kelisim.web.app serves the facet routes already."""
    from kelisim.web import app
    from kelisim.web.routers import entities, groups, places, quotes, sources

    registered = getattr(app, "API_ROUTERS", getattr(app, "ROUTERS", ()))
    return all(m.router in registered for m in (entities, groups, places, quotes, sources))


def serve_command(url: str, port: int) -> list[str]:
    """`kelisim serve`, or this script serving the same app with the facet routes added."""
    if facets_registered():
        return [str(BIN / "kelisim"), "--db", url, "serve", "--port", str(port)]
    return [sys.executable, __file__, "--serve", str(port), "--db", url]


def serve(url: str, port: int) -> None:
    """Serve the API as `kelisim serve` does, with the facet routers included."""
    import uvicorn

    from kelisim.config import Settings, db_url_from
    from kelisim.web import app as web_app
    from kelisim.web.routers import entities, groups, places, quotes, sources

    app = web_app.create_app(Settings(db_url=db_url_from(url)), env=os.environ)
    for module in (entities, groups, places, quotes, sources):
        app.include_router(module.router)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 120) -> None:
    """Wait for the server to answer (it opens the store and loads the gazetteer first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def warm_up(port: int, plan: dict) -> None:
    """One request to each route first: the first use of the gazetteer, the knowledge base and
    the reader's tables loads them, which is start-up, not load."""
    span = f"from={plan['from']}&to={plan['to']}"
    paths = ["/api/alerts", f"/api/alerts/{plan['alerts'][0]}", "/api/incidents", "/api/stories",
             f"/api/stories/{plan['stories'][0]}", f"/api/index?{span}",
             f"/api/index/{plan['regions'][0]}?{span}", f"/api/documents/{plan['documents'][0]}",
             "/api/search?q=%D0%B0%D0%BA%D0%B8%D0%BC", "/api/entities",
             f"/api/entities/{plan['entities'][0]}", "/api/groups", "/api/quotes?officials=true",
             "/api/places", "/api/sources"]
    for path in paths:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={"Authorization": f"Bearer {plan['token']}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()


def run_locust(port: int, plan_path: Path, args: argparse.Namespace, prefix: Path) -> None:
    """locust headless over the plan; its statistics in ``prefix``_stats.csv."""
    env = {**os.environ, "KELISIM_BENCH_PLAN": str(plan_path), "KELISIM_BENCH_WAIT": str(args.wait)}
    subprocess.run([str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
                    "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
                    "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                    "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                   env=env, check=True, stdout=subprocess.DEVNULL)


def read_stats(path: Path) -> dict[str, dict]:
    """Per route (and "all"): requests, failures, requests/s, p50, p95, p99 (ms)."""
    routes = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            routes[name] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                            "rps": round(float(row["Requests/s"]), 1), "p50": _ms(row["50%"]),
                            "p95": _ms(row["95%"]), "p99": _ms(row["99%"])}
    return routes


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def machine() -> dict:
    """What the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def table(routes: dict[str, dict]) -> str:
    """The figures as a Markdown table, the slowest route first, overall last."""
    lines = ["| route | requests | failures | req/s | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|---|"]
    order = sorted((r for r in routes if r != "all"), key=lambda r: -(routes[r]["p95"] or 0)) + ["all"]
    for name in order:
        r = routes[name]
        lines.append(f"| {'**all**' if name == 'all' else '`' + name + '`'} | {r['requests']:,} | "
                     f"{r['failures']} | {r['rps']} | {r['p50']:g} | {r['p95']:g} | {r['p99']:g} |")
    return "\n".join(lines)


def main() -> None:
    """Build or open the store, serve it, load it, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a store (a SQLite path or a URL), built there when it does "
                                     "not exist; default: built in a temporary folder")
    parser.add_argument("--days", type=int, default=270)
    parser.add_argument("--per-day", type=float, default=24.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--wait", type=float, default=0.0, help="mean think time between requests")
    parser.add_argument("--out", type=Path, default=OUT / "api_load.json")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the server child
    args = parser.parse_args()
    if args.serve:
        serve(args.db, args.serve)
        return
    from kelisim.config import db_url_from

    with tempfile.TemporaryDirectory(prefix="kelisim-api-load-") as tmp:
        folder = Path(tmp)
        url = db_url_from(args.db) if args.db else f"sqlite:///{folder / 'replay.db'}"
        clock, built = time.perf_counter(), None
        if not _exists(url):
            build_store(url, folder, args.days, args.per_day, args.seed)
            built = round(time.perf_counter() - clock, 1)
        plan = make_plan(url)
        plan_path = folder / "plan.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        port = free_port()
        # The server keeps its session secret in a data folder of its own, not the user's.
        env = {**os.environ, "XDG_DATA_HOME": str(folder / "data")}
        server = subprocess.Popen(serve_command(url, port), env=env)
        try:
            wait_until_up(port, server)
            warm_up(port, plan)
            run_locust(port, plan_path, args, folder / "locust")
        finally:
            server.terminate()
            server.wait(timeout=30)
        routes = read_stats(folder / "locust_stats.csv")
    result = {"machine": machine(), "archive": plan["archive"], "built_seconds": built,
              "users": args.users,
              "seconds": args.seconds, "wait": args.wait, "routes": routes}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(table(routes))
    print(f"\n{plan['archive']['documents']:,} documents; {args.users} users, {args.seconds} s, "
          f"think time {args.wait} s; written to {args.out}")


if __name__ == "__main__":
    main()
