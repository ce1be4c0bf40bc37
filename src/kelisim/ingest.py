"""Ingest: raw items in, clean de-duplicated documents out, through one writer.

Workers clean (``prepare``) in parallel; the calling process alone de-duplicates and writes,
one transaction per chunk, so a run killed at any point leaves whole chunks or nothing, and
the next run completes the rest (origins already stored are recognised).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from kelisim.config import IngestOptions
from kelisim.dedup import NearDuplicateIndex
from kelisim.prepare import prepare
from kelisim.records import CleanDocument, RawItem, Skip
from kelisim.summary import IGNORED_REASONS, IngestSummary
from kelisim.text.terms import lemma

Progress = Callable[[IngestSummary], None]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _prepare_or_pass(item: RawItem | Skip, options: IngestOptions) -> CleanDocument | Skip:
    return item if isinstance(item, Skip) else prepare(item, options)


def _warm_up() -> None:
    lemma("казахстан")  # load the morphology dictionaries once per worker


class _Preparer:
    """Runs ``prepare`` over chunks, inline or in a pool, keeping one chunk in flight."""

    def __init__(self, options: IngestOptions):
        self._work = partial(_prepare_or_pass, options=options)
        self._pool = None
        if options.workers > 1:
            _warm_up()  # before fork, so workers share the loaded dictionaries
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(options.workers, initializer=_warm_up)

    def map(self, chunks: Iterable[list]) -> Iterator[list]:
        """Prepared chunks, in input order."""
        if self._pool is None:
            yield from ([self._work(item) for item in chunk] for chunk in chunks)
            return
        pending = None
        for chunk in chunks:
            future = self._pool.map_async(self._work, chunk, chunksize=8)
            if pending is not None:
                yield pending.get()
            pending = future
        if pending is not None:
            yield pending.get()

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()


@dataclass
class Ingestor:
    """De-duplicates prepared documents against the store and writes them."""

    store: object
    options: IngestOptions
    _index: NearDuplicateIndex | None = field(default=None, init=False)

    def run(self, items: Iterable[RawItem | Skip], progress: Progress | None = None,
            command: str = "ingest") -> IngestSummary:
        """Ingest ``items``; return what was done. ``progress`` is called after each chunk."""
        run_id = self.store.start_run(command)
        if self._index is None:
            self._index = self._load_index()
        self.summary = IngestSummary()
        preparer = _Preparer(self.options)
        try:
            for prepared in preparer.map(_chunks(items, self.options.batch_size)):
                self._write_chunk(run_id, prepared)
                if progress:
                    progress(self.summary)
        finally:
            preparer.close()
            self.store.finish_run(run_id, self.summary.as_dict())
        return self.summary

    def _load_index(self) -> NearDuplicateIndex:
        index = NearDuplicateIndex(self.options.near_duplicate_threshold)
        for doc_id, sig in self.store.iter_signatures():
            index.add(doc_id, sig)
        return index

    def _write_chunk(self, run_id: int, prepared: list[CleanDocument | Skip]) -> None:
        docs = [p for p in prepared if isinstance(p, CleanDocument)]
        known = self.store.known_origins([d.origin for d in docs])
        with self.store.writer() as writer:
            for result in prepared:
                if isinstance(result, Skip):
                    self._write_skip(writer, run_id, result)
                else:
                    self._write_document(writer, run_id, result, known)

    def _write_skip(self, writer, run_id: int, skip: Skip) -> None:
        if skip.reason not in IGNORED_REASONS:  # an unchanged item is not worth a row
            writer.record_skip(run_id, skip)
        self.summary.count_skip(skip)

    def _write_document(self, writer, run_id: int, doc: CleanDocument, known: dict) -> None:
        if doc.origin in known:
            self._write_known(writer, run_id, doc, known[doc.origin])
            return
        known[doc.origin] = doc.content_hash
        canonical = writer.document_id_by_hash(doc.content_hash)  # sees this chunk's rows too
        if canonical:
            writer.add_reprint(doc, canonical, "exact", 1.0)
            self.summary.count_stored(doc, "reprints_exact")
            return
        match = self._index.find(doc.signature)
        if match:
            writer.add_reprint(doc, match.doc_id, "near", match.similarity)
            self.summary.count_stored(doc, "reprints_near")
            return
        doc_id = writer.add_document(doc)
        self._index.add(doc_id, doc.signature)
        self.summary.count_stored(doc, "added")

    def _write_known(self, writer, run_id: int, doc: CleanDocument, stored_hash: str) -> None:
        doc_id = writer.document_id_by_origin(doc.origin)
        if stored_hash == doc.content_hash or doc_id is None:
            # Same text again, or a reprint whose source changed it: nothing new to store.
            self.summary.count_skip(Skip(doc.origin, "unchanged", "already stored"))
            return
        writer.update_document(doc_id, doc)
        self.summary.count_stored(doc, "updated")
