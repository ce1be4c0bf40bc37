"""Reading stored documents: every canonical document not yet read by this reader version is
read and its mentions stored, a chunk per transaction, so an interrupted run resumes where it
stopped and a document is never stored half read. The documents stream from the store through
the reading workers, so memory stays flat however many are waiting."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from kelisim.analyze import BATCH_SIZE, read_texts
from kelisim.config import IngestOptions
from kelisim.reading.reader import TextInput, reader_version
from kelisim.store.errors import StoreError, StoreOutageError
from kelisim.workers import KeptPool

log = logging.getLogger(__name__)
# Readings saved per transaction, the ``batch_size`` setting: a kill loses at most this much
# work, a few seconds of it. Each commit writes the index pages its chunk dirtied; at 64
# readings a transaction a run spent a ninth longer storing (wall clock), most of it in commits.
CHUNK = IngestOptions().batch_size
Progress = Callable[["ReadReport"], None]


@dataclass
class ReadReport:
    """What a reading run did."""

    read: int = 0
    mentions: int = 0
    failed: dict[int, str] = field(default_factory=dict)


def read_pending(store, workers: int = 1, progress: Progress | None = None,
                 limit: int | None = None, chunk: int = CHUNK, kept: KeptPool | None = None) -> ReadReport:
    """Read the stored documents that have no current reading and store what was found,
    ``chunk`` readings per transaction; in the worker processes of ``kept`` when given."""
    if chunk < 1:
        raise ValueError(f"readings are saved in chunks of at least one, not {chunk}")
    report = ReadReport()
    version = reader_version()
    texts = (TextInput(str(d.id), d.text, d.lang, d.published)
             for d in store.unread_documents(version, limit=limit))
    done: list[tuple[int, dict]] = []
    for reading in read_texts(texts, workers, BATCH_SIZE, kept):
        done.append((int(reading["id"]), reading))
        if len(done) == chunk:
            save_chunk(store, done, report, version)
            done = []
            if progress:
                progress(report)
    if done:
        save_chunk(store, done, report, version)
        if progress:
            progress(report)
    return report


def save_chunk(store, items: list[tuple[int, dict]], report: ReadReport, version: str) -> None:
    """Save a chunk in one transaction; if the store refuses it, save one by one so that one
    bad reading costs only its own document, which is reported and left unread."""
    try:
        report.mentions += store.save_readings(items, version)
        report.read += len(items)
        return
    except StoreOutageError:
        raise  # locked, unreachable or full: every document would fail alike
    except StoreError:
        pass
    for doc_id, reading in items:
        try:
            report.mentions += store.save_readings([(doc_id, reading)], version)
            report.read += 1
        except StoreError as error:
            log.warning("document %s: reading not stored: %s", doc_id, error)
            report.failed[doc_id] = str(error)
