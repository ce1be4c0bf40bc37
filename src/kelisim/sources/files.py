"""Local files and folders: txt, html/htm, md, json, jsonl, csv/tsv, Telegram exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from kelisim.clean import CleaningError
from kelisim.clean.encoding import decode
from kelisim.clean.normalize import replace_surrogates
from kelisim.config import IngestOptions
from kelisim.prepare import skip_reason
from kelisim.records import RawItem, Skip
from kelisim.sources.jsondata import JsonError, loads
from kelisim.sources.records_fields import FieldMap
from kelisim.sources.telegram import is_telegram_export, read_telegram_export

DOCUMENT_KINDS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
                  ".md": "markdown", ".markdown": "markdown"}
RECORD_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv")
SUPPORTED = tuple(DOCUMENT_KINDS) + RECORD_SUFFIXES
_LIST_KEYS = ("items", "documents", "articles", "records", "data", "posts")
_MAX_LIST_DEPTH = 8


def read_paths(paths: Iterable[Path], options: IngestOptions, *, source_id: int | None = None,
               fields: FieldMap = FieldMap()) -> Iterator[RawItem | Skip]:
    """Read files and folders (recursively, in name order) into raw items."""
    for path in paths:
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, options, source_id=source_id, fields=fields)
        elif path.exists():
            yield from read_file(path, options, source_id=source_id, fields=fields)
        else:
            yield Skip(f"file:{path}", "not_found", f"{path}: no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            yield path


def read_file(path: Path, options: IngestOptions, *, source_id: int | None = None,
              fields: FieldMap = FieldMap()) -> Iterator[RawItem | Skip]:
    """Read one file: a document file yields one item, a record file one item per record."""
    path = path.resolve()
    origin = f"file:{path}"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield Skip(origin, "unsupported", f"{path}: unsupported file type "
                   f"'{suffix or path.name}' (supported: {', '.join(SUPPORTED)})")
        return
    problem = _size_problem(path, suffix, options)
    if problem:
        yield problem
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Skip(origin, "unreadable", f"{path}: cannot be read ({error.strerror or error})")
        return
    if suffix in DOCUMENT_KINDS:
        yield _document_item(path, data, DOCUMENT_KINDS[suffix], source_id)
    else:
        yield from _record_items(path, data, suffix, source_id, fields)


def _size_problem(path: Path, suffix: str, options: IngestOptions) -> Skip | None:
    size = path.stat().st_size
    limit = options.max_document_bytes if suffix in DOCUMENT_KINDS else options.max_file_bytes
    if size == 0:
        return Skip(f"file:{path}", "empty", f"{path}: the file is empty")
    if size > limit:
        return Skip(f"file:{path}", "too_large",
                    f"{path}: {size:,} bytes is over the limit of {limit:,} bytes")
    return None


def _document_item(path: Path, data: bytes, kind: str, source_id: int | None) -> RawItem:
    return RawItem(origin=f"file:{path}", body=data, kind=kind, source_id=source_id,
                   fetched_at=_mtime(path), meta={"path": str(path)})


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    except OSError:  # a stream such as standard input has no file to stat
        return datetime.now(timezone.utc)


def read_jsonl_stream(text: str, name: str = "<stdin>", *,
                      fields: FieldMap = FieldMap()) -> Iterator[RawItem | Skip]:
    """Records of JSON Lines text that came from a stream (standard input) named ``name``."""
    # Python reads undecodable bytes on a C-locale stdin as lone surrogates; no store holds one.
    yield from _jsonl_items(Path(name), replace_surrogates(text), None, fields)


def _record_items(path: Path, data: bytes, suffix: str, source_id: int | None,
                  fields: FieldMap) -> Iterator[RawItem | Skip]:
    try:
        text = decode(data).text
    except CleaningError as error:
        yield Skip(f"file:{path}", skip_reason(error), f"{path}: {error}")
        return
    if suffix == ".json":
        yield from _json_items(path, text, source_id, fields)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_items(path, text, source_id, fields)
    else:
        yield from _csv_items(path, text, suffix, source_id, fields)


def _json_items(path: Path, text: str, source_id: int | None,
                fields: FieldMap) -> Iterator[RawItem | Skip]:
    try:
        data = loads(text)
    except JsonError as error:
        yield Skip(f"file:{path}", "malformed_json", f"{path}: malformed JSON ({error})")
        return
    if is_telegram_export(data):
        yield from read_telegram_export(data, path, source_id)
        return
    records = _json_records(data)
    if records is None:
        yield Skip(f"file:{path}", "malformed_json",
                   f"{path}: expected a record, a list of records or a Telegram export")
        return
    for number, record in enumerate(records, start=1):
        yield _record_item(path, number, record, source_id, fields)


def _json_records(data: object) -> list | None:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    for key in _LIST_KEYS:
        if isinstance(data.get(key), list):
            return data[key]
    return [data]


def _jsonl_items(path: Path, text: str, source_id: int | None,
                 fields: FieldMap) -> Iterator[RawItem | Skip]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except JsonError as error:
            yield Skip(f"file:{path}#{number}", "malformed_json",
                       f"{path}: line {number} is not valid JSON ({error})")
            continue
        yield _record_item(path, number, record, source_id, fields)


def _csv_items(path: Path, text: str, suffix: str, source_id: int | None,
               fields: FieldMap) -> Iterator[RawItem | Skip]:
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=_csv_dialect(text, suffix),
                            strict=True)
    try:
        columns = list(reader.fieldnames or [])  # reads the header line: strict, so it may fail
    except csv.Error as error:
        yield Skip(f"file:{path}", "malformed_csv", f"{path}: malformed CSV header ({error})")
        return
    problem = _csv_columns_problem(path, columns, fields)
    if problem:
        yield problem
        return
    try:
        for row in reader:
            yield _record_item(path, reader.line_num, row, source_id, fields)
    except csv.Error as error:
        yield Skip(f"file:{path}#{reader.line_num}", "malformed_csv",
                   f"{path}: malformed CSV at line {reader.line_num} ({error}); rest of file skipped")


def _csv_dialect(text: str, suffix: str) -> type[csv.Dialect] | csv.Dialect:
    if suffix == ".tsv":
        return csv.excel_tab
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error:
        return csv.excel
    # The sniffer sees «""» escapes only in some layouts and then reads «"ТОО ""Алем"""» as
    # «ТОО "Алем"""»; RFC 4180 and every spreadsheet escape a quote by doubling it.
    dialect.doublequote = True
    return dialect


