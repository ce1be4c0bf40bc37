"""Readings of documents: saved as one row per mention, loaded back as the reading's JSON.

A reading is the object ``kelisim.reading.output.to_json`` makes. Each mention becomes a row of
``mentions`` with the columns later stages query by (kind, label, value, ref, region_kato, flag)
and, in ``data``, the whole sub-object it came from, so that the reading is rebuilt exactly.
See docs/storage.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from kelisim.store import corrections
from kelisim.store.db import JsonText, insert_rows, json_object_text, json_text
from kelisim.store.errors import InvalidValueError, UnknownDocumentError
from kelisim.store.schema import documents, mentions, now, readings
from kelisim.store.views import GroupCount, ReadingStats, RegionCount, UnreadDocument

CHUNK = 500  # document ids per IN (…) query
UNREAD_BATCH = 200  # documents per read transaction while streaming unread documents
UNREAD_IDS_BATCH = 5000  # ids per read transaction while streaming the ids of unread documents
VALUE_MAX = 512  # ``value`` is for queries and is cut to this length; ``data`` keeps it whole
LABEL_MAX = 32
REF_MAX = 128
LANGUAGE_MAX = 8
VERSION_MAX = 32

LISTS = {"entities": "entity", "places": "place", "ethnic_groups": "ethnic",
         "quotes": "quote", "attribution": "attribution"}
_LIST_OF_KIND = {kind: name for name, kind in LISTS.items()}
_OWN_KEYS = {"id", "language", "text", *LISTS}  # kept elsewhere than readings.data
_KEY_ORDER = ("id", "schema_version", "language", "published", "text")
READING_COLUMNS = ("document_id", "reader_version", "read_at", "language", "data", "relevance",
                   "relevant", "event_type", "tension", "tension_label", "hostility", "hostile")
# The values of a mention row, in this order (the table's own: no reordering before the driver).
MENTION_COLUMNS = ("document_id", "kind", "label", "start", "end", "text", "value", "ref",
                   "region_kato", "flag", "data")

_TEXTS = sa.select(documents.c.id, documents.c.text).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)))
_UNREAD_FROM = documents.outerjoin(readings, readings.c.document_id == documents.c.id)
_IS_UNREAD = sa.or_(
    readings.c.document_id.is_(None),
    readings.c.reader_version != sa.bindparam("version"),
    documents.c.updated_at > readings.c.read_at,  # the text changed after it was read
)
_UNREAD_COLUMNS = (documents.c.id, documents.c.text, documents.c.lang, documents.c.published_at)
_UNREAD = (
    sa.select(*_UNREAD_COLUMNS).select_from(_UNREAD_FROM)
    .where(documents.c.id > sa.bindparam("last"), _IS_UNREAD)
    .order_by(documents.c.id)
    .limit(sa.bindparam("size"))
)
_UNREAD_IDS = (
    sa.select(documents.c.id).select_from(_UNREAD_FROM)
    .where(documents.c.id > sa.bindparam("last"), _IS_UNREAD)
    .order_by(documents.c.id)
    .limit(sa.bindparam("size"))
)
_UNREAD_AMONG = (
    sa.select(*_UNREAD_COLUMNS).select_from(_UNREAD_FROM)
    .where(documents.c.id.in_(sa.bindparam("ids", expanding=True)), _IS_UNREAD)
    .order_by(documents.c.id)
)


# Saving


def save(conn: sa.Connection, items: Sequence[tuple[int, Mapping[str, Any]]],
         reader_version: str) -> int:
    """Store readings, replacing earlier readings of the same documents; returns mentions stored.

    Everything is checked before anything is written; a document given twice keeps its last
    reading. Raises UnknownDocumentError for an unknown id and InvalidValueError (naming the
    document) for a reading whose offsets do not index the stored text.
    """
    _check_version(reader_version)
    latest = dict(items)
    texts = _texts(conn, list(latest))
    stamp = now()
    rows = [row for doc_id, reading in latest.items()
            for row in mention_rows(doc_id, texts[doc_id], reading)]
    heads = [_reading_row(doc_id, reading, reader_version, stamp)
             for doc_id, reading in latest.items()]
    forget(conn, list(latest))
    # One executemany inserts the rows one after the other, so ids follow the order given (a
    # reading is rebuilt in id order); batching them with RETURNING measured slower on both backends.
    insert_rows(conn, mentions, MENTION_COLUMNS, rows, ready=("flag", "data"))
    insert_rows(conn, readings, READING_COLUMNS, heads)
    corrections.apply(conn, corrections.documents_with_corrections(conn, list(latest)))
    return len(rows)


def forget(conn: sa.Connection, doc_ids: Iterable[int]) -> None:
    """Delete the readings and mentions of these documents (e.g. when a text is replaced);
    their corrections stay, and hold again for the next reading."""
    for chunk in _chunks(list(doc_ids)):
        conn.execute(mentions.delete().where(mentions.c.document_id.in_(chunk)))
        conn.execute(readings.delete().where(readings.c.document_id.in_(chunk)))


def _check_version(reader_version: str) -> None:
    if not isinstance(reader_version, str) or not 0 < len(reader_version) <= VERSION_MAX:
        raise InvalidValueError(
            f"a reader version is a string of 1 to {VERSION_MAX} characters, "
            f"not {reader_version!r}")


def _texts(conn: sa.Connection, doc_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(doc_ids):
        found.update((doc_id, text) for doc_id, text in conn.execute(_TEXTS, {"ids": chunk}))
    missing = [doc_id for doc_id in doc_ids if doc_id not in found]
    if missing:
        raise UnknownDocumentError(f"no document with id {missing[0]}: its reading is not stored")
    return found


def _reading_row(doc_id: int, reading: Mapping[str, Any], version: str, stamp) -> tuple:
    """The row of ``readings`` of one reading: the values of READING_COLUMNS."""
    language = reading.get("language")
    if not isinstance(language, str) or not 0 < len(language) <= LANGUAGE_MAX:
        raise InvalidValueError(
            f"document {doc_id}: the reading's language {language!r} is invalid")
    data = {key: value for key, value in reading.items() if key not in _OWN_KEYS}
    return (doc_id, version, stamp, language, data, *_decisions(doc_id, reading))


def _decisions(doc_id: int, reading: Mapping[str, Any]) -> tuple:
    """The decision columns, what later stages filter and count by: relevance, relevant,
    event_type, tension, tension_label, hostility, hostile."""
    try:
        relevance, event = reading.get("relevance") or {}, reading.get("event") or {}
        tension, hostility = reading.get("tension") or {}, reading.get("hostility") or {}
        return (relevance.get("score"), relevance.get("relevant"), event.get("type"),
                tension.get("score"), tension.get("label"), hostility.get("score"),
                hostility.get("hostile"))
    except AttributeError as error:
        raise InvalidValueError(f"document {doc_id}: malformed decisions ({error!r})") from error


def mention_rows(doc_id: int, text: str, reading: Mapping[str, Any]) -> list[tuple]:
    """The rows of ``mentions`` for one reading, checked against the document's text: tuples of
    the values of MENTION_COLUMNS, ``data`` serialised (a :class:`JsonText`)."""
    if reading.get("text", text) != text:
        raise InvalidValueError(f"document {doc_id}: the reading is of another text than the "
                                "one stored (was the document updated since it was read?)")
    try:
        rows = [*_flat_rows(doc_id, text, reading),
                *_ethnic_rows(doc_id, text, reading.get("ethnic_groups") or [])]
    except (KeyError, TypeError, AttributeError) as error:
        raise InvalidValueError(f"document {doc_id}: malformed reading ({error!r})") from error
    for kind, span in _decision_spans(reading):
        _check_span(doc_id, text, kind, span.get("start"), span.get("end"), span.get("text"))
    return rows


def _decision_spans(reading: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every span the decisions point at: evidence (attitude's too), the event's place and date,
    past references."""
    for name in ("tension", "relevance", "hostility", "event"):
        decision = reading.get(name)
        if not isinstance(decision, Mapping):
            continue
        for item in decision.get("evidence") or []:
            yield f"{name} evidence", item
    for group in reading.get("ethnic_groups") or []:
        for item in group.get("attitude_evidence") or []:
            yield "attitude evidence", item
    event = reading.get("event")
    if isinstance(event, Mapping):
        for part in ("place", "date"):
            if event.get(part):
                yield f"event {part}", event[part]
        for item in event.get("references_past") or []:
            yield "past reference", item
            for part in ("place", "date"):
                if item.get(part):
                    yield f"past reference {part}", item[part]


