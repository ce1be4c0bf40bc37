"""Bounded decompression: the size cap applies to the decoded bytes, so bombs are refused.

zlib is asked for at most a small step of output at a time, so a tiny gzip body that would
inflate to gigabytes is stopped as soon as the decoded size passes the limit, and memory
never holds much more than the limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

GZIP_MAGIC = b"\x1f\x8b"
_STEP = 64 * 1024
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS  # auto-detects a gzip or zlib header
ENCODINGS = ("identity", "gzip", "x-gzip", "deflate")


class TooLarge(ValueError):
    """A body grew past its size limit."""


class BadEncoding(ValueError):
    """A Content-Encoding we do not decode, or a corrupt compressed body."""


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._limit = limit
        self._engine: zlib._Decompress | None = None

    def feed(self, data: bytes, out: bytearray) -> None:
        """Decode one chunk of compressed data onto ``out``."""
        while data:
            if self._engine is None:
                self._engine = zlib.decompressobj(self._wbits(data))
            out += self._engine.decompress(data, _STEP)
            _check(out, self._limit)
            if self._engine.eof:
                data = self._after_end(self._engine.unused_data)
                self._engine = None
            else:
                data = self._engine.unconsumed_tail

    def finish(self, out: bytearray) -> None:
        """Flush what zlib still holds."""
        if self._engine is not None:
            out += self._engine.flush()
            _check(out, self._limit)

    def _wbits(self, data: bytes) -> int:
        if self._gzip or _is_zlib_header(data):
            return _GZIP_OR_ZLIB
        return -zlib.MAX_WBITS  # "deflate" that is really raw deflate, as some servers send

    def _after_end(self, rest: bytes) -> bytes:
        # Concatenated gzip members are one body; anything else after the end is padding.
        return rest if self._gzip and rest.startswith(GZIP_MAGIC) else b""


def _is_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _check(out: bytearray, limit: int) -> None:
    if len(out) > limit:
        raise TooLarge(f"more than {limit} bytes once decoded")


def wire_limit(encoding: str | None, limit: int) -> int:
    """Most bytes accepted on the wire for a body of at most ``limit`` decoded bytes."""
    # Compressing incompressible data adds a little; beyond twice the limit it is no body.
    return limit if _normal(encoding) == "identity" else 2 * limit + 1024


def _normal(encoding: str | None) -> str:
    return (encoding or "identity").strip().lower()


def decode_body(chunks: Iterable[bytes], encoding: str | None, limit: int) -> bytes:
    """Join a body's chunks, decoding gzip/deflate, refusing it past ``limit`` decoded bytes."""
    encoding = _normal(encoding)
    if encoding not in ENCODINGS:
        raise BadEncoding(f"unsupported Content-Encoding {encoding!r}")
    inflater = None if encoding == "identity" else _Inflater(encoding, limit)
    out = bytearray()
    received = 0
    most = wire_limit(encoding, limit)
    try:
        for chunk in chunks:
            received += len(chunk)
            if received > most:
                raise TooLarge(f"more than {most} bytes on the wire")
            if inflater is None:
                out += chunk  # the wire limit is the limit here
            else:
                inflater.feed(chunk, out)
        if inflater is not None:
            inflater.finish(out)
    except zlib.error as error:
        raise BadEncoding(f"corrupt {encoding} body ({error})") from None
    return bytes(out)


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress a gzip file (a .xml.gz sitemap), refusing more than ``limit`` decoded bytes."""
    return decode_body([data], "gzip", limit)
