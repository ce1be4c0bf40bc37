"""A worker process killed mid-run (SIGKILL, as the out-of-memory killer does) stops the run with
a clear error instead of a hang; the next run completes it with nothing lost or stored twice."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from kelisim import workers
from kelisim.store import Store
from kelisim.workers import WorkerLost
from tests.shared_data import factru_texts, ruethnohate_texts
from tests.test_crash_recovery import KELISIM, _documents, _readings


def _corpus(folder: Path) -> None:
    """Real news, a reprint of each, and social-media posts: a few chunks of work."""
    folder.mkdir()
    for number, text in enumerate(factru_texts()):
        (folder / f"news_{number:04d}.txt").write_text(text, encoding="utf-8")
        (folder / f"news_{number:04d}_reprint.txt").write_text(
            text + "\nИсточник: Tengrinews.kz", encoding="utf-8")
    for number, text in enumerate(ruethnohate_texts()[:500]):
        (folder / f"post_{number:04d}.txt").write_text(text, encoding="utf-8")


def _run(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([*KELISIM, "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _kill_a_worker_when(process: subprocess.Popen, ready) -> None:
    """SIGKILL one child of ``process`` once ``ready()`` holds (its workers are its children)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the run ended before a worker could be killed: {process.stderr.read()}")
        children = psutil.Process(process.pid).children()
        if children and ready():
            try:
                os.kill(children[0].pid, signal.SIGKILL)
                return
            except ProcessLookupError:  # a worker that ended its batch: take another
                pass
        time.sleep(0.02)
    pytest.fail("the run made no progress")


def _finished(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=180)  # a lost batch must never hang the run
    return process.returncode, err


def _origins(db: Path) -> list[str]:
    with Store.open(f"sqlite:///{db}") as store:
        return [d.origin for d in store.iter_documents()]


def test_a_killed_cleaning_worker_stops_ingest_clearly_and_a_rerun_completes(tmp_path):
    _corpus(tmp_path / "inbox")
    reference = tmp_path / "reference.db"
    assert _finished(_run(reference, "--workers", "1", "ingest", "--no-read", str(tmp_path / "inbox")))[0] == 0

    db = tmp_path / "k.db"
    process = _run(db, "--workers", "2", "ingest", "--no-read", str(tmp_path / "inbox"))
    _kill_a_worker_when(process, lambda: _documents(db) > 0)
    code, err = _finished(process)
    assert code == 1 and "worker process died" in err and "Traceback" not in err
    assert 0 < _documents(db) < _documents(reference)

    assert _finished(_run(db, "--workers", "2", "ingest", "--no-read", str(tmp_path / "inbox")))[0] == 0
    with Store.open(f"sqlite:///{db}") as store, Store.open(f"sqlite:///{reference}") as ref:
        assert store.integrity_problems() == []
        done, expected = store.stats(), ref.stats()
    assert (done.documents, done.reprints_exact, done.reprints_near) == (
        expected.documents, expected.reprints_exact, expected.reprints_near)
    origins = _origins(db)
    assert origins and len(origins) == len(set(origins))


def test_a_killed_reading_worker_stops_read_clearly_and_a_rerun_reads_each_document_once(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    texts = factru_texts()  # two chunks of 64 saved readings: the kill lands after the first
    for number, text in enumerate(texts):
        (folder / f"news_{number:04d}.txt").write_text(text, encoding="utf-8")
    reference = tmp_path / "reference.db"
    assert _finished(_run(reference, "--workers", "1", "ingest", str(folder)))[0] == 0
    db = tmp_path / "k.db"
    assert _finished(_run(db, "--workers", "1", "ingest", "--no-read", str(folder)))[0] == 0

    process = _run(db, "--workers", "2", "--batch-size", "64", "read")
    _kill_a_worker_when(process, lambda: _readings(db)[0] > 0)
    code, err = _finished(process)
    assert code == 1 and "worker process died" in err and "Traceback" not in err
    assert 0 < _readings(db)[0] < len(texts)

    assert _finished(_run(db, "--workers", "2", "--batch-size", "64", "read"))[0] == 0
    assert _readings(db) == _readings(reference)
    assert _readings(db)[0] == len(texts)


def _die(_batch: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_batch_queued_after_a_worker_died_is_refused_as_a_lost_worker():
    # On a busy machine the pool may notice a death before the next batch is queued: queuing
    # must then say so too (it once let BrokenProcessPool out as a traceback of `ingest`).
    executor = workers.pool(2)
    try:
        with pytest.raises(WorkerLost):
            workers.result(workers.submit(executor, _die, 0), executor)
        with pytest.raises(WorkerLost):
            workers.submit(executor, _die, 1)
    finally:
        workers.close(executor)
