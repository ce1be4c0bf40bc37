"""Worker processes: work over batches in forked processes that share what the parent loaded
before the fork (models, dictionaries), results in input order, a bounded number of batches in
flight so memory stays flat, and a clear error, never a hang, when a worker dies.

A killed worker (SIGKILL, the kernel's out-of-memory killer) breaks the whole pool: its batch
is lost, so the run stops with :class:`WorkerLost`. Every stage that uses a pool writes whole
chunks in transactions and recognises what is stored, so running the command again continues
where it stopped.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


class WorkerLost(RuntimeError):
    """A worker process died mid-run (killed, or out of memory); what was stored is kept."""

    def __init__(self) -> None:
        super().__init__("a worker process died (killed or out of memory); everything stored "
                         "so far is kept: run the command again to continue")


def pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """``workers`` forked processes; load what they share before calling this."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=initializer)


def result(future: Future[Out]) -> Out:
    """A batch's result, or :class:`WorkerLost` when its worker died."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise WorkerLost() from error


def close(executor: ProcessPoolExecutor) -> None:
    """Stop the workers: batches not started are dropped, running ones end first."""
    executor.shutdown(wait=True, cancel_futures=True)


def ordered_map(work: Callable[[In], Out], batches: Iterable[In], workers: int,
                window: int | None = None) -> Iterator[Out]:
    """``work`` over ``batches`` in order: inline for one worker, else in ``workers`` forked
    processes with at most ``window`` batches in flight (twice the workers by default)."""
    if workers <= 1:
        yield from map(work, batches)
        return
    executor = pool(workers)
    pending: deque[Future[Out]] = deque()
    try:
        for batch in batches:
            pending.append(executor.submit(work, batch))
            if len(pending) >= (window or 2 * workers):
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        close(executor)
