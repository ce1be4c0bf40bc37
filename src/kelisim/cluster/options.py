"""How a run uses its cluster."""

from __future__ import annotations

from dataclasses import dataclass

READ_BATCH = 32  # documents per reading task: two NER batches, one save transaction
RETRIES = 3  # times a task that raised runs again (a lost worker's tasks move on by themselves)


@dataclass(frozen=True)
class ClusterOptions:
    """The scheduler to use and how work is cut into tasks."""

    scheduler: str
    read_batch: int = READ_BATCH
    retries: int = RETRIES
    connect_timeout: float | None = None  # seconds; None: Dask's distributed.comm.timeouts.connect
    worker_wait: float = 60.0  # seconds to wait for a first worker to join

    def __post_init__(self) -> None:
        if not self.scheduler:
            raise ValueError("give the Dask scheduler's address, e.g. tcp://scheduler:8786")
        if self.read_batch < 1 or self.retries < 0:
            raise ValueError("read_batch is at least 1 and retries at least 0")
