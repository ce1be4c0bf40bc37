"""The errors the cleaning stage raises: one base class, one subclass per reason."""

from __future__ import annotations


class CleaningError(ValueError):
    """An input that cleaning cannot turn into text; ``reason`` is machine-readable."""

    reason = "cleaning-failed"


class BinaryInputError(CleaningError):
    """The bytes are a binary file (PDF, archive, image…), not text."""

    reason = "binary"


class EncodingError(CleaningError):
    """The bytes are text in no encoding we can read plausibly."""

    reason = "encoding"


class MalformedHTMLError(CleaningError):
    """The HTML could not be parsed or held no extractable main text."""

    reason = "malformed-html"


class EmptyTextError(CleaningError):
    """Nothing was left after cleaning."""

    reason = "empty"
