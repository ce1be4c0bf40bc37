"""The registry of fuzz targets: a name, the function that takes the fuzzer's bytes, what to
instrument, and the largest input worth trying.

Nothing here imports kelisim: the harness imports a target's module inside
``atheris.instrument_imports`` so that the parser code is instrumented for coverage.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One fuzz target: ``entry`` is ``"module:function"``, the function takes bytes."""

    name: str
    entry: str
    instrument: tuple[str, ...]
    max_len: int = 16_384
    doc: str = ""
    warm: str | None = None  # "module:function" run once before fuzzing, to load what is lazy

    def load(self) -> Callable[[bytes], None]:
        """Import the target's module and return its function."""
        return _function(self.entry)

    def warm_up(self) -> None:
        """Load models, dictionaries and lazy tables before the first timed input."""
        if self.warm:
            _function(self.warm)()
        else:
            self.load()(b"")


def _function(entry: str) -> Callable:
    module, _, function = entry.partition(":")
    return getattr(importlib.import_module(module), function)


_CLEAN = ("kelisim.clean",)
_READING = ("kelisim.reading", "kelisim.text")
TARGETS = {t.name: t for t in (
    Target("decode", "fuzz.t_clean:fuzz_decode", _CLEAN, doc="clean.encoding.decode"),
    Target("normalize", "fuzz.t_clean:fuzz_normalize", _CLEAN,
           doc="clean.normalize.normalize_text"),
    Target("chrome", "fuzz.t_clean:fuzz_chrome", _CLEAN, doc="clean.chrome.strip_chrome"),
    Target("language", "fuzz.t_clean:fuzz_language", _CLEAN, doc="clean.language.detect_language"),
    Target("markdown", "fuzz.t_clean:fuzz_markdown", _CLEAN, doc="clean.html.extract_markdown"),
    Target("html", "fuzz.t_clean:fuzz_html", (*_CLEAN, "trafilatura", "htmldate", "justext"),
           doc="clean.html.extract_html (trafilatura)", warm="fuzz.t_clean:warm_html"),
    Target("clean_text", "fuzz.t_clean:fuzz_clean_text", _CLEAN, doc="clean.pipeline.clean_text"),
    Target("prepare", "fuzz.t_clean:fuzz_prepare", ("kelisim.prepare", *_CLEAN),
           doc="prepare.prepare and prepare.clean_only on raw bytes"),
    Target("dates", "fuzz.t_clean:fuzz_dates", _CLEAN, max_len=2048,
           doc="clean.dates.parse_date and find_date_in_text"),
    Target("event_dates", "fuzz.t_reading:fuzz_event_dates", ("kelisim.understanding.dates",),
           max_len=4096, doc="understanding.dates.find_dates"),
    Target("feeds", "fuzz.t_sources:fuzz_feeds", ("kelisim.sources", "feedparser"),
           doc="sources.feeds.parse_feed (feedparser)"),
    Target("sitemaps", "fuzz.t_sources:fuzz_sitemaps", ("kelisim.sources", "kelisim.net"),
           doc="sources.sitemaps.parse_sitemap"),
    Target("files", "fuzz.t_sources:fuzz_files", ("kelisim.sources", "kelisim.prepare", "csv"),
           doc="sources.files.read_file (every suffix), then prepare"),
    Target("records", "fuzz.t_sources:fuzz_records", ("kelisim.sources",),
           doc="sources.records_fields.FieldMap and files.read_jsonl_stream"),
    Target("telegram", "fuzz.t_sources:fuzz_telegram", ("kelisim.sources",),
           doc="sources.telegram.read_telegram_export"),
    Target("robots", "fuzz.t_sources:fuzz_robots", ("kelisim.net.robots", "urllib.robotparser"),
           max_len=4096, doc="net.robots.rules_from and RobotsCache"),
    Target("net_decode", "fuzz.t_sources:fuzz_net_decode", ("kelisim.net.decode",),
           doc="net.decode.decode_body (gzip/deflate, size-capped)"),
    Target("places", "fuzz.t_reading:fuzz_places", ("kelisim.places", *_READING), max_len=4096,
           doc="places.matcher.PlaceMatcher.find"),
    Target("ethnic", "fuzz.t_reading:fuzz_ethnic", ("kelisim.ethnic", *_READING), max_len=4096,
           doc="ethnic.matcher.EthnicMatcher.find"),
    Target("kb", "fuzz.t_reading:fuzz_kb", ("kelisim.kb", *_READING), max_len=4096,
           doc="kb.KnowledgeBase.find"),
    Target("quotes", "fuzz.t_reading:fuzz_quotes", ("kelisim.reading", "kelisim.text"),
           max_len=4096, doc="reading.quotes.find_quotes (with attribution and kb entities)"),
    Target("reader", "fuzz.t_reading:fuzz_reader", ("kelisim.reading", "kelisim.understanding"),
           max_len=2048, doc="reading.reader.Reader.read_batch on one text (NER included)"),
)}
