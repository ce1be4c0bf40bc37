"""``process``: the whole pipeline over files and folders (ingest, read, warn), here or on a
Dask cluster (kelisim.cluster), with the same results either way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kelisim.cluster.options import ClusterOptions
from kelisim.config import default_models_dir
from kelisim.read import ReadReport
from kelisim.sources.files import read_paths
from kelisim.sources.records_fields import FieldMap
from kelisim.summary import IngestSummary
from kelisim.warning.stage import WarningReport

STAGES = ("ingest", "read", "warn")


class Display(Protocol):
    """How a run shows itself: a progress callback during each stage, then its result."""

    def stage(self, name: str) -> AbstractContextManager[Callable[[Any], None] | None]:
        """While stage ``name`` (one of ``STAGES``) runs: the callback its progress goes to."""

    def done(self, name: str, result: Any) -> None:
        """Stage ``name`` ended with ``result`` (IngestSummary, ReadReport, WarningReport)."""


class _Quiet:
    def stage(self, name: str):
        return nullcontext(None)

    def done(self, name: str, result: Any) -> None:
        pass


@dataclass(frozen=True)
class ProcessReport:
    """What each stage did."""

    ingest: IngestSummary
    read: ReadReport
    warning: WarningReport


def process(kelisim, paths: Iterable[Path], fields: FieldMap = FieldMap(),
            cluster: ClusterOptions | None = None, display: Display | None = None) -> ProcessReport:
    """Ingest ``paths``, read every unread document, run the warning stage (see
    ``Kelisim.process``)."""
    display = display or _Quiet()
    with _pipeline(kelisim, cluster) as pipeline:
        with display.stage("ingest") as progress:
            items = read_paths(paths, kelisim.settings.ingest, fields=fields)
            summary = kelisim.ingest_items(items, progress, command="process",
                                           preparer=pipeline.preparer())
        display.done("ingest", summary)
        with display.stage("read") as progress:
            report = pipeline.read_pending(progress)
        display.done("read", report)
    with display.stage("warn") as progress:
        warning = kelisim.warn(progress=progress)
    display.done("warn", warning)
    return ProcessReport(summary, report, warning)


class _Local:
    """The pipeline in this machine's processes."""

    def __init__(self, kelisim) -> None:
        self._kelisim = kelisim

    def preparer(self) -> None:
        return None  # the ingestor's own pool of ``workers`` processes

    def read_pending(self, progress) -> ReadReport:
        return self._kelisim.read_pending(progress)


class _Dask:
    """The pipeline on a cluster's workers, the client writing documents in input order."""

    def __init__(self, kelisim, connection) -> None:
        self._kelisim, self._connection = kelisim, connection

    def preparer(self):
        from kelisim.cluster.prepare import DaskPreparer

        return DaskPreparer(self._connection, self._kelisim.settings.ingest)

    def read_pending(self, progress) -> ReadReport:
        from kelisim.cluster.read import read_pending

        return read_pending(self._connection, self._kelisim.store, progress)


@contextmanager
def _pipeline(kelisim, cluster: ClusterOptions | None) -> Iterator[_Local | _Dask]:
    if cluster is None:
        yield _Local(kelisim)
        return
    from kelisim.cluster.connect import connect  # Dask is loaded only for a cluster

    with connect(cluster, kelisim.settings.db_url, _models_dir(kelisim)) as connection:
        yield _Dask(kelisim, connection)


def _models_dir(kelisim) -> str | None:
    """The models folder to give the workers: None for the default, each machine's own."""
    folder = kelisim.settings.models_dir
    return None if folder == default_models_dir() else str(folder)
