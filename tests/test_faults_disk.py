"""A full disk under a SQLite store: ingest refuses cleanly (one English line, exit code 1,
no traceback), the store stays sound and holds whole chunks only, and once space is freed the
same command completes with no duplicates. Also the other files Kelisim writes.

The disk is a small tmpfs mounted for the test when the tests may mount (they run as root in
CI); otherwise a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) on the ingesting process
stands for it. Each test prints which one ran."""

from __future__ import annotations

import re
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kelisim.config import IngestOptions, Settings, WebOptions
from kelisim.core import Kelisim
from kelisim.store import Store
from kelisim.web.session import secret_key

if __package__:
    from .shared_data import factru_texts, ruethnohate_texts
else:
    from shared_data import factru_texts, ruethnohate_texts

ROOT = Path(__file__).resolve().parents[1]
CHUNK = IngestOptions().batch_size
DOCUMENTS = 2 * CHUNK  # distinct news texts and posts: two chunks, the second will not fit
MIB = 1 << 20


@dataclass
class SmallDisk:
    """A directory whose filesystem (or the writer's file size limit) fills at ``size`` bytes."""

    path: Path
    size: int
    mounted: bool

    def limit(self) -> None:
        """In a child process before exec: the file size limit, when nothing was mounted."""
        if not self.mounted:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error from write(), not a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (self.size, self.size))

    def free(self) -> None:
        """Make room: grow the tmpfs (the limit only binds the processes started with it)."""
        if self.mounted:
            _mount("-o", f"remount,size={64 * MIB}", str(self.path))

    def fill(self) -> None:
        """Take every free byte (on the tmpfs), as another program would."""
        with open(self.path / "ballast", "wb") as ballast:
            try:
                while True:
                    ballast.write(bytes(MIB))
                    ballast.flush()
            except OSError:
                pass


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path) -> Iterator[SmallDisk]:
    """A 2 MiB disk for the store: a tmpfs if this process may mount, else RLIMIT_FSIZE."""
    path = tmp_path / "disk"
    path.mkdir()
    size = 2 * MIB
    mounted = _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path))
    print(f"\nfull disk by {'a tmpfs of 2 MiB' if mounted else 'RLIMIT_FSIZE of 2 MiB'}")
    try:
        yield SmallDisk(path, size, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """A folder of distinct texts, named in the order ingest reads them."""
    folder = tmp_path_factory.mktemp("inbox")
    texts = [t for t in factru_texts() + ruethnohate_texts() if len(t) > 300][:DOCUMENTS]
    for number, text in enumerate(texts):
        (folder / f"doc_{number:05d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(inbox, tmp_path_factory) -> dict[str, str]:
    """origin -> "document" or "reprint", after an ingest with room to spare."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'k.db'}"
    with Kelisim(Settings(db_url=url, ingest=IngestOptions(workers=1))) as kelisim:
        kelisim.ingest_paths([inbox])
        return _stored(kelisim.store)


def _stored(store: Store) -> dict[str, str]:
    stored = {}
    for doc in store.iter_documents():
        stored[doc.origin] = "document"
        stored |= {reprint.origin: "reprint" for reprint in doc.reprints}
    return stored


def _ingest(disk: SmallDisk, inbox: Path, limited: bool = True) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "kelisim.cli", "--db", str(disk.path / "k.db"),
               "--workers", "1", "ingest", "--no-read", str(inbox)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          preexec_fn=disk.limit if limited else None)


def _chunk(origin: str) -> int:
    return int(re.search(r"doc_(\d+)\.txt$", origin).group(1)) // CHUNK


def test_a_full_disk_stops_ingest_cleanly_and_a_rerun_completes(small_disk, inbox, reference):
    failed = _ingest(small_disk, inbox)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Traceback" not in failed.stdout + failed.stderr
    message = " ".join(failed.stderr.split())
    if small_disk.mounted:
        assert "Error: the store's disk is full" in message
    else:  # past the size limit, SQLite may report a write error rather than a full disk
        assert re.search(r"Error: the store('s disk is full| cannot write to its disk)", message)
    assert "free some space" in message or "is the disk full" in message

    db = small_disk.path / "k.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Store.open(f"sqlite:///{db}") as store:
        assert store.integrity_problems() == []
        partial = _stored(store)
    # whole chunks only: each chunk is stored entirely, as in the reference, or not at all
    chunks = {_chunk(origin) for origin in reference}
    kept = {c for c in chunks if any(_chunk(o) == c for o in partial)}
    assert kept == set(range(len(kept))) and len(kept) < len(chunks)
    assert partial == {o: kind for o, kind in reference.items() if _chunk(o) in kept}

    small_disk.free()
    again = _ingest(small_disk, inbox, limited=False)
    assert again.returncode == 0, again.stderr
    with Store.open(f"sqlite:///{db}") as store:
        assert store.integrity_problems() == []
        assert _stored(store) == reference
        stats = store.stats()
    assert stats.documents + stats.reprints_exact + stats.reprints_near == len(reference)


def test_other_files_on_a_full_disk_fail_cleanly(small_disk, tmp_path):
    if not small_disk.mounted:
        pytest.skip("needs a mounted tmpfs: a file size limit does not fill a directory")
    db = tmp_path / "k.db"
    with Kelisim(Settings(db_url=f"sqlite:///{db}", ingest=IngestOptions(workers=1))) as kelisim:
        kelisim.ingest_sample()
    small_disk.fill()
    out = small_disk.path / "archive.jsonl"
    export = subprocess.run([sys.executable, "-m", "kelisim.cli", "--db", str(db), "export",
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert export.returncode == 1 and "No space left on device" in export.stderr
    assert "Traceback" not in export.stderr and not out.exists()

    # The dashboard's session key: made whole or not at all, never left empty (an empty key
    # would sign sessions anyone can forge).
    data = small_disk.path / "data"
    with pytest.raises(OSError):
        secret_key(WebOptions(), data)
    assert list(data.iterdir()) == []
    (small_disk.path / "ballast").unlink()
    for leftover in small_disk.path.glob("archive.jsonl*"):
        leftover.unlink()
    key = secret_key(WebOptions(), data)
    assert len(key) >= 32 and secret_key(WebOptions(), data) == key
    (data / "web-secret.key").write_text("")
    with pytest.raises(ValueError, match="holds no usable key"):
        secret_key(WebOptions(), data)
