"""`kelisim process` on a Dask cluster: the same results as a local run, a worker killed while
reading costs nothing (the run finishes or fails cleanly, and running again completes it with
nothing stored twice), and a cluster that cannot be used is refused with a clear message.

A local Dask cluster of two worker processes and a throwaway PostgreSQL stand in for a real
cluster and its shared store (docs/cluster.md).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from kelisim.cli import app
from kelisim.cluster import ClusterError, ClusterOptions
from kelisim.cluster.connect import Connection, check_versions, connect
from kelisim.cluster.prepare import pieces
from kelisim.cluster.read import read_pending
from kelisim.cluster.tasks import Versions, current_versions, read_task
from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from kelisim.records import RawItem, Skip
from kelisim.store import Store
from kelisim.store.errors import StoreError
from kelisim.store.schema import mentions, readings
from tests.shared_data import factru_texts, ruethnohate_texts, seed_paths, seed_texts

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")
# A scheduler serves its health routes on 8787 even without a dashboard, and says so when
# another cluster has the port: no matter here.
pytestmark = [pytest.mark.postgres, pytest.mark.filterwarnings("ignore:Port 8787 is already in use")]

runner = CliRunner()
TIMEOUT = 300  # seconds: a safeguard against a hung cluster, never a measure


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds, real news and posts, their exact and near reprints, and one rejected input."""
    folder = tmp_path_factory.mktemp("corpus")
    news = factru_texts()[:45]
    texts = [*seed_texts(), *news, *ruethnohate_texts()[:50]]
    for number, text in enumerate(texts):
        (folder / f"doc_{number:03d}.txt").write_text(text, encoding="utf-8")
    for number, text in enumerate(news[:4]):
        (folder / f"reprint_exact_{number}.txt").write_text(text, encoding="utf-8")
        near = text + "\nИсточник: Tengrinews.kz"
        (folder / f"reprint_near_{number}.txt").write_text(near, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    return folder


@pytest.fixture(scope="module")
def databases(pg_cluster):
    """Makes databases that live as long as this module's tests."""
    names: list[str] = []

    def make(label: str) -> str:
        name = f"kelisim_cluster_{os.getpid()}_{label}"
        with pg_cluster.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return pg_cluster.url(name)

    yield make
    with pg_cluster.admin() as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kelisim(url: str) -> Kelisim:
    return Kelisim(Settings(db_url=url, ingest=IngestOptions(workers=1, batch_size=40)))


@pytest.fixture(scope="module")
def local(corpus, databases) -> dict:
    """What a local run stores (in this process: one worker, so nothing forks)."""
    url = databases("local")
    with _kelisim(url) as kelisim:
        report = kelisim.process([corpus])
    assert report.ingest.reprints_exact >= 4 and report.ingest.reprints_near >= 4
    assert report.ingest.rejected == 1 and report.read.read == report.ingest.added
    return snapshot(url)


@pytest.fixture(scope="module")
def dask_cluster():
    """Two worker processes of one thread each, as docs/cluster.md advises."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(dask_cluster):
    with distributed.Client(dask_cluster, set_as_default=False) as client:
        yield client


def snapshot(url: str) -> dict:
    """Everything a run stored that must not depend on where it ran."""
    with Store.open(url) as store:
        docs = list(store.iter_documents())
        with store._engine.connect() as conn:
            heads = conn.execute(sa.select(
                readings.c.document_id, readings.c.reader_version, readings.c.language,
                readings.c.relevant, readings.c.event_type, readings.c.tension_label,
                readings.c.hostile).order_by(readings.c.document_id)).all()
            rows = conn.execute(sa.select(
                mentions.c.document_id, mentions.c.kind, mentions.c.label, mentions.c.start,
                mentions.c.end, mentions.c.text, mentions.c.value, mentions.c.ref,
                mentions.c.region_kato, mentions.c.flag)
                .order_by(mentions.c.document_id, mentions.c.id)).all()
        stats = store.stats()
        return {
            "documents": [(d.id, d.origin, d.text, d.content_hash, d.lang, d.title,
                           d.published_at, [(r.id, r.origin, r.kind, r.similarity, r.content_hash)
                                            for r in d.reprints]) for d in docs],
            "readings": [tuple(head) for head in heads],
            "mentions": [tuple(row) for row in rows],
            "json": {d.id: store.get_reading(d.id) for d in docs},
            "counts": (stats.documents, stats.reprints_exact, stats.reprints_near, stats.by_lang,
                       stats.skips_last_run),
        }


def assert_same(found: dict, expected: dict) -> None:
    for part in expected:  # part by part, so that a failure says which
        assert found[part] == expected[part], f"{part} differ from the local run's"


# (1) The same results as a local run


@pytest.fixture(scope="module")
def cluster_run(corpus, databases, dask_cluster) -> tuple[str, object, dict]:
    """A cluster run's store, its report and what it stored, before anything else touches it."""
    url = databases("cluster")
    with _kelisim(url) as kelisim:
        report = kelisim.process([corpus], cluster=ClusterOptions(dask_cluster.scheduler_address,
                                                                  read_batch=8))
    return url, report, snapshot(url)


def test_a_cluster_run_stores_what_a_local_run_stores(cluster_run, local):
    # Ids too: in both runs one client writes the documents in input order, chunk by chunk.
    _, report, found = cluster_run
    assert report.read.read == report.ingest.added and not report.read.failed
    assert report.warning.clustered > 0
    assert len(found["documents"]) == len(local["documents"]) >= 100
    assert sum(len(reprints) for *_, reprints in found["documents"]) >= 8
    assert len(found["readings"]) == len(found["documents"])
    assert_same(found, local)


def test_a_second_cluster_run_adds_nothing(cluster_run, corpus, dask_cluster):
    url, first, found = cluster_run
    with _kelisim(url) as kelisim:
        again = kelisim.process([corpus], cluster=ClusterOptions(dask_cluster.scheduler_address))
        ids = [doc.id for doc in kelisim.store.iter_documents()][:5]
    assert (again.ingest.added, again.ingest.skipped["unchanged"], again.read.read) == (
        0, first.ingest.processed - first.ingest.rejected, 0)
    # As Dask does when a worker dies after saving and before answering: the same task again.
    report = read_task(url, ids, current_versions(), None)
    assert (report.read, report.mentions, report.failed) == (0, 0, {})
    assert snapshot(url)["mentions"] == found["mentions"]


# (2) A worker killed with SIGKILL while reading


def _readings_stored(url: str) -> int:
    with Store.open(url) as store:
        return store.stats().documents_read


def _wait_for_readings(url: str, thread: threading.Thread) -> None:
    """Until the run in ``thread`` has stored some readings (or ended)."""
    deadline = time.monotonic() + TIMEOUT
    store = None
    try:
        while thread.is_alive() and time.monotonic() < deadline:
            try:
                store = store or Store.open(url)
            except StoreError:  # the run is still creating the schema
                store = None
            if store is not None and store.stats().documents_read > 0:
                return
            time.sleep(0.05)
    finally:
        if store is not None:
            store.close()


def _busy_worker_pid(client) -> int:
    """The process id of a worker that is running a task now (else of any worker)."""
    busy = [address for address, keys in client.processing().items() if keys]
    pids = client.run(os.getpid, workers=busy or None)
    return next(iter(pids.values()))


def test_a_worker_killed_while_reading_costs_nothing(corpus, databases, local, dask_cluster,
                                                    client):
    url = databases("killed")
    cluster = ClusterOptions(dask_cluster.scheduler_address, read_batch=4)
    outcome: dict = {}

    def run() -> None:
        try:
            with _kelisim(url) as kelisim:
                outcome["report"] = kelisim.process([corpus], cluster=cluster)
        except ClusterError as error:  # a clean failure: what was stored stays
            outcome["error"] = error
        except BaseException as error:  # anything else is a bug
            outcome["crash"] = error

    thread = threading.Thread(target=run)
    thread.start()
    _wait_for_readings(url, thread)
    read_at_kill = _readings_stored(url)
    os.kill(_busy_worker_pid(client), signal.SIGKILL)
    thread.join(TIMEOUT)
    assert not thread.is_alive() and "crash" not in outcome, outcome
    documents = len(local["documents"])
    assert 0 < read_at_kill < documents, "the kill should land while reading is under way"
    stored = _readings_stored(url)
    if "report" in outcome:  # Dask gave the lost tasks to the other worker: the run finished
        assert stored == documents and not outcome["report"].read.failed
        # A task run again after its worker saved counts nothing: no document counts twice.
        assert outcome["report"].read.read <= documents

    result = runner.invoke(app, ["--db", url, "--workers", "1", "process", str(corpus),
                                 "--cluster", dask_cluster.scheduler_address])
    assert result.exit_code == 3, result.output  # the broken input, rejected again
    # The second run reads exactly what the first left unread, nothing it had stored.
    read_again = re.findall(r"Read ([\d,]+) document\(s\)", result.output)
    assert [int(n.replace(",", "")) for n in read_again] == (
        [documents - stored] if stored < documents else [])
    assert_same(snapshot(url), local)


def test_process_without_a_cluster_runs_here(local, tmp_path):
    seeds = [str(path) for path in seed_paths()]
    result = runner.invoke(app, ["--db", str(tmp_path / "k.db"), "--workers", "1", "process",
                                 *seeds])
    assert result.exit_code == 0, result.output
    assert "Ingest: 5 item(s) processed" in result.output
    assert "Read 5 document(s)" in result.output and "Early warning: 5 documents" in result.output


# (3) A cluster that cannot be used


def test_a_sqlite_store_is_refused(corpus, tmp_path):
    db = tmp_path / "k.db"
    result = runner.invoke(app, ["--db", str(db), "process", str(corpus),
                                 "--cluster", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 1
    assert "needs a PostgreSQL store that every worker can reach" in result.output
    assert not db.exists()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_scheduler_is_refused(corpus, pg_url):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = runner.invoke(app, ["--db", pg_url, "process", str(corpus), "--cluster", address])
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at {address}" in result.output
    with Store.open(pg_url) as store:
        assert store.stats().documents == 0


def test_without_dask_the_error_names_the_extra(corpus, pg_url, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    result = runner.invoke(app, ["--db", pg_url, "process", str(corpus),
                                 "--cluster", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 1
    assert "pip install 'kelisim[cluster]'" in result.output


def test_workers_of_other_versions_are_refused():
    client = Versions("0.1.0", "3")
    check_versions({"tcp://10.0.0.2:4000": client}, client)
    with pytest.raises(ClusterError) as refused:
        check_versions({"tcp://10.0.0.2:4000": client,
                        "tcp://10.0.0.3:4000": Versions("0.2.0", "3"),
                        "tcp://10.0.0.4:4000": Versions("0.1.0", "3+a1b2c3")}, client)
    message = str(refused.value)
    assert message.startswith("2 worker(s) run other versions than this client "
                              "(kelisim 0.1.0, reader 3)")
    assert "tcp://10.0.0.3:4000: kelisim 0.2.0, reader 3" in message
    assert "tcp://10.0.0.4:4000: kelisim 0.1.0, reader 3+a1b2c3" in message
    assert "tcp://10.0.0.2:4000" not in message


def test_a_scheduler_without_workers_is_refused(pg_url):
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp",
                                  dashboard_address=None) as empty:
        options = ClusterOptions(empty.scheduler_address, worker_wait=0.5)
        with pytest.raises(ClusterError, match="no worker joined the scheduler at tcp://"):
            with connect(options, pg_url, None):
                pass


def test_workers_that_cannot_open_the_store_are_refused(dask_cluster, pg_cluster):
    url = pg_cluster.url("kelisim_no_such_database")
    with pytest.raises(ClusterError) as refused:
        with connect(ClusterOptions(dask_cluster.scheduler_address), url, None):
            pass
    assert str(refused.value).startswith("2 worker(s) cannot open the store postgresql://")
    assert "kelisim_no_such_database" in str(refused.value)


def test_a_batch_that_fails_names_each_of_its_documents(client, dask_cluster, pg_url, pg_cluster,
                                                       make_doc):
    with Store.open(pg_url) as store:
        with store.writer() as w:
            ids = w.add_documents([make_doc(f"Заметка номер {n}.") for n in range(5)])
        # Workers told of a database they cannot open: each task fails, however often it runs.
        lost = Connection(client, ClusterOptions(dask_cluster.scheduler_address, read_batch=2,
                                                 retries=1),
                          pg_cluster.url("kelisim_no_such_database"), None, current_versions())
        report = read_pending(lost, store)
        assert (report.read, sorted(report.failed)) == (0, ids)
        assert all("kelisim_no_such_database" in why for why in report.failed.values())
        assert list(store.unread_ids(current_versions().reader)) == ids


def test_the_workers_run_the_clients_versions(client):
    from kelisim.cluster.tasks import versions

    assert set(client.run(versions, None).values()) == {current_versions()}


def test_a_chunk_of_large_items_travels_as_pieces_in_order():
    sizes = [10, 30, 70, 5, 200, 1]
    chunk = [RawItem(f"test:{n}", "б" * size) for n, size in enumerate(sizes)]
    chunk.append(Skip("test:skip", "binary", "not text"))
    cut = [[item.origin.removeprefix("test:") for item in piece] for piece in pieces(chunk, 100)]
    assert cut == [["0", "1"], ["2", "3"], ["4"], ["5", "skip"]]
    assert [item for piece in pieces(chunk, 100) for item in piece] == chunk


# The store's queries the cluster's client and workers use


def test_unread_ids_and_unread_among(store, make_doc):
    with store.writer() as w:
        ids = w.add_documents([make_doc(f"Заметка номер {n}.") for n in range(5)])
    assert list(store.unread_ids("1")) == ids
    assert list(store.unread_ids("1", limit=2)) == ids[:2]
    reading = {"id": "x", "schema_version": 2, "language": "ru", "published": None,
               "text": "Заметка номер 1.", "entities": [], "places": [],
               "ethnic_groups": [], "quotes": [], "attribution": []}
    store.save_readings([(ids[1], reading)], "1")
    assert list(store.unread_ids("1")) == [ids[0], *ids[2:]]
    assert list(store.unread_ids("2")) == ids
    among = store.unread_among([ids[3], ids[1], ids[0], 10_000], "1")
    assert [d.id for d in among] == [ids[0], ids[3]]
    assert among[1].text == "Заметка номер 3." and among[1].lang == "ru"
    assert [d.id for d in store.unread_among(ids[1:2], "2")] == [ids[1]]
