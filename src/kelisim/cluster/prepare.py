"""Cleaning on a cluster: a ``Preparer`` (kelisim.ingest) whose chunks are cleaned by the workers
while the client de-duplicates and writes them in input order."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from kelisim import __version__
from kelisim.cluster.connect import Connection
from kelisim.cluster.results import result
from kelisim.cluster.tasks import prepare_task
from kelisim.config import IngestOptions
from kelisim.records import CleanDocument, RawItem, Skip

# A task's input travels through the scheduler, which keeps it until the task is done (to run it
# again if its worker dies): a chunk of large pages is sent as several tasks of at most this.
PIECE_BYTES = 4 * 2**20


class _Done:
    """Items with nothing to clean, already as a result (no round trip to the cluster)."""

    def __init__(self, items: list[Skip]) -> None:
        self._items = items

    def result(self) -> list[Skip]:
        return self._items


class DaskPreparer:
    """Cleans chunks on the cluster, at most ``window`` in flight, and yields them in order."""

    def __init__(self, connection: Connection, options: IngestOptions, window: int | None = None):
        """Clean with ``options``; ``window`` chunks in flight (default: two per worker thread)."""
        self._connection = connection
        self._options = options
        self._window = window or 2 * connection.threads()
        self._pending: deque[list] = deque()  # per chunk, the futures of its pieces

    def map(self, chunks: Iterable[list[RawItem | Skip]]) -> Iterator[list[CleanDocument | Skip]]:
        """Each chunk prepared by ``prepare_chunk`` on the workers, in input order."""
        for chunk in chunks:
            self._pending.append([self._submit(piece) for piece in pieces(chunk)])
            if len(self._pending) >= self._window:
                yield self._next()
        while self._pending:
            yield self._next()

    def close(self) -> None:
        """Cancel what is still in flight (the run stopped early)."""
        futures = [f for chunk in self._pending for f in chunk if not isinstance(f, _Done)]
        self._pending.clear()
        if futures:
            self._connection.client.cancel(futures)

    def _next(self) -> list[CleanDocument | Skip]:
        return [out for future in self._pending.popleft() for out in result(future, "cleaning")]

    def _submit(self, piece: list[RawItem | Skip]):
        if all(isinstance(item, Skip) for item in piece):  # e.g. a re-run: all stored already
            return _Done(piece)
        return self._connection.client.submit(
            prepare_task, piece, self._options, __version__,
            pure=False, retries=self._connection.options.retries)


def pieces(chunk: list[RawItem | Skip], limit: int = PIECE_BYTES) -> Iterator[list[RawItem | Skip]]:
    """The chunk in order, cut into runs of items whose bodies hold at most ``limit`` bytes
    together (a single larger item is a piece of its own)."""
    piece: list[RawItem | Skip] = []
    size = 0
    for item in chunk:
        length = len(item.body) if isinstance(item, RawItem) else 0
        if piece and size + length > limit:
            yield piece
            piece, size = [], 0
        piece.append(item)
        size += length
    if piece:
        yield piece
