"""The contracts every fuzz target and property test checks: what a parser may return or raise.

A contract failure is an AssertionError, which the fuzzer reports as a crash, like any
exception a parser lets out that it does not document.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kelisim.clean.normalize import normalize_text

# What normalize_text removes or rewrites, so clean text never holds it.
FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if c not in (0x0A, 0x20)]  # tab too: runs become one space
    + [chr(c) for c in range(0x7F, 0xA1)]
    + ["\u00ad", "\u061c", "\u1680", "\u180e", "\u2028", "\u2029", "\u205f", "\u3000",
       "\ufeff", "\ufff9", "\ufffa", "\ufffb"]
    + [chr(c) for c in range(0x2000, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x2030)]
    + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + [chr(c) for c in range(0xE0000, 0xE0080)]
)


def text_of(data: bytes) -> str:
    """Fuzzer bytes as text the way a decoded document would be (invalid UTF-8 replaced)."""
    return data.decode("utf-8", "replace")


def raw_text_of(data: bytes) -> str:
    """Fuzzer bytes as text that may hold lone surrogates (as JSON "\\ud800" escapes give)."""
    return data.decode("utf-8", "surrogateescape")


@contextmanager
def documented(*errors: type[BaseException]) -> Iterator[None]:
    """Let the documented errors through silently; anything else is a finding."""
    try:
        yield
    except errors:
        pass


def check_clean(text: str) -> None:
    """Text as cleaning stores it: normalised, NFC, nothing invisible, no lone surrogates."""
    assert isinstance(text, str)
    assert normalize_text(text) == text, "normalize_text is not idempotent on its output"
    assert unicodedata.is_normalized("NFC", text)
    bad = FORBIDDEN.intersection(text)
    assert not bad, f"cleaned text keeps {sorted(map(ascii, bad))}"
    text.encode("utf-8")  # no lone surrogates: they cannot be stored
    assert text == text.strip() and "\n\n\n" not in text


def check_spans(text: str, spans: Iterable, *, ordered: bool = False,
                disjoint: bool = False) -> None:
    """Every span indexes ``text``: ``0 <= start < end <= len(text)``, ``span.text`` matches."""
    last_start, last_end = -1, 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text), (span.start, span.end, len(text))
        assert span.text == text[span.start:span.end], (span, text[span.start:span.end])
        if ordered:
            assert span.start >= last_start, "spans out of text order"
        if disjoint:
            assert span.start >= last_end, "overlapping spans"
        last_start, last_end = span.start, span.end
