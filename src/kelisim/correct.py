"""Analysts' corrections checked against what Kelisim knows: the event types of the taxonomy,
the tension labels, and the groups a document's reading names. The store keeps them
(:mod:`kelisim.store.corrections`)."""

from __future__ import annotations

from typing import Any

from kelisim.store.views import CorrectionView
from kelisim.understanding.taxonomy import event_types
from kelisim.understanding.tension import LABELS

TENSION_LABELS = tuple(label for _floor, label in LABELS)
YES = {"yes", "y", "true", "1", "да", "иә"}
NO = {"no", "n", "false", "0", "нет", "жоқ"}


class CorrectionError(ValueError):
    """A correction that cannot be right: an unknown type, label or group, a wrong value."""


def parse_bool(value: str) -> bool:
    """yes/no (also true/false, 1/0, да/нет) as a boolean."""
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise CorrectionError(f"{value!r} is not yes or no")


def parse_attitude(spec: str) -> tuple[str, int]:
    """GROUP=VALUE, the value −1, 0 or 1 (also «-», «0», «+»), as (group, value)."""
    group, sep, value = spec.rpartition("=")
    numbers = {"-1": -1, "−1": -1, "-": -1, "0": 0, "1": 1, "+1": 1, "+": 1}
    if not sep or not group.strip() or value.strip() not in numbers:
        raise CorrectionError(f"an attitude is GROUP=-1, GROUP=0 or GROUP=1, not {spec!r}")
    return group.strip(), numbers[value.strip()]


def check(field: str, value: Any, target: str, reading: dict | None) -> None:
    """Refuse a correction that names an unknown event type, tension label or group."""
    if field == "event_type" and value not in {t.id for t in event_types()}:
        known = ", ".join(t.id for t in event_types())
        raise CorrectionError(f"unknown event type {value!r}; known: {known}")
    if field == "tension_label" and value not in TENSION_LABELS:
        raise CorrectionError(f"a tension label is one of {', '.join(TENSION_LABELS)}, not {value!r}")
    if field == "attitude" and reading is not None:
        groups = [g["group"] for g in reading.get("ethnic_groups") or []]
        if target not in groups:
            named = ", ".join(groups) or "none"
            raise CorrectionError(f"the document names no group {target!r} (it names: {named})")


def describe(item: CorrectionView) -> str:
    """One line for people: what was corrected, from what to what, by whom and when."""
    what = f"attitude toward {item.target}" if item.field == "attitude" else item.field
    comment = f" — {item.comment}" if item.comment else ""
    return (f"#{item.id} document {item.document_id}: {what} {item.machine!r} → {item.value!r} "
            f"by {item.author}, {item.created_at:%Y-%m-%d %H:%M} UTC{comment}")
