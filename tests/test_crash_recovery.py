"""A run killed with SIGKILL mid-write leaves the store consistent; the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
    return subprocess.Popen([*KELISIM, "--db", str(db), *extra, "ingest", str(folder)],
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
