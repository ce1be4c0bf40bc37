"""Prepare one raw item for storage: decode, clean, date, hash, sign, index terms.

Pure and picklable, so it runs in worker processes; one bad item becomes a Skip, never an
exception that stops the batch.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timezone

from kelisim import clean
from kelisim.clean.dates import find_date_in_text, parse_date
from kelisim.clean.encoding import decode
from kelisim.clean.pipeline import clean_field
from kelisim.config import IngestOptions
from kelisim.dedup import fingerprints
from kelisim.records import CleanDocument, CleaningReport, RawItem, Skip
from kelisim.text.terms import terms_of, words

MAX_HEADLINE = 160
_REASONS = {
    "BinaryInputError": "binary",
    "EncodingError": "bad_encoding",
    "MalformedHTMLError": "malformed_html",
    "EmptyTextError": "empty",
}


def raw_hash(item: RawItem) -> str:
    """SHA-256 of the item's body as delivered: equal hashes mean nothing to clean again."""
    body = item.body if isinstance(item.body, bytes) else item.body.encode("utf-8", "surrogatepass")
    return hashlib.sha256(body).hexdigest()


def skip_reason(error: Exception) -> str:
    """The machine-readable skip reason for a cleaning error."""
    return _REASONS.get(type(error).__name__, "unreadable")


def prepare(item: RawItem, options: IngestOptions) -> CleanDocument | Skip:
    """Turn a raw item into a clean document, or a Skip that says why not."""
    return _guarded(_prepare, item, options)


def clean_only(item: RawItem, options: IngestOptions) -> tuple[str, str, datetime | None] | Skip:
    """Decode, clean and date a raw item: (text, language, publication time), or a Skip; none
    of the hashes and index terms that storage needs (``kelisim analyze`` stores nothing)."""
    def cleaned_text(raw_item: RawItem):
        cleaned, _ = _clean(raw_item)
        return cleaned.text, cleaned.lang, _publication(raw_item, cleaned)[0]

    return _guarded(cleaned_text, item, options)


def _guarded(work, item: RawItem, options: IngestOptions):
    """``work(item)``, or a Skip for an item too large or one that cleaning refuses."""
    where = item.url or item.meta.get("path") or item.origin
    body = item.body
    size = len(body) if isinstance(body, bytes) else len(body.encode("utf-8", "surrogatepass"))
    if size > options.max_document_bytes:
        return Skip(item.origin, "too_large", f"{where}: {size:,} bytes is over the limit of "
                    f"{options.max_document_bytes:,} bytes")
    try:
        return work(item)
    except clean.CleaningError as error:
        return Skip(item.origin, skip_reason(error), f"{where}: {error}")
    except RecursionError:
        return Skip(item.origin, "malformed_html", f"{where}: the markup is nested too deeply")


def _clean(item: RawItem):
    """The cleaned text of an item and the encoding its bytes were in."""
    encoding = "utf-8"
    raw = item.body
    if isinstance(raw, bytes):
        decoded = decode(raw)
        raw, encoding = decoded.text, decoded.encoding
    return clean.clean_text(raw, item.kind, item.url), encoding


def _prepare(item: RawItem) -> CleanDocument:
    cleaned, encoding = _clean(item)
    published, published_from = _publication(item, cleaned)
    text_words = words(cleaned.text)  # found once, for the fingerprints and the index terms
    content_hash, signature = fingerprints(cleaned.text, text_words)
    return CleanDocument(
        origin=item.origin, text=cleaned.text, lang=cleaned.lang,
        content_hash=content_hash, signature=signature,
        index_terms=terms_of(text_words),
        # The source's own title and author are cleaned too: a bidi override must not reach a page.
        title=clean_field(item.title) or cleaned.title or headline(cleaned.text, item.kind),
        author=clean_field(item.author) or cleaned.author, url=item.url, source_id=item.source_id,
        published=published, published_from=published_from, fetched_at=item.fetched_at,
        cleaning=_report(cleaned.report, encoding), meta=dict(item.meta), raw_hash=raw_hash(item),
    )


def headline(text: str, kind: str) -> str | None:
    """A plain text's first line when it reads as a headline: short, no closing full stop."""
    first = text.split("\n", 1)[0].strip()
    if kind != "text" or "\n" not in text or not first or len(first) > MAX_HEADLINE:
        return None
    return None if first.endswith((".", "!", "?", "…", ":", ";", ",")) else first


def _publication(item: RawItem, cleaned) -> tuple[datetime | None, str | None]:
    """Metadata first (the source's own date, then the page's), then the text itself."""
    reference = item.fetched_at or datetime.now(timezone.utc)
    if item.published:
        return item.published, "metadata"
    for hint in (item.meta.get("published_raw"), cleaned.date_hint):
        day = parse_date(hint, reference) if hint else None
        if day:
            return _as_datetime(day), "metadata"
    day = find_date_in_text(cleaned.text, reference)
    return (_as_datetime(day), "text") if day else (None, None)


def _as_datetime(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day if day.tzinfo else day.replace(tzinfo=timezone.utc)
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _report(chrome, encoding: str) -> CleaningReport:
    return CleaningReport(
        encoding=encoding, removed_lines=chrome.removed_lines, removed_chars=chrome.removed_chars,
        duplicate_paragraphs=chrome.duplicate_paragraphs,
        removed_by_kind=dict(chrome.removed_by_kind),
    )
