"""What runs on a cluster's workers: plain functions of the installed Kelisim, sent by reference,
so every worker must run the same Kelisim as the client (``versions`` is how the client checks).

A worker opens the store once per process and loads the models once per process; a task of
reading saves its documents itself, replacing any earlier reading, so a task run twice (its
worker died after saving) stores nothing twice.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kelisim import __version__
from kelisim.analyze import read_texts
from kelisim.cluster.errors import VersionMismatch
from kelisim.config import IngestOptions
from kelisim.ingest import prepare_chunk
from kelisim.read import ReadReport, save_chunk
from kelisim.reading.reader import TextInput, reader_version
from kelisim.records import CleanDocument, RawItem, Skip
from kelisim.store import Store
from kelisim.understanding.attitude import use_models_dir

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


@dataclass(frozen=True)
class Versions:
    """What must be the same on the client and every worker."""

    kelisim: str
    reader: str

    def __str__(self) -> str:
        return f"kelisim {self.kelisim}, reader {self.reader}"


def versions(models_dir: str | None) -> Versions:
    """This process's Kelisim and reader versions; the reader's names the attitude model, which
    is looked for in ``models_dir`` (None: this machine's default folder)."""
    use_models_dir(Path(models_dir) if models_dir else None)
    return current_versions()


def current_versions() -> Versions:
    """This process's Kelisim and reader versions, with the models folder it uses."""
    return Versions(__version__, reader_version())


def prepare_task(chunk: list[RawItem | Skip], options: IngestOptions,
                 expected: str) -> list[CleanDocument | Skip]:
    """``prepare_chunk`` on a worker that runs Kelisim ``expected``."""
    if __version__ != expected:
        raise VersionMismatch(f"this worker runs kelisim {__version__}, the client {expected}")
    return prepare_chunk(chunk, options)


def read_task(url: str, doc_ids: Sequence[int], expected: Versions,
              models_dir: str | None) -> ReadReport:
    """Read those of these documents that are still unread by the expected reader, and save
    their readings; what was stored, and the documents whose reading the store refused."""
    found = versions(models_dir)
    if found != expected:
        raise VersionMismatch(f"this worker runs {found}, the client {expected}")
    store = _store(url)
    docs = store.unread_among(doc_ids, expected.reader)
    texts = (TextInput(str(d.id), d.text, d.lang, d.published) for d in docs)
    items = [(int(reading["id"]), reading) for reading in read_texts(texts, workers=1)]
    report = ReadReport()
    if items:
        save_chunk(store, items, report, expected.reader)
    return report


def store_problem(url: str) -> str | None:
    """Why this worker cannot open the store at ``url``, or None when it can."""
    try:
        _store(url)
    except Exception as error:  # any reason at all is the answer here
        return f"{type(error).__name__}: {error}"
    return None


def _store(url: str) -> Store:
    """The store at ``url``, opened once per worker process."""
    with _stores_lock:
        if url not in _stores:
            _stores[url] = Store.open(url)
        return _stores[url]
