"""The client's side of a cluster: connect to the scheduler and check what the workers run.

Nothing is sent to a worker before the store is known to be PostgreSQL and every worker is known
to run the client's Kelisim and reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

from kelisim.cluster.errors import ClusterError
from kelisim.cluster.options import ClusterOptions
from kelisim.cluster.tasks import Versions, current_versions, store_problem, versions
from kelisim.store.db import redact

INSTALL = "pip install 'kelisim[cluster]'"


@dataclass
class Connection:
    """A checked client of a cluster, and what its tasks need to know."""

    client: object  # distributed.Client
    options: ClusterOptions
    store_url: str
    models_dir: str | None
    versions: Versions

    def threads(self) -> int:
        """Worker threads in the cluster now (at least one)."""
        return max(1, sum(self.client.nthreads().values()))


def import_distributed() -> ModuleType:
    """The ``distributed`` package, or a ClusterError that says how to install it."""
    try:
        import distributed
    except ImportError as error:
        raise ClusterError(f"running on a cluster needs Dask: {INSTALL} "
                           f"(here and on every worker); {error}") from error
    return distributed


def check_store(url: str) -> None:
    """Refuse a store the workers cannot all reach: anything but PostgreSQL."""
    if not url.startswith(("postgresql:", "postgresql+", "postgres:")):
        raise ClusterError(
            f"a cluster needs a PostgreSQL store that every worker can reach, not "
            f"{redact(url)} (a SQLite file lives on this machine only); give "
            "--db postgresql://user@host/dbname")


@contextmanager
def connect(options: ClusterOptions, store_url: str,
            models_dir: str | None) -> Iterator[Connection]:
    """A client of the scheduler at ``options.scheduler`` whose workers run this Kelisim and
    reader; closed on exit.

    Raises:
        ClusterError: Dask is missing, the store is not PostgreSQL, the scheduler cannot be
            reached, no worker joined in time, or a worker runs other versions.
    """
    check_store(store_url)
    distributed = import_distributed()
    client = _client(distributed, options)
    try:
        expected = current_versions()
        _wait_for_workers(client, options)
        check_versions(_worker_versions(client, models_dir), expected)
        _check_workers_reach(client, store_url)
        yield Connection(client, options, store_url, models_dir, expected)
    finally:
        client.close()


def _client(distributed: ModuleType, options: ClusterOptions):
    extra = {} if options.connect_timeout is None else {"timeout": options.connect_timeout}
    try:
        return distributed.Client(options.scheduler, set_as_default=False, **extra)
    except (OSError, ValueError, TypeError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {options.scheduler}: {error}. "
                           "Is `dask scheduler` running there, and is its port open to this "
                           "machine?") from error


def _wait_for_workers(client, options: ClusterOptions) -> None:
    try:
        client.wait_for_workers(1, timeout=options.worker_wait)
    except TimeoutError as error:
        raise ClusterError(f"no worker joined the scheduler at {options.scheduler} within "
                           f"{options.worker_wait:g} s: start some with `dask worker "
                           f"{options.scheduler} --nthreads 1`") from error


def _worker_versions(client, models_dir: str | None) -> dict[str, Versions]:
    try:
        return client.run(versions, models_dir)
    except Exception as error:  # a worker without Kelisim cannot even unpickle the call
        raise ClusterError(f"a worker cannot run Kelisim: {error!r}; {INSTALL} on every "
                           "worker, in the same version as here") from error


def _check_workers_reach(client, store_url: str) -> None:
    answers = client.run(store_problem, store_url)
    problems = {address: problem for address, problem in answers.items() if problem}
    if problems:
        address, problem = sorted(problems.items())[0]
        raise ClusterError(f"{len(problems)} worker(s) cannot open the store {redact(store_url)}, "
                           f"e.g. {address}: {problem}. Every worker needs to reach PostgreSQL "
                           "(its address, pg_hba.conf, the password in ~/.pgpass)")


def check_versions(found: Mapping[str, Versions], expected: Versions) -> None:
    """Refuse workers that run another Kelisim or reader than the client, naming each."""
    wrong = {address: seen for address, seen in found.items() if seen != expected}
    if not wrong:
        return
    listed = "; ".join(f"{address}: {seen}" for address, seen in sorted(wrong.items()))
    raise ClusterError(
        f"{len(wrong)} worker(s) run other versions than this client ({expected}): {listed}. "
        f"Install the same Kelisim everywhere ({INSTALL}), and give the workers the same "
        "trained models (a model from `kelisim train` changes the reader version): see "
        "docs/cluster.md")
