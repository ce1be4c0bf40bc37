"""The pool's workers each use one core: numpy's linear algebra runs on one thread in them
(kelisim.workers), while the parent keeps its own setting."""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

from kelisim import workers


def _blas_threads() -> list[int]:
    import numpy  # noqa: F401  (loads the BLAS library threadpoolctl reports on)

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_workers_use_one_blas_thread_and_the_parent_keeps_its_own():
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        assert before and all(n == 2 for n in before)  # a parent that would use two
        executor = workers.pool(2)
        try:
            seen = [workers.result(workers.submit(executor, _blas_threads), executor) for _ in range(4)]
        finally:
            workers.close(executor)
        assert seen == [[1] * len(before)] * 4
        assert _blas_threads() == before
