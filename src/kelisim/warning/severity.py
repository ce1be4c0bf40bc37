"""How much an event weighs for the tension index, from the taxonomy's conflict-cooperation
scale: a conflict type weighs its negative Goldstein weight (a violent clash 9, a threat or
incitement 7, hate speech 5 …), a de-escalation type its positive weight (mediation 5, a unity
event 4, a meeting or round table 2). Official statements and migration weigh nothing."""

from __future__ import annotations

from functools import lru_cache

from kelisim.understanding.taxonomy import event_types

# Dialogue, mediation and unity: what lowers the index. An official statement is not dialogue.
DEESCALATION_TYPES = ("mediation_reconciliation", "cultural_unity", "meeting_conference")


@lru_cache(maxsize=1)
def conflict_types() -> tuple[str, ...]:
    """Event types on the conflict side of the scale (negative weight)."""
    return tuple(kind.id for kind in event_types() if kind.goldstein < 0)


@lru_cache(maxsize=64)
def severity(event_type: str | None) -> int:
    """The weight of a conflict-type event (0 for any other type or none)."""
    for kind in event_types():
        if kind.id == event_type:
            return max(0, -kind.goldstein)
    return 0


@lru_cache(maxsize=64)
def deescalation(event_type: str | None) -> int:
    """The weight of a de-escalation event (0 for any other type or none)."""
    if event_type not in DEESCALATION_TYPES:
        return 0
    return next(kind.goldstein for kind in event_types() if kind.id == event_type)
