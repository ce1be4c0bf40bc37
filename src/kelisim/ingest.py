"""Ingest: raw items in, clean de-duplicated documents out, through one writer.

Workers clean (``prepare``) in parallel; the calling process alone de-duplicates and writes,
one transaction per chunk, so a run killed at any point leaves whole chunks or nothing, and
the next run completes the rest (origins already stored are recognised).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from typing import Protocol

from kelisim import workers
from kelisim.config import IngestOptions
from kelisim.dedup import NearDuplicateIndex
from kelisim.prepare import prepare, raw_hash
from kelisim.records import CleanDocument, RawItem, Skip
from kelisim.summary import IGNORED_REASONS, IngestSummary
from kelisim.text.terms import lemma

Progress = Callable[[IngestSummary], None]
INLINE_ITEMS = 32  # a chunk this small is cleaned in the calling process


class Preparer(Protocol):
    """Cleans chunks of raw items into documents or skips, keeping the input order."""

    def map(self, chunks: Iterable[list[RawItem | Skip]]) -> Iterator[list[CleanDocument | Skip]]:
        """Each chunk prepared (``prepare_chunk``), in input order."""

    def close(self) -> None:
        """Release what the preparer holds (processes, connections)."""


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _prepare_or_pass(item: RawItem | Skip, options: IngestOptions) -> CleanDocument | Skip:
    return item if isinstance(item, Skip) else prepare(item, options)


def prepare_chunk(chunk: list[RawItem | Skip], options: IngestOptions) -> list[CleanDocument | Skip]:
    """A chunk cleaned item by item; skips keep their place."""
    return [_prepare_or_pass(item, options) for item in chunk]


@lru_cache(maxsize=1)
def _warm_up() -> None:
    """Load the morphology dictionaries, once per process (a forked worker has them)."""
    lemma("казахстан")
    workers.settle()


class _Preparer:
    """Runs ``prepare`` over chunks, inline or in worker processes, keeping one chunk in
    flight while the caller writes the one before."""

    def __init__(self, options: IngestOptions):
        self._options = options
        self._pool = None

    def map(self, chunks: Iterable[list]) -> Iterator[list]:
        """Prepared chunks, in input order; one small chunk (a watch cycle's few new items) is
        prepared here, without starting processes."""
        chunks = iter(chunks)
        head = list(islice(chunks, 2))
        chunks = chain(head, chunks)
        if self._options.workers <= 1 or (len(head) == 1 and len(head[0]) <= INLINE_ITEMS):
            _warm_up()
            yield from (prepare_chunk(chunk, self._options) for chunk in chunks)
            return
        _warm_up()  # before fork, so workers share the loaded dictionaries
        self._pool = workers.pool(self._options.workers, initializer=_warm_up)
        pending = None
        for chunk in chunks:
            futures = [workers.submit(self._pool, prepare_chunk, chunk[i:i + 8], self._options)
                       for i in range(0, len(chunk), 8)]
            if pending is not None:
                yield self._gather(pending)
            pending = futures
        if pending is not None:
            yield self._gather(pending)

    def _gather(self, futures: list) -> list:
        return [doc for future in futures for doc in workers.result(future, self._pool)]

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            workers.close(self._pool)


@dataclass
class Ingestor:
    """De-duplicates prepared documents against the store and writes them."""

    store: object
    options: IngestOptions
    _index: NearDuplicateIndex | None = field(default=None, init=False)
    # New documents enter the index under a negative placeholder key while their chunk is
    # planned; once stored, the placeholder stands for the id the store gave them.
    _aliases: dict[int, int] = field(default_factory=dict, init=False)
    _next_placeholder: int = field(default=-1, init=False)

    def run(self, items: Iterable[RawItem | Skip], progress: Progress | None = None,
            command: str = "ingest", preparer: Preparer | None = None) -> IngestSummary:
        """Ingest ``items``; return what was done. ``progress`` is called after each chunk.
        ``preparer`` cleans the chunks elsewhere (a cluster's workers); by default they are
        cleaned here, in ``options.workers`` processes. It is closed when the run ends."""
        run_id = self.store.start_run(command)
        if self._index is None:
            self._index = self._load_index()
        self.summary = IngestSummary()
        preparer = preparer or _Preparer(self.options)
        try:
            chunks = (self._drop_unchanged(c) for c in _chunks(items, self.options.batch_size))
            for prepared in preparer.map(chunks):
                self._write_chunk(run_id, prepared)
                if progress:
                    progress(self.summary)
        finally:
            preparer.close()
            self.store.finish_run(run_id, self.summary.as_dict())
        return self.summary

    def _drop_unchanged(self, chunk: list[RawItem | Skip]) -> list[RawItem | Skip]:
        """Items whose origin is stored with the same raw bytes become Skips, before cleaning."""
        stored = self.store.raw_hashes([i.origin for i in chunk if isinstance(i, RawItem)])
        return [Skip(item.origin, "unchanged", "already stored")
                if item.origin in stored and isinstance(item, RawItem)
                and stored[item.origin] == raw_hash(item) else item
                for item in chunk]

    def _load_index(self) -> NearDuplicateIndex:
        self._aliases.clear()
        index = NearDuplicateIndex(self.options.near_duplicate_threshold)
        for doc_id, sig in self.store.iter_signatures():
            index.add(doc_id, sig)
        return index

    def _write_chunk(self, run_id: int, prepared: list[CleanDocument | Skip]) -> None:
        try:
            with self.store.writer() as writer:
                plan = self._plan(writer, prepared)
                ids = self._write_plan(writer, run_id, plan)
        except BaseException:
            self._index = None  # it holds this chunk's placeholders: rebuild it from the store
            raise
        self._aliases.update(zip(plan.placeholders, ids))

    def _write_plan(self, writer, run_id: int, plan: "_Plan") -> list[int]:
        writer.record_skips(run_id, [s for s in plan.skips if s.reason not in IGNORED_REASONS])
        ids = writer.add_documents(plan.new)
        stored = dict(zip(plan.placeholders, ids))
        writer.add_reprints([(doc, stored.get(ref) or self._aliases.get(ref, ref), kind, similarity)
                             for doc, ref, kind, similarity in plan.reprints])
        for doc_id, doc in plan.updates:
            writer.update_document(doc_id, doc)
        return ids

    def _plan(self, writer, prepared: list[CleanDocument | Skip]) -> "_Plan":
        docs = [p for p in prepared if isinstance(p, CleanDocument)]
        known = writer.known_origins([d.origin for d in docs])
        plan = _Plan(known=known, hashes=writer.ids_by_hashes([d.content_hash for d in docs]),
                     stored_ids=writer.ids_by_origins(known))
        for result in prepared:
            if isinstance(result, Skip):
                plan.skip(result)
            elif result.origin in plan.known:
                plan.known_again(result)
            elif plan.add(result, self._index.find(result.signature), self._next_placeholder):
                self._index.add(self._next_placeholder, result.signature)
                self._next_placeholder -= 1
        self.summary.merge(plan.counts)
        return plan

@dataclass
class _Plan:
    """What one chunk will write; new documents are referred to by placeholders until stored."""

    known: dict[str, str]
    hashes: dict[str, int]
    stored_ids: dict[str, int]
    skips: list[Skip] = field(default_factory=list)
    new: list[CleanDocument] = field(default_factory=list)
    placeholders: list[int] = field(default_factory=list)
    reprints: list[tuple[CleanDocument, int, str, float]] = field(default_factory=list)
    updates: list[tuple[int, CleanDocument]] = field(default_factory=list)
    counts: IngestSummary = field(default_factory=IngestSummary)

    def skip(self, skip: Skip) -> None:
        """Plan to record a skipped input."""
        self.skips.append(skip)
        self.counts.count_skip(skip)

    def add(self, doc: CleanDocument, match, placeholder: int) -> bool:
        """Plan a reprint of a stored or planned document, or else a new one (returns True)."""
        self.known[doc.origin] = doc.content_hash
        if doc.content_hash in self.hashes:
            self._reprint(doc, self.hashes[doc.content_hash], "exact", 1.0)
            return False
        if match:
            self._reprint(doc, match.doc_id, "near", match.similarity)
            return False
        self.new.append(doc)
        self.placeholders.append(placeholder)
        self.hashes[doc.content_hash] = placeholder
        self.counts.count_stored(doc, "added")
        return True

    def known_again(self, doc: CleanDocument) -> None:
        """Plan an origin seen before: nothing if its text is the same, else an update."""
        doc_id = self.stored_ids.get(doc.origin)
        unchanged = self.known[doc.origin] == doc.content_hash or doc_id is None
        if unchanged or doc.content_hash in self.hashes:
            # Same text again, or a reprint (or now a copy of another document): nothing new.
            self.skip(Skip(doc.origin, "unchanged", "already stored"))
        else:
            self.updates.append((doc_id, doc))
            self.counts.count_stored(doc, "updated")

    def _reprint(self, doc: CleanDocument, ref: int, kind: str, similarity: float) -> None:
        self.reprints.append((doc, ref, kind, similarity))
        self.counts.count_stored(doc, f"reprints_{kind}")