def _flat_rows(doc_id: int, text: str, reading: Mapping[str, Any]) -> Iterator[tuple]:
    for name, kind in LISTS.items():
        if kind != "ethnic":
            columns = _COLUMNS[kind]
            for item in reading.get(name) or []:
                yield _row(doc_id, text, kind, item, columns(item), json_text(item))


def _ethnic_rows(doc_id: int, text: str, groups: list[Mapping[str, Any]]) -> Iterator[tuple]:
    # A group's own fields ride along with each of its mentions: the group is rebuilt from them.
    # They are serialised once per group: ``data`` is json_text({"group": head, "mention": …}).
    for group in groups:
        if not group["mentions"]:
            raise KeyError(f"ethnic group {group['group']!r} has no mentions")
        head = json_text({key: value for key, value in group.items() if key != "mentions"})
        columns = (group.get("kind"), group["group"], group["group"], None)
        for mention in group["mentions"]:
            data = json_object_text(group=head, mention=json_text(mention))
            yield _row(doc_id, text, "ethnic", mention, columns, data, bool(mention.get("slur")))


def _row(doc_id: int, text: str, kind: str, item: Mapping[str, Any], columns: tuple,
         data: str, flag: bool = False) -> tuple:
    """A checked row of ``mentions``; ``columns`` are its (label, value, ref, region_kato)."""
    start, end, said = item["start"], item["end"], item["text"]
    _check_span(doc_id, text, kind, start, end, said)
    if kind == "quote":
        _check_speaker(doc_id, text, item)
    label, value, ref, region = columns
    for column, i, limit in _LIMITS:
        checked = columns[i]
        if checked is not None and (not isinstance(checked, str) or len(checked) > limit):
            raise InvalidValueError(f"document {doc_id}: the {kind} {said!r} has an invalid "
                                    f"{column} {checked!r} (a string of {limit} at most)")
    if value is not None:
        value = str(value)[:VALUE_MAX]
    return (doc_id, kind, label, start, end, said, value, ref, region, flag, JsonText(data))


