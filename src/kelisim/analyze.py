"""Analyse texts without storing them: raw items in, one reading per text out, in input order.

Cleaning and reading run in worker processes that inherit the models loaded before the fork;
texts travel to the workers in batches so the NER model tags many sentences at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import TextIO

from kelisim.clean import CleaningError
from kelisim.clean.dates import parse_date
from kelisim.clean.encoding import decode
from kelisim.clean.language import detect_language
from kelisim.config import IngestOptions
from kelisim.prepare import clean_only, skip_reason
from kelisim.reading.output import to_json
from kelisim.reading.reader import Reader, TextInput
from kelisim.records import RawItem, Skip
from kelisim.sources.files import read_jsonl_stream, read_paths
from kelisim.sources.records_fields import FieldMap
from kelisim.workers import KeptPool
from kelisim.workers import ordered_map as workers_map

BATCH_SIZE = 16
Progress = Callable[[int, int], None]  # (texts read, texts skipped)


@dataclass(frozen=True)
class AnalyzeOptions:
    """How ``analyze`` reads: cleaned text or the text exactly as given, whether it also
    understands (relevance, event, hostility, attitude, tension) or only extracts, and in how
    many processes."""

    verbatim: bool = False
    understand: bool = True
    workers: int = 1
    batch_size: int = BATCH_SIZE
    ingest: IngestOptions = IngestOptions()


def analyze_inputs(paths: Iterable[str], options: IngestOptions, fields: FieldMap,
                   stdin: TextIO) -> Iterator[RawItem | Skip]:
    """Raw items from files and folders, and from JSON Lines on ``stdin`` where a path is "-"."""
    for path in paths:
        if path == "-":
            yield from read_jsonl_stream(stdin.read(), fields=fields)
        else:
            yield from read_paths([Path(path)], options, fields=fields)


def item_id(origin: str) -> str:
    """The id a reading is printed under: a record's own id, else the file path or origin."""
    kind, _, rest = origin.partition(":")
    if kind == "file" and "#" in rest:
        return rest.rsplit("#", 1)[1]
    return rest if kind in ("file", "sample") else origin


def text_input(item: RawItem, options: AnalyzeOptions) -> TextInput | Skip:
    """The text to read from a raw item: cleaned, or as given under ``verbatim``."""
    if not options.verbatim:
        cleaned = clean_only(item, options.ingest)
        if isinstance(cleaned, Skip):
            return cleaned
        text, lang, published = cleaned
        return TextInput(item_id(item.origin), text, lang, published.date() if published else None)
    if item.kind == "html":
        return Skip(item.origin, "verbatim_html", f"{item.origin}: --verbatim reads plain text, "
                    "and this item is HTML; run without --verbatim to extract its text")
    try:
        text = decode(item.body).text if isinstance(item.body, bytes) else item.body
    except CleaningError as error:
        return Skip(item.origin, skip_reason(error), f"{item.origin}: {error}")
    return TextInput(item_id(item.origin), text, detect_language(text), _published(item))


def _published(item: RawItem):
    """The date a raw item carries in its metadata, or None."""
    if item.published:
        return item.published.date()
    raw = item.meta.get("published_raw")
    return parse_date(raw, datetime.now(timezone.utc)) if raw else None


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _analyze_batch(batch: list[RawItem | Skip], options: AnalyzeOptions) -> list[dict | Skip]:
    """Clean and read one batch; skips keep their place in the output order."""
    inputs = [item if isinstance(item, Skip) else text_input(item, options) for item in batch]
    texts = [i for i in inputs if isinstance(i, TextInput)]
    readings = iter(to_json(r) for r in Reader.load().read_batch(texts, options.understand))
    return [item if isinstance(item, Skip) else next(readings) for item in inputs]


def ordered_map(work: Callable[[list], list], batches: Iterable[list], workers: int,
                kept: KeptPool | None = None) -> Iterator[list]:
    """``work`` over ``batches`` in order: inline for one worker or a single batch (a watch
    cycle's few new documents need no processes started), else in forked processes that share
    the models loaded here first (those of ``kept`` when given)."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:  # nothing to do: no models to load, no processes to start
        return
    Reader.load()  # before any fork, so workers share the loaded models
    second = next(batches, None)
    if second is None:
        yield work(first)
        return
    yield from workers_map(work, chain([first, second], batches), workers, kept=kept)


def read_texts(texts: Iterable[TextInput], workers: int = 1,
               batch_size: int = BATCH_SIZE, kept: KeptPool | None = None) -> Iterator[dict]:
    """The JSON reading of each text, in order; in the processes of ``kept`` when given."""
    for result in ordered_map(_read_batch, batches(texts, batch_size), workers, kept):
        yield from result


def _read_batch(batch: list[TextInput]) -> list[dict]:
    return [to_json(r) for r in Reader.load().read_batch(batch)]


def analyze(items: Iterable[RawItem | Skip], options: AnalyzeOptions,
            progress: Progress | None = None) -> Iterator[dict | Skip]:
    """Readings (JSON objects) and skips, in the order of ``items``."""
    work = partial(_analyze_batch, options=options)
    read = skipped = 0
    for result in ordered_map(work, batches(items, options.batch_size), options.workers):
        for out in result:
            skipped += isinstance(out, Skip)
            read += not isinstance(out, Skip)
            yield out
        if progress:
            progress(read, skipped)
