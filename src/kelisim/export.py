"""Exports of stored documents: JSON Lines (everything) and CSV (flat columns)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import TextIO

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = ("id", "source", "url", "title", "author", "published_at", "published_from",
               "fetched_at", "lang", "chars", "reprints", "content_hash", "text")


def document_record(doc) -> dict:
    """A stored document as plain JSON-ready data."""
    record = asdict(doc)
    record["reprints"] = [asdict(r) for r in doc.reprints]
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()}


def write_jsonl(docs: Iterable, out: TextIO) -> int:
    """Write one JSON object per line; return how many."""
    count = 0
    for count, doc in enumerate(docs, start=1):
        out.write(json.dumps(document_record(doc), ensure_ascii=False, default=str) + "\n")
    return count


def write_csv(docs: Iterable, out: TextIO) -> int:
    """Write a CSV with a header row and one row per document; return how many."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for count, doc in enumerate(docs, start=1):
        row = document_record(doc)
        row["reprints"] = len(doc.reprints)
        writer.writerow(row)
    return count


def write_export(fmt: str, docs: Iterable, out: TextIO) -> int:
    """Write ``docs`` in format ``fmt``; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return write_jsonl(docs, out) if fmt == "jsonl" else write_csv(docs, out)
