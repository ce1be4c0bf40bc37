"""A throwaway PostgreSQL cluster for the test session, and a fresh database per test.

The cluster lives in a temporary directory and listens only on a Unix socket there. Without
PostgreSQL's server binaries the PostgreSQL tests are skipped, except under CI=true, where a
missing PostgreSQL fails the run.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PORT = 5432  # only names the socket file: the cluster listens on no TCP port
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


@dataclass(frozen=True)
class Cluster:
    """A running cluster: where its socket is, and how to reach a database in it."""

    root: Path
    bindir: Path

    def url(self, database: str) -> str:
        """A store URL for a database of this cluster."""
        return f"postgresql://postgres@/{database}?host={self.root}&port={PORT}"

    def admin(self) -> psycopg.Connection:
        """An autocommit connection to the maintenance database."""
        return psycopg.connect(host=str(self.root), port=PORT, user="postgres", dbname="postgres",
                               autocommit=True)


def find_bindir() -> Path | None:
    """The directory of initdb and pg_ctl, if PostgreSQL's server is installed."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        candidates = [Path(out.stdout.strip())]
    except (OSError, subprocess.CalledProcessError):
        candidates = []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    which = shutil.which("initdb")
    candidates += [Path(which).resolve().parent] if which else []
    found = (d for d in candidates if (d / "initdb").exists() and (d / "pg_ctl").exists())
    return next(found, None)


def _locale() -> str:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "C"
    names = {line.strip().lower().replace("-", "") for line in out.splitlines()}
    return "C.UTF-8" if "c.utf8" in names else "C"


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root: run the server tools as the postgres user then.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def start_cluster(bindir: Path) -> Cluster:
    """initdb and start a cluster in a new temporary directory."""
    root = Path(tempfile.mkdtemp(prefix="kelisim-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    data = root / "data"
    initdb = [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-E", "UTF8",
              f"--locale={_locale()}", "-U", "postgres"]
    subprocess.run(_as_postgres(initdb), check=True, capture_output=True)
    options = f"-k {root} -p {PORT} -c listen_addresses='' {_FAST}"
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
             "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True)
    return Cluster(root, bindir)


def stop_cluster(cluster: Cluster) -> None:
    """Stop the cluster at once and remove its directory."""
    stop = [str(cluster.bindir / "pg_ctl"), "-D", str(cluster.root / "data"), "-m", "immediate",
            "stop"]
    subprocess.run(_as_postgres(stop), capture_output=True)
    shutil.rmtree(cluster.root, ignore_errors=True)


def server_binaries() -> Path:
    """The folder of initdb and pg_ctl; a skip without them (a failure under CI=true)."""
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true requires PostgreSQL")
        pytest.skip(message)
    return bindir


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's PostgreSQL cluster (skips without PostgreSQL, fails so under CI=true)."""
    cluster = start_cluster(server_binaries())
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


_numbers = itertools.count()


@pytest.fixture()
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"kelisim_test_{os.getpid()}_{next(_numbers)}"
    with pg_cluster.admin() as conn:
        # FILE_COPY (PostgreSQL 15+) is several times faster than WAL_LOG with fsync off.
        strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{name}"{strategy}')
    yield pg_cluster.url(name)
    with pg_cluster.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL on each backend: a SQLite file in tmp_path, a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'kelisim.db'}"
    return request.getfixturevalue("pg_url")
