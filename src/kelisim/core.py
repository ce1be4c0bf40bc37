"""The Kelisim object: one store and one set of settings, used by the CLI, tests and web app."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

from kelisim.cluster import ClusterOptions
from kelisim.collect import CollectReport, collect, watch
from kelisim.config import Settings
from kelisim.correct import check as check_correction
from kelisim.understanding.attitude import use_models_dir
from kelisim.ingest import Ingestor, Preparer, Progress
from kelisim.process import Display, ProcessReport, process
from kelisim.records import RawItem, Skip
from kelisim.read import Progress as ReadProgress
from kelisim.read import ReadReport, read_pending
from kelisim.sample import sample_items
from kelisim.sources import SOURCE_KINDS, guess_kind
from kelisim.sources.files import read_paths
from kelisim.sources.records_fields import FieldMap
from kelisim.store import Store
from kelisim.summary import IngestSummary
from kelisim.text.terms import query_terms
from kelisim.warning import index as tension_index
from kelisim.warning import stage as warning_stage
from kelisim.warning.replay import Corpus, ReplayReport
from kelisim.warning.replay import replay as replay_corpus
from kelisim.warning.rules import Rules, load_rules
from kelisim.workers import KeptPool


class Kelisim:
    """The archive: ingest, sources, search, export and statistics over one store."""

    def __init__(self, settings: Settings, env: Mapping[str, str] | None = None,
                 rules: Rules | None = None):
        """Open the store of ``settings``; ``env`` is where alert channels find their secrets
        (the shell passes its environment; nothing below it reads one); ``rules``, when given,
        stand instead of the settings' rules file."""
        self.settings = settings
        self._env = dict(env or {})
        self._rules = rules
        use_models_dir(settings.models_dir)
        self.store = Store.open(settings.db_url)
        self._ingestor = Ingestor(self.store, settings.ingest)
        # Reading's worker processes, kept from one read to the next (a watch cycle, the next
        # folder): what they learnt of the stream's words serves the next read.
        self._readers = KeptPool()

    def close(self) -> None:
        """Stop the reading workers and close the store."""
        self._readers.close()
        self.store.close()

    def __enter__(self) -> "Kelisim":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ingest_paths(self, paths: Iterable[Path], fields: FieldMap = FieldMap(),
                     progress: Progress | None = None) -> IngestSummary:
        """Ingest files and folders."""
        items = read_paths(paths, self.settings.ingest, fields=fields)
        return self._ingestor.run(items, progress, command="ingest")

    def ingest_items(self, items: Iterable[RawItem | Skip], progress: Progress | None = None,
                     command: str = "ingest", preparer: Preparer | None = None) -> IngestSummary:
        """Ingest raw items made by the caller (a replay, a test), in the order given;
        ``preparer`` cleans them elsewhere (a cluster's workers)."""
        return self._ingestor.run(items, progress, command=command, preparer=preparer)

    def process(self, paths: Iterable[Path], fields: FieldMap = FieldMap(), *,
                cluster: ClusterOptions | None = None,
                display: Display | None = None) -> ProcessReport:
        """The whole pipeline: ingest files and folders, read every unread document, run the
        warning stage; with ``cluster``, cleaning and reading run on that Dask cluster's
        workers and the store must be PostgreSQL (docs/cluster.md). Same results either way.

        Args:
            paths: files and folders, as for :meth:`ingest_paths`.
            fields: the fields of record files.
            cluster: the scheduler and how to use it; None runs here, in ``workers`` processes.
            display: shown each stage's progress and result.

        Returns:
            What each stage did.

        Raises:
            ClusterError: the cluster cannot be used, or was lost (run again to resume).
        """
        return process(self, paths, fields, cluster, display)

    def ingest_sample(self, progress: Progress | None = None) -> IngestSummary:
        """Ingest the bundled sample corpus."""
        return self._ingestor.run(sample_items(), progress, command="ingest --sample")

    def add_source(self, location: str, *, kind: str | None = None, name: str | None = None,
                   fields: FieldMap = FieldMap(), interval_minutes: float | None = None):
        """Register a source; its kind is guessed from the location unless given."""
        kind = kind or guess_kind(location)
        if kind not in SOURCE_KINDS:
            raise ValueError(f"unknown source kind {kind!r}; choose one of {', '.join(SOURCE_KINDS)}")
        if kind in ("folder", "file", "telegram"):
            location = str(Path(location).expanduser().resolve())
        options = {}
        if fields.explicit:
            options["map"] = fields.spec()
        if interval_minutes is not None:
            options["interval_minutes"] = interval_minutes
        return self.store.add_source(name or location, kind, location, options)

    def collect(self, names: list[str] | None = None, progress: Progress | None = None) -> CollectReport:
        """Poll the named sources (all enabled ones by default) once."""
        sources = [self._source(n) for n in names] if names else None
        return collect(self.store, self.settings, sources, progress)

    def watch(self, stop: threading.Event, default_minutes: float, on_cycle=None,
              tick_seconds: float = 5.0) -> None:
        """Poll sources on their schedule until ``stop`` is set, reading what each cycle stored."""
        def cycle(report: CollectReport) -> None:
            self.read_pending()
            self.warn()
            self.write_due_reports()
            if on_cycle:
                on_cycle(report)

        watch(self.store, self.settings, stop, default_minutes=default_minutes,
              tick_seconds=tick_seconds, on_cycle=cycle)

    def write_due_reports(self, now: datetime | None = None) -> list[Path]:
        """Write the scheduled regional reports whose period has ended (the rules' [report])."""
        from kelisim.report.schedule import write_due  # WeasyPrint loads only when one is due

        return write_due(self, now=now)

    def read_pending(self, progress: ReadProgress | None = None, limit: int | None = None) -> ReadReport:
        """Read every stored document that has no reading by the current reader, and store
        the entities, places, ethnic groups, quotes and attribution found."""
        return read_pending(self.store, self.settings.ingest.workers, progress, limit,
                            self.settings.ingest.batch_size, self._readers)

    def reading(self, doc_id: int) -> dict | None:
        """The stored reading of a document with its corrections, or None when it has not been
        read."""
        return self.store.get_reading(doc_id)

    def correct(self, doc_id: int, field: str, value, author: str, *, target: str = "",
                comment: str | None = None):
        """Record an analyst's correction of one decision (checked against the taxonomy, the
        tension labels and the groups the document names) and put it in force."""
        reading = self.store.get_reading(doc_id) if field == "attitude" else None  # its groups
        check_correction(field, value, target, reading)
        return self.store.add_correction(doc_id, field, value, author, target=target, comment=comment)

    def train(self, data: Path, out: Path | None = None, folds: int = 5, progress=None):
        """Retrain the attitude model from the training data under ``data`` plus the analysts'
        corrections, write it to the models folder (or ``out``) and report the figures."""
        from kelisim.train import retrain  # scikit-learn is loaded only to train

        return retrain(self.store, data, out, folds, progress)

    # Early warning

    def rules(self) -> Rules:
        """The alert rules in force: the settings' file, else the shipped defaults."""
        if self._rules is None:
            self._rules = load_rules(self.settings.rules, self._env)
        return self._rules

    def warn(self, as_of: datetime | None = None, *, send: bool = True,
             progress=None) -> warning_stage.WarningReport:
        """Run the warning stage: place and cluster what was read, refresh stories and
        incidents, decide the alerts of the days not yet final, and send them."""
        return warning_stage.run(self.store, self.rules(), as_of, send=send, progress=progress)

    def index(self, kato: str, level: str, period: str, start: date, end: date):
        """The tension index of a unit over each period from ``start`` to ``end``."""
        return tension_index.series(self.store, kato, level, period, start, end)

    def index_table(self, level: str, start: date, end: date, katos: list[str] | None = None):
        """The tension index of every unit of a level (or of ``katos``) over a span, highest
        first."""
        return tension_index.table(self.store, level, start, end, katos)

    def replay(self, corpus: Corpus, progress=None) -> ReplayReport:
        """Feed a dated corpus through the pipeline in time order; the alerts fired, scored
        against the corpus's manifest."""
        return replay_corpus(self, corpus, self.rules(), progress=progress)

    def search(self, query: str, *, source: str | None = None, lang: str | None = None,
               date_from: date | None = None, date_to: date | None = None,
               limit: int = 20, offset: int = 0, regions: list[str] | None = None):
        """Full-text search with Russian morphology; all query words must match (``regions``:
        only documents that count in these regions)."""
        return self.store.search(query_terms(query), source=source, lang=lang,
                                 date_from=date_from, date_to=date_to, limit=limit, offset=offset,
                                 regions=regions)

    def _source(self, name: str):
        source = self.store.get_source(name)
        if source is None:
            raise LookupError(f"no source named {name!r} (see `kelisim sources list`)")
        return source