def _entity(item: Mapping[str, Any]) -> tuple:
    return item["type"], item.get("normal"), item.get("kb_id"), None


def _place(item: Mapping[str, Any]) -> tuple:
    # A region's own mention counts for that region.
    own = item.get("kato") if item.get("level") == "region" else None
    region = item.get("region_kato") or own
    return item.get("level"), item.get("name"), item.get("kato"), region


def _quote(item: Mapping[str, Any]) -> tuple:
    return ("direct" if item["direct"] else "indirect", item.get("speaker"),
            item.get("speaker_kb_id"), None)


def _attribution(item: Mapping[str, Any]) -> tuple:
    return None, item.get("outlet"), item.get("kb_id"), None


_COLUMNS = {"entity": _entity, "place": _place, "quote": _quote, "attribution": _attribution}
# The columns of (label, value, ref, region_kato) that have a length limit: name, index, limit.
_LIMITS = (("label", 0, LABEL_MAX), ("ref", 2, REF_MAX), ("region_kato", 3, LABEL_MAX))


def _check_span(doc_id: int, text: str, kind: str, start: Any, end: Any, said: Any) -> None:
    # Plain ints, the common case, are taken without two calls of _is_int.
    ints = (start.__class__ is int and end.__class__ is int) or (_is_int(start) and _is_int(end))
    if not (ints and 0 <= start <= end <= len(text)):
        raise InvalidValueError(f"document {doc_id}: the {kind} {said!r} has offsets "
                                f"[{start!r}:{end!r}] outside its text of {len(text)} characters")
    if text[start:end] != said:
        raise InvalidValueError(f"document {doc_id}: the {kind} {said!r} at [{start}:{end}] does "
                                f"not match the stored text, which has {text[start:end]!r} there")


