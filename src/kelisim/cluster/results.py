"""A task's result on the client, with the ways a cluster fails said plainly."""

from __future__ import annotations

from concurrent.futures import CancelledError

from kelisim.cluster.errors import ClusterError


def result(future, what: str):
    """The result of ``future``; a task lost with its workers too often, or a cluster gone,
    becomes a ClusterError (what was stored stays: run again to resume)."""
    from distributed import KilledWorker  # loaded already: the future came from it

    try:
        return future.result()
    except KilledWorker as error:
        raise ClusterError(f"{what}: a task was lost with every worker that ran it ({error}); "
                           "what was stored stays, run again to resume") from error
    except CancelledError as error:
        raise ClusterError(f"{what} was cancelled: the scheduler was lost or shut down "
                           f"({error}); run again to resume") from error
