"""A run killed with SIGKILL mid-write leaves the store consistent; the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kelisim.reading.reader import reader_version
from kelisim.store import Store
from kelisim.store.errors import StoreError
from tests.shared_data import factru_texts, ruethnohate_texts

KELISIM = [sys.executable, "-m", "kelisim.cli"]


def _corpus(folder: Path) -> int:
    """Real news and social-media texts, plus a reprint of each news text with an outlet line."""
    folder.mkdir()
    news = factru_texts()
    for number, text in enumerate(news):
        (folder / f"news_{number:04d}.txt").write_text(text, encoding="utf-8")
        (folder / f"news_{number:04d}_reprint.txt").write_text(
            text + "\nИсточник: Tengrinews.kz", encoding="utf-8")
    for number, text in enumerate(ruethnohate_texts()):
        (folder / f"post_{number:04d}.txt").write_text(text, encoding="utf-8")
    return len(news)


def _ingest(db: Path, folder: Path, *extra: str) -> subprocess.Popen:
    # Reading is left out here: a killed read has its own test below.
    return subprocess.Popen([*KELISIM, "--db", str(db), *extra, "ingest", "--no-read", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _read(db: Path) -> subprocess.Popen:
    # Chunks of 64 readings: the kill lands after the first one is saved, before the last.
    return subprocess.Popen([*KELISIM, "--db", str(db), "--workers", "2", "--batch-size", "64", "read"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _documents(db: Path) -> int:
    try:
        with Store.open(f"sqlite:///{db}") as store:
            return store.stats().documents
    except StoreError:  # the running ingest is still creating the schema
        return 0


def expected_documents(db: Path) -> int:
    with Store.open(f"sqlite:///{db}") as store:
        return store.stats().documents


def _wait_for_progress(process: subprocess.Popen, db: Path, at_least: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {process.stderr.read().decode()}")
        if db.exists() and _documents(db) >= at_least:
            return
        time.sleep(0.02)
    pytest.fail("ingest made no progress")


def test_sigkill_mid_run_then_resume(tmp_path):
    news = _corpus(tmp_path / "inbox")
    reference_db = tmp_path / "reference.db"
    assert _ingest(reference_db, tmp_path / "inbox", "--workers", "1").wait() == 0

    db = tmp_path / "killed.db"
    # Small transactions so the kill lands between and inside them.
    process = _ingest(db, tmp_path / "inbox", "--workers", "2")
    _wait_for_progress(process, db, at_least=10)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with Store.open(f"sqlite:///{db}") as store:
        assert store.integrity_problems() == []
        partial = store.stats()
    assert 0 < partial.documents < expected_documents(reference_db)

    assert _ingest(db, tmp_path / "inbox", "--workers", "2").wait() == 0
    with Store.open(f"sqlite:///{db}") as store, Store.open(f"sqlite:///{reference_db}") as ref:
        assert store.integrity_problems() == []
        done, expected = store.stats(), ref.stats()
    reprints = done.reprints_exact + done.reprints_near
    assert (done.documents, reprints) == (expected.documents,
                                          expected.reprints_exact + expected.reprints_near)
    assert reprints >= news


def _readings(db: Path) -> tuple[int, int]:
    try:
        with Store.open(f"sqlite:///{db}") as store:
            stats = store.reading_stats()
            return stats.documents_read, sum(stats.mentions.values())
    except StoreError:
        return 0, 0


def test_sigkill_mid_read_then_resume(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for number, text in enumerate(factru_texts()):
        (folder / f"news_{number:04d}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "k.db"
    assert _ingest(db, folder, "--workers", "1").wait() == 0
    assert _readings(db) == (0, 0)

    process = _read(db)
    deadline = time.monotonic() + 120
    while _readings(db)[0] == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    read, _ = _readings(db)
    assert 0 < read < len(factru_texts()), "the kill should land mid-run"

    assert _read(db).wait() == 0
    with Store.open(f"sqlite:///{db}") as store:
        stats = store.reading_stats()
        assert stats.documents_read == stats.documents_read + stats.documents_unread == len(factru_texts())
        assert list(store.unread_documents(reader_version())) == []
        reading = store.get_reading(1)
    assert reading is not None and reading["entities"]
    # every reading whole: the mentions of a document are stored once, not twice
    assert all(reading["text"][e["start"]:e["end"]] == e["text"] for e in reading["entities"])