def _check_speaker(doc_id: int, text: str, quote: Mapping[str, Any]) -> None:
    start, end = quote.get("speaker_start"), quote.get("speaker_end")
    if start is None and end is None:
        return
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(text)):
        raise InvalidValueError(f"document {doc_id}: the speaker of the quote {quote['text']!r} "
                                f"has offsets [{start!r}:{end!r}] outside the text")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Loading


def load(conn: sa.Connection, doc_id: int) -> dict[str, Any] | None:
    """The stored reading of a document as ``to_json`` made it (``id``: the document id), or
    None when it has none or its text changed after it was read."""
    return load_many(conn, [doc_id]).get(doc_id)


def load_many(conn: sa.Connection, doc_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """:func:`load` of several documents in two queries, by document id; the documents with no
    current reading are left out."""
    query = (
        sa.select(readings.c.document_id, readings.c.language, readings.c.data, readings.c.read_at,
                  documents.c.text, documents.c.updated_at)
        .join(documents, documents.c.id == readings.c.document_id)
        .where(readings.c.document_id.in_(doc_ids))
    )
    heads = {head.document_id: head for head in conn.execute(query)
             if head.updated_at is None or head.updated_at <= head.read_at}
    rows: dict[int, list[tuple[str, Any]]] = {doc_id: [] for doc_id in heads}
    for doc_id, kind, data in conn.execute(
            sa.select(mentions.c.document_id, mentions.c.kind, mentions.c.data)
            .where(mentions.c.document_id.in_(list(heads))).order_by(mentions.c.id)):
        rows[doc_id].append((kind, data))
    return {doc_id: _head(doc_id, head.language, head.text, head.data) | _lists(rows[doc_id])
            for doc_id, head in heads.items()}


def _head(doc_id: int, language: str, text: str, data: dict[str, Any]) -> dict[str, Any]:
    fields = {"id": str(doc_id), **data, "language": language, "text": text}
    order = [key for key in _KEY_ORDER if key in fields]
    return {key: fields[key] for key in order + [k for k in fields if k not in _KEY_ORDER]}


def _lists(rows: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {name: [] for name in LISTS}
    groups: dict[str, dict[str, Any]] = {}
    for kind, data in rows:
        if kind != "ethnic":
            found[_LIST_OF_KIND[kind]].append(data)
            continue
        group = groups.get(data["group"]["group"])
        if group is None:
            group = groups[data["group"]["group"]] = {**data["group"], "mentions": []}
        group["mentions"].append(data["mention"])
    found["ethnic_groups"] = list(groups.values())
    return found


def iter_unread(engine: sa.Engine, reader_version: str,
                limit: int | None = None) -> Iterator[UnreadDocument]:
    """Documents with no reading, a reading of another version, or a text changed since it was
    read, in id order, read in batches (each in its own short transaction)."""
    for row in _pages(engine, _UNREAD, reader_version, limit, UNREAD_BATCH):
        yield _unread_document(row)


def iter_unread_ids(engine: sa.Engine, reader_version: str,
                    limit: int | None = None) -> Iterator[int]:
    """The ids of the documents ``iter_unread`` gives, without their texts (a cluster's client
    hands ids to its workers), read in larger batches."""
    for row in _pages(engine, _UNREAD_IDS, reader_version, limit, UNREAD_IDS_BATCH):
        yield row.id


def unread_among(conn: sa.Connection, doc_ids: Sequence[int],
                 reader_version: str) -> list[UnreadDocument]:
    """Those of these documents that are still unread (see ``iter_unread``), in id order."""
    found: list[UnreadDocument] = []
    for chunk in _chunks(list(doc_ids)):
        rows = conn.execute(_UNREAD_AMONG, {"ids": chunk, "version": reader_version})
        found.extend(_unread_document(row) for row in rows)
    return sorted(found, key=lambda doc: doc.id)


def _pages(engine: sa.Engine, query: sa.Select, reader_version: str, limit: int | None,
           page: int) -> Iterator[sa.Row]:
    """The rows of an unread query, ``page`` at a time after the last id seen, at most ``limit``."""
    last, left = 0, limit
    while left is None or left > 0:
        size = page if left is None else min(page, left)
        with engine.connect() as conn:
            rows = conn.execute(query, {"last": last, "version": reader_version,
                                        "size": size}).all()
        yield from rows
        if len(rows) < size:
            return
        last = rows[-1].id
        left = None if left is None else left - len(rows)


def _unread_document(row: sa.Row) -> UnreadDocument:
    published = row.published_at.date() if row.published_at else None
    return UnreadDocument(row.id, row.text, row.lang, published)


# Counting


def count_read(conn: sa.Connection) -> int:
    """The number of documents with a stored reading."""
    return conn.scalar(sa.select(sa.func.count()).select_from(readings)) or 0


def stats(conn: sa.Connection, top: int = 10) -> ReadingStats:
    """Documents read and unread, mentions by kind, the most mentioned groups and regions."""
    unread = documents.outerjoin(readings, readings.c.document_id == documents.c.id)
    return ReadingStats(
        documents_read=count_read(conn),
        documents_unread=conn.scalar(sa.select(sa.func.count()).select_from(unread)
                                     .where(readings.c.document_id.is_(None))) or 0,
        by_version=_counts(conn, readings.c.reader_version),
        mentions=_counts(conn, mentions.c.kind),
        ethnic_groups=_top_groups(conn, top),
        regions=_top_regions(conn, top),
    )


def _counts(conn: sa.Connection, key: sa.ColumnElement[Any]) -> dict[Any, int]:
    query = sa.select(key, sa.func.count()).group_by(key).order_by(sa.func.count().desc(), key)
    return {key: count for key, count in conn.execute(query)}


_DOCUMENTS = sa.func.count(sa.distinct(mentions.c.document_id))


def _top_groups(conn: sa.Connection, top: int) -> list[GroupCount]:
    query = (
        sa.select(mentions.c.value, sa.func.max(mentions.c.label), sa.func.count(), _DOCUMENTS,
                  sa.func.sum(sa.case((mentions.c.flag, 1), else_=0)))
        .where(mentions.c.kind == "ethnic")
        .group_by(mentions.c.value)
        .order_by(_DOCUMENTS.desc(), sa.func.count().desc(), mentions.c.value)
        .limit(top)
    )
    return [GroupCount(group, kind, count, docs, int(slurs or 0))
            for group, kind, count, docs, slurs in conn.execute(query)]


def _top_regions(conn: sa.Connection, top: int) -> list[RegionCount]:
    # The region's name: from any mention inside it, or the region's own mention.
    own_name = sa.case((mentions.c.label == "region", mentions.c.value))
    name = sa.func.coalesce(mentions.c.data["region"].as_string(), own_name)
    query = (
        sa.select(mentions.c.region_kato, sa.func.max(name), sa.func.count(), _DOCUMENTS)
        .where(mentions.c.kind == "place", mentions.c.region_kato.is_not(None))
        .group_by(mentions.c.region_kato)
        .order_by(_DOCUMENTS.desc(), sa.func.count().desc(), mentions.c.region_kato)
        .limit(top)
    )
    return [RegionCount(kato, region, count, docs) for kato, region, count, docs in
            conn.execute(query)]


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
