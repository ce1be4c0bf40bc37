"""The cleaning stage end to end: extract, normalise, strip chrome, detect the language."""

from __future__ import annotations

from dataclasses import dataclass, field

from kelisim.clean.chrome import ChromeReport, strip_chrome
from kelisim.clean.errors import EmptyTextError
from kelisim.clean.html import Extracted, extract_html, extract_markdown
from kelisim.clean.language import detect_language
from kelisim.clean.normalize import normalize_text
from kelisim.records import Language, RawKind


@dataclass(frozen=True)
class Cleaned:
    """A cleaned text with its metadata hints, language and what cleaning removed."""

    text: str
    title: str | None = None
    author: str | None = None
    date_hint: str | None = None
    lang: Language = "other"
    report: ChromeReport = field(default_factory=ChromeReport)


def clean_text(raw: str, kind: RawKind, url: str | None = None) -> Cleaned:
    """Turn one decoded input into clean text.

    Args:
        raw: the input as text ("text", "html" or "markdown", as ``kind`` says).
        kind: how to read ``raw``.
        url: where it came from, if known (helps HTML extraction).

    Returns:
        The cleaned text, title, author, the metadata date as found (``date_hint``, to be
        parsed with :func:`kelisim.clean.dates.parse_date`), the language and a report.

    Raises:
        MalformedHTMLError: HTML with no extractable main text.
        EmptyTextError: nothing left after cleaning.
    """
    extracted = _extract(raw, kind, url)
    text, report = strip_chrome(normalize_text(extracted.text))
    if not text:
        raise EmptyTextError(f"empty text: nothing left after cleaning {kind} input")
    return Cleaned(text, clean_field(extracted.title), clean_field(extracted.author),
                   clean_field(extracted.date), detect_language(text), report)


def _extract(raw: str, kind: str, url: str | None) -> Extracted:
    if kind == "html":
        return extract_html(raw, url)
    if kind == "markdown":
        return extract_markdown(raw)
    if kind == "text":
        return Extracted(raw)
    raise ValueError(f"unknown input kind {kind!r}: expected text, html or markdown")


def clean_field(value: str | None) -> str | None:
    """A metadata string (title, author) as one normalised line; None when nothing is left."""
    return normalize_text(value).replace("\n", " ") or None if value else None
