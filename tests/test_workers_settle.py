"""The garbage collector settled for the pipeline: what is loaded is frozen, the young
generation's threshold raised, and a forked worker inherits both."""

from __future__ import annotations

import gc
import weakref

import pytest

from kelisim import workers


@pytest.fixture()
def restored_gc():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class _Loaded:
    """A container object the collector tracks."""


def _state(_: int) -> tuple[int, tuple[int, int, int]]:
    return gc.get_freeze_count(), gc.get_threshold()


def test_settle_freezes_what_is_loaded_and_raises_the_young_threshold(restored_gc):
    gc.unfreeze()
    loaded = [_Loaded() for _ in range(1000)]
    before = gc.get_threshold()
    workers.settle()
    assert gc.get_freeze_count() >= len(loaded)
    scanned = {id(o) for o in gc.get_objects()}  # the generations the collector walks
    assert not any(id(x) in scanned for x in loaded)
    assert gc.get_threshold() == (workers.YOUNG_OBJECTS, *before[1:])


def test_a_forked_worker_inherits_the_settled_collector(restored_gc):
    workers.settle()
    here = gc.get_freeze_count()
    executor = workers.pool(1)
    try:
        frozen, threshold = executor.submit(_state, 0).result(timeout=60)
    finally:
        workers.close(executor)
    assert threshold[0] == workers.YOUNG_OBJECTS
    assert frozen >= here * 0.9  # the child's own imports may differ slightly, never lose it all


def test_cyclic_garbage_is_still_collected_by_itself_after_settling(restored_gc):
    workers.settle()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    kept = [[] for _ in range(workers.YOUNG_OBJECTS + 1000)]  # enough new objects for a collection
    assert gone() is None
    assert len(kept) > workers.YOUNG_OBJECTS
