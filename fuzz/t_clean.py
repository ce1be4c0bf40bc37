"""Fuzz targets of the cleaning stage: each takes the fuzzer's bytes and checks the contract.

The first byte of an input often picks an option (the input kind, the reference date), so that
one corpus covers every branch; the rest is the payload.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from fuzz.contracts import check_clean, documented, raw_text_of, text_of
from kelisim.clean import (
    CleaningError,
    MalformedHTMLError,
    clean_text,
    decode,
    detect_language,
    extract_html,
    extract_markdown,
    find_date_in_text,
    normalize_text,
    parse_date,
    strip_chrome,
)
from kelisim.config import IngestOptions
from kelisim.prepare import clean_only, prepare
from kelisim.records import CleanDocument, RawItem, Skip

LANGUAGES = {"ru", "kk", "en", "mixed", "other"}
KINDS = ("text", "markdown", "html")
FETCHED = datetime(2024, 5, 14, 9, 30, tzinfo=timezone.utc)
_OPTIONS = IngestOptions(max_document_bytes=64 * 1024)


def split(data: bytes) -> tuple[int, bytes]:
    """The option byte and the payload."""
    return (data[0], data[1:]) if data else (0, b"")


def fuzz_decode(data: bytes) -> None:
    """decode: text without lone surrogates, or a CleaningError; valid UTF-8 reads as itself."""
    with documented(CleaningError):
        decoded = decode(data)
        decoded.text.encode("utf-8")
        assert decoded.encoding
        if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            try:
                assert decoded.text == data.decode("utf-8")
            except UnicodeDecodeError:
                pass


def fuzz_normalize(data: bytes) -> None:
    """normalize_text: clean text (idempotent, NFC, nothing invisible) from any string."""
    check_clean(normalize_text(raw_text_of(data)))


def fuzz_chrome(data: bytes) -> None:
    """strip_chrome: kept lines are input lines in order; the report adds up."""
    text = normalize_text(text_of(data))
    kept, report = strip_chrome(text)
    lines = [line for line in text.split("\n") if line.strip()]
    left = iter(lines)
    survivors = [line for line in kept.split("\n") if line.strip()]
    assert all(line in left for line in survivors), "strip_chrome invented or reordered a line"
    assert len(survivors) + report.removed_lines == len(lines)
    assert report.removed_lines == sum(report.removed_by_kind.values())
    assert report.duplicate_paragraphs == report.removed_by_kind.get("duplicate", 0)


def fuzz_language(data: bytes) -> None:
    """detect_language: one of the five labels for any text."""
    assert detect_language(raw_text_of(data)) in LANGUAGES


def fuzz_markdown(data: bytes) -> None:
    """extract_markdown: never raises; the title, when any, is a non-blank string."""
    extracted = extract_markdown(text_of(data))
    assert isinstance(extracted.text, str)
    assert extracted.title is None or extracted.title.strip()


def fuzz_html(data: bytes) -> None:
    """extract_html: main text and metadata, or MalformedHTMLError."""
    with documented(MalformedHTMLError):
        extracted = extract_html(text_of(data), "https://example.kz/news/1")
        assert extracted.text.strip()
        for value in (extracted.title, extracted.author, extracted.date):
            assert value is None or (isinstance(value, str) and value.strip())


def warm_html() -> None:
    """Dates htmldate cannot read go to dateparser, which loads its locales, and later its
    relative-date tables, lazily: 10-30 s of CPU once per process each. Done here, not in the
    first timed input that needs them."""
    for odd in ("2021-хнол 10-14T10", "2021-20-14T10:00:00+06:00", "14 октября 2021"):
        fuzz_html(f'<html><head><meta property="article:published_time" content="{odd}">'
                  f"</head><body><p>Текст новости.</p></body></html>".encode())


def fuzz_clean_text(data: bytes) -> None:
    """clean_text: clean, non-empty text with a language, or a CleaningError."""
    option, payload = split(data)
    with documented(CleaningError):
        cleaned = clean_text(text_of(payload), KINDS[option % 3])
        check_clean(cleaned.text)
        assert cleaned.text and cleaned.lang in LANGUAGES
        for value in (cleaned.title, cleaned.author, cleaned.date_hint):
            assert value is None or (value.strip() and "\n" not in value)


def fuzz_prepare(data: bytes) -> None:
    """prepare and clean_only: a clean document or a Skip for any bytes; never an exception."""
    option, payload = split(data)
    body: bytes | str = payload if option & 8 else raw_text_of(payload)
    item = RawItem("fuzz:1", body, KINDS[option % 3], fetched_at=FETCHED,
                   title=raw_text_of(payload[:40]) if option & 16 else None)
    document = prepare(item, _OPTIONS)
    assert isinstance(document, (CleanDocument, Skip))
    if isinstance(document, CleanDocument):
        check_clean(document.text)
        for field in (document.title, document.author):
            assert field is None or (field == field.strip() and field.encode("utf-8"))
        assert document.published is None or document.published <= FETCHED + timedelta(days=1)
    only = clean_only(item, _OPTIONS)
    assert isinstance(only, Skip) == isinstance(document, Skip)


def reference(option: int, payload: bytes) -> datetime:
    """A reference time from the input: usually recent, sometimes at the ends of the calendar."""
    number = int.from_bytes(payload[:3].ljust(3, b"\0"), "big")
    if option & 1:
        day = date.min + timedelta(days=number % (date.max - date.min).days)
    else:
        day = date(1990, 1, 1) + timedelta(days=number % 20_000)
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)


def fuzz_dates(data: bytes) -> None:
    """parse_date and find_date_in_text: None or a plausible date (1990 to the day after)."""
    option, payload = split(data)
    ref = reference(option, payload)
    text = text_of(payload[3:])
    latest = ref.date() + timedelta(days=1) if ref.date() < date.max else date.max
    for found in (parse_date(text, ref), find_date_in_text(text, ref, head_chars=option * 8)):
        if found is not None:
            assert found.year >= 1990 and found <= latest, (found, ref)
