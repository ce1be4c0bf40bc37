"""Worker processes: work over batches in forked processes that share what the parent loaded
before the fork (models, dictionaries), results in input order, a bounded number of batches in
flight so memory stays flat, and a clear error, never a hang, when a worker dies.

A killed worker (SIGKILL, the kernel's out-of-memory killer) breaks the whole pool: its batch
is lost, so the run stops with :class:`WorkerLost`. Every stage that uses a pool writes whole
chunks in transactions and recognises what is stored, so running the command again continues
where it stopped.

Each worker keeps numpy's linear algebra to one thread: the pool's processes already use the
cores. A killed parent takes its workers with it: each worker asks the kernel for SIGKILL when its
parent dies (Linux's parent-death signal). Without that, the workers of a ``kill -9``-ed run
wait on their task queue forever, each holding the models' memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from threadpoolctl import threadpool_limits

In = TypeVar("In")
Out = TypeVar("Out")


class WorkerLost(RuntimeError):
    """A worker process died mid-run (killed, or out of memory); what was stored is kept."""

    def __init__(self) -> None:
        super().__init__("a worker process died (killed or out of memory); everything stored "
                         "so far is kept: run the command again to continue")


_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
_WATCH_SECONDS = 1.0  # how often a wait for a result checks that the workers live
YOUNG_OBJECTS = 200_000  # new container objects between two collections of the youngest generation


def settle() -> None:
    """Tune the cyclic garbage collector for the pipeline right after models or dictionaries
    are loaded, before any fork; call it once per load, not per batch.

    What is loaded then lives as long as the process: it is frozen, so no collection walks its
    million objects again, and forked workers do not write to its pages (they stay shared). The
    youngest generation is collected after YOUNG_OBJECTS new container objects instead of 700: a
    document makes and drops thousands of tuples and lists, nearly all freed by their reference
    counts, and the default threshold ran a collection about once a document, and a full one
    over every cached word every few hundred: about a tenth of the pipeline's time. A young
    collection walks every young object alive at the time, among them the batch being read,
    freed soon after: collecting less often walks it fewer times (collections took 0.11 ms a
    document at 50,000 objects, 0.06 at 200,000). Cycles wait a little longer to be collected
    (a few megabytes at most).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """``workers`` forked processes; load what they share before calling this."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(os.getpid(), initializer))


def _start_worker(parent: int, initializer: Callable[[], None] | None) -> None:
    """Die with the parent, use one core, then run the caller's initializer."""
    die_with_parent(parent)
    one_blas_thread()
    if initializer is not None:
        initializer()


def one_blas_thread() -> None:
    """Keep numpy's linear algebra to one thread in this process. The pool gives each core a
    worker; BLAS threads on top of that would contend for the same cores, and OpenBLAS's waiting
    threads spin."""
    threadpool_limits(limits=1, user_api="blas")


def die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere nothing), and
    go now if the parent ``parent`` is already gone."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if getattr(libc, "prctl", None) is None or libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def submit(executor: ProcessPoolExecutor, work: Callable[..., Out], *args: object) -> Future[Out]:
    """Queue a batch, or :class:`WorkerLost` when a worker already died (the pool is broken)."""
    try:
        return executor.submit(work, *args)
    except BrokenProcessPool as error:  # the death was noticed before this batch's result
        raise WorkerLost() from error


def result(future: Future[Out], executor: ProcessPoolExecutor) -> Out:
    """A batch's result, or :class:`WorkerLost` when a worker of ``executor`` died."""
    while True:
        try:
            return future.result(timeout=_WATCH_SECONDS)
        except FutureTimeout:
            if lost_a_worker(executor):
                raise WorkerLost() from None
        except BrokenProcessPool as error:
            raise WorkerLost() from error


def lost_a_worker(executor: ProcessPoolExecutor) -> bool:
    """Whether a worker has exited. The pool notices most deaths itself, but not a worker
    killed while it was sending a result: the torn message stays in the result pipe and the
    pool's manager thread waits for the rest of it for ever. A worker only exits at shutdown,
    so an exit code before then is a death."""
    return any(process.exitcode is not None for process in _processes(executor))


def close(executor: ProcessPoolExecutor) -> None:
    """Stop the workers: batches not started are dropped, running ones end first; after a
    death the rest are killed, as their batches are lost anyway."""
    if lost_a_worker(executor):
        _abandon(executor)
    executor.shutdown(wait=True, cancel_futures=True)


def _abandon(executor: ProcessPoolExecutor) -> None:
    """Kill the workers, and close this process's end of the result pipe: with every writer
    gone, a manager thread stuck in a torn message reads the end of the pipe and stops."""
    for process in _processes(executor):
        process.kill()
        process.join()
    queue = getattr(executor, "_result_queue", None)
    if queue is not None:
        queue._writer.close()


def _processes(executor: ProcessPoolExecutor) -> list:
    """The pool's worker processes (a private attribute of CPython's pool; none once shut down)."""
    return list((getattr(executor, "_processes", None) or {}).values())


class KeptPool:
    """Worker processes kept from one :func:`ordered_map` to the next, so that what they learnt
    in one run (reading's word caches: pymorphy's analyses, the scanners' memos) serves the
    next; fresh workers would learn it all again. Replaced when one of them has died, or when
    a run stopped before its end (its batches still in flight are dropped with the pool)."""

    def __init__(self) -> None:
        """No workers until a run asks for them."""
        self._executor: ProcessPoolExecutor | None = None
        self._workers = 0

    def executor(self, workers: int) -> ProcessPoolExecutor:
        """The kept pool of ``workers`` processes, started now if there is none (or another
        number), or if one of its workers died."""
        if self._executor is not None and (self._workers != workers or lost_a_worker(self._executor)):
            self.close()
        if self._executor is None:
            self._executor, self._workers = pool(workers), workers
        return self._executor

    def close(self) -> None:
        """Stop the workers."""
        executor, self._executor = self._executor, None
        if executor is not None:
            close(executor)


def ordered_map(work: Callable[[In], Out], batches: Iterable[In], workers: int,
                window: int | None = None, kept: KeptPool | None = None) -> Iterator[Out]:
    """``work`` over ``batches`` in order: inline for one worker, else in ``workers`` forked
    processes with at most ``window`` batches in flight (twice the workers by default); the
    processes of ``kept`` when given, left running for the next run if this one ends well."""
    if workers <= 1:
        yield from map(work, batches)
        return
    executor = pool(workers) if kept is None else kept.executor(workers)
    pending: deque[Future[Out]] = deque()
    finished = False
    try:
        for batch in batches:
            pending.append(submit(executor, work, batch))
            if len(pending) >= (window or 2 * workers):
                yield result(pending.popleft(), executor)
        while pending:
            yield result(pending.popleft(), executor)
        finished = True
    finally:
        if kept is None:
            close(executor)
        elif not finished:  # a death, an error, or a caller that stopped reading: no stale batches kept
            kept.close()
