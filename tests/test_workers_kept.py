"""A kept pool (kelisim.workers.KeptPool): its workers serve run after run, so what they learnt
serves the next; a death, an error or a run stopped midway replaces them, and nothing of an
earlier run leaks into the next."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kelisim import workers


def _pid(batch: int) -> tuple[int, int]:
    time.sleep(0.01)
    return batch, os.getpid()


def _pids(kept: workers.KeptPool, count: int = 8) -> tuple[list[int], set[int]]:
    found = list(workers.ordered_map(_pid, range(count), 2, kept=kept))
    return [batch for batch, _ in found], {pid for _, pid in found}


def _fail(batch: int) -> int:
    if batch == 3:
        raise ValueError("a bad batch")
    return batch


@pytest.fixture()
def kept():
    pool = workers.KeptPool()
    yield pool
    pool.close()


def test_the_same_workers_serve_the_next_run(kept):
    order, first = _pids(kept)
    assert order == list(range(8)) and len(first) == 2 and os.getpid() not in first
    assert _pids(kept)[1] == first
    kept.close()
    assert _pids(kept)[1].isdisjoint(first)


def test_a_run_stopped_midway_leaves_no_batch_for_the_next(kept):
    first = workers.ordered_map(_pid, range(50), 2, kept=kept)
    assert next(first)[0] == 0
    first.close()  # the caller stopped reading: its batches in flight go with the pool
    order, pids = _pids(kept)
    assert order == list(range(8)) and len(pids) == 2


def test_an_error_replaces_the_workers(kept):
    _, before = _pids(kept)
    with pytest.raises(ValueError, match="a bad batch"):
        list(workers.ordered_map(_fail, range(8), 2, kept=kept))
    order, after = _pids(kept)
    assert order == list(range(8)) and after.isdisjoint(before)


def test_a_dead_worker_is_noticed_and_the_next_run_gets_new_ones(kept):
    _, before = _pids(kept)
    os.kill(min(before), signal.SIGKILL)
    deadline = time.monotonic() + 30
    while not workers.lost_a_worker(kept._executor) and time.monotonic() < deadline:
        time.sleep(0.05)
    order, after = _pids(kept)
    assert order == list(range(8)) and after.isdisjoint(before)


def test_another_number_of_workers_starts_another_pool(kept):
    _, two = _pids(kept)
    found = list(workers.ordered_map(_pid, range(9), 3, kept=kept))
    assert [batch for batch, _ in found] == list(range(9))
    assert {pid for _, pid in found}.isdisjoint(two)