def _csv_columns_problem(path: Path, columns: list[str], fields: FieldMap) -> Skip | None:
    missing = fields.missing(columns)
    resolved = fields.resolve(columns)
    if not missing and ("text" in resolved or "html" in resolved):
        return None
    shown = ", ".join(repr(c) for c in columns) or "none"
    wanted = f"mapped column(s) {', '.join(map(repr, missing))}" if missing else "a text column"
    return Skip(f"file:{path}", "bad_mapping",
                f"{path}: {wanted} not found (columns: {shown}); map it with --map text=COLUMN")


def _record_item(path: Path, number: int, record: object, source_id: int | None,
                 fields: FieldMap) -> RawItem | Skip:
    if not isinstance(record, dict):
        return Skip(f"file:{path}#{number}", "malformed_json",
                    f"{path}: record {number} is not an object")
    names = fields.resolve([str(k) for k in record])
    key = _text_of(record.get(names.get("id", ""))) or str(number)
    origin = f"file:{path}#{key}"
    body, kind = _record_body(record, names)
    if not body:
        return Skip(origin, "no_text", f"{path}: record {number} has no text")
    meta = {"path": str(path), "record": number}
    if names.get("date") and _text_of(record.get(names["date"])):
        meta["published_raw"] = _text_of(record.get(names["date"]))
    return RawItem(origin=origin, body=body, kind=kind, source_id=source_id,
                   url=_text_of(record.get(names.get("url", ""))) or None,
                   title=_text_of(record.get(names.get("title", ""))) or None,
                   author=_text_of(record.get(names.get("author", ""))) or None,
                   fetched_at=_mtime(path), meta=meta)


def _record_body(record: dict, names: dict[str, str]) -> tuple[str, str]:
    # The body is kept exactly as given (cleaning normalises it later), so that
    # `analyze --verbatim` offsets index the record's own text.
    text = record.get(names.get("text", ""))
    if isinstance(text, str) and text.strip():
        return text, "text"
    text = _text_of(text)
    if text.strip():
        return text, "text"
    html = _text_of(record.get(names.get("html", "")))
    return (html, "html") if html.strip() else ("", "text")


def _text_of(value: object, depth: int = 0) -> str:
    # Lists nested deeper than a few levels are no field's text (and would recurse too deep).
    if value is None or isinstance(value, dict) or depth > _MAX_LIST_DEPTH:
        return ""
    if isinstance(value, list):
        return ", ".join(_text_of(v, depth + 1) for v in value)
    return str(value).strip()
