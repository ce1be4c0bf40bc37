"""A full disk under a PostgreSQL store: the database lives in a tablespace on a small tmpfs.
Ingest refuses cleanly with the same message as on SQLite, the store holds whole chunks only,
and once space is freed the same command completes with no duplicates."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys

import pytest

from kelisim.store import Store

if __package__:
    from .faults_support import own_cluster  # noqa: F401 (fixture)
    from .test_faults_disk import MIB, ROOT, _chunk, _mount, _stored, inbox, reference  # noqa: F401
else:
    from faults_support import own_cluster  # noqa: F401 (fixture)
    from test_faults_disk import MIB, ROOT, _chunk, _mount, _stored, inbox, reference  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def small_tablespace(own_cluster):
    """A database whose tables live on a tmpfs; yields (url, the tmpfs's path)."""
    disk = own_cluster.root / "tablespace"  # where the postgres user may go
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", f"size={64 * MIB}", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        postgres = pwd.getpwnam("postgres")
        os.chown(disk, postgres.pw_uid, postgres.pw_gid)
        with own_cluster.admin() as conn:
            conn.execute(f"CREATE TABLESPACE small LOCATION '{disk}'")
            conn.execute('CREATE DATABASE "full" TABLESPACE small')
        yield own_cluster.url("full"), disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _ingest(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kelisim.cli", "--db", url, "--workers", "1",
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def _used(path) -> int:
    stats = os.statvfs(path)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def test_a_full_tablespace_stops_ingest_cleanly_and_a_rerun_completes(small_tablespace, inbox,
                                                                      reference):
    url, disk = small_tablespace
    Store.open(url).close()  # the schema
    # room for the first chunk of 200 documents (some 2 MiB here), not for the second
    assert _mount("-o", f"remount,size={_used(disk) + 5 * MIB // 2}", str(disk))
    failed = _ingest(url, "ingest", "--no-read", str(inbox))
    assert failed.returncode == 1
    message = " ".join(failed.stderr.split())
    assert "Error: the store's disk is full" in message and "Traceback" not in message

    with Store.open(url) as store:
        assert store.integrity_problems() == []
        partial = _stored(store)
    chunks = {_chunk(origin) for origin in reference}
    kept = {c for c in chunks if any(_chunk(o) == c for o in partial)}
    assert kept == set(range(len(kept))) and len(kept) < len(chunks)
    assert partial == {o: kind for o, kind in reference.items() if _chunk(o) in kept}

    assert _mount("-o", f"remount,size={64 * MIB}", str(disk))
    again = _ingest(url, "ingest", "--no-read", str(inbox))
    assert again.returncode == 0, again.stderr
    with Store.open(url) as store:
        assert store.integrity_problems() == []
        assert _stored(store) == reference
