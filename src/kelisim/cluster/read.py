"""Reading on a cluster: the client streams the ids of unread documents and hands them out in
batches; each worker loads its batch from the store, reads it and saves the readings."""

from __future__ import annotations

import logging

from kelisim.analyze import batches
from kelisim.cluster.connect import Connection
from kelisim.cluster.errors import ClusterError
from kelisim.cluster.results import result
from kelisim.cluster.tasks import read_task
from kelisim.read import Progress, ReadReport

log = logging.getLogger(__name__)


def read_pending(connection: Connection, store, progress: Progress | None = None,
                 window: int | None = None) -> ReadReport:
    """Read every stored document that has no reading by the client's reader, on the cluster,
    with at most ``window`` batches in flight (default: two per worker thread).

    A batch whose task failed after its retries is reported document by document, as
    ``read_pending`` reports a reading the store refused, and left unread for the next run.
    """
    from distributed import as_completed

    report = ReadReport()
    window = window or 2 * connection.threads()
    pending: dict = {}  # task key → (future, document ids)
    running = as_completed(loop=connection.client.loop)
    try:
        for batch in batches(store.unread_ids(connection.versions.reader),
                              connection.options.read_batch):
            future = _submit(connection, batch)
            pending[future.key] = (future, batch)
            running.add(future)
            if running.count() >= window:
                _collect(next(running), pending.pop, report, progress)
        for future in running:
            _collect(future, pending.pop, report, progress)
    finally:
        if pending:  # the run failed: leave nothing running for it
            connection.client.cancel([future for future, _ in pending.values()])
    return report


def _submit(connection: Connection, batch: list[int]):
    return connection.client.submit(
        read_task, connection.store_url, batch, connection.versions, connection.models_dir,
        pure=False, retries=connection.options.retries)


def _collect(future, take, report: ReadReport, progress: Progress | None) -> None:
    """Add a finished batch to the report; a failed one names each of its documents."""
    _, batch = take(future.key)
    try:
        done = result(future, "reading")
    except ClusterError:  # the cluster is gone, or a worker runs other versions: stop
        raise
    except Exception as error:  # the task's own error, raised again on each of its retries
        log.warning("documents %s to %s: not read: %r", batch[0], batch[-1], error)
        report.failed.update((doc_id, f"{type(error).__name__}: {error}") for doc_id in batch)
    else:
        report.read += done.read
        report.mentions += done.mentions
        report.failed.update(done.failed)
    if progress:
        progress(report)
