"""Analysts' corrections of a reading's decisions: stored with who and when, never lost.

A correction names a document, a field (``relevant``, ``event_type``, ``attitude`` toward a
group, ``hostile``, ``tension_label``), the value the analyst gives and the value the machine had
given. Corrections are kept as a history; the latest one per (document, field, target) is the one
in force. It overrides the decision columns of ``readings`` (what later stages query) and is
shown on the stored reading, while the machine's own decision stays in the reading's data.
A document read again keeps its corrections (see docs/storage.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from kelisim.store.errors import InvalidValueError, UnknownDocumentError
from kelisim.store.schema import CORRECTION_FIELDS, corrections, documents, mentions, now, readings
from kelisim.store.views import CorrectionView

AUTHOR_MAX = 128
TARGET_MAX = 128
# Where each field is in a reading's JSON; each is also a decision column of ``readings`` of the
# same name (attitude is per group: it has neither).
_PATH = {"relevant": ("relevance", "relevant"), "event_type": ("event", "type"),
         "hostile": ("hostility", "hostile"), "tension_label": ("tension", "label")}


def add(conn: sa.Connection, doc_id: int, field: str, value: Any, author: str,
        target: str = "", comment: str | None = None) -> CorrectionView:
    """Store a correction and put it in force; returns it as stored."""
    _check(field, value, author, target)
    if conn.scalar(sa.select(documents.c.id).where(documents.c.id == doc_id)) is None:
        raise UnknownDocumentError(f"no document with id {doc_id}")
    row = {"document_id": doc_id, "field": field, "target": target, "value": value,
           "machine": machine_value(conn, doc_id, field, target), "author": author,
           "comment": comment or None, "created_at": now()}
    new_id = conn.execute(corrections.insert().returning(corrections.c.id), row).scalar_one()
    apply(conn, [doc_id])
    return CorrectionView(id=new_id, **row)


def _check(field: str, value: Any, author: str, target: str) -> None:
    if field not in CORRECTION_FIELDS:
        raise InvalidValueError(f"cannot correct {field!r}; fields: {', '.join(CORRECTION_FIELDS)}")
    if not isinstance(author, str) or not author.strip() or len(author) > AUTHOR_MAX:
        raise InvalidValueError(f"a correction needs its author (1 to {AUTHOR_MAX} characters)")
    if field == "attitude":
        if not target or len(target) > TARGET_MAX:
            raise InvalidValueError("an attitude correction names the group it is toward")
        if value not in (-1, 0, 1) or isinstance(value, bool):
            raise InvalidValueError(f"an attitude is −1, 0 or 1, not {value!r}")
    elif target:
        raise InvalidValueError(f"a correction of {field!r} has no target group")
    elif field in ("relevant", "hostile") and not isinstance(value, bool):
        raise InvalidValueError(f"{field} is true or false, not {value!r}")
    elif field in ("event_type", "tension_label") and not (isinstance(value, str) and 0 < len(value) <= 32):
        raise InvalidValueError(f"{field} is a label of 1 to 32 characters, not {value!r}")


def machine_value(conn: sa.Connection, doc_id: int, field: str, target: str = "") -> Any:
    """What the stored reading decided for this field (None when there is no reading)."""
    if field == "attitude":
        query = (sa.select(mentions.c.data).where(mentions.c.document_id == doc_id,
                                                  mentions.c.kind == "ethnic",
                                                  mentions.c.value == target).limit(1))
        data = conn.scalar(query)
        return None if data is None else data["group"].get("attitude")
    data = conn.scalar(sa.select(readings.c.data).where(readings.c.document_id == doc_id))
    outer, inner = _PATH[field]
    return ((data or {}).get(outer) or {}).get(inner)


def history(conn: sa.Connection, doc_id: int | Sequence[int] | None = None, field: str | None = None,
            ) -> list[CorrectionView]:
    """Every correction, oldest first, of one document (or of several) and/or field, or of all."""
    query = sa.select(corrections).order_by(corrections.c.id)
    if isinstance(doc_id, int):
        query = query.where(corrections.c.document_id == doc_id)
    elif doc_id is not None:
        query = query.where(corrections.c.document_id.in_(doc_id))
    if field is not None:
        query = query.where(corrections.c.field == field)
    return [CorrectionView(**row._mapping) for row in conn.execute(query)]


def in_force(items: Iterable[CorrectionView]) -> list[CorrectionView]:
    """The latest correction per (document, field, target), in the order of ``items``."""
    latest: dict[tuple[int, str, str], CorrectionView] = {}
    for item in items:
        latest[(item.document_id, item.field, item.target)] = item
    return sorted(latest.values(), key=lambda c: c.id)


def apply(conn: sa.Connection, doc_ids: Sequence[int]) -> None:
    """Put the corrections in force on the decision columns of these documents' readings."""
    for doc_id in doc_ids:
        values = {c.field: c.value for c in in_force(history(conn, doc_id)) if c.field in _PATH}
        if values:
            conn.execute(readings.update().where(readings.c.document_id == doc_id).values(**values))


def documents_with_corrections(conn: sa.Connection, doc_ids: Sequence[int]) -> list[int]:
    """Those of ``doc_ids`` that have corrections."""
    if not doc_ids:
        return []
    query = (sa.select(corrections.c.document_id).distinct()
             .where(corrections.c.document_id.in_(doc_ids)))
    return list(conn.scalars(query))


def overlay(reading: dict[str, Any], items: Sequence[CorrectionView]) -> dict[str, Any]:
    """The reading with the corrections in force applied, each decision it changes marked with
    ``corrected`` (who, when, the machine's value), and the whole history as ``corrections``
    (absent when there are none: the reading is then exactly what ``analyze`` prints)."""
    for item in in_force(items):
        mark = {"value": item.value, "machine": item.machine, "author": item.author,
                "at": item.created_at.isoformat(), "comment": item.comment}
        if item.field == "attitude":
            _overlay_attitude(reading, item.target, mark)
            continue
        outer, inner = _PATH[item.field]
        decision = reading.get(outer)
        if isinstance(decision, dict):
            decision[inner] = item.value
            decision.setdefault("corrected", {})[inner] = mark
    if items:
        reading["corrections"] = [to_json(item) for item in items]
    return reading


def _overlay_attitude(reading: dict[str, Any], group: str, mark: Mapping[str, Any]) -> None:
    for item in reading.get("ethnic_groups") or []:
        if item.get("group") == group:
            item["attitude"] = mark["value"]
            item["attitude_p"] = 1.0
            item["corrected"] = {"attitude": dict(mark)}


def to_json(item: CorrectionView) -> dict[str, Any]:
    """A correction as a JSON object."""
    return {"id": item.id, "field": item.field, "target": item.target or None,
            "value": item.value, "machine": item.machine, "author": item.author,
            "comment": item.comment, "at": item.created_at.isoformat()}
